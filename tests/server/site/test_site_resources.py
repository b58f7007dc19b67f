"""Resource pages (`/id/...`): HTML in the chosen language, notes beside their property, provenance, links,
and the RDF of a resource by extension and by content negotiation."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from nipa_kg.core.namespaces import DEFAULT_BASE as BASE

GAMMA = URIRef(BASE + "id/division/gamma")
ALPHA = URIRef(BASE + "id/division/alpha")
NIPA = "https://w3id.org/nipa-kg/ontology#"
FORMATS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
RDFLIB = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


def row_of(page, property_iri):
    """The statements-table row whose property links to `property_iri` (ours link to /ontology#...)."""
    for row in page.doc.find("table", id="statements").find_all("tr"):
        heads = row.find_all("th", scope="row")
        if heads and any(a.attrs.get("href", "").endswith(property_iri) for a in heads[0].find_all("a")):
            return row
    raise AssertionError(f"no row for {property_iri}")


def test_page_in_english_by_accept_language(get):
    page = get("/id/division/alpha", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.doc.find("html").attrs["lang"] == "en"
    assert page.doc.find("h1").text == "Alpha Division"
    assert page.doc.find("p", class_="subtitle").attrs["lang"] == "ko"
    assert "Accept-Language" in page.response.headers["Vary"]


def test_page_in_korean_by_accept_language(get):
    page = get("/id/division/alpha", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert page.doc.find("html").attrs["lang"] == "ko"
    assert page.doc.find("h1").text == "알파본부"
    assert page.doc.find("a", class_="skip-link").text == "본문으로 건너뛰기"


def test_lang_switch_sets_a_cookie_that_later_pages_follow(client, get):
    page = get("/id/division/alpha?lang=ko", headers={"Accept-Language": "en"})
    assert page.doc.find("h1").text == "알파본부"
    assert "lang=ko" in page.response.headers["Set-Cookie"]
    later = get("/id/division/beta", headers={"Accept-Language": "en"})  # the client keeps the cookie
    assert later.doc.find("h1").text == "베타본부"


def test_language_switch_links_keep_the_page(get):
    page = get("/id/division/alpha")
    switch = page.doc.find("nav", class_="lang-switch")
    hrefs = {a.attrs["lang"]: a.attrs["href"] for a in switch.find_all("a")}
    assert hrefs == {"ko": "/id/division/alpha?lang=ko", "en": "/id/division/alpha?lang=en"}


def test_note_is_placed_next_to_the_property_it_affects(get):
    page = get("/id/division/gamma")
    row = row_of(page, "ontology#hasBudget")
    note = row.find("aside", class_="quality-note")
    assert "The article gives no budget for the Gamma Division." in note.text
    assert "Missing figure" in note.text
    assert row.find("p", class_="not-given").text == "Not given in the source"
    assert any(a.attrs["href"] == "/id/source/zdnet-2025-02-06/p4" for a in note.find_all("a"))


def test_linked_values_show_labels_and_local_links(get):
    page = get("/id/division/alpha")
    row = row_of(page, "ontology#administers")
    link = row.find("a", href="/id/program/p1")
    assert link.text == "Test programme"


def test_provenance_shows_article_publisher_date_and_numbered_paragraphs(get):
    aside = get("/id/division/alpha").doc.find("aside", class_="provenance")
    assert "ZDNet Korea report" in aside.text and "ZDNet Korea" in aside.text
    assert aside.find("time").attrs["datetime"] == "2025-02-06"
    paragraph = aside.find("ol", class_="paragraphs").find("li")
    assert "¶4" in paragraph.text and paragraph.find("a").attrs["href"] == "/id/source/zdnet-2025-02-06/p4"


def test_same_as_links_out_to_wikidata(get):
    page = get("/id/place/seoul")
    same_as = page.doc.find("p", class_="same-as").find("a")
    assert same_as.attrs["href"] == "http://www.wikidata.org/entity/Q8684"
    assert same_as.text == "Wikidata Q8684"
    assert "external" in same_as.attrs["class"]


def test_incoming_links_and_inferred_statements(get):
    page = get("/id/division/alpha")
    incoming = page.doc.find("table", id="incoming")
    assert incoming.find("a", href="/id/agency/nipa").text == "National IT Industry Promotion Agency"
    inferred = page.doc.find("table", id="inferred")
    assert inferred.find("a", href="/id/agency/nipa")


def test_unknown_iri_is_an_html_404(get):
    page = get("/id/division/nowhere", status=404)
    assert BASE + "id/division/nowhere" in page.doc.find("main").text


@pytest.mark.parametrize(
    "path", ["/id/%00", "/id/%ff%fe", "/id/a%20b", "/id/%3Cx%3E", "/id/x%7By", "/id/%00.ttl"]
)
def test_paths_that_cannot_form_an_iri_are_404(client, path):
    """Regression: an invalid IRI code point reached pyoxigraph, and the page answered 500."""
    assert client.get(path).status_code == 404


def test_unknown_extension_of_a_known_resource_is_404(client):
    assert client.get("/id/division/alpha.docx").status_code == 404


@pytest.mark.parametrize("ext", FORMATS)
def test_extension_urls_serve_the_description(client, ext):
    response = client.get(f"/id/division/alpha.{ext}")
    assert response.status_code == 200
    assert response.mimetype == FORMATS[ext]
    assert "Content-Location" not in response.headers  # the URL names the document already
    graph = Graph().parse(data=response.data, format=RDFLIB[ext])
    assert (ALPHA, RDFS.label, Literal("Alpha Division", lang="en")) in graph
    assert (
        URIRef(BASE + "id/program/p1"),
        RDFS.label,
        Literal("Test programme", lang="en"),
    ) in graph  # object label
    assert (URIRef(BASE + "id/agency/nipa"), URIRef(NIPA + "hasDivision"), ALPHA) in graph  # incoming
    assert (ALPHA, URIRef(NIPA + "divisionOf"), URIRef(BASE + "id/agency/nipa")) in graph  # inferred


@pytest.mark.parametrize("ext", FORMATS)
def test_content_negotiation_serves_the_same_document(client, ext):
    response = client.get("/id/division/alpha", headers={"Accept": FORMATS[ext]})
    assert response.status_code == 200
    assert response.mimetype == FORMATS[ext]
    assert response.headers["Content-Location"] == f"/id/division/alpha.{ext}"
    assert "Accept" in response.headers["Vary"]
    assert response.data == client.get(f"/id/division/alpha.{ext}").data


def test_html_is_what_browsers_and_star_get(client):
    for accept in ("text/html,application/xhtml+xml,*/*;q=0.8", "*/*"):
        response = client.get("/id/division/alpha", headers={"Accept": accept})
        assert response.mimetype == "text/html"
        assert response.headers["Content-Location"] == "/id/division/alpha.html"
    assert client.get("/id/division/alpha.html").mimetype == "text/html"


def test_link_header_lists_the_alternates(client):
    link = client.get("/id/division/alpha").headers["Link"]
    assert '</id/division/alpha.ttl>; rel="alternate"; type="text/turtle"' in link


def test_unacceptable_accept_is_406(client):
    assert client.get("/id/division/alpha", headers={"Accept": "image/png"}).status_code == 406


def test_blank_node_objects_are_described(client):
    graph = Graph().parse(data=client.get("/id/dataset/nipa-kg.ttl").data, format="turtle")
    partitions = list(
        graph.objects(URIRef(BASE + "id/dataset/nipa-kg"), URIRef("http://rdfs.org/ns/void#classPartition"))
    )
    assert len(partitions) == 1
    assert (partitions[0], URIRef("http://rdfs.org/ns/void#entities"), None) in graph


def test_another_base_serves_its_own_iris(tmp_path, mini_trig, client_for, page_getter):
    """With `--base`, the IRIs under that base resolve here and link here; the canned queries follow."""
    other = "http://data.example.org/kg/"
    rebased = tmp_path / "rebased.trig"
    rebased.write_text(mini_trig.read_text(encoding="utf-8").replace(BASE, other), encoding="utf-8")
    client = client_for(rebased, other)
    doc = page_getter(client)("/id/division/alpha").doc
    assert doc.find("h1").text == "Alpha Division"
    assert doc.find("a", href="/id/program/p1")
    assert doc.find("a", href="/ontology#administers")
    query_page = client.get("/query", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert other + "ontology#" in query_page and BASE + "ontology#" not in query_page


def test_an_unknown_address_is_the_site_page_for_a_browser_and_plain_text_otherwise(client) -> None:
    """Regression: every path outside the site's routes answered text/plain, also to browsers."""
    browser = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 404 and browser.mimetype == "text/html"
    assert "/no/such/page" in browser.text and 'href="/query"' in browser.text
    for accept in ("*/*", "text/turtle"):
        plain = client.get("/no/such/page", headers={"Accept": accept})
        assert plain.status_code == 404 and plain.mimetype == "text/plain"
        assert "Accept" in plain.headers["Vary"] and "Accept" in browser.headers["Vary"]
