"""Search without SPARQL: `/search?q=` over the labels and descriptions (SQLite FTS5, trigram), as HTML and
JSON; bad, hostile and long input; the index following the data; concurrent searches."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.protocol.context import EXTENSION
from nipa_kg.server.settings import Settings
from nipa_kg.server.site.data import Reader
from nipa_kg.server.site.search_index import (
    MAX_CHARS,
    REFRESH_SECONDS,
    SearchIndex,
    like_pattern,
    normalise,
    phrase,
)
from tests.server.site.conftest import MINI, load_store, parse_html

PAGES = ("/", "/query", "/id/division/alpha", "/ontology", "/shapes", "/dumps/", "/search", "/search?q=x")
HOSTILE = [
    '"',
    '""',
    '"alpha" OR "beta"',
    "NEAR(alpha beta)",
    "NEAR(alpha beta, 2)",
    "alph*",
    "*",
    "^alpha",
    "text: alpha",
    "iri:alpha",
    "{text iri}: alpha",
    "alpha AND NOT beta",
    "(",
    ")",
    "-alpha",
    "+",
    "%",
    "_",
    "\\",
    "'; DROP TABLE texts; --",
    "\x00",
    "알파\x00본부",
    "🙂",
    "a" * MAX_CHARS,
]


def search_json(client, q: str, status: int = 200) -> dict:
    response = client.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
    assert response.status_code == status, (q, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.json


def found(document: dict) -> list[str]:
    return [r["iri"].removeprefix(BASE) for g in document["groups"] for r in g["results"]]


def test_a_search_box_on_every_page(get):
    for path in (*PAGES, "/id/division/nowhere"):
        page = get(path, status=404 if "nowhere" in path else 200)
        form = page.doc.find("form", role="search")
        assert form.attrs["action"] == "/search" and form.attrs["method"] == "get", path
        box = form.find("input", name="q")
        assert box.attrs["type"] == "search" and box.attrs["maxlength"] == str(MAX_CHARS)
        assert page.doc.find("label", for_=box.attrs["id"]).text == "Search the graph"


def test_korean_compounds_match_inside_words(client):
    document = search_json(client, "알파본")  # inside "알파본부", "알파본부 예산": no spaces to split on
    assert found(document) == ["id/division/alpha", "id/amount/alpha-2025"]
    assert "note" not in document


def test_results_are_grouped_by_type_with_both_labels_and_a_link(client):
    document = search_json(client, "test")
    groups = {g["label"]: g["results"] for g in document["groups"]}
    assert list(groups)[:2] == ["Funding programme", "Strategic initiative"]  # before links and others
    (programme,) = groups["Funding programme"]
    assert programme["label"] == {"ko": "시험 사업", "en": "Test programme"}
    assert programme["url"] == "http://localhost/id/program/p1"
    assert programme["matched"] == {"field": "label", "lang": "en", "text": "Test programme"}
    assert document["count"] == document["listed"] == sum(len(r) for r in groups.values())


def test_the_html_page_lists_groups_and_marks_the_match(get):
    doc = get("/search?q=" + "Alpha").doc
    assert doc.find("h1").text == "Search: Alpha"
    headings = [h.text for h in doc.find_all("h2")]
    assert headings[0] == "Division (1)"
    link = doc.find("ul", class_="search-results").find("a")
    assert (link.attrs["href"], link.text) == ("/id/division/alpha", "Alpha Division")
    korean = get("/search?q=" + "Alpha" + "&lang=ko").doc
    assert korean.find("h2").text == "본부 (1)"
    assert korean.find("ul", class_="search-results").find("a").text == "알파본부"
    description = get("/search?q=" + "gives no budget").doc.find("p", class_="matched")
    assert description.find("mark").text == "gives no budget"


def test_short_queries_match_as_substrings_and_say_so(client, get):
    document = search_json(client, "베타")  # two characters: too short for trigram
    assert found(document) == ["id/division/beta", "id/amount/beta-2025"]
    assert "plain substring" in document["note"]
    assert "단순 부분 문자열" in get("/search?q=베타&lang=ko").doc.find("p", class_="notice").text


def test_empty_search_gets_a_helpful_page(client, get):
    for q in ("", "   ", "\t\n"):
        page = get("/search?q=" + q)
        assert "Type a word" in page.doc.find("p", class_="notice").text
        assert page.doc.find("a", href="/search?q=sandbox")
        assert search_json(client, q)["groups"] == []
    assert get("/search").doc.find("h1").text == "Search"


def test_nothing_found_says_so(get, client):
    page = get("/search?q=zzzzqqq")
    assert page.doc.find("p", class_="search-summary").text == "Nothing in the graph matches."
    assert search_json(client, "zzzzqqq")["count"] == 0


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_fts_syntax_and_sql_are_searched_as_text(client, q):
    """Whatever is typed is one phrase: what is found contains it, as typed."""
    document = search_json(client, q)
    wanted = normalise(q).casefold()
    for group in document["groups"]:
        for result in group["results"]:
            assert wanted in result["matched"]["text"].casefold(), (q, result)
    page = client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and parse_html(page.get_data(as_text=True)).find("h1")


def test_operators_are_not_run(client):
    assert search_json(client, "Alpha")["count"] > 0 and search_json(client, "Beta")["count"] > 0
    for q in ('"Alpha" OR "Beta"', "NEAR(Alpha Beta)", "Alpha AND Beta", "Alph*", "^Alpha", "text: Alpha"):
        assert search_json(client, q)["count"] == 0, q


def test_control_characters_are_dropped(client):
    assert normalise(" 알파\x00본부\t ") == "알파본부"
    assert search_json(client, "\x00")["count"] == 0
    assert found(search_json(client, "알파\x00본부")) == ["id/division/alpha", "id/amount/alpha-2025"]


def test_wildcards_are_escaped_in_substring_search(client):
    assert search_json(client, "%")["count"] == 0
    assert search_json(client, "_")["count"] == 0
    assert like_pattern("a%_\\") == "%a\\%\\_\\\\%"
    assert phrase('say "hi"') == '"say ""hi"""'


