"""The summary for people that opens a resource page (story.py), before its full statements: a division, a
goal, a programme and the agency, in the mini dataset and in the real graph."""

from __future__ import annotations

import pytest

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.graph.build import Build
from nipa_kg.graph.export import serialize
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore
from tests.server.site.conftest import Node, getter


def story_of(doc: Node) -> Node:
    return doc.find("section", class_="story")


def cell_text(cell: Node) -> str:
    """A cell's text; a term's label only (not the compact IRI beside it)."""
    links = cell.find_all("a")
    return links[0].text if links else cell.text


def rows_of(table: Node) -> list[list[str]]:
    return [
        [cell_text(c) for c in r.children if isinstance(c, Node)] for r in table.find("tbody").find_all("tr")
    ]


def figures(story: Node) -> dict[str, str]:
    found = story.find("dl", class_="story-figures")
    terms, values = found.find_all("dt"), found.find_all("dd")
    return {dt.text: dd.text for dt, dd in zip(terms, values, strict=True)}


def test_the_summary_comes_before_the_statements(get):
    doc = get("/id/division/alpha").doc
    order = [n.attrs.get("id") or n.attrs.get("class") for n in doc.walk() if n.tag in ("section", "table")]
    assert order.index("story") < order.index("statements")
    assert story_of(doc).find("h2").text == "In short"


def test_a_division_its_budget_rank_programmes_and_remainder(get):
    story = story_of(get("/id/division/alpha").doc)
    facts = figures(story)
    assert facts["Budget"] == "140억1900만원 · KRW 14.02 billion (₩14,019,000,000)"
    assert facts["Rank by budget"] == "1st of the 3 divisions"
    chart = story.find("svg", class_="chart")
    labels = [t.text for t in chart.find_all("text", class_="label")]
    assert labels == ["Division budget (all)", "Test programme", "Not listed in the article (re…"]
    rows = {
        cell_text(r.find("th")): r.find("td").text
        for r in story.find("table", class_="chart-data").find_all("tr")[1:]
    }
    assert rows["Test programme"] == "not given"  # the mini programme has no budget: no bar, said so
    assert rows["Not listed in the article (remainder)"] == "KRW 14.02 billion"
    assert rows["Sum of the 1 listed programmes"] == "KRW 0"
    goals = story.find("table", class_="story-table")
    assert rows_of(goals) == [["First goal", "Test programme", "Stated"]]


def test_a_division_without_budget_is_not_ranked_and_shows_its_notes(get):
    story = story_of(get("/id/division/gamma").doc)
    assert figures(story)["Budget"] == "not given"
    assert figures(story)["Rank by budget"].startswith("not ranked")
    assert "lists none of this division's programmes" in story.find("p", class_="remark").text
    (note,) = story.find("ul", class_="story-notes").find_all("li")
    assert "Division budget not given" in note.text and "gives no budget for the Gamma" in note.text
    assert note.find("a", href="/id/note/gamma-budget-missing")


def test_a_division_in_korean(get):
    story = story_of(get("/id/division/beta?lang=ko").doc)
    assert story.find("h2").text == "요약"
    assert figures(story)["예산 순위"] == "본부 3곳 중 2위"
    assert figures(story)["예산"].startswith("50억원")


def test_a_goal_its_programmes_and_initiatives_stated_or_curated(get):
    story = story_of(get("/id/goal/1").doc)
    assert figures(story)["Links"] == "1 stated by the article, 1 curated by nipa-kg"
    table = story.find("table", class_="story-table")
    assert rows_of(table) == [
        ["Test programme", "Programme", "Stated", "not given"],
        ["Test initiative", "Initiative", "Curated", "—"],
    ]
    assert table.find("a", href="/id/program/p1")


def test_a_programme_its_division_and_goal_links(get):
    story = story_of(get("/id/program/p1").doc)
    assert figures(story)["Division"] == "Alpha Division division:alpha"  # the compact IRI is hidden by CSS
    table = story.find("table", class_="story-table")
    assert table.find("a", href="/id/goal/1") and "Stated" in table.text


def test_the_agency_shows_the_home_page_charts(get):
    story = story_of(get("/id/agency/nipa").doc)
    assert [s.attrs["aria-labelledby"].split()[0] for s in story.find_all("svg")] == [
        "budget-chart-title",
        "goal-chart-title",
    ]


def test_resources_of_other_kinds_have_no_summary(get):
    assert not get("/id/place/seoul").doc.find_all("section", class_="story")


@pytest.fixture(scope="module")
def real(built: Build):
    store = EmbeddedStore(workers=4)
    nquads = RDF_FORMATS.by_name("nq")
    store.load(serialize(built.dataset, nquads, BASE), nquads)
    return getter(create_app(Settings(base=BASE), store).test_client())


def test_the_real_sw_future_division(real):
    story = story_of(real("/id/division/sw-future").doc)
    assert figures(story)["Rank by budget"] == "5th of the 6 divisions"
    rows = {
        cell_text(r.find("th")): r.find("td").text
        for r in story.find("table", class_="chart-data").find_all("tr")[1:]
    }
    assert rows["Sum of the 8 listed programmes"] == "KRW 13.8 billion"
    assert rows["Not listed in the article (remainder)"] == "KRW 32.35 billion"  # as README query 3 computes
    assert len(story.find("svg", class_="chart").find_all("text", class_="label")) == 10
    notes = story.find("ul", class_="story-notes").find_all("li")
    assert len(notes) == 2


def test_the_real_metaverse_division_and_goal_3(real):
    metaverse = story_of(real("/id/division/metaverse").doc)
    assert figures(metaverse)["Rank by budget"].startswith("not ranked")
    goal = story_of(real("/id/goal/3").doc)
    assert figures(goal)["Links"] == "4 stated by the article, 3 curated by nipa-kg"
    assert figures(goal)["Money of the linked programmes"] == "KRW 4.04 billion"


def test_the_real_agency_has_the_plan_s_figures(real):
    story = story_of(real("/id/agency/nipa", headers={"Accept-Language": "en"}).doc)
    facts = figures(story)
    assert facts["program count"] == "68" and facts["division count"] == "6"
    assert "563,400,000,000" in facts["Total support budget"]
    assert facts["Budget by purpose"].endswith("sum 98% (as stated)")
    assert len(story.find_all("svg", class_="chart")) == 2
