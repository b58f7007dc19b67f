"""`RemoteStore` against real stores and a fake one: endpoint discovery, Virtuoso's quirks read the way
the embedded store answers, row caps, timeouts, and the store's failures mapped to our errors (a syntax
error is 400 with the store's message; a store that is down or answers nonsense is 502, never a 500)."""

from __future__ import annotations

import io
import json
import time

import pytest
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.base import QueryTimeout, StoreUnavailable
from nipa_kg.server.store.client import Endpoints, StoreClient
from nipa_kg.server.store.quirks import Replacing
from nipa_kg.server.store.remote import RemoteStore, open_store
from tests.processes import free_port
from tests.server.store.external.external_stores import GRAPHS, Backend, FakeStore, Reply
from tests.server.store.running import run

DIVISIONS = (
    "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
    " SELECT ?division ?label { ?division a nipa:Division ; rdfs:label ?label } ORDER BY ?division ?label"
)
CROSS_PRODUCT = "SELECT * { ?a ?b ?c . ?d ?e ?f }"  # 48 million rows: streams past any short timeout
RESULTS_JSON = {"Content-Type": "application/sparql-results+json"}


def fake(store: FakeStore, reply: Reply, gsp: bool = False) -> RemoteStore:
    endpoints = Endpoints("SPARQL store", store.url + "/sparql", store.url + "/gsp" if gsp else None, None)
    store.answer = lambda request: reply
    return RemoteStore(endpoints, GRAPHS, StoreClient(), timeout=5)


def app_over(store: RemoteStore, **settings: float) -> FlaskClient:
    return create_app(Settings(**{"query_timeout": 5, **settings}), store).test_client()


def test_endpoints_follow_the_product(oxigraph_url: str, virtuoso_url: str) -> None:
    client = StoreClient()
    oxigraph = Endpoints.discover(client, oxigraph_url + "/")
    assert oxigraph == Endpoints(
        "Oxigraph",
        f"{oxigraph_url}/query",
        f"{oxigraph_url}/store",
        f"{oxigraph_url}/store",
        f"{oxigraph_url}/update",
    )
    virtuoso = Endpoints.discover(client, virtuoso_url)
    assert (virtuoso.product, virtuoso.query) == ("Virtuoso", f"{virtuoso_url}/sparql")
    assert virtuoso.graph_store == f"{virtuoso_url}/sparql-graph-crud"
    assert virtuoso.graph_store_writes == f"{virtuoso_url}/sparql-graph-crud-auth"
    assert virtuoso.update == f"{virtuoso_url}/sparql-auth"


def test_fuseki_and_other_stores(fake_store: FakeStore) -> None:
    fake_store.answer = lambda request: Reply(200, {"Server": "Apache Jena Fuseki (5.1.0)"})
    fuseki = Endpoints.discover(StoreClient(), fake_store.url + "/ds")
    ds = f"{fake_store.url}/ds"
    assert fuseki == Endpoints("Fuseki", f"{ds}/query", f"{ds}/data", f"{ds}/data", f"{ds}/update")
    fake_store.answer = lambda request: Reply(200)
    other = Endpoints.discover(StoreClient(), fake_store.url + "/repositories/nipa")
    assert other == Endpoints("SPARQL store", f"{fake_store.url}/repositories/nipa", None, None)
    given = Endpoints.discover(
        StoreClient(), "http://127.0.0.1:9/", "http://127.0.0.1:9/q", "http://127.0.0.1:9/g"
    )
    assert given == Endpoints(
        "SPARQL store", "http://127.0.0.1:9/q", "http://127.0.0.1:9/g", "http://127.0.0.1:9/g"
    )
    written = Endpoints.discover(
        StoreClient(),
        "http://127.0.0.1:9/",
        "http://127.0.0.1:9/q",
        "http://127.0.0.1:9/g",
        "http://127.0.0.1:9/u",
    )
    assert written.update == "http://127.0.0.1:9/u"


def test_results_in_tsv_have_their_question_marks_iris_and_languages(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend
) -> None:
    """Virtuoso's own TSV would lose all three; ours is written from its JSON."""
    tsv = clients[1].get("/sparql", query_string={"query": DIVISIONS, "format": "tsv"}).text.splitlines()
    assert tsv[0] == "?division\t?label"
    assert '<https://w3id.org/nipa-kg/id/division/sw-future>\t"SW Future Division"@en' in tsv