def test_long_input_is_refused_quickly_never_a_500(client, get):
    for q in ("a" * (MAX_CHARS + 1), "a" * 1_000_000, "가" * 110_000, '"' * 330_000):  # URLs up to 1 MB
        started = time.perf_counter()
        document = search_json(client, q, status=400)
        assert time.perf_counter() - started < 3
        assert str(MAX_CHARS) in document["error"] and document["groups"] == []
        page = get("/search?q=" + q[: MAX_CHARS + 5], status=400)
        assert page.doc.find("p", class_="error").attrs["role"] == "alert"


def test_twenty_concurrent_searches(mini_store):
    """Twenty at once from one client (admission's limits raised: this is about the index)."""
    app = create_app(Settings(base=BASE, max_queries=40, max_client_queries=40), mini_store)
    queries = ["알파본", "베타", "test", '"', "NEAR(a b)", "zzz", "Division", "*"] * 3

    def one(q: str) -> tuple[int, int]:
        response = app.test_client().get(
            "/search", query_string={"q": q}, headers={"Accept": "application/json"}
        )
        return response.status_code, response.json["count"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(one, queries[:20]))
    assert {status for status, _ in answers} == {200}
    alone = [one(q) for q in queries[:20]]
    assert answers == alone


def test_the_index_follows_the_data(tmp_path: Path):
    store = load_store(MINI)
    client = create_app(Settings(base=BASE), store).test_client()
    assert search_json(client, "Zeta")["count"] == 0
    extra = tmp_path / "zeta.ttl"
    extra.write_text(
        f"<{BASE}id/division/zeta> a <{BASE}ontology#Division> ; "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Zeta Division"@en , "제타본부"@ko .\n'
    )
    store.load(extra, RDF_FORMATS.by_extension(extra), f"{BASE}graph/data")
    assert found(search_json(client, "Zeta")) == ["id/division/zeta"]
    assert found(search_json(client, "제타")) == ["id/division/zeta"]


def test_without_a_data_version_the_index_is_read_again_after_a_while(app):
    services = app.extensions[EXTENSION]
    reader = Reader(services.queries, services.settings)
    now = [1000.0]
    index = SearchIndex(clock=lambda: now[0])
    index.snapshot(reader, None)
    index.search(reader, None, "alpha")
    assert index.builds == 1
    now[0] += REFRESH_SECONDS + 1
    index.search(reader, None, "alpha")
    assert index.builds == 2
    index.search(reader, "v1", "alpha")
    index.search(reader, "v1", "alpha")
    assert index.builds == 3  # a known version: rebuilt when it changes, not by the clock
