"""The app over a real external store (Oxigraph server, Virtuoso) answers as it does over the embedded store:
the canned queries (as result sets), the service description, the graph store, resource pages and dumps."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.server.store.external.external_stores import (
    GRAPHS,
    JSON,
    QUERIES,
    VIRTUOSO_DEPARTS,
    Backend,
    canonical,
)

N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"


def solutions(response: TestResponse) -> tuple[list[str], list[tuple[str, ...]]] | bool:
    """A SELECT answer as its variables and its rows as a sorted list (a multiset), or an ASK answer."""
    assert response.status_code == 200, response.text
    results = ox.parse_query_results(response.data, format=ox.QueryResultsFormat.JSON)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    names = [variable.value for variable in results.variables]
    rows = [
        tuple("_:" if isinstance(t, ox.BlankNode) else str(t) if t else "" for t in row) for row in results
    ]
    return names, sorted(rows)


def both(clients: tuple[FlaskClient, FlaskClient], path: str, **options: object) -> tuple[TestResponse, ...]:
    return tuple(client.get(path, **options) for client in clients)


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_canned_queries_give_the_same_results(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend, path: Path, request: pytest.FixtureRequest
) -> None:
    if backend.name == "virtuoso" and path.stem in VIRTUOSO_DEPARTS:
        request.applymarker(pytest.mark.xfail(reason=VIRTUOSO_DEPARTS[path.stem], strict=True))
    answers = both(clients, "/sparql", query_string={"query": path.read_text()}, headers={"Accept": JSON})
    embedded, remote = (solutions(answer) for answer in answers)
    assert embedded == remote
    assert embedded[1], "a canned query with no answer compares nothing"


@pytest.mark.parametrize(
    "query",
    [
        "ASK { ?s a <https://w3id.org/nipa-kg/ontology#Agency> }",
        "ASK { ?s a <https://w3id.org/nipa-kg/ontology#Nothing> }",
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
        "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS[1]}> {{ ?s ?p ?o }}",
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{GRAPHS[3]}> {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
        "SELECT ?x { BIND(<relative> AS ?x) }",
    ],
    ids=["ask-true", "ask-false", "union-size", "graph-sizes", "from", "from-named", "base-iri"],
)
def test_dataset_semantics_are_the_same(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend, query: str
) -> None:
    """Default graph = union of our graphs (not Virtuoso's system graphs, not Oxigraph's empty default
    graph); FROM and FROM NAMED as written; relative IRIs against our endpoint's URL."""
    embedded, remote = (solutions(a) for a in both(clients, "/sparql", query_string={"query": query}))
    assert embedded == remote


def test_protocol_datasets_are_the_same(clients: tuple[FlaskClient, FlaskClient], backend: Backend) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g"
    for dataset in (
        {"default-graph-uri": GRAPHS[1]},
        {"named-graph-uri": GRAPHS[2]},
        {"default-graph-uri": GRAPHS[1], "named-graph-uri": [GRAPHS[0], GRAPHS[4]]},
    ):
        embedded, remote = (
            solutions(a) for a in both(clients, "/sparql", query_string={"query": query, **dataset})
        )
        assert embedded == remote, dataset


def test_construct_and_describe_are_the_same(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend
) -> None:
    construct = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/nipa-kg/ontology#Division> ; ?p ?o }"
    for query in (construct, "CONSTRUCT WHERE { ?s a ?type }"):
        embedded, remote = both(
            clients, "/sparql", query_string={"query": query}, headers={"Accept": N_TRIPLES}
        )
        assert remote.status_code == 200, remote.text
        assert canonical(embedded.data, N_TRIPLES) == canonical(remote.data, N_TRIPLES)


def test_service_description_is_the_same(clients: tuple[FlaskClient, FlaskClient], backend: Backend) -> None:
    embedded, remote = both(clients, "/sparql", headers={"Accept": N_TRIPLES})
    assert remote.status_code == 200
    assert canonical(embedded.data, N_TRIPLES) == canonical(remote.data, N_TRIPLES)


@pytest.mark.parametrize("path", ["/graph/data", "/graph/shapes", "/rdf-graphs/service?default"])
def test_graph_store_answers_are_the_same(
    clients: tuple[FlaskClient, FlaskClient], backend: Backend, path: str
) -> None:
    embedded, remote = both(clients, path, headers={"Accept": N_TRIPLES})
    assert remote.status_code == 200, remote.text
    assert canonical(embedded.data, N_TRIPLES) == canonical(remote.data, N_TRIPLES)
    assert both(clients, "/graph/nothing")[1].status_code == 404


def test_resource_pages_are_the_same(clients: tuple[FlaskClient, FlaskClient], backend: Backend) -> None:
    html = both(clients, "/id/division/sw-future")
    assert [page.status_code for page in html] == [200, 200]
    assert html[1].mimetype == "text/html" and "SW" in html[1].text
    embedded, remote = both(clients, "/id/division/sw-future.ttl")
    assert remote.status_code == 200
    assert canonical(embedded.data, "text/turtle") == canonical(remote.data, "text/turtle")
    assert len(canonical(remote.data, "text/turtle")) > 10


@pytest.mark.parametrize("path", ["/", "/ontology", "/shapes", "/query", "/dumps/", "/id/goal/3"])
def test_pages_render(clients: tuple[FlaskClient, FlaskClient], backend: Backend, path: str) -> None:
    assert [page.status_code for page in both(clients, path)] == [200, 200]


def test_dump_is_the_same_dataset(clients: tuple[FlaskClient, FlaskClient], backend: Backend) -> None:
    embedded, remote = both(clients, "/dumps/nipa-kg.nq")
    assert remote.status_code == 200
    quads = canonical(remote.data, N_QUADS)
    assert canonical(embedded.data, N_QUADS) == quads
    assert {quad.graph_name.value for quad in quads} == set(GRAPHS)
