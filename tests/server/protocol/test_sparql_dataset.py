"""The /sparql endpoint through the Flask test client, over the fixture dataset: the dataset a query sees,
HEAD, OPTIONS and CORS, and the service description."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.core.namespaces import GRAPH_NAMES
from tests.server.protocol.answers import AGENCY, ALL, BROWSER, MakeClient, ask, bindings, triples

# ---- the dataset -----------------------------------------------------------------------------------


def test_the_default_graph_is_the_union_without_duplicates(client: FlaskClient) -> None:
    """agency:nipa is typed in both the data and the inferred graph: one solution, not two."""
    assert len(bindings(client.get("/sparql", query_string={"query": AGENCY}))) == 1
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert bindings(client.get("/sparql", query_string={"query": count}))[0]["n"]["value"] == "22"


def test_from_selects_a_stored_graph(client: FlaskClient) -> None:
    query = f"SELECT * FROM <{BASE}graph/ontology> {{ ?s a ?o }}"
    assert len(bindings(client.get("/sparql", query_string={"query": query}))) == 2


def test_protocol_graphs_replace_the_querys_dataset(client: FlaskClient) -> None:
    query = f"ASK FROM <{BASE}graph/ontology> {{ ?s a <http://www.w3.org/ns/shacl#NodeShape> }}"
    assert not ask(client, query)
    assert ask(client, query, **{"default-graph-uri": f"{BASE}graph/shapes"})


def test_named_graph_uri_alone_leaves_the_default_graph_empty(client: FlaskClient) -> None:
    params = {"named-graph-uri": f"{BASE}graph/shapes"}
    assert not ask(client, "ASK { ?s ?p ?o }", **params)
    assert ask(client, "ASK { GRAPH ?g { ?s ?p ?o } }", **params)
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query, **params})
    assert bindings(response) == [{"g": {"type": "uri", "value": f"{BASE}graph/shapes"}}]


def test_every_named_graph_is_queryable(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    graphs = {row["g"]["value"] for row in bindings(client.get("/sparql", query_string={"query": query}))}
    assert graphs == {f"{BASE}graph/{name}" for name in GRAPH_NAMES}


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}", "format": "nt"}
    )
    assert [triple.subject.value for triple in triples(response)] == ["http://localhost/s"]


# ---- where rdflib's engine gets it wrong ------------------------------------------------------------


def test_ask_filter_false_is_false(client: FlaskClient) -> None:
    assert ask(client, "ASK { FILTER(false) }") is False


def test_an_empty_select_has_no_bindings(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?s { ?s <http://example.org/none> ?o }"})
    assert bindings(response) == []
    assert response.get_json()["head"]["vars"] == ["s"]


def test_construct_where_with_limit(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"})
    assert len(triples(response)) == 1


# ---- HEAD, OPTIONS, CORS ---------------------------------------------------------------------------


def test_head_has_the_headers_of_get_and_no_body(client: FlaskClient) -> None:
    for params in ({"query": ALL, "format": "csv"}, {}):
        got, head = client.get("/sparql", query_string=params), client.head("/sparql", query_string=params)
        assert head.status_code == got.status_code == 200
        assert head.get_data() == b""
        assert head.headers["Content-Type"] == got.headers["Content-Type"]
        assert head.headers["Content-Length"] == got.headers["Content-Length"]


def test_options_answers_allow_and_the_cors_preflight(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"
    assert response.headers["Access-Control-Max-Age"] == "86400"


def test_cors_headers_are_on_every_response(client: FlaskClient) -> None:
    for response in (
        client.get("/sparql"),
        client.get("/sparql", query_string={"query": ALL}),
        client.get("/sparql", query_string={"query": "nonsense"}),
        client.put("/sparql"),
        client.get("/nowhere"),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_with_listed_origins(make_client: MakeClient) -> None:
    client = make_client(cors_origins=("https://a.example", "https://b.example"))
    allowed = client.get("/sparql", query_string={"query": ALL}, headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/sparql", query_string={"query": ALL}, headers={"Origin": "https://c.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert other.status_code == 200


# ---- the service description -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
    ],
)
def test_service_description_formats(client: FlaskClient, accept: str | None, media_type: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert any(t.object == ox.NamedNode("http://localhost/sparql") for t in triples(response))


def test_service_description_counts_every_graph(client: FlaskClient) -> None:
    query = """PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
               PREFIX void: <http://rdfs.org/ns/void#>
               SELECT ?name ?n { ?d sd:namedGraph [ sd:name ?name ; sd:graph [ void:triples ?n ] ] }"""
    store = ox.Store()
    store.load(
        client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(), format=ox.RdfFormat.TURTLE
    )
    counts = {row["name"].value: int(row["n"].value) for row in store.query(query)}
    assert counts == {f"{BASE}graph/{name}": n for name, n in zip(GRAPH_NAMES, (6, 11, 2, 2, 2), strict=True)}
    default = query.split("SELECT")[0] + "SELECT ?n { ?d sd:defaultGraph [ void:triples ?n ] }"
    assert [int(row["n"].value) for row in store.query(default)] == [22]


def test_a_browser_gets_the_query_page(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    assert 'id="query-text" name="query"' in response.get_data(as_text=True)  # the site's query page


def test_the_results_are_what_pyoxigraph_writes(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT ?b { ?s <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?b }"},
    )
    (row,) = bindings(response)
    assert row["b"]["type"] == "bnode"
    document = json.loads(client.get("/sparql", query_string={"query": "ASK {}"}).get_data())
    assert document == {"head": {}, "boolean": True}
