"""How the site reads the store: SPARQL through the server's query service, with answers as pyoxigraph terms.

Every page reads the store through a `Reader` (no page keeps data of its own), so what the pages show is
what a SPARQL client gets. The site's own queries run under the configured timeout but without the row cap
of client queries: a dump or a description is not truncated.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from nipa_kg.core.namespaces import graph_iri, namespaces_for
from nipa_kg.core.terms import term_from_json
from nipa_kg.server.protocol.context import services
from nipa_kg.server.query.service import QueryService
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.base import GraphResult, QueryOptions, SolutionsResult

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Solution = dict[str, Term]

NO_CAP = sys.maxsize


def iri_list(iris: Iterable[str]) -> str:
    """IRIs as a list of SPARQL terms (for `VALUES` and `IN`); pyoxigraph refuses any invalid IRI."""
    return " ".join(str(ox.NamedNode(iri)) for iri in sorted(set(iris)))


@dataclass(frozen=True)
class Reader:
    queries: QueryService
    settings: Settings

    @property
    def base(self) -> str:
        return self.settings.base

    def graph(self, name: str) -> str:
        """The IRI of a named graph: `ontology`, `data`, `inferred`, `shapes` or `metadata`."""
        return graph_iri(self.base, name)

    def prologue(self) -> str:
        """`PREFIX` declarations of all our prefixes (`nipa:`, `id:` under the configured base)."""
        return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in namespaces_for(self.base).items())

    def term(self, prefix: str, name: str) -> str:
        """The IRI of `prefix:name` (`nipa:hasDivision` under the configured base)."""
        return namespaces_for(self.base)[prefix] + name

    def select(self, sparql: str) -> list[Solution]:
        result = self._query(sparql)
        assert isinstance(result, SolutionsResult), "expected a SELECT query"
        bindings = result.document["results"]["bindings"]  # type: ignore[index]
        return [{name: term_from_json(value) for name, value in row.items()} for row in bindings]

    def ask(self, sparql: str) -> bool:
        result = self._query(sparql)
        assert isinstance(result, SolutionsResult) and result.boolean is not None, "expected an ASK query"
        return result.boolean

    def construct(self, sparql: str) -> Sequence[ox.Triple]:
        result = self._query(sparql)
        assert isinstance(result, GraphResult), "expected a CONSTRUCT query"
        return result.triples

    def _query(self, sparql: str) -> SolutionsResult | GraphResult:
        options = QueryOptions(timeout=self.settings.query_timeout, row_cap=NO_CAP)
        return self.queries.query(self.prologue() + sparql, options)


class Index:
    """Triples read from the store, looked up by subject: subject → predicate IRI → objects."""

    def __init__(self) -> None:
        self.subjects: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))

    @classmethod
    def of_graph(cls, reader: Reader, name: str) -> Index:
        """Every triple of one named graph."""
        index = cls()
        graph = iri_list([reader.graph(name)])
        for row in reader.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"):
            index.add(row["s"], row["p"].value, row["o"])
        return index

    def add(self, subject: Term, predicate: str, obj: Term) -> None:
        if obj not in self.subjects[subject][predicate]:
            self.subjects[subject][predicate].append(obj)

    def objects(self, subject: Term | str, predicate: str) -> list[Term]:
        key = ox.NamedNode(subject) if isinstance(subject, str) else subject
        return self.subjects[key].get(predicate, []) if key in self.subjects else []

    def iris(self, subject: Term | str, predicate: str) -> list[str]:
        return [o.value for o in self.objects(subject, predicate) if isinstance(o, ox.NamedNode)]

    def literals(self, subject: Term | str, predicate: str) -> list[ox.Literal]:
        return [o for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]

    def literal(self, subject: Term | str, predicate: str) -> str | None:
        return next((o.value for o in self.literals(subject, predicate)), None)

    def having(self, predicate: str, obj: Term) -> list[Term]:
        """The subjects with `obj` among their values of `predicate`."""
        return [s for s, props in self.subjects.items() if obj in props.get(predicate, ())]


def reader() -> Reader:
    """The reader of the app handling the current request."""
    return Reader(services().queries, services().settings)
