"""The query page at `/query` and at `/sparql` for browsers, with and without JavaScript."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from nipa_kg.server.site.canned import canned_queries


def test_sparql_for_a_browser_is_the_query_page(get):
    page = get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.doc.find("textarea", name="query")
    assert page.doc.find("button", type="submit")


def test_query_page_offers_every_canned_query_by_title(get):
    queries = canned_queries()
    links = get("/query?lang=en").doc.find_all("a", class_="canned-query")
    assert [a.text for a in links] == [q.titles["en"] for q in queries]
    korean = get("/query?lang=ko").doc.find_all("a", class_="canned-query")
    assert [a.text for a in korean] == [q.titles["ko"] for q in queries]


def test_canned_links_carry_their_query(get):
    link = get("/query").doc.find("a", class_="canned-query")
    query = parse_qs(urlsplit(link.attrs["href"]).query)["query"][0]
    assert query == canned_queries()[0].sparql


def test_query_without_javascript_renders_results_on_the_server(get):
    query = "SELECT ?division WHERE { ?agency nipa:hasDivision ?division } ORDER BY ?division"
    query = "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#>\n" + query
    page = get("/query?" + urlencode({"query": query}))
    results = page.doc.find("div", id="results")
    table = results.find("table", class_="results-table")
    assert table.find("caption").text == "3 results"
    assert [th.text for th in table.find("thead").find_all("th")] == ["division"]
    assert table.find("a", href="/id/division/alpha")
    downloads = {a.text: a.attrs["href"] for a in results.find("nav", class_="downloads").find_all("a")}
    assert set(downloads) == {"SPARQL JSON", "SPARQL XML", "SPARQL CSV", "SPARQL TSV"}
    assert parse_qs(urlsplit(downloads["SPARQL CSV"]).query) == {"query": [query], "format": ["csv"]}


def test_download_links_answer_in_their_format(client, get):
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/nipa-kg/ontology#Division> }"
    page = get("/query?" + urlencode({"query": query}))
    for link in page.doc.find("nav", class_="downloads").find_all("a"):
        response = client.get(link.attrs["href"])
        assert response.status_code == 200
        assert response.mimetype == link.attrs["type"] or response.mimetype in link.attrs["type"]


def test_construct_results_are_a_triple_table(get):
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = <https://w3id.org/nipa-kg/id/division/beta>) }"
    )
    page = get("/query?" + urlencode({"query": query}))
    table = page.doc.find("table", class_="results-table")
    assert [th.text for th in table.find_all("th")] == ["subject", "predicate", "object"]
    assert {a.text for a in page.doc.find("nav", class_="downloads").find_all("a")} >= {"Turtle", "JSON-LD"}


def test_query_errors_are_shown(get):
    page = get("/query?query=SELEKT")
    assert page.doc.find("p", class_="error").attrs["role"] == "alert"


def test_service_is_refused_as_by_the_endpoint(get):
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    page = get("/query?" + urlencode({"query": query}))
    assert "SERVICE" in page.doc.find("p", class_="error").text
