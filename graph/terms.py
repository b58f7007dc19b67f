"""Short, readable renderings of RDF terms for people (reports, query tables) and SPARQL-JSON for machines."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node


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
        if term.datatype and term.datatype != XSD.string:
            return f'"{term}"^^{compact(term.datatype, prefixes)}'
        return f'"{term}"'
    return term.n3()


def sparql_json(term: Node) -> dict[str, str]:
    """A term in the SPARQL 1.1 JSON results encoding."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    encoded = {"type": "literal", "value": str(term)}
    if term.language:
        encoded["xml:lang"] = term.language
    elif term.datatype:
        encoded["datatype"] = str(term.datatype)
    return encoded
