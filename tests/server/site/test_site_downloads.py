"""Dumps of the whole dataset, VoID and the JSON-LD context."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE


def test_dumps_page_lists_every_format(get):
    doc = get("/dumps/").doc
    hrefs = [a.attrs["href"] for a in doc.find("table", class_="dumps").find_all("a")]
    assert hrefs == [f"/dumps/nipa-kg.{f.extension}" for f in RDF_FORMATS]


@pytest.mark.parametrize("fmt", list(RDF_FORMATS), ids=lambda f: f.name)
def test_dumps_hold_the_whole_dataset(client, mini_store, fmt):
    response = client.get(f"/dumps/nipa-kg.{fmt.extension}")
    assert response.status_code == 200 and response.mimetype == fmt.media_type
    assert "attachment" in response.headers["Content-Disposition"]
    sizes = mini_store.named_graphs()
    if fmt.named_graphs:
        dataset = Dataset()
        dataset.parse(data=response.data, format=fmt.rdflib)
        found = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
        assert found == dict(sizes)
    else:
        graph = Graph().parse(data=response.data, format=fmt.rdflib)
        assert len(graph) == mini_store.default_graph_size()


def test_unknown_dump_is_404(client):
    assert client.get("/dumps/nipa-kg.zip").status_code == 404


def test_void_is_the_metadata_graph_in_turtle_by_default(client, mini_store):
    response = client.get("/.well-known/void")
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(graph) == mini_store.named_graphs()[BASE + "graph/metadata"]
    assert (URIRef(BASE + "id/dataset/nipa-kg"), None, None) in graph


def test_void_by_content_negotiation(client):
    response = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) > 0


def test_context_is_the_published_jsonld_context(client):
    response = client.get("/context.jsonld")
    assert response.mimetype == "application/ld+json"
    context = json.loads(response.data)["@context"]
    assert context["nipa"] == BASE + "ontology#"


def test_void_sends_a_browser_to_the_dataset_page(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"] == "/id/dataset/nipa-kg"
