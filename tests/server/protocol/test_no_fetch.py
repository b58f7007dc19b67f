"""The server never fetches what a query names: a local HTTP listener must receive nothing."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.store.base import QueryOptions
from nipa_kg.server.store.embedded import EmbeddedStore


class Listener:
    """A loopback HTTP server that records every request it gets (and answers 500)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_ANY(self) -> None:  # noqa: N802 - http.server's naming
                listener.requests.append(f"{self.command} {self.path}")
                self.send_response(500)
                self.end_headers()

            do_GET = do_POST = do_HEAD = do_ANY  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.server.shutdown()
    listener.server.server_close()


def test_the_listener_notices_a_request(listener: Listener) -> None:
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(listener.url + "probe", timeout=5)
    assert listener.requests == ["GET /probe"]


def test_pyoxigraph_alone_would_call_service(listener: Listener) -> None:
    """Why the endpoint must refuse SERVICE: pyoxigraph sends the request, even glued to a number."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal(1)))
    with pytest.raises(OSError):
        list(store.query(f"SELECT * {{ <http://a> <http://b> 1SERVICE <{listener.url}glued> {{}} }}"))
    assert listener.requests == ["POST /glued"]


SERVICE_QUERIES = [
    "SELECT * {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    "SELECT * {{ service silent <{url}sparql> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o . ?s ?p ?o.SERVICE <{url}sparql> {{ }} }}",
    "PREFIX : <{url}> SELECT * {{ ?s ?p ?o SERVICE:sparql {{ }} }}",
    "SELECT * {{ VALUES ?e {{ <{url}sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_is_refused_with_400(template: str, client: FlaskClient, listener: Listener) -> None:
    response = client.get("/sparql", query_string={"query": template.format(url=listener.url)})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "SERVICE is not allowed" in response.get_data(as_text=True)
    assert listener.requests == []


READS = [
    ("SELECT * FROM <{url}data.ttl> {{ ?s ?p ?o }}", {}),
    ("ASK FROM NAMED <{url}data.ttl> {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
    ("CONSTRUCT {{ ?s ?p ?o }} FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}", {}),
    ("DESCRIBE <{url}thing>", {}),
    ("SELECT * {{ ?s ?p ?o }}", {"default-graph-uri": "{url}data.ttl"}),
    ("SELECT * {{ GRAPH ?g {{ ?s ?p ?o }} }}", {"named-graph-uri": "{url}data.ttl"}),
]


@pytest.mark.parametrize(("template", "params"), READS)
def test_dataset_iris_are_not_fetched(
    template: str, params: dict[str, str], client: FlaskClient, listener: Listener
) -> None:
    query = {name: value.format(url=listener.url) for name, value in (params | {"query": template}).items()}
    response = client.get("/sparql", query_string=query)
    assert response.status_code == 200
    assert listener.requests == []


def test_load_is_refused_and_not_fetched(client: FlaskClient, listener: Listener) -> None:
    response = client.post("/sparql", data={"update": f"LOAD <{listener.url}data.ttl>"})
    assert response.status_code == 403
    response = client.post(
        "/sparql", data=f"LOAD <{listener.url}data.ttl>", content_type="application/sparql-update"
    )
    assert response.status_code == 403
    assert listener.requests == []


def test_store_queries_with_from_do_not_fetch(store: EmbeddedStore, listener: Listener) -> None:
    result = store.query(
        Lexed(f"SELECT * FROM <{listener.url}x> {{ ?s ?p ?o }}"), QueryOptions(timeout=5, row_cap=10)
    )
    assert result.document["results"]["bindings"] == []
    assert listener.requests == []
