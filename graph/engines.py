"""The OWL 2 RL engines behind reason.infer: owlrl, the reference, and reasonable, a reasoner in Rust.

Both take the triples a reasoner may use (inert.usable, less ill-typed literals) and return their closure and
owlrl's inconsistency messages. reasonable is 20 to 50 times faster (bench/README.md, "Build"); on an input
it fits (`reasonable_literals`), its closure equals owlrl's once reason.NOISE has filtered both
(tests/graph/test_reasoner_equivalence.py: the NIPA graph, generated data, the shapes' broken fixtures,
every construct in SUPPORTED).
Where reasonable differs from owlrl, and what we do about it:

- it lacks the schema rules scm-eqc1, scm-eqc2, scm-spo, scm-eqp1 and scm-eqp2 (owlrl finds
  `nipa:hasDivision rdfs:subPropertyOf org:hasSubOrganization` through org:hasUnit; reasonable does not):
  `schema_rules` adds what they infer before reasoning, and again after, until nothing is new;
- it returns a plain literal as `^^xsd:string` and lower-cases language tags: we map its literals back to
  ours, and an input with two literals it cannot tell apart ("x" and "x"^^xsd:string) goes to owlrl;
- it implements only part of OWL 2 RL (no owl:propertyChainAxiom, owl:hasKey, cardinalities, datatype
  restrictions, ...) and keeps its inconsistency findings (owl:disjointWith, owl:Nothing, ...) to itself: an
  input that uses an rdf:, rdfs: or owl: term outside SUPPORTED goes to owlrl;
- it panics on IRIs, blank node ids and language tags that oxrdf rejects: an input with one goes to owlrl;
- the one inconsistency owlrl finds in an input that fits, a literal whose lexical form its datatype rejects
  (rule dt-not-type), we find with owlrl's own check and message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import owlrl
import pyoxigraph
import reasonable
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

ENGINES = ("reasonable", "owlrl")
DEFAULT_ENGINE = "reasonable"

# Where owlrl puts inconsistency messages (its choice of vocabulary).
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL))
# The built-in terms an input may use and still get reasonable: what the nipa-kg ontology and data use, and
# what the equivalence test checks beyond them (owl:equivalentProperty, owl:Thing, rdfs:Resource).
SUPPORTED = frozenset(
    {
        RDF.type,
        RDF.Property,
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        RDFS.Class,
        RDFS.Literal,
        RDFS.Resource,
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.Class,
        OWL.Thing,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        OWL.Ontology,
        OWL.versionIRI,
        OWL.versionInfo,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.sameAs,
    }
)
# The schema relations whose scm-* rules reasonable lacks: each sub-relation's equivalence, and the
# sub-relation each of them is part of.
EQUIVALENCE = {RDFS.subClassOf: OWL.equivalentClass, RDFS.subPropertyOf: OWL.equivalentProperty}
SUB_RELATION = {**{sub: sub for sub in EQUIVALENCE}, **{eq: sub for sub, eq in EQUIVALENCE.items()}}


@dataclass(frozen=True)
class Closure:
    triples: Iterable[Triple]  # the input and everything inferred from it
    errors: tuple[str, ...]  # owlrl's inconsistency messages, sorted


def closure(triples: Collection[Triple], engine: str) -> Closure:
    """The OWL 2 RL closure of `triples` by `engine` (one of ENGINES); reasonable falls back on owlrl for an
    input it does not fit."""
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoner {engine!r}; known: {', '.join(ENGINES)}")
    if engine == "reasonable" and (literals := reasonable_literals(triples)) is not None:
        return reasonable_closure(triples, literals)
    return owlrl_closure(triples)


def owlrl_closure(triples: Iterable[Triple]) -> Closure:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = {
        str(message)
        for error in graph.subjects(RDF.type, OWLRL_ERRORS.ErrorMessage)
        for message in graph.objects(error, OWLRL_ERRORS.error)
    }
    return Closure(graph, tuple(sorted(errors)))


def reasonable_closure(triples: Collection[Triple], literals: dict[Literal, Literal]) -> Closure:
    """reasonable's closure, completed by `schema_rules`, in our literals (`literals` maps reasonable's)."""
    reasoner = reasonable.PyReasoner()
    found = set(triples)
    new = found | schema_rules(found)  # the schema first: then one round is usually enough
    while new:
        reasoner.from_graph(new)
        found = {(s, p, literals.get(o, o)) for s, p, o in reasoner.reason()}
        new = schema_rules(found) - found
    return Closure(found, datatype_errors(triples))


def schema_rules(triples: Iterable[Triple]) -> set[Triple]:
    """What owlrl's scm-sco, scm-eqc1, scm-eqc2, scm-spo, scm-eqp1 and scm-eqp2 infer from `triples`, less
    the reflexive triples (reason.NOISE): the sub-relation is the transitive closure of itself and both
    directions of the equivalence, and two terms that reach each other are equivalent."""
    edges: dict[Node, dict[Node, set[Node]]] = {sub: defaultdict(set) for sub in EQUIVALENCE}
    for s, p, o in triples:
        if (sub := SUB_RELATION.get(p)) is not None:
            edges[sub][s].add(o)
            if p != sub:  # an equivalence goes both ways
                edges[sub][o].add(s)
    found = set()
    for sub, equivalent in EQUIVALENCE.items():
        reach = {start: reachable(edges[sub], start) for start in list(edges[sub])}
        for start, ends in reach.items():
            for end in ends - {start}:
                found.add((start, sub, end))
                if start in reach.get(end, ()):
                    found.add((start, equivalent, end))
    return found


def reachable(edges: dict[Node, set[Node]], start: Node) -> set[Node]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def reasonable_literals(triples: Iterable[Triple]) -> dict[Literal, Literal] | None:
    """If reasonable fits `triples` (see the module docstring), the map from the literals it will return to
    ours; else None."""
    terms = {term for triple in triples for term in triple}
    if any(not fits(term) for term in terms):
        return None
    literals = {as_reasonable(term): term for term in terms if isinstance(term, Literal)}
    if len(literals) < sum(isinstance(term, Literal) for term in terms):
        return None  # two of ours are one of reasonable's
    return literals


def fits(term: Node) -> bool:
    """Whether reasonable takes `term` and treats it as owlrl does."""
    if isinstance(term, URIRef):
        builtin = str(term).startswith(BUILTIN_NAMESPACES)  # str: URIRef.startswith takes no tuple
        return (term in SUPPORTED or not builtin) and oxrdf_accepts(pyoxigraph.NamedNode, term)
    if isinstance(term, BNode):
        return oxrdf_accepts(pyoxigraph.BlankNode, term)
    if isinstance(term, Literal) and term.language:
        return oxrdf_accepts(lambda tag: pyoxigraph.Literal("", language=tag), term.language)
    return isinstance(term, Literal) and oxrdf_accepts(pyoxigraph.NamedNode, term.datatype or XSD.string)


def oxrdf_accepts(make: Callable[[str], object], text: str) -> bool:
    """Whether `make` (pyoxigraph, which validates terms as reasonable's oxrdf does) accepts `text`."""
    try:
        make(str(text))
    except ValueError:
        return False
    return True


def as_reasonable(literal: Literal) -> Literal:
    """The literal as reasonable returns it: a plain one as ^^xsd:string, a language tag in lower case."""
    if literal.language:
        return Literal(str(literal), lang=literal.language.lower())
    return Literal(str(literal), datatype=literal.datatype or XSD.string)


def datatype_errors(triples: Iterable[Triple]) -> tuple[str, ...]:
    """owlrl's rule dt-not-type, with owlrl's datatype checks and message."""
    literals = {o for _, _, o in triples if isinstance(o, Literal) and o.datatype in OWL_RL_Datatypes}
    return tuple(
        sorted(
            f"Lexical value of the literal '{literal}' does not match its datatype ({literal.datatype})"
            for literal in literals
            if not lexical_fits(literal)
        )
    )


def lexical_fits(literal: Literal) -> bool:
    try:
        AltXSDToPYTHON.get(literal.datatype, str)(str(literal))
    except ValueError:
        return False
    return True
