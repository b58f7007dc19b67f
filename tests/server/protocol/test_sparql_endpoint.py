"""The /sparql endpoint through the Flask test client, over the fixture dataset."""

from __future__ import annotations

import csv
import io
import threading
import time

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from tests.server.protocol.answers import AGENCY, ALL, BROWSER, SLOW, MakeClient, ask, bindings, triples

# ---- the three ways to send a query ------------------------------------------------------------------


def test_get_form_post_and_direct_post_agree(client: FlaskClient) -> None:
    by_get = bindings(client.get("/sparql", query_string={"query": AGENCY}))
    by_form = bindings(client.post("/sparql", data={"query": AGENCY}))
    by_body = bindings(client.post("/sparql", data=AGENCY, content_type="application/sparql-query"))
    assert by_get == by_form == by_body == [{"a": {"type": "uri", "value": f"{BASE}id/agency/nipa"}}]


def test_a_direct_post_may_declare_utf8(client: FlaskClient) -> None:
    response = client.post("/sparql", data=AGENCY, content_type="application/sparql-query; charset=UTF-8")
    assert len(bindings(response)) == 1


def test_form_parameters_may_come_in_the_url(client: FlaskClient) -> None:
    response = client.post(
        f"/sparql?default-graph-uri={BASE}graph/ontology", data={"query": "SELECT * { ?s a ?o }"}
    )
    assert {row["s"]["value"] for row in bindings(response)} == {
        f"{BASE}ontology#Agency",
        f"{BASE}ontology#BudgetAmount",
    }


# ---- result formats and negotiation --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RESULTS_FORMATS.rows, ids=lambda f: f.name)
def test_select_in_each_results_format(client: FlaskClient, fmt) -> None:
    for response in (
        client.get("/sparql", query_string={"query": ALL}, headers={"Accept": fmt.media_type}),
        client.get("/sparql", query_string={"query": ALL, "format": fmt.name}),
    ):
        assert response.status_code == 200
        assert response.mimetype == fmt.media_type
        if fmt.name == "csv":  # lossy: pyoxigraph does not read it back
            assert len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) == 1 + 22
        else:
            assert len(list(ox.parse_query_results(response.get_data(), format=fmt.oxigraph))) == 22


@pytest.mark.parametrize("fmt", RESULTS_FORMATS.rows, ids=lambda f: f.name)
def test_ask_in_each_results_format(client: FlaskClient, fmt) -> None:
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": fmt.name})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    if fmt.name == "csv":
        assert response.get_data() == b"true"
    else:
        assert bool(ox.parse_query_results(response.get_data(), format=fmt.oxigraph)) is True


@pytest.mark.parametrize("fmt", RDF_FORMATS.rows, ids=lambda f: f.name)
def test_construct_in_each_rdf_format(client: FlaskClient, fmt) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type})
    assert response.mimetype == fmt.media_type
    assert len(triples(response)) == 22
    if fmt.named_graphs:  # TriG and N-Quads: the result is the default graph
        quads = ox.parse(response.get_data(), format=fmt.oxigraph)
        assert {quad.graph_name for quad in quads} == {ox.DefaultGraph()}


def test_describe(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": f"DESCRIBE <{BASE}id/agency/nipa>", "format": "nt"}
    )
    assert response.mimetype == "application/n-triples"
    assert len(triples(response)) == 3


