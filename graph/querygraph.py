"""The data graph pyshacl validates: an rdflib Graph that answers pyshacl's SPARQL queries sooner.

pyshacl runs a SHACL-SPARQL constraint by calling `query(text, initBindings={"this": node})` once per focus
node, and a SPARQL target once, with nothing bound. Three things make that slow with rdflib, and are fixed
here without changing any answer:

- rdflib parses the text on every call: we prepare each distinct text once;
- rdflib orders a basic graph pattern's triples without knowing `$this` is bound, so `?p a
  nipa:SourceParagraph . $this nipa:sourceParagraph ?p` walked every paragraph for every focus node: we put
  the patterns in `join_order` for the bound variables (the order of a join changes its cost, not its
  answer);
- a target such as "every IRI under id:" walks the whole graph, at rdflib's pace of microseconds a triple:
  a SELECT with nothing bound goes to an Oxigraph copy of the graph (oxquery), once rdflib has parsed it (so
  a syntax error is rdflib's, as before), unless Oxigraph rejects the graph or the query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

from rdflib import BNode, Graph, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from nipa_kg.graph.oxquery import OxigraphCopy


class QueryGraph(Graph):
    """The Graph pyshacl validates (see the module docstring). It must not change once queried."""

    def __init__(self) -> None:
        super().__init__(bind_namespaces="core")
        self.prepared: dict[tuple[str, frozenset[str]], Query] = {}

    def query(  # rdflib's signature: pyshacl passes initBindings by position
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, object] | None = None,  # noqa: N803
        initBindings: Mapping[str, Node] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: object,
    ) -> Result:
        if isinstance(query_object, str):
            text, bound = query_object, frozenset(initBindings or ())
            if (text, bound) not in self.prepared:
                self.prepared[text, bound] = prepared = prepareQuery(text, initNs=dict(self.namespaces()))
                if bound:
                    reorder_patterns(prepared.algebra, {Variable(name) for name in bound})
            query_object = self.prepared[text, bound]
            if not bound and query_object.algebra.name == "SelectQuery" and self.oxigraph is not None:
                try:
                    return self.oxigraph.select(text, dict(self.namespaces()))
                except SyntaxError:  # rdflib accepts some syntax the standard does not
                    pass
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )

    @cached_property
    def oxigraph(self) -> OxigraphCopy | None:
        """A copy of the graph in Oxigraph, made when first needed; None if Oxigraph rejects a term."""
        try:
            return OxigraphCopy(self)
        except ValueError:
            return None


def reorder_patterns(node: object, bound: set[Variable]) -> None:
    """Put every basic graph pattern under `node` (a prepared query's algebra) in `join_order`, in place.
    rdflib keeps the translated pattern of a (NOT) EXISTS as an attribute of the expression, not an item."""
    if isinstance(node, CompValue):
        if node.name == "BGP":
            node["triples"] = join_order(node["triples"], bound)
        for child in (*node.values(), *vars(node).values()):
            reorder_patterns(child, bound)
    elif isinstance(node, list):
        for child in node:
            reorder_patterns(child, bound)


def join_order(triples: Iterable[tuple[Node, Node, Node]], bound: set[Variable]) -> list:
    """The triple patterns in the order rdflib should join them: next, always the one with the fewest unbound
    terms, then the most bound variables (one node each, where a constant such as a class may match many),
    then a bound subject, given the variables bound so far."""
    known, remaining, ordered = set(bound), list(triples), []
    while remaining:
        best = min(remaining, key=lambda t: join_cost(t, known))
        remaining.remove(best)
        ordered.append(best)
        known.update(term for term in best if is_variable(term))
    return ordered


def join_cost(triple: tuple[Node, Node, Node], known: set[Node]) -> tuple[int, int, bool]:
    unbound = [is_variable(term) and term not in known for term in triple]
    bound_variables = sum(is_variable(term) and term in known for term in triple)
    return sum(unbound), -bound_variables, unbound[0]


def is_variable(term: Node) -> bool:
    """A SPARQL variable, or a blank node in a pattern (which works as one)."""
    return isinstance(term, (Variable, BNode))
