"""The home page: what the dataset is, its source and licence, counts, charts, links and the editor."""

from __future__ import annotations

from nipa_kg.core.namespaces import DEFAULT_BASE as BASE


def test_title_and_both_descriptions(get):
    page = get("/", headers={"Accept-Language": "en"})
    intro = page.doc.find("section", class_="intro")
    assert intro.find("h1").text == "Test knowledge graph"
    assert intro.find("p", class_="lead").text == "A dataset for tests."
    other = intro.find("p", class_="lead-other")
    assert other.attrs["lang"] == "ko" and other.text == "시험용 데이터 세트."


def test_korean_home(get):
    page = get("/?lang=ko")
    assert page.doc.find("h1").text == "시험 지식 그래프"
    assert page.doc.find("p", class_="lead-other").attrs["lang"] == "en"


def test_source_and_licence(get):
    page = get("/")
    source = page.doc.find("dl", class_="source")
    assert source.find("a", href="/id/source/zdnet-2025-02-06").text == "ZDNet Korea report"
    assert source.find("time").attrs["datetime"] == "2025-02-06"
    assert "1" in source.text  # one paragraph cited
    licence = page.doc.find("section", aria_labelledby="licence-heading")
    assert licence.find("a", rel="license").attrs["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Rights statement for tests." in licence.text


def test_footer_shows_source_and_licence_on_every_page(get):
    for url in ("/", "/id/division/alpha", "/ontology", "/shapes", "/dumps/", "/query"):
        footer = get(url).doc.find("footer")
        assert footer.find("a", href="/id/source/zdnet-2025-02-06")
        assert footer.find("a", rel="license")


def test_triples_per_named_graph_match_the_store(get, mini_store):
    page = get("/")
    table = page.doc.find("table", class_="counts")
    counts = {row.find("th").text: row.find("td").text for row in table.find("tbody").find_all("tr")}
    expected = {iri: f"{n:,}" for iri, n in mini_store.named_graphs().items()}
    assert counts == expected
    assert set(counts) == {
        f"{BASE}graph/{name}" for name in ("ontology", "data", "inferred", "shapes", "metadata")
    }


def test_resources_per_class(get):
    table = get("/").doc.find_all("table", class_="counts")[1]
    rows = {row.find("th").text: row.find("td").text for row in table.find("tbody").find_all("tr")}
    assert rows["Division nipa:Division"] == "3"


def test_budget_chart_is_an_accessible_svg_with_the_missing_division(get):
    figure = get("/").doc.find("svg", class_="chart")
    assert figure.attrs["role"] == "img"
    assert figure.find("title").text == "2025 support budget by division"
    desc = figure.find("desc").text
    assert "Alpha Division KRW 14.02 billion" in desc and "Gamma Division" in desc
    labels = [t.text for t in figure.find_all("text", class_="label")]
    assert labels == ["Alpha Division", "Beta Division", "Gamma Division"]  # largest first, missing last
    assert figure.find("text", class_="not-given").text == "not given"
    assert len(figure.find_all("rect", class_="series-0")) == 2


def test_goal_chart_counts_stated_and_curated_links(get):
    charts = get("/").doc.find_all("figure", class_="chart-figure")
    goal = charts[1]
    assert goal.find("text", class_="value").text == "1 + 1 = 2"
    cells = [td.text for td in goal.find("table", class_="chart-data").find("tbody").find_all("td")]
    assert cells == ["1", "1", "2"]


def test_every_chart_has_a_data_table(get):
    for figure in get("/").doc.find_all("figure", class_="chart-figure"):
        table = figure.find("table", class_="chart-data")
        assert table.find("caption").text
        assert all(th.attrs.get("scope") for th in table.find_all("th"))


def test_links_to_the_other_documents(get):
    hrefs = {a.attrs["href"] for a in get("/").doc.find("nav", class_="explore").find_all("a")}
    assert {"/ontology", "/shapes", "/dumps/", "/.well-known/void", "/context.jsonld", "/query"} <= hrefs


def test_home_has_the_query_editor_with_canned_queries(get):
    doc = get("/").doc
    editor = doc.find("section", class_="query-editor")
    assert editor.attrs["data-endpoint"] == "/sparql"
    assert len(editor.find_all("a", class_="canned-query")) >= 9
    assert editor.find("div", id="results").attrs["aria-live"] == "polite"


def test_accessibility_landmarks(get):
    doc = get("/").doc
    skip = doc.find("a", class_="skip-link")
    assert skip.attrs["href"] == "#main" and doc.find("main", id="main")
    assert doc.find("textarea").attrs["id"] == doc.find("label", for_="query-text").attrs["for"]
    for table in doc.find_all("table"):
        assert table.find_all("caption"), table.attrs


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
