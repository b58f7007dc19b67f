"""The graph pyshacl validates: a SELECT with nothing bound goes to an Oxigraph copy, and falls back to
rdflib, with the same answer, where Oxigraph refuses the graph or the query."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from nipa_kg.graph.querygraph import QueryGraph

EX = "https://example.org/"
EVERY_SUBJECT = f"SELECT DISTINCT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"


def graph_with(*objects: URIRef | Literal) -> QueryGraph:
    graph = QueryGraph()
    for index, value in enumerate(objects):
        graph.add((URIRef(f"{EX}s{index}"), URIRef(f"{EX}p"), value))
    return graph


def subjects(graph: QueryGraph, sparql: str = EVERY_SUBJECT) -> list[str]:
    return [str(row[0]) for row in graph.query(sparql)]


def test_an_unbound_select_is_answered_by_the_oxigraph_copy() -> None:
    graph = graph_with(Literal(1), URIRef(f"{EX}x"))
    assert subjects(graph) == [f"{EX}s0", f"{EX}s1"]
    assert graph.oxigraph is not None and len(graph.oxigraph.store) == 2


def test_a_term_oxigraph_rejects_leaves_the_query_to_rdflib() -> None:
    graph = graph_with(Literal(1), URIRef("relative/x"))  # rdflib keeps a relative IRI, Oxigraph does not
    assert graph.oxigraph is None
    assert subjects(graph) == [f"{EX}s0", f"{EX}s1"]


def test_syntax_only_rdflib_accepts_is_answered_by_rdflib() -> None:
    """SPARQL forbids BIND to a variable already in scope; rdflib allows it, Oxigraph refuses it."""
    graph = graph_with(Literal(1))
    lenient = f"SELECT ?s WHERE {{ ?s <{EX}p> ?o BIND(2 AS ?o) }}"
    assert graph.oxigraph is not None
    with pytest.raises(SyntaxError):
        graph.oxigraph.select(lenient, {})
    assert subjects(graph, lenient) == [f"{EX}s0"]
