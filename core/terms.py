"""The one converter between RDF terms as pyoxigraph, rdflib and SPARQL 1.1 Query Results JSON have them,
and their short renderings for people.

pyoxigraph is what the store and the server work in, rdflib what the build works in; SPARQL JSON is how
results travel (from the store to the site, from a remote store, in the validation report).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from nipa_kg.core.namespaces import XSD, namespaces_for, used

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
XSD_STRING = str(XSD.string)


class Terms:
    """Converts rdflib terms to pyoxigraph terms, each once (a graph names few terms many times), and
    remembers which of ours each one stands for. Raises ValueError on a term Oxigraph rejects (an IRI
    rdflib let through)."""

    def __init__(self) -> None:
        self.known: dict[Node, OxTerm] = {DATASET_DEFAULT_GRAPH_ID: ox.DefaultGraph()}

    def __call__(self, term: Node) -> OxTerm:
        if (found := self.known.get(term)) is None:
            found = self.known[term] = to_oxigraph(term)
        return found

    def statement(self, row: tuple[Node, ...]) -> ox.Triple | ox.Quad:
        """A triple, or a quad from a (subject, predicate, object, graph name) row."""
        return (ox.Quad if len(row) == 4 else ox.Triple)(*(self(term) for term in row))

    def ours(self) -> dict[OxTerm, Node]:
        """pyoxigraph term → the rdflib term it was made from."""
        return {converted: term for term, converted in self.known.items()}


def to_oxigraph(term: Node) -> OxTerm:
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(term.datatype) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    if isinstance(term, BNode):
        return ox.BlankNode()  # a fresh id: rdflib's need not be valid in N-Triples
    return ox.NamedNode(term)


def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    """A term Oxigraph made (not one of ours: see Terms.ours), as rdflib writes it."""
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.NamedNode), f"no rdflib term for {term}"
    return URIRef(term.value)


def term_json(term: Term) -> dict[str, object]:
    """A term as SPARQL 1.1 (1.2 for triple terms and directions) Query Results JSON."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: term_json(part) for name, part in parts.items()}}
    value: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
        if term.direction:
            value["its:dir"] = term.direction.value
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def rdflib_term_json(term: Node) -> dict[str, object]:
    """An rdflib term as SPARQL JSON (a blank node keeps its rdflib label)."""
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    converted = to_oxigraph(term)
    assert not isinstance(converted, ox.DefaultGraph)
    return term_json(converted)


def solution_json(names: Sequence[str], row: Sequence[Term | None]) -> str:
    """One solution as a SPARQL JSON binding object, serialised."""
    terms = {name: term_json(term) for name, term in zip(names, row, strict=True) if term is not None}
    return json.dumps(terms, ensure_ascii=False, separators=(",", ":"))


def term_from_json(value: Mapping[str, object]) -> Term:
    """A term of a SPARQL 1.1 Query Results JSON document as a pyoxigraph term."""
    text = value["value"]
    if value["type"] == "triple":
        assert isinstance(text, Mapping)
        parts = [term_from_json(text[name]) for name in ("subject", "predicate", "object")]
        return ox.Triple(*parts)  # type: ignore[arg-type]
    text = str(text)
    if value["type"] == "uri":
        return ox.NamedNode(text)
    if value["type"] == "bnode":
        return ox.BlankNode(text)
    if "xml:lang" in value:
        return ox.Literal(text, language=str(value["xml:lang"]))
    datatype = value.get("datatype")
    return ox.Literal(text, datatype=ox.NamedNode(str(datatype))) if datatype else ox.Literal(text)


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """`prefix:rest` with the longest matching namespace, else `<iri>`. For display only: the rest may hold
    characters (such as `/` in `id:agency/nipa`) that Turtle and SPARQL would need escaped."""
    matches = [(len(ns), prefix) for prefix, ns in prefixes.items() if iri.startswith(ns) and iri != ns]
    if not matches:
        return f"<{iri}>"
    length, prefix = max(matches)
    return f"{prefix}:{iri[length:]}"


def display(term: Node, prefixes: Mapping[str, str]) -> str:
    """A term as a person reads it: compact IRIs, literals as their text (with @lang or ^^datatype)."""
    if isinstance(term, URIRef):
        return compact(term, prefixes)
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language}'
        if term.datatype and str(term.datatype) != XSD_STRING:
            return f'"{term}"^^{compact(term.datatype, prefixes)}'
        return f'"{term}"'
    return term.n3()


def iris_of(statements: Iterable[ox.Triple | ox.Quad]) -> Iterator[str]:
    """Every IRI pyoxigraph may write with a prefix: the named nodes of `statements` and the datatypes of
    their literals (for `namespaces.used`)."""
    for statement in statements:
        for term in statement:
            if isinstance(term, ox.NamedNode):
                yield term.value
            elif isinstance(term, ox.Literal) and term.language is None:
                yield term.datatype.value


def prefixes_for(statements: Sequence[ox.Triple | ox.Quad], base: str) -> dict[str, str]:
    """Our prefixes (under `base`) that abbreviate some IRI of `statements`: what Turtle and TriG declare."""
    return used(namespaces_for(base), iris_of(statements))
