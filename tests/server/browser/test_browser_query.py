"""The query page in a real browser: the CodeMirror editor, Ctrl+Enter, the results in view, pages of a
7000-row result, sorting, the chart, the downloads, the Korean UI, and the page without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

ALL = "SELECT * WHERE { ?s ?p ?o }"
HAS_DIVISION = "SELECT ?division WHERE { ?a <https://w3id.org/nipa-kg/ontology#hasDivision> ?division }"
DIVISIONS = "Divisions ranked by budget"


def type_query(page, query: str) -> None:
    """Replace the editor's text with `query`, typed as a user would."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(query)


def total_rows(page, server_url: str, query: str) -> int:
    answer = page.request.get(server_url + "/sparql", params={"query": query, "format": "json"}).json()
    return len(answer["results"]["bindings"])


def test_ctrl_enter_runs_the_query_and_the_results_are_in_view(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    editor = page.locator(".query-editor .cm-editor")
    expect(editor).to_be_visible()
    expect(page.locator("textarea#query-text")).to_be_hidden()  # CodeMirror took its place
    assert page.locator(".cm-content span").count() > 5  # highlighted tokens: keywords, variables, IRIs
    type_query(page, HAS_DIVISION)
    page.keyboard.press("Control+Enter")
    summary = page.locator("#results .result-summary")
    expect(summary).to_have_text("6 results")
    expect(summary).to_be_in_viewport()
    expect(page.locator("#results table.results-table")).to_be_in_viewport()
    assert page.url.endswith("/query")  # run by fetch(), not by a page load
    watched.screenshot("query-ctrl-enter")


def test_a_7000_row_result_is_paged_with_its_total(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    total = total_rows(page, server_url, ALL)
    assert total > 6000
    type_query(page, ALL)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#results .result-summary")).to_have_text(f"{total:,} results")
    rows = page.locator("#results table.results-table tbody tr")
    pager = page.locator("#results nav.pager")
    expect(pager.locator(".page-rows")).to_have_text(f"Rows 1–100 of {total:,}")
    expect(rows).to_have_count(100)
    expect(page.locator("#results .result-summary")).to_be_in_viewport()
    first_page = rows.first.inner_text()
    pager.get_by_role("button", name="Next").click()
    expect(pager.locator(".page-rows")).to_have_text(f"Rows 101–200 of {total:,}")
    assert rows.first.inner_text() != first_page
    pager.get_by_role("button", name="Last").click()
    last = total - (total - 1) % 100
    expect(pager.locator(".page-rows")).to_have_text(f"Rows {last:,}–{total:,} of {total:,}")
    expect(rows).to_have_count(total - last + 1)
    expect(pager.get_by_role("button", name="Next")).to_be_disabled()
    pager.get_by_label("Rows per page").select_option("500")
    expect(pager.locator(".page-rows")).to_have_text(f"Rows 1–500 of {total:,}")
    expect(rows).to_have_count(500)
    watched.screenshot("query-7000-rows")


def test_a_column_sorts_both_ways_with_unbound_values_last(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    page.get_by_role("link", name=DIVISIONS).click()
    budgets = page.locator("#results table.results-table tbody tr td:nth-child(4)")
    expect(budgets).to_have_count(6)
    heading = page.locator("#results table.results-table th", has_text="budgetKRW")
    heading.get_by_role("button").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    values = budgets.all_inner_texts()
    numbers = [int(v.split()[0].replace(",", "")) for v in values if v.strip()]
    assert numbers == sorted(numbers) and values[-1].strip() == ""
    heading.get_by_role("button").click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    assert budgets.first.inner_text().startswith("140,190,000,000")
    labels = page.locator("#results table.results-table tbody tr td:nth-child(2)")
    page.locator("#results th", has_text="divisionLabel").first.get_by_role("button").click()
    assert labels.all_inner_texts() == sorted(labels.all_inner_texts())


def test_a_label_and_number_result_gets_a_chart(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    page.get_by_role("link", name=DIVISIONS).click()
    page.get_by_role("tab", name="Chart").click()
    chart = page.locator("#results-chart-panel svg.chart")
    expect(chart).to_be_visible()
    expect(page.locator("#results-table-panel")).to_be_hidden()
    bars = chart.locator("g.row rect.series-0")
    expect(bars).to_have_count(5)  # the Metaverse Division's budget is not given: no bar
    widths = [float(bars.nth(i).get_attribute("width")) for i in range(5)]
    assert widths == sorted(widths, reverse=True) and widths[0] > 3 * widths[-1]
    assert chart.locator("text.label").first.text_content() == "AI Infrastructure Division"
    assert chart.locator("text.not-given").text_content() == "no value"
    page.get_by_role("tab", name="Table").click()
    expect(page.locator("#results-table-panel table")).to_be_visible()
    watched.screenshot("query-chart")


def test_download_links_for_csv_tsv_and_json_answer_in_their_format(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    page.get_by_role("link", name=DIVISIONS).click()
    links = page.locator("#results nav.downloads a")
    expect(links).to_have_count(4)
    wanted = {"SPARQL CSV": "text/csv", "SPARQL TSV": "text/tab-separated-values", "SPARQL JSON": "json"}
    for label, media_type in wanted.items():
        href = links.filter(has_text=label).get_attribute("href")
        response = page.request.get(server_url + href)
        assert response.ok and media_type in response.headers["content-type"], (label, response.headers)
    assert "SW Future Division" in page.request.get(server_url + links.first.get_attribute("href")).text()


def test_no_request_leaves_the_loopback_address(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    type_query(page, ALL)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#results .result-summary")).to_contain_text("results")
    page.get_by_role("link", name=DIVISIONS).click()
    page.get_by_role("tab", name="Chart").click()
    hosts = {urlsplit(url).hostname for url in watched.requests}
    assert hosts == {"127.0.0.1"}, watched.requests
    assert any("codemirror" in url for url in watched.requests)


def test_without_javascript_the_form_posts_and_the_results_come_back(open_page, server_url):
    watched = open_page(java_script_enabled=False)
    page = watched.page
    page.goto(server_url + "/query")
    expect(page.locator("textarea#query-text")).to_be_visible()
    page.locator("textarea#query-text").fill(ALL)
    with page.expect_navigation():
        page.get_by_role("button", name="Run query").click()
    assert page.url.endswith("/query#results")
    total = total_rows(page, server_url, ALL)
    expect(page.locator("#results .result-summary")).to_have_text(f"{total:,} results")
    expect(page.locator("#results table.results-table tbody tr")).to_have_count(100)
    page.locator("#results nav.pager a", has_text="Next").click()
    expect(page.locator("#results .page-rows")).to_have_text(f"Rows 101–200 of {total:,}")
    watched.screenshot("query-no-javascript")


def test_the_query_page_in_korean(open_page, server_url):
    watched = open_page("ko-KR")
    page = watched.page
    page.goto(server_url + "/query")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.get_by_role("link", name="본부별 지원액 순위").click()
    expect(page.locator("#results .result-summary")).to_have_text("결과 6건")
    expect(page.get_by_role("tab", name="차트")).to_be_visible()
    expect(page.locator("#results nav.downloads")).to_contain_text("결과 내려받기")
    description = page.locator(".canned-description").first
    assert description.get_attribute("lang") in (None, "ko")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in description.inner_text())
    type_query(page, ALL)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#results nav.pager")).to_contain_text("쪽당 행 수")
    expect(page.get_by_role("button", name="질의 실행")).to_be_visible()
    watched.screenshot("query-ko")


def test_the_running_state_and_errors_appear_in_view(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    held = []

    def hold(route) -> None:  # keep the query's request waiting until the test lets it go
        held.append(route)

    page.route("**/sparql", hold)
    type_query(page, HAS_DIVISION)
    page.keyboard.press("Control+Enter")
    running = page.locator("#results .result-summary.running")
    expect(running).to_contain_text("Running the query")
    expect(running).to_be_in_viewport()
    assert page.locator("#results").get_attribute("aria-busy") == "true"
    running.get_by_role("button", name="Cancel").click()
    expect(page.locator("#results .result-summary")).to_have_text("The query was cancelled.")
    assert len(held) == 1  # the one request, dropped by the browser when cancelled
    page.unroute("**/sparql")
    type_query(page, "SELEKT * WHERE { ?s ?p ?o }")
    page.keyboard.press("Control+Enter")
    error = page.locator("#results p.error[role=alert]")
    expect(error).to_contain_text("The query failed")
    expect(error).to_be_in_viewport()
    watched.problems[:] = [p for p in watched.problems if "400" not in p and "ERR_FAILED" not in p]
