"""OWL-RL reasoning: the triples the closure adds to ontology + data, less the reasoner's noise.

The closure comes from one of the engines in engines.py (reasonable by default, owlrl the reference); it is
full of triples nobody wants to publish. We keep an inferred triple only if no row of NOISE matches it. Each
row names, for subject / predicate / object, the kinds of term or the exact terms it matches (None matches
anything); `reflexive` rows match only when subject and object are the same term.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from enum import Enum, auto

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from nipa_kg.graph.engines import DEFAULT_ENGINE, closure
from nipa_kg.graph.inert import usable
from nipa_kg.graph.load import new_graph

BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))


class Kind(Enum):
    """What a term is, from our point of view."""

    OURS = auto()  # an IRI under the configured base: our ontology terms and instances
    BUILTIN = auto()  # an IRI in rdf:, rdfs:, owl: or xsd:
    ALIAS = auto()  # an external IRI that is owl:sameAs one of ours (a Wikidata item)
    EXTERNAL = auto()  # any other IRI (schema.org, ORG, ...)
    LITERAL = auto()
    BLANK = auto()


Match = frozenset[Kind | URIRef] | None


@dataclass(frozen=True)
class Noise:
    why: str
    subject: Match = None
    predicate: Match = None
    object: Match = None
    reflexive: bool = False


NOISE: tuple[Noise, ...] = (
    Noise(
        "facts about anything but our own resources: built-in axioms (xsd:string a rdfs:Datatype, "
        "owl:Thing a owl:Class), external vocabularies, typed-literal datatype assertions, owlrl's blank "
        "nodes (literal proxies, restrictions, error messages), and our facts copied onto sameAs aliases",
        subject=frozenset({Kind.BUILTIN, Kind.EXTERNAL, Kind.ALIAS, Kind.LITERAL, Kind.BLANK}),
    ),
    Noise(
        "reflexive axioms: X owl:sameAs X, C rdfs:subClassOf C, C owl:equivalentClass C, "
        "P rdfs:subPropertyOf P, P owl:equivalentProperty P",
        predicate=frozenset(
            {OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty}
        ),
        reflexive=True,
    ),
    Noise(
        "everything is an owl:Thing and an rdfs:Resource",
        predicate=frozenset({RDF.type, RDFS.subClassOf}),
        object=frozenset({OWL.Thing, RDFS.Resource}),
    ),
    Noise(
        "domains and ranges widened to superclasses and owl:Thing (rules scm-dom1, scm-rng1): they only "
        "restate the ontology's class tree",
        predicate=frozenset({RDFS.domain, RDFS.range}),
    ),
    Noise(
        "every property is a sub-property of the top properties",
        predicate=frozenset({RDFS.subPropertyOf}),
        object=frozenset({OWL.topObjectProperty, OWL.topDataProperty}),
    ),
    Noise(
        "owl:differentFrom between distinct names, and the owl:AllDifferent lists behind it",
        predicate=frozenset({OWL.differentFrom, OWL.distinctMembers, OWL.members}),
    ),
    Noise("x a owl:AllDifferent", predicate=frozenset({RDF.type}), object=frozenset({OWL.AllDifferent})),
    Noise(
        "our facts copied onto sameAs aliases as objects (x schema:parentOrganization wd:Q...)",
        object=frozenset({Kind.ALIAS}),
    ),
    Noise(
        "typed-literal datatype assertions", predicate=frozenset({RDF.type}), object=frozenset({Kind.LITERAL})
    ),
)


@dataclass(frozen=True)
class Inference:
    inferred: Graph
    inconsistencies: tuple[str, ...]  # one message each; empty when consistent


class Classifier:
    """Tells the Kind of a term: ours (under `base`), built-in, a sameAs alias of ours, ..."""

    def __init__(self, base: str, aliases: Set[Node]) -> None:
        self.base = base
        self.aliases = aliases
        self.kinds: dict[Node, Kind] = {}  # a closure names few terms many times

    def kind(self, term: Node) -> Kind:
        if (known := self.kinds.get(term)) is None:
            known = self.kinds[term] = self.new_kind(term)
        return known

    def new_kind(self, term: Node) -> Kind:
        if isinstance(term, Literal):
            return Kind.LITERAL
        if isinstance(term, BNode):
            return Kind.BLANK
        if term.startswith(self.base):
            return Kind.OURS
        if str(term).startswith(BUILTIN_NAMESPACES):  # rdflib terms take no tuple here
            return Kind.BUILTIN
        return Kind.ALIAS if term in self.aliases else Kind.EXTERNAL

    def matches(self, match: Match, term: Node) -> bool:
        return match is None or term in match or self.kind(term) in match

    def is_noise(self, triple: tuple[Node, Node, Node]) -> bool:
        s, p, o = triple
        return any(
            self.matches(rule.subject, s)
            and self.matches(rule.predicate, p)
            and self.matches(rule.object, o)
            and (not rule.reflexive or s == o)
            for rule in NOISE
        )


def same_as_aliases(graph: Graph, base: str) -> set[Node]:
    """IRIs outside `base` that `graph` states owl:sameAs a resource of ours, either way round."""
    ours = [(a, b) for a, b in graph.subject_objects(OWL.sameAs) if a.startswith(base) or b.startswith(base)]
    return {term for pair in ours for term in pair if isinstance(term, URIRef) and not term.startswith(base)}


def infer(ontology: Graph, data: Graph, base: str, engine: str = DEFAULT_ENGINE) -> Inference:
    """The OWL-RL closure of ontology + data by `engine` (engines.ENGINES), minus the input, minus NOISE.
    The reasoner sees only the triples it can use (inert.usable); the result is the same, sooner."""
    ill_typed = {t for t in (*ontology, *data) if isinstance(t[2], Literal) and t[2].ill_typed}
    # owlrl crashes on some ill-typed literals (an ill-typed xsd:decimal); we report them instead
    triples = {t for t in usable((ontology, data)) if t not in ill_typed}
    result = closure(triples, engine)
    classifier = Classifier(base, same_as_aliases(data, base))
    inferred = new_graph(base)
    for triple in set(result.triples) - triples:
        if not classifier.is_noise(triple) and triple not in ontology and triple not in data:
            inferred.add(triple)
    found = [f"{s} {p}: ill-typed literal '{o}'^^<{o.datatype}>" for s, p, o in sorted(ill_typed)]
    return Inference(inferred, (*found, *result.errors))
