"""Which asserted triples OWL-RL reasoning cannot use, so the reasoner need not see them (a speed-up).

owlrl applies every rule to every triple on every pass, so its time grows with the input. Most of our
triples are labels, definitions and descriptions that no rule can use. An OWL 2 RL rule reads a triple
`s P o` of an arbitrary property P only when an axiom names P (prp-dom, prp-rng, prp-spo1, prp-inv1,
prp-fp, cls-hv2, cls-svf1, prp-key, ... all need P as the subject or object of a property axiom, a list
member or a restriction's owl:onProperty), when s or o take part in owl:sameAs (eq-rep-s/o), or when o is a
typed literal (the datatype checks dt-type2, dt-not-type). The remaining rule, eq-ref, only yields
reflexive owl:sameAs, which reason.NOISE drops. So a triple outside those cases adds nothing to the
published inferences, and we leave it out of the reasoner's input.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

# P is named by an axiom when it is the subject of one of these predicates ...
PROPERTY_AXIOMS = frozenset(
    {
        RDFS.domain,
        RDFS.range,
        RDFS.subPropertyOf,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.propertyChainAxiom,
        OWL.propertyDisjointWith,
        OWL.sameAs,
    }
)
# ... typed with one of these characteristics ...
PROPERTY_CHARACTERISTICS = frozenset(
    {
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.TransitiveProperty,
        OWL.IrreflexiveProperty,
        OWL.ReflexiveProperty,
    }
)
# ... or the object of one of these (rdf:first: members of chains, keys and disjoint-property lists).
PROPERTY_REFERENCES = frozenset(
    {
        OWL.onProperty,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.propertyDisjointWith,
        OWL.sameAs,
        OWL.assertionProperty,
        RDF.first,
    }
)
# Built-in predicates the rules themselves are written in are always needed, except these annotations.
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL))
BUILTIN_ANNOTATIONS = frozenset({RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo})
UNCHECKED_DATATYPES = frozenset({None, XSD.string, RDF.langString})


def named_properties(graph: Graph) -> set[Node]:
    named = {s for s, p, _ in graph if p in PROPERTY_AXIOMS}
    named |= {o for _, p, o in graph if p in PROPERTY_REFERENCES}
    named |= {s for s, _, o in graph.triples((None, RDF.type, None)) if o in PROPERTY_CHARACTERISTICS}
    return named


def same_as_terms(graph: Graph) -> set[Node]:
    return {term for pair in graph.subject_objects(OWL.sameAs) for term in pair}


def usable(graphs: Iterable[Graph]) -> Iterable[Triple]:
    """The triples of `graphs` that OWL-RL rules can use (see the module docstring)."""
    graphs = list(graphs)
    named = set().union(*(named_properties(g) for g in graphs))
    equal = set().union(*(same_as_terms(g) for g in graphs))
    for graph in graphs:
        for triple in graph:
            s, p, o = triple
            if (
                p in named
                or (
                    str(p).startswith(BUILTIN_NAMESPACES) and p not in BUILTIN_ANNOTATIONS
                )  # str: see reason.py
                or s in equal
                or o in equal
                or (isinstance(o, Literal) and o.datatype not in UNCHECKED_DATATYPES)
            ):
                yield triple
