"""rdflib terms as pyoxigraph terms and back, for the jobs Oxigraph does faster than rdflib (oxwrite,
oxquery)."""

from __future__ import annotations

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

OxTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.DefaultGraph


class Terms:
    """Converts rdflib terms to pyoxigraph terms, each once (a graph names few terms many times), and
    remembers which of ours each one stands for. Raises ValueError on a term Oxigraph rejects (an IRI
    rdflib let through)."""

    def __init__(self) -> None:
        self.known: dict[Node, OxTerm] = {DATASET_DEFAULT_GRAPH_ID: pyoxigraph.DefaultGraph()}

    def __call__(self, term: Node) -> OxTerm:
        if (found := self.known.get(term)) is None:
            found = self.known[term] = to_oxigraph(term)
        return found

    def statement(self, row: tuple[Node, ...]) -> pyoxigraph.Triple | pyoxigraph.Quad:
        """A triple, or a quad from a (subject, predicate, object, graph name) row."""
        return (pyoxigraph.Quad if len(row) == 4 else pyoxigraph.Triple)(*(self(term) for term in row))

    def ours(self) -> dict[OxTerm, Node]:
        """pyoxigraph term → the rdflib term it was made from."""
        return {converted: term for term, converted in self.known.items()}


def to_oxigraph(term: Node) -> OxTerm:
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = pyoxigraph.NamedNode(term.datatype) if term.datatype else None
        return pyoxigraph.Literal(str(term), datatype=datatype)
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode()  # a fresh id: rdflib's need not be valid in N-Triples
    return pyoxigraph.NamedNode(term)


def to_rdflib(term: OxTerm) -> Node:
    """A term Oxigraph made (not one of ours: see Terms.ours), as rdflib writes it."""
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    return URIRef(term.value)