def test_blank_nodes_and_booleans_read_as_the_embedded_store_has_them(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend
) -> None:
    lists = "SELECT ?list { ?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?x } LIMIT 3"
    rows = clients[1].get("/sparql", query_string={"query": lists}).json["results"]["bindings"]
    assert len(rows) == 3 and {row["list"]["type"] for row in rows} == {"bnode"}
    booleans = "SELECT DISTINCT ?new { ?hub <https://w3id.org/nipa-kg/ontology#isNew> ?new }"
    rows = clients[1].get("/sparql", query_string={"query": booleans}).json["results"]["bindings"]
    assert {row["new"]["value"] for row in rows} == {"true"}  # Virtuoso writes "1"


def test_a_syntax_error_is_400_with_the_stores_message(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend
) -> None:
    response = clients[1].get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    # Oxigraph's server words its errors as pyoxigraph does: explained as ours are (`query.messages`)
    assert ("SP030" if backend.name == "virtuoso" else "this triple pattern is incomplete") in response.text
    assert "SPARQL query:" not in response.text  # Virtuoso's echo of the query is cut


def test_the_row_cap_cuts_the_stream(remote: RemoteStore, backend: Backend) -> None:
    result = run(remote, "SELECT * { ?s ?p ?o }", timeout=10, row_cap=5)
    assert result.truncated and len(result.document["results"]["bindings"]) == 5
    graph = run(remote, "CONSTRUCT WHERE { ?s ?p ?o }", timeout=10, row_cap=5)
    assert graph.truncated and len(graph.triples) == 5
    response = app_over(remote, row_cap=5).get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert response.headers["X-SPARQL-MaxRows"] == "5" and len(response.json["results"]["bindings"]) == 5


def test_a_query_past_its_timeout_is_503(remote: RemoteStore, backend: Backend) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run(remote, CROSS_PRODUCT, timeout=1, row_cap=10**9)
    assert time.monotonic() - started < 5
    assert run(remote, "ASK {}", timeout=5, row_cap=1).boolean is True  # the store is still there


def test_a_slow_store_is_a_timeout(fake_store: FakeStore) -> None:
    store = fake(fake_store, Reply(200, RESULTS_JSON, b'{"head":{},"boolean":true}', delay=2))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run(store, "ASK {}", timeout=0.5, row_cap=1)
    assert time.monotonic() - started < 1.5
    response = app_over(store, query_timeout=0.5).get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503 and "did not finish within 0.5 s" in response.text


def test_an_answer_that_trickles_in_is_abandoned_at_the_deadline(fake_store: FakeStore) -> None:
    """Regression: each byte came within the read timeout, so a 4 s answer held its thread for 4 s and
    came back whole past a 1 s deadline."""
    body = b'{"head":{},"boolean":true}'
    store = fake(fake_store, Reply(200, RESULTS_JSON, body, trickle=4 / len(body)))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run(store, "ASK {}", timeout=1, row_cap=1)
    assert time.monotonic() - started < 1.5


def test_a_store_down_is_502_everywhere() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    store = RemoteStore(
        Endpoints("Oxigraph", url + "/query", url + "/store", url + "/store"), GRAPHS, StoreClient()
    )
    client = app_over(store)
    for path in (
        "/sparql?query=ASK%7B%7D",
        "/sparql",
        "/graph/data",
        "/id/division/sw-future",
        "/dumps/nipa-kg.nq",
    ):
        response = client.get(path)
        assert response.status_code == 502, path
        assert (
            f"cannot reach the SPARQL store at {url}" in response.text
            and "Connection refused" in response.text
        )


def test_a_wrong_endpoint_is_502(oxigraph_url: str) -> None:
    settings = Settings(
        store=oxigraph_url, store_query=oxigraph_url + "/nowhere", store_gsp=oxigraph_url + "/store"
    )
    response = app_over(open_store(settings, GRAPHS)).get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 502
    assert f"the SPARQL store at {oxigraph_url}/nowhere answered 404 Not Found" in response.text


