"""The Graph Store HTTP Protocol, read side: indirect (?graph=, ?default) and direct (/graph/NAME)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.core.namespaces import GRAPH_NAMES

SIZES = dict(zip(GRAPH_NAMES, (6, 11, 2, 2, 2), strict=True))


def parsed(response) -> list[ox.Quad]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(ox.parse(response.get_data(), format=RDF_FORMATS.by_media_type(response.mimetype).oxigraph))


@pytest.mark.parametrize("name", GRAPH_NAMES)
def test_every_named_graph_directly_and_indirectly(client: FlaskClient, name: str) -> None:
    indirect = client.get("/rdf-graphs/service", query_string={"graph": f"{BASE}graph/{name}"})
    direct = client.get(f"/graph/{name}")
    assert indirect.mimetype == direct.mimetype == "text/turtle"
    assert indirect.get_data() == direct.get_data()
    assert len(parsed(direct)) == SIZES[name]
    assert "Accept" in direct.headers["Vary"]
    assert direct.headers["Access-Control-Allow-Origin"] == "*"


def test_the_default_graph_is_the_union(client: FlaskClient) -> None:
    assert len(parsed(client.get("/rdf-graphs/service?default"))) == 22


@pytest.mark.parametrize("fmt", RDF_FORMATS.rows, ids=lambda f: f.name)
def test_every_rdf_format(client: FlaskClient, fmt) -> None:
    response = client.get("/graph/data", headers={"Accept": fmt.media_type})
    assert response.mimetype == fmt.media_type
    quads = parsed(response)
    assert len(quads) == SIZES["data"]
    assert {quad.graph_name for quad in quads} == {ox.DefaultGraph()}
    assert client.get("/graph/data", query_string={"format": fmt.name}).mimetype == fmt.media_type


def test_head_has_the_headers_of_get(client: FlaskClient) -> None:
    got, head = client.get("/graph/ontology"), client.head("/graph/ontology")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "path", ["/graph/nothing", "/rdf-graphs/service?graph=http%3A%2F%2Fexample.org%2Fnothing"]
)
def test_an_unknown_graph_is_404(client: FlaskClient, method: str, path: str) -> None:
    assert client.open(path, method=method).status_code == 404


@pytest.mark.parametrize(
    "query", ["", "?default&graph=http://example.org/g", "?graph=http://a/&graph=http://b/"]
)
def test_name_exactly_one_graph(client: FlaskClient, query: str) -> None:
    response = client.get(f"/rdf-graphs/service{query}")
    assert response.status_code == 400
    assert "?graph=IRI or ?default" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/graph/data", "/rdf-graphs/service?default"])
def test_writes_are_405(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, data=b"<a> <b> <c> .", content_type="text/turtle")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "read-only" in response.get_data(as_text=True)
    assert len(parsed(client.get("/graph/data"))) == SIZES["data"]


def test_not_acceptable(client: FlaskClient) -> None:
    assert client.get("/graph/data", headers={"Accept": "application/sparql-results+json"}).status_code == 406


def test_graphs_follow_the_base(make_client) -> None:
    """Direct paths are relative to the configured base: the graph IRIs must be under it."""
    client = make_client(base="http://localhost:8000/kg/")
    assert client.get("/graph/data").status_code == 404  # the fixture's graphs are under the default base