def test_korean_text_survives_every_results_format(client: FlaskClient) -> None:
    query = 'SELECT ?l { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = "ko") }'
    for fmt in RESULTS_FORMATS:
        body = client.get("/sparql", query_string={"query": query, "format": fmt.name}).get_data(as_text=True)
        assert "정보통신산업진흥원" in body and "기관" in body


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("text/*;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        (
            BROWSER,
            "application/sparql-results+json",
        ),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    ],
)
def test_accept_with_q_values_and_wildcards(client: FlaskClient, accept: str | None, media_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": ALL}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]


def test_the_format_parameter_wins_over_accept(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": ALL, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert response.mimetype == "text/tab-separated-values"
    construct = {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}
    for name, media_type in (
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
    ):
        assert client.get("/sparql", query_string=construct | {"format": name}).mimetype == media_type


def test_format_values_naming_nothing_are_ignored(client: FlaskClient) -> None:
    """SPARQLWrapper sends format=turtle&format=application/rdf+xml style pairs meant for other servers."""
    query = {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}
    response = client.get("/sparql", query_string=query | {"format": ["rdf+xml", "application/rdf+xml"]})
    assert response.mimetype == "application/rdf+xml"
    response = client.get(
        "/sparql", query_string=query | {"format": "turtle"}, headers={"Accept": "text/turtle"}
    )
    assert response.mimetype == "text/turtle"


@pytest.mark.parametrize(
    ("query", "params", "headers"),
    [
        (ALL, {}, {"Accept": "text/turtle"}),
        (ALL, {"format": "ttl"}, {}),
        ("CONSTRUCT WHERE { ?s ?p ?o }", {"format": "csv"}, {}),
        ("CONSTRUCT WHERE { ?s ?p ?o }", {}, {"Accept": "application/sparql-results+json, text/csv"}),
        (ALL, {}, {"Accept": "image/png, */*;q=0"}),
    ],
)
def test_nothing_acceptable_is_406(client: FlaskClient, query: str, params: dict, headers: dict) -> None:
    response = client.get("/sparql", query_string={"query": query, **params}, headers=headers)
    assert response.status_code == 406
    assert response.mimetype == "text/plain"
    assert "available:" in response.get_data(as_text=True)


# ---- status codes ----------------------------------------------------------------------------------


def test_a_syntax_error_is_400_with_its_line_column_caret_and_what_was_expected(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT *\nWHERE {\n  ?s ?p ?o\n  LIMT 5 }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).splitlines() == [
        '400 Bad Request: SPARQL syntax error at line 4, column 3: unexpected "LIMT"',
        "    LIMT 5 }",
        "    ^",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT is SPARQL Update, not a query"),
        ("SELECT * { ?s foo:p ?o }", 'column 15: the prefix "foo:" is not declared'),
        ("  # nothing\n", "400 Bad Request: the query is empty"),
    ],
)
def test_what_is_wrong_with_a_query_is_said(client: FlaskClient, query: str, message: str) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "expected CONSTRUCT" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "kwargs", "message"),
    [
        ("post", {"data": {"default-graph-uri": "http://x/"}}, "no query"),
        ("get", {"query_string": {"query": ["ASK {}", "ASK {}"]}}, "one query, not 2"),
        ("post", {"data": {"query": "ASK {}"}, "query_string": {"query": "ASK {}"}}, "one query, not 2"),
        (
            "post",
            {
                "data": "ASK {}",
                "content_type": "application/sparql-query",
                "query_string": {"query": "ASK {}"},
            },
            "given twice",
        ),
        ("get", {"query_string": {"query": "ASK {}", "update": "CLEAR ALL"}}, "not both"),
        ("post", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, "not both"),
        (
            "get",
            {"query_string": {"query": "ASK {}", "default-graph-uri": "not an IRI"}},
            "invalid graph IRI",
        ),
        ("post", {"data": b"ASK {} \xff", "content_type": "application/sparql-query"}, "not valid UTF-8"),
    ],
)
def test_bad_requests_are_400(client: FlaskClient, method: str, kwargs: dict, message: str) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": "CLEAR ALL", "content_type": "application/sparql-update"},
    ],
)
def test_updates_are_refused_with_403(client: FlaskClient, kwargs: dict) -> None:
    response = client.open("/sparql", **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert ask(client, "ASK { ?s ?p ?o }")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client: FlaskClient, method: str) -> None:
    response = client.open("/sparql", method=method, query_string={"query": "ASK {}"})
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/json", "application/sparql-query; charset=UTF-16", None],
)
def test_unsupported_post_bodies_are_415(client: FlaskClient, content_type: str | None) -> None:
    response = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert response.status_code == 415


def test_oversized_queries_are_413(make_client: MakeClient) -> None:
    client = make_client(max_query_bytes=100)
    query = "ASK { " + "?s ?p ?o . " * 10 + "}"
    assert client.get("/sparql", query_string={"query": query}).status_code == 413
    assert client.post("/sparql", data={"query": query}).status_code == 413
    assert client.post("/sparql", data=query, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data="x" * 401, content_type="application/sparql-query").status_code == 413
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_a_query_past_the_timeout_is_503_while_others_are_served(
    make_client: MakeClient,
) -> None:
    client = make_client(query_timeout=1.0)
    slow: dict[str, object] = {}

    def run_slow() -> None:
        start = time.monotonic()
        slow["response"] = client.get("/sparql", query_string={"query": SLOW})
        slow["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    assert ask(client, "ASK { ?s ?p ?o }")
    assert time.monotonic() - start < 0.7  # not behind the slow one, which runs on after its 503
    thread.join()
    assert slow["response"].status_code == 503
    assert "did not finish within 1 s" in slow["response"].get_data(as_text=True)
    assert 1.0 <= slow["seconds"] < 2.0


# ---- row cap ---------------------------------------------------------------------------------------


def test_results_past_the_row_cap_are_truncated_with_a_header(
    make_client: MakeClient,
) -> None:
    client = make_client(row_cap=5)
    response = client.get("/sparql", query_string={"query": ALL})
    assert len(bindings(response)) == 5
    assert response.headers["X-SPARQL-MaxRows"] == "5"
    assert "X-SPARQL-MaxRows" in response.headers["Access-Control-Expose-Headers"]
    response = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert len(triples(response)) == 5
    assert response.headers["X-SPARQL-MaxRows"] == "5"


def test_results_within_the_row_cap_have_no_header(make_client: MakeClient) -> None:
    response = make_client(row_cap=22).get("/sparql", query_string={"query": ALL})
    assert len(bindings(response)) == 22
    assert "X-SPARQL-MaxRows" not in response.headers
