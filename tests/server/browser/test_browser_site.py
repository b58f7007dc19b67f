"""The site in a real browser: pages load clean, the query editor runs canned queries, the language
switch works, the editor is usable by keyboard. Each page's screenshot is saved in test-artifacts/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.server.browser.conftest import CHROMIUM, CHROMIUM_ARGS

PAGES = {
    "home": "/",
    "resource-division": "/id/division/metaverse",
    "resource-place": "/id/place/new-york-city",
    "ontology": "/ontology",
    "shapes": "/shapes",
    "dumps": "/dumps/",
}


def test_home_page_loads_with_no_errors_and_no_outside_requests(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "NIPA 2025 plan knowledge graph"
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart text.not-given").text_content() == "not given"
    watched.screenshot("home")


@pytest.mark.parametrize("name", [n for n in PAGES if n != "home"])
def test_pages_load_clean(open_page, server_url, name):
    watched = open_page()
    watched.page.goto(server_url + PAGES[name])
    watched.page.wait_for_load_state("networkidle")
    assert watched.page.locator("h1").count() == 1
    watched.screenshot(name)


def test_unknown_resource_is_a_404_page(open_page, server_url):
    watched = open_page()
    response = watched.page.goto(server_url + "/id/division/nowhere")
    assert response.status == 404
    assert "nowhere" in watched.page.locator("main").inner_text()
    watched.screenshot("not-found")
    # Chromium logs the 404 of the document itself; nothing else may go wrong.
    watched.problems[:] = [p for p in watched.problems if "status of 404" not in p]


def test_canned_query_from_the_query_page_shows_a_results_table(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    page.get_by_role("link", name="Divisions ranked by budget").click()
    table = page.locator("#results table.results-table")
    table.wait_for()
    assert table.locator("tbody tr").count() == 6
    assert "6 results" in page.locator("#results .result-summary").inner_text()
    assert "SW Future Division" in table.inner_text()
    assert page.locator("#results nav.downloads a").count() == 4
    assert page.url.endswith("/query")  # JavaScript ran it; no navigation
    watched.screenshot("query-results")


def test_download_link_answers_csv(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    page.get_by_role("button", name="Run query").click()
    href = page.locator("#results nav.downloads a", has_text="CSV").get_attribute("href")
    response = page.request.get(server_url + href)
    assert response.ok and response.headers["content-type"].startswith("text/csv")


def test_language_switch_on_a_resource_page_sticks(open_page, server_url):
    watched = open_page("en-US")
    page = watched.page
    page.goto(server_url + "/id/division/sw-future")
    assert page.locator("h1").inner_text() == "SW Future Division"
    page.locator("nav.lang-switch").get_by_role("link", name="한국어").click()
    page.wait_for_url("**lang=ko")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "SW미래본부"
    watched.screenshot("resource-division-ko")
    page.goto(server_url + "/id/agency/nipa")  # the cookie keeps the choice
    assert page.locator("h1").inner_text() == "정보통신산업진흥원"


def test_keyboard_tab_to_run_and_press_enter(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/query")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('run')"):
            break
    else:
        pytest.fail("Tab never reached the run button")
    page.keyboard.press("Enter")
    page.locator("#results table.results-table").wait_for()
    rows = page.locator("#results table.results-table tbody tr").count()
    assert rows >= 1
    assert page.locator("#results .result-summary").inner_text() == f"{rows} results"


def test_skip_link_is_first_and_moves_focus_to_main(open_page, server_url):
    watched = open_page()
    page = watched.page
    page.goto(server_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_page_has_a_search_box_that_finds_things(open_page, server_url):
    watched = open_page("ko-KR")
    page = watched.page
    for path in (*PAGES.values(), "/query", "/search?q=x"):
        page.goto(server_url + path)
        box = page.get_by_role("search").get_by_role("searchbox")
        assert box.is_visible(), path
    page.goto(server_url + "/id/division/sw-future")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("뉴욕")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("h1").inner_text() == "검색: 뉴욕"
    page.locator("main").get_by_role("link", name="뉴욕 거점").click()
    page.wait_for_url("**/id/hub/new-york")
    watched.screenshot("search-new-york")


# Hangul as the page draws it, against as many unassigned code points (U+0378, in no font: every browser
# draws it as the missing-glyph box). Without a Korean font each Hangul syllable is that same box.
GLYPH_WIDTHS = """(selector) => {
  const style = getComputedStyle(document.querySelector(selector));
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const hangul = "한국어지식그래프";
  return {
    em: parseFloat(style.fontSize),
    hangul: context.measureText(hangul).width / hangul.length,
    box: context.measureText("\\u0378".repeat(hangul.length)).width / hangul.length,
  };
}"""


@pytest.mark.parametrize("path", ["/?lang=ko", "/query?lang=ko", "/id/division/sw-future?lang=ko"])
def test_korean_renders_in_a_korean_font_not_as_boxes(open_page, server_url, path):
    watched = open_page("ko-KR")
    page = watched.page
    page.goto(server_url + path)
    page.evaluate("document.fonts.ready")
    for selector in ("h1", "nav.lang-switch a[lang=ko]", "main p"):
        widths = page.evaluate(GLYPH_WIDTHS, selector)
        fonts = platform_fonts(page, "h1")
        assert abs(widths["hangul"] - widths["box"]) > 0.1 * widths["em"], (selector, widths, fonts)
        assert widths["hangul"] > 0.8 * widths["em"], (selector, widths, fonts)  # Hangul is full width
    watched.screenshot("korean-fonts-" + path.strip("/").split("?")[0].replace("/", "-") or "home")


def platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium drew the element's text with (for the failure message)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


def test_without_a_korean_font_the_check_sees_boxes(browser, server_url, tmp_path):
    """The check above can fail: a Chromium that sees only DejaVu (no Hangul) draws boxes, and it says so."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("no DejaVu fonts to stand in for a machine without Korean fonts")
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{dejavu}</dir>'
        f"<cachedir>{tmp_path}/cache</cachedir></fontconfig>\n"
    )
    bare = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    try:
        page = bare.new_page()
        page.goto(server_url + "/?lang=ko")
        widths = page.evaluate(GLYPH_WIDTHS, "h1")
        assert abs(widths["hangul"] - widths["box"]) < 0.02 * widths["em"], widths
    finally:
        bare.close()
