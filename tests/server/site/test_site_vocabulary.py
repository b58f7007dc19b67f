"""`/ontology` and `/shapes`: HTML documentation from their named graphs, and the graphs as RDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.graph.export import serialize
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

ONTOLOGY = BASE + "ontology#"


def test_ontology_page_documents_classes_and_properties(get):
    doc = get("/ontology?lang=en").doc
    assert doc.find("h1").text == "Test ontology"
    division = doc.find("section", id="Division")
    assert "A standing unit inside an agency." in division.text
    assert division.find("p", lang="ko").text == "기관 안의 상설 조직."
    axioms = division.find("dl", class_="axioms")
    assert axioms.find("a", href="http://www.w3.org/ns/org#OrganizationalUnit")
    has_division = doc.find("section", id="hasDivision")
    facts = {
        dt.text: dd.text
        for dt, dd in zip(has_division.find_all("dt"), has_division.find_all("dd"), strict=True)
    }
    assert facts["Inverse of"].startswith("division of")
    assert facts["Domain"].startswith("Agency") and facts["Range"].startswith("Division")
    assert doc.find("section", id="paragraphNumber")  # a datatype property


def test_ontology_page_lists_code_lists_with_members(get):
    doc = get("/ontology").doc
    code_lists = doc.find("section", id="code_lists")
    member = code_lists.find("section", id="MissingFigure")
    assert "missing-figure" in member.text and "A figure the article does not give." in member.text


def test_ontology_terms_link_to_their_anchor(get):
    doc = get("/ontology").doc
    link = doc.find("section", id="hasDivision").find("a", href="/ontology#Agency")
    assert link.text == "Agency"


@pytest.mark.parametrize(
    ("ext", "media_type", "parser"),
    [("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld")],
)
def test_ontology_as_rdf(client, mini_store, ext, media_type, parser):
    for response in (client.get(f"/ontology.{ext}"), client.get("/ontology", headers={"Accept": media_type})):
        assert response.status_code == 200 and response.mimetype == media_type
        graph = Graph().parse(data=response.data, format=parser)
        assert len(graph) == mini_store.named_graphs()[BASE + "graph/ontology"]
        assert (URIRef(ONTOLOGY + "Division"), None, None) in graph


def test_ontology_negotiation_headers(client):
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Location"] == "/ontology.ttl"
    assert "Accept" in response.headers["Vary"]


def test_ontology_version_iri_redirects(client):
    response = client.get("/ontology/0.0.1")
    assert response.status_code == 303 and response.headers["Location"].endswith("/ontology")


def test_shapes_page_lists_shapes_with_messages(get):
    doc = get("/shapes").doc
    shape = doc.find("section", id="DivisionShape")
    row = shape.find("tr", id="DivisionShape-hasBudget")
    assert "nipa:hasBudget" in row.text and "sh:maxCount" in row.text
    assert row.find("p", lang="en").text == "A division has at most one nipa:hasBudget."
    assert row.find("p", lang="ko").text == "본부의 nipa:hasBudget은 하나 이하다."


def test_shapes_as_turtle(client, mini_store):
    response = client.get("/shapes.ttl")
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(graph) == mini_store.named_graphs()[BASE + "graph/shapes"]


def test_unknown_document_extension_is_404(client):
    assert client.get("/ontology.pdf").status_code == 404


def test_the_ontology_page_shows_the_model_diagram(client, get):
    figure = get("/ontology").doc.find("figure", class_="model-diagram")
    image = figure.find("img")
    assert image.attrs["src"] == "/ontology/model.svg" and "Diagram" in image.attrs["alt"]
    response = client.get("/ontology/model.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and "Division" in svg and "본부" in svg
    assert "href" not in svg and "url(http" not in svg and "@import" not in svg  # nothing fetched


def test_the_served_diagram_is_the_one_in_the_docs(built):
    """Drawn from the ontology graph as the store serves it, the diagram is docs/model.svg."""
    store = EmbeddedStore(workers=2)
    nquads = RDF_FORMATS.by_name("nq")
    store.load(serialize(built.dataset, nquads, BASE), nquads)
    client = create_app(Settings(base=BASE), store).test_client()
    docs = Path(__file__).resolve().parents[3] / "docs" / "model.svg"
    assert client.get("/ontology/model.svg").get_data(as_text=True) == docs.read_text(encoding="utf-8")
