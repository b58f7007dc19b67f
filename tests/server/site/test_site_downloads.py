"""Dumps of the whole dataset, VoID and the JSON-LD context."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from tests.server.site.conftest import parse_html


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


def dump_rows(doc) -> dict[str, tuple[int, int]]:
    """File name → (bytes, statements) as the dumps page gives them (the `data` values)."""
    rows = {}
    for row in doc.find("table", class_="dumps").find("tbody").find_all("tr"):
        size, count = (int(d.attrs["value"]) for d in row.find_all("data"))
        rows[row.find("a").attrs["href"]] = (size, count)
    return rows


def test_dumps_page_gives_each_file_s_size_and_statement_count(client, get):
    doc = get("/dumps/").doc
    rows = dump_rows(doc)
    assert len(rows) == len(RDF_FORMATS)
    for fmt in RDF_FORMATS:
        href = f"/dumps/nipa-kg.{fmt.extension}"
        body = client.get(href).data
        size, count = rows[href]
        assert size == len(body), fmt.name
        if fmt.named_graphs:
            dataset = Dataset()
            dataset.parse(data=body, format=fmt.rdflib)
            assert count == sum(len(g) for g in dataset.graphs()), fmt.name
        else:
            assert count == len(Graph().parse(data=body, format=fmt.rdflib)), fmt.name
    head = [th.text for th in doc.find("table", class_="dumps").find("thead").find_all("th")]
    assert head[-2:] == ["Size", "Statements"]
    korean = get("/dumps/?lang=ko").doc.find("table", class_="dumps").find("tbody").find("tr")
    assert korean.find_all("td")[-1].text.endswith("트리플")


def test_dump_sizes_follow_the_data(tmp_path, client_for, mini_trig):
    client = client_for(mini_trig, BASE)
    before = dump_rows(parse_page(client.get("/dumps/", headers={"Accept": "text/html"})))
    store = client.application.extensions["nipa_kg"].store
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"<{BASE}id/x> <{BASE}ontology#y> 1 .\n")
    store.load(extra, RDF_FORMATS.by_extension(extra), f"{BASE}graph/data")
    after = dump_rows(parse_page(client.get("/dumps/", headers={"Accept": "text/html"})))
    assert after["/dumps/nipa-kg.nq"][1] == before["/dumps/nipa-kg.nq"][1] + 1
    assert after["/dumps/nipa-kg.nt"][0] > before["/dumps/nipa-kg.nt"][0]


def parse_page(response):
    assert response.status_code == 200
    return parse_html(response.get_data(as_text=True))