@pytest.mark.parametrize(
    "reply, status, message",
    [
        (
            Reply(200, {"Content-Type": "text/html"}, b"<html>a login page</html>"),
            502,
            "answered in a way we cannot read",
        ),
        (
            Reply(200, RESULTS_JSON, b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":'),
            502,
            "cannot read",
        ),
        (
            Reply(503, {"Content-Type": "text/plain"}, b"overloaded"),
            502,
            "answered 503 Service Unavailable: overloaded",
        ),
        (
            Reply(500, {"Content-Type": "text/plain"}, b"Error SR084: Division by 0.\n\nSPARQL query: ..."),
            500,
            "Division by 0.",
        ),
    ],
    ids=["html", "cut-json", "store-503", "store-500"],
)
def test_store_failures_are_mapped(fake_store: FakeStore, reply: Reply, status: int, message: str) -> None:
    response = app_over(fake(fake_store, reply)).get("/sparql", query_string={"query": "SELECT * {}"})
    assert response.status_code == status
    assert message in response.text and "SPARQL query:" not in response.text


def test_a_partial_answer_at_the_stores_time_limit_is_a_timeout(fake_store: FakeStore) -> None:
    headers = {**RESULTS_JSON, "X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}
    store = fake(fake_store, Reply(200, headers, b'{"head":{"vars":["n"]},"results":{"bindings":[]}}'))
    response = app_over(store).get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) {}"})
    assert response.status_code == 503 and "answered only part of it" in response.text


def test_the_stores_own_cap_marks_the_result_truncated(fake_store: FakeStore) -> None:
    body = json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "bnode", "value": "nodeID://b1"}}]}}
    )
    store = fake(fake_store, Reply(200, {**RESULTS_JSON, "X-SPARQL-MaxRows": "1"}, body.encode()))
    result = run(store, "SELECT ?x {}", timeout=5, row_cap=100)
    assert result.truncated
    assert result.document["results"]["bindings"] == [{"x": {"type": "bnode", "value": "b1"}}]


def test_graphs_are_read_with_construct_without_a_graph_store(fake_store: FakeStore) -> None:
    store = fake(
        fake_store, Reply(200, {"Content-Type": "application/n-triples"}, b"<urn:a> <urn:b> _:c .\n")
    )
    assert len(store.graph_triples(GRAPHS[0])) == 1
    method, path, headers = fake_store.requests[-1]
    assert (method, path, headers["Accept"]) == ("POST", "/sparql", "application/n-triples")


def test_queries_are_form_posts_with_our_dataset(fake_store: FakeStore) -> None:
    store = fake(fake_store, Reply(200, RESULTS_JSON, b'{"head":{},"boolean":true}'))
    run(store, "ASK {}", base_iri="http://example.org/sparql", timeout=5, row_cap=1)
    method, path, headers = fake_store.requests[-1]
    assert (method, path) == ("POST", "/sparql")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["Accept"] == "application/sparql-results+json"


def test_replacing_across_reads() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            piece, self.data = self.data[:3], self.data[3:]
            return piece

    text = b'{"type": "bnode", "value": "nodeID://b1"} "nodeID://kept" "bnode", "value": "nodeID://b2"'
    replaced = io.BufferedReader(
        Replacing(Trickle(text), b'"bnode", "value": "nodeID://', b'"bnode", "value": "')
    )
    assert replaced.read() == text.replace(b"nodeID://b", b"b")


def test_load_posts_and_basic_authentication(fake_store: FakeStore) -> None:
    def answer(request) -> Reply:
        if request.headers.get("Authorization") != "Basic dTpw":  # u:p
            return Reply(401, {"WWW-Authenticate": 'Basic realm="store"'})
        return Reply(204)

    endpoints = Endpoints("SPARQL store", fake_store.url + "/q", fake_store.url + "/g", fake_store.url + "/g")
    fake_store.answer = answer
    store = RemoteStore(endpoints, GRAPHS, StoreClient("u", "p"), timeout=5)
    store.load(b"<urn:a> <urn:b> <urn:c> .", RDF_FORMATS.by_name("nt"), "urn:g")
    assert [(m, p) for m, p, _ in fake_store.requests] == [("POST", "/g?graph=urn%3Ag")] * 2
    with pytest.raises(StoreUnavailable, match="give --user and --password"):
        RemoteStore(endpoints, GRAPHS, StoreClient("u", "wrong"), timeout=5).send_graph("PUT", "urn:g", [])
