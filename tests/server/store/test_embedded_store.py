"""The embedded pyoxigraph store: union default graph, datasets, row cap, timeout, results, loading."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.core.namespaces import GRAPH_NAMES
from nipa_kg.server.store.base import (
    GraphNotFound,
    GraphResult,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    SolutionsResult,
)
from nipa_kg.server.store.embedded import EmbeddedStore
from tests.server.store.running import run

FIXTURES = Path(__file__).parents[1] / "fixtures"
LIMITS = {"timeout": 10.0, "row_cap": 1000}


SLOW = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


def rows(result: SolutionsResult) -> list[dict]:
    return result.document["results"]["bindings"]


def test_named_graph_sizes_and_the_union(store: EmbeddedStore) -> None:
    assert store.named_graphs() == {
        f"{BASE}graph/{name}": size for name, size in zip(GRAPH_NAMES, (6, 11, 2, 2, 2), strict=True)
    }
    assert list(store.named_graphs()) == sorted(store.named_graphs())
    assert store.default_graph_size() == 22  # 23 quads, one triple in two graphs


def test_a_triple_in_two_graphs_is_one_solution(store: EmbeddedStore) -> None:
    query = "SELECT ?a { ?a a <https://w3id.org/nipa-kg/ontology#Agency> }"
    assert len(rows(run(store, query, **LIMITS))) == 1


def test_from_and_from_named_select_stored_graphs(store: EmbeddedStore) -> None:
    query = (
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{BASE}graph/shapes> "
        "{ GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    assert [(r["g"]["value"], r["n"]["value"]) for r in rows(run(store, query, **LIMITS))] == [
        (f"{BASE}graph/shapes", "2")
    ]
    query = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/data> {{ ?s ?p ?o }}"
    assert rows(run(store, query, **LIMITS))[0]["n"]["value"] == "11"


def test_protocol_graphs_replace_from(store: EmbeddedStore) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/data> {{ ?s ?p ?o }}"
    result = run(store, query, default_graph_uris=[f"{BASE}graph/metadata"], named_graph_uris=[], **LIMITS)
    assert rows(result)[0]["n"]["value"] == "2"


def test_row_cap(store: EmbeddedStore) -> None:
    capped = run(store, "SELECT * { ?s ?p ?o }", timeout=10, row_cap=3)
    assert len(rows(capped)) == 3 and capped.truncated
    exact = run(store, "SELECT * { ?s ?p ?o }", timeout=10, row_cap=22)
    assert len(rows(exact)) == 22 and not exact.truncated
    graph = run(store, "CONSTRUCT WHERE { ?s ?p ?o }", timeout=10, row_cap=4)
    assert isinstance(graph, GraphResult) and len(graph.triples) == 4 and graph.truncated


def test_row_cap_when_pyoxigraph_serialises() -> None:
    """Results are serialised by pyoxigraph and cut by counting rows in its output: a value holding the
    row separator only makes the count larger (the rows are then read one by one), and the cut is exact
    across its 8 KiB writes."""
    store = EmbeddedStore(workers=1)
    plain = " ".join(f'"row {i} {"x" * 50}"' for i in range(500))
    values = " ".join(f'"row {i} }},{{ \\n {"x" * 50}"' for i in range(500))
    for given, tail in ((plain, "x" * 50), (values, "},{ \n " + "x" * 50)):
        select = f"SELECT ?v {{ VALUES ?v {{ {given} }} }}"
        for cap, expected, truncated in ((499, 499, True), (500, 500, False), (600, 500, False)):
            result = run(store, select, timeout=10, row_cap=cap)
            assert isinstance(result, SolutionsResult)
            assert (len(rows(result)), result.truncated) == (expected, truncated)
            assert rows(result)[-1]["v"]["value"] == f"row {expected - 1} {tail}"
    construct = f"CONSTRUCT {{ <urn:s> <urn:p> ?v }} WHERE {{ VALUES ?v {{ {values} }} }}"
    for cap, expected, truncated in ((0, 0, True), (499, 499, True), (500, 500, False)):
        graph = run(store, construct, timeout=10, row_cap=cap)
        assert isinstance(graph, GraphResult) and (len(graph.triples), graph.truncated) == (
            expected,
            truncated,
        )
        body = graph.serialize(RDF_FORMATS.by_name("nt"))
        assert body.count(b"\n") == expected and set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) == {
            ox.Quad(t.subject, t.predicate, t.object) for t in graph.triples
        }
        assert (
            len(list(ox.parse(graph.serialize(RDF_FORMATS.by_name("ttl")), format=ox.RdfFormat.TURTLE)))
            == expected
        )


def test_timeout_stops_the_worker_too() -> None:
    store = EmbeddedStore(workers=1)
    store.load(FIXTURES / "dataset.trig", RDF_FORMATS.by_name("trig"))
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="did not finish within 0.3 s"):
        run(store, SLOW, timeout=0.3, row_cap=10**9)
    assert time.monotonic() - start < 1.0
    # the only worker reads one more solution, sees the deadline and stops: the next query gets it
    assert run(store, "ASK {}", timeout=0.5, row_cap=1).boolean is True


def test_errors(store: EmbeddedStore) -> None:
    with pytest.raises(QuerySyntaxError, match="error at 1:"):
        run(store, "SELECT * {", **LIMITS)
    with pytest.raises(QuerySyntaxError, match="invalid graph IRI"):
        run(store, "ASK {}", default_graph_uris=["not an iri"], **LIMITS)
    with pytest.raises(QueryEvaluationError, match="unbound"):
        run(store, "SELECT * { SERVICE ?unbound { ?s ?p ?o } }", **LIMITS)


def test_results_keep_every_kind_of_term(store: EmbeddedStore) -> None:
    query = """SELECT * {
        BIND(<http://example.org/a> AS ?iri) BIND(BNODE("b") AS ?bnode) BIND("plain" AS ?plain)
        BIND("ko"@ko AS ?lang) BIND(STRLANGDIR("ar", "ar", "rtl") AS ?dir) BIND(42 AS ?int)
        BIND(<<( <http://example.org/s> <http://example.org/p> "o" )>> AS ?triple) }"""
    result = run(store, query, **LIMITS)
    assert isinstance(result, SolutionsResult)
    for fmt in RESULTS_FORMATS:
        assert result.serialize(fmt)
    xml = result.serialize(RESULTS_FORMATS.by_name("xml"))
    (solution,) = ox.parse_query_results(xml, format=ox.QueryResultsFormat.XML)
    assert solution["iri"] == ox.NamedNode("http://example.org/a")
    assert isinstance(solution["bnode"], ox.BlankNode)
    assert solution["plain"] == ox.Literal("plain")
    assert solution["lang"] == ox.Literal("ko", language="ko")
    assert solution["dir"] == ox.Literal("ar", language="ar", direction=ox.BaseDirection.RTL)
    assert solution["int"] == ox.Literal(42)
    assert isinstance(solution["triple"], ox.Triple)


def test_ask_results(store: EmbeddedStore) -> None:
    assert run(store, "ASK { FILTER(false) }", **LIMITS).boolean is False
    assert run(store, "ASK {}", **LIMITS).boolean is True
    assert run(store, "SELECT * {}", **LIMITS).boolean is None


def test_serialize_graph(store: EmbeddedStore) -> None:
    turtle = RDF_FORMATS.by_name("ttl")
    shapes = store.serialize_graph(f"{BASE}graph/shapes", turtle)
    assert len(list(ox.parse(shapes, format=ox.RdfFormat.TURTLE))) == 2
    assert len(list(ox.parse(store.serialize_graph(None, turtle), format=ox.RdfFormat.TURTLE))) == 22
    trig = store.serialize_graph(f"{BASE}graph/shapes", RDF_FORMATS.by_name("trig"))
    assert {q.graph_name for q in ox.parse(trig, format=ox.RdfFormat.TRIG)} == {ox.DefaultGraph()}
    with pytest.raises(GraphNotFound):
        store.serialize_graph(f"{BASE}graph/nothing", turtle)


def test_load_triples_into_a_graph_and_the_default_graph() -> None:
    store = EmbeddedStore(workers=1)
    turtle = RDF_FORMATS.by_name("ttl")
    store.load(FIXTURES / "extra.ttl", turtle)
    assert store.named_graphs() == {} and store.default_graph_size() == 1
    store.load(
        b'<http://example.org/s> <http://example.org/p> "1" .', RDF_FORMATS.by_name("nt"), "http://g/1"
    )
    assert store.named_graphs() == {"http://g/1": 1}
    assert store.default_graph_size() == 2  # the default graph data plus the union
    with pytest.raises(SyntaxError):
        store.load(b"<http://example.org/s> <http://example.org/p>", turtle)
