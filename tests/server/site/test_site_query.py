"""The query page at `/query` and at `/sparql` for browsers, with and without JavaScript."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from nipa_kg.server.site.canned import canned_queries
from tests.server.site.conftest import parse_html

ROOT = Path(__file__).resolve().parents[3]
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


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


def test_every_canned_query_is_described_in_both_languages_on_its_page(get):
    queries = canned_queries()
    assert all(set(q.descriptions) == {"en", "ko"} for q in queries), [q.name for q in queries]
    for lang in ("en", "ko"):
        shown = get(f"/query?lang={lang}").doc.find_all("p", class_="canned-description")
        assert [p.text for p in shown] == [q.descriptions[lang] for q in queries]
        assert all("lang" not in p.attrs for p in shown)  # in the page's language


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


def test_the_form_posts_and_the_results_come_back_as_html(client, get):
    form = get("/query").doc.find("form", class_="editor")
    assert form.attrs["method"] == "post" and form.attrs["action"] == "/query#results"
    query = "SELECT ?division WHERE { ?a <https://w3id.org/nipa-kg/ontology#hasDivision> ?division }"
    response = client.post("/query", data={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    results = parse_html(response.get_data(as_text=True)).find("div", id="results")
    assert len(results.find("table", class_="results-table").find("tbody").find_all("tr")) == 3
    assert results.find("p", class_="result-summary").text == "3 results"


def test_a_long_result_is_drawn_a_page_at_a_time(client, get):
    answer = client.get("/sparql", query_string={"query": ALL_TRIPLES, "format": "json"}).json
    total = len(answer["results"]["bindings"])
    assert total > 200
    first = get("/query?" + urlencode({"query": ALL_TRIPLES})).doc.find("div", id="results")
    assert len(first.find("tbody").find_all("tr")) == 100
    assert first.find("span", class_="page-rows").text == f"Rows 1–100 of {total:,}"
    assert first.find("p", class_="result-summary").text == f"{total:,} results"
    following = first.find("nav", class_="pager").find("a", rel="next").attrs["href"]
    second = get(following.split("#")[0]).doc.find("div", id="results")
    assert second.find("span", class_="page-rows").text == f"Rows 101–200 of {total:,}"
    assert first.find("tbody").text != second.find("tbody").text
    past_the_end = get("/query?" + urlencode({"query": ALL_TRIPLES, "page": 999})).doc
    last = past_the_end.find("span", class_="page-rows").text
    assert last.endswith(f"{total:,} of {total:,}")
    korean = get("/query?" + urlencode({"query": ALL_TRIPLES, "lang": "ko"})).doc
    assert korean.find("span", class_="page-rows").text == f"1–100행 / 전체 {total:,}행"


def test_the_editor_is_vendored_and_served_from_the_package(client, get):
    doc = get("/query").doc
    scripts = [s.attrs["src"] for s in doc.find_all("script") if "src" in s.attrs]
    assert all(src.startswith("/static/") for src in scripts), scripts
    (codemirror,) = [src for src in scripts if "codemirror" in src]
    response = client.get(codemirror)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert len(response.data) < 400_000  # the vendored size stays reasonable
    assert scripts.index(codemirror) < scripts.index("/static/query.js")


def test_vendored_files_are_package_data():
    """An installed package serves the editor too: pyproject's package-data takes every vendored file."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    vendor = ROOT / "server" / "static" / "vendor"
    files = [p.relative_to(ROOT / "server").as_posix() for p in vendor.rglob("*") if p.is_file()]
    assert {"README.md", "LICENSE", "codemirror.min.js"} <= {Path(f).name for f in files}
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns["nipa_kg.server"]), name
