"""The summary for people at the top of a resource page, before its full statements: what a reader wants
to know first about a division, a goal, a programme (or initiative) and the agency, read with SPARQL
through the `Reader` and laid out as figures, charts and tables.

- a division: its budget (as written and in won), its rank among the divisions, its listed programmes as
  a bar chart against the budget with the unlisted remainder shown as such, the goals they serve, and its
  data-quality notes;
- a goal: its programmes and initiatives with their money and whether each link is stated or curated;
- a programme or initiative: its amount, its division (and the share of the division's budget) and its goal
  links;
- the agency: the plan's figures and the home page's charts.

Sums and remainders are computed here, as the queries of the README compute them: the graph stores none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import NamedNode

from nipa_kg.server.site.charts import Chart, Item, bar_chart
from nipa_kg.server.site.data import Reader, Solution, iri_list
from nipa_kg.server.site.describe import labels
from nipa_kg.server.site.formatting import format_krw
from nipa_kg.server.site.i18n import translate
from nipa_kg.server.site.messages import MESSAGES
from nipa_kg.server.site.overview import Table, budget_figure, division_budgets, goal_figure, goal_links
from nipa_kg.server.site.present import Presenter, Shown, Text, literal_text, pick
from nipa_kg.server.site.story_plan import plan_figures

Cell = Shown | Text | str | None


@dataclass
class Grid:
    """A table of a summary: cells are terms, texts or plain strings; `numeric` columns align right."""

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    numeric: tuple[int, ...] = ()


@dataclass
class Story:
    figures: list[tuple[str, list[Cell]]] = field(default_factory=list)  # what → its values
    charts: list[tuple[Chart, Table]] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    notes: list[tuple[Shown, Text | None]] = field(default_factory=list)  # data-quality note, its comment
    remarks: list[str] = field(default_factory=list)  # sentences


class Teller:
    """Reads what one resource's summary needs; `show` gets the labels of every IRI named once read."""

    def __init__(self, reader: Reader, iri: str, lang: str) -> None:
        self.reader = reader
        self.iri = iri
        self.lang = lang
        self.me = iri_list([iri])
        self.named: set[str] = {iri}

    def select(self, sparql: str) -> list[Solution]:
        rows = self.reader.select(sparql)
        self.named |= {t.value for row in rows for t in row.values() if isinstance(t, NamedNode)}
        return rows

    def presenter(self) -> Presenter:
        return Presenter(self.reader.base, labels(self.reader, self.named), self.lang)

    def krw(self, value: Decimal | None) -> str:
        return format_krw(value, self.lang) if value is not None else translate("budget_not_given")

    def budget(self) -> tuple[Decimal | None, list[str]]:
        """The resource's budget in won and the ways the article writes it."""
        rows = self.select(
            f"""SELECT ?value ?written WHERE {{ {self.me} nipa:hasBudget ?amount .
            OPTIONAL {{ ?amount schema:value ?value }} OPTIONAL {{ ?amount nipa:asWritten ?written }} }}
            ORDER BY ?written"""
        )
        value = next((Decimal(r["value"].value) for r in rows if "value" in r), None)
        return value, sorted({r["written"].value for r in rows if "written" in r})

    def money(self, value: Decimal | None, written: list[str]) -> list[Cell]:
        """A sum as the article writes it, then in won as this page's language writes it."""
        shown: list[Cell] = [Text(w, "ko") for w in written]
        if value is not None:
            shown.append(f"{self.krw(value)} (₩{int(value):,})" if self.lang == "en" else f"₩{int(value):,}")
        return shown or [translate("budget_not_given")]

    def notes(self) -> dict[str, list[Text]]:
        """The resource's data-quality notes and their comments (read before `presenter()`, so that it
        knows their labels)."""
        rows = self.select(
            f"""SELECT ?note ?comment WHERE {{ {self.me} nipa:hasQualityNote ?note .
            OPTIONAL {{ ?note rdfs:comment ?comment }} }} ORDER BY ?note"""
        )
        comments: dict[str, list[Text]] = {}
        for row in rows:
            texts = comments.setdefault(row["note"].value, [])
            if "comment" in row:
                texts.append(literal_text(row["comment"]))  # type: ignore[arg-type]
        return comments

    def shown_notes(self, show: Presenter, notes: dict[str, list[Text]]) -> list[tuple[Shown, Text | None]]:
        return [(show.show_iri(note), pick(texts, self.lang)) for note, texts in notes.items()]

    def goal_links(self, subjects: str) -> list[tuple[str, str, str, list[Text]]]:
        """(subject, goal, basis notation, rationales) of the goal links of the subjects `subjects` binds."""
        rows = self.select(
            f"""SELECT ?item ?goal ?basis ?rationale WHERE {{ {subjects}
            ?link nipa:linkSubject ?item ; nipa:linkGoal ?goal ; nipa:linkBasis/skos:notation ?basis .
            OPTIONAL {{ ?link nipa:rationale ?rationale }} OPTIONAL {{ ?goal skos:notation ?number }} }}
            ORDER BY ?number ?item"""
        )
        links: dict[tuple[str, str, str], list[Text]] = {}
        for row in rows:
            texts = links.setdefault((row["item"].value, row["goal"].value, row["basis"].value), [])
            if "rationale" in row:
                texts.append(literal_text(row["rationale"]))  # type: ignore[arg-type]
        return [(item, goal, basis, texts) for (item, goal, basis), texts in links.items()]

    def link_grid(self, show: Presenter, links: list[tuple[str, str, str, list[Text]]], first: str) -> Grid:
        """The goal links as a table: the linked item or the goal (`first`), the basis, the reason."""
        rows: list[list[Cell]] = [
            [show.show_iri(item if first == "item" else goal), basis_text(basis), pick(reasons, self.lang)]
            for item, goal, basis, reasons in links
        ]
        heading = translate("programme") if first == "item" else translate("goal")
        columns = [heading, translate("link_basis"), translate("rationale")]
        return Grid(translate("story_goal_links"), columns, rows)


def basis_text(notation: str) -> str:
    """A link basis (`stated`, `curated`) in the page language; an unknown one as it is."""
    return translate(notation) if notation in MESSAGES else notation


def ordinal(rank: int, lang: str) -> str:
    return f"{rank}위" if lang == "ko" else {1: "1st", 2: "2nd", 3: "3rd"}.get(rank, f"{rank}th")


def division_story(teller: Teller) -> Story:
    value, written = teller.budget()
    divisions = division_budgets(teller.reader)
    ranked = [d for d, v in divisions if v is not None]
    programmes = teller.select(
        f"""SELECT ?program ?value WHERE {{ {teller.me} nipa:administers ?program .
        OPTIONAL {{ ?program nipa:hasBudget/schema:value ?value }} }} ORDER BY DESC(?value) ?program"""
    )
    links = teller.goal_links(f"{teller.me} nipa:administers ?item .")
    notes = teller.notes()
    show = teller.presenter()
    story = Story(notes=teller.shown_notes(show, notes))
    story.figures.append((translate("budget"), teller.money(value, written)))
    if teller.iri in ranked:
        place = ordinal(ranked.index(teller.iri) + 1, teller.lang)
        rank = translate("story_rank") % {"rank": place, "count": len(divisions)}
        story.figures.append((translate("story_rank_label"), [rank]))
    else:
        story.figures.append((translate("story_rank_label"), [translate("story_unranked") % len(divisions)]))
    if programmes:
        story.charts.append(programme_chart(teller, show, value, programmes))
    else:
        story.remarks.append(translate("story_no_programmes"))
    if links:
        story.grids.append(served_goals(teller, show, links))
    return story


def programme_chart(
    teller: Teller, show: Presenter, budget: Decimal | None, programmes: list[Solution]
) -> tuple[Chart, Table]:
    """The listed programmes against the division's budget, the unlisted remainder as its own bar."""
    listed = [(r["program"].value, Decimal(r["value"].value) if "value" in r else None) for r in programmes]
    total = sum((v for _, v in listed if v is not None), Decimal(0))
    items = []
    for program, amount in listed:
        name = show.name(program)
        values = (float(amount), 0.0) if amount is not None else None
        items.append(Item(name.value, name.lang, values, teller.krw(amount)))
    rows: list[list[Shown | str]] = [[show.show_iri(p), teller.krw(v)] for p, v in listed]
    if budget is not None:
        whole = (float(min(total, budget)), float(max(budget - total, Decimal(0))))
        items.insert(0, Item(translate("story_division_budget"), teller.lang, whole, teller.krw(budget)))
        rows.insert(0, [Shown(Text(translate("story_division_budget"))), teller.krw(budget)])
        remainder = budget - total
        label = translate("story_unlisted")
        bar = (0.0, float(max(remainder, Decimal(0))))
        items.append(Item(label, teller.lang, bar, teller.krw(remainder)))
        rows.append([Shown(Text(label)), teller.krw(remainder)])
    rows.append([Shown(Text(translate("story_listed_sum") % len(listed))), teller.krw(total)])
    title = translate("story_programme_chart")
    desc = translate("story_programme_chart_desc") % (
        len(listed),
        teller.krw(total),
        teller.krw(budget),
        teller.krw(budget - total) if budget is not None else translate("budget_not_given"),
    )
    series = (translate("story_listed"), translate("story_unlisted"))
    chart = bar_chart("programme-chart", title, desc, series, items)
    return chart, Table(title, [translate("programme"), translate("budget")], rows)


def served_goals(teller: Teller, show: Presenter, links: list[tuple[str, str, str, list[Text]]]) -> Grid:
    """Each goal the division's programmes serve, with the programmes and the basis of each link."""
    grid = Grid(
        translate("story_goals_served"),
        [translate("goal"), translate("programme"), translate("link_basis")],
        [[show.show_iri(goal), show.show_iri(item), basis_text(basis)] for item, goal, basis, _ in links],
    )
    grid.rows.sort(key=lambda row: str(row[0].text.value) if isinstance(row[0], Shown) else "")
    return grid


def goal_story(teller: Teller) -> Story:
    rows = teller.select(
        f"""SELECT ?item ?value ?program WHERE {{ ?link nipa:linkGoal {teller.me} ; nipa:linkSubject ?item .
        OPTIONAL {{ ?item nipa:hasBudget/schema:value ?value }}
        BIND(EXISTS {{ VALUES ?kind {{ nipa:SupportProgram nipa:FundingProgram }} ?item a ?kind }}
             AS ?program) }}"""
    )
    found = teller.goal_links(f"?link nipa:linkGoal {teller.me} .")
    links = {item: basis for item, _, basis, _ in found}
    reasons = {item: why for item, _, _, why in found}
    notes = teller.notes()
    show = teller.presenter()
    items: dict[str, tuple[bool, Decimal | None]] = {}
    for row in rows:
        value = Decimal(row["value"].value) if "value" in row else None
        items[row["item"].value] = (row["program"].value == "true", value)
    order = sorted(items, key=lambda i: (not items[i][0], links.get(i, ""), -(items[i][1] or 0), i))
    grid = Grid(
        translate("story_goal_items"),
        [translate("story_item"), translate("story_kind"), translate("link_basis"), translate("budget")],
        [
            [
                show.show_iri(item),
                translate("programme" if items[item][0] else "initiative"),
                basis_text(links[item]) if item in links else None,
                teller.krw(items[item][1]) if items[item][0] else "—",
            ]
            for item in order
        ],
        numeric=(3,),
    )
    stated = sum(1 for b in links.values() if b == "stated")
    money = sum((v for p, v in items.values() if p and v is not None), Decimal(0))
    story = Story(grids=[grid], notes=teller.shown_notes(show, notes))
    counts = translate("story_link_counts") % (stated, len(links) - stated)
    story.figures.append((translate("story_links"), [counts]))
    story.figures.append((translate("story_goal_money"), [teller.krw(money)]))
    story.grids.append(
        Grid(
            translate("story_why"),
            [translate("story_item"), translate("rationale")],
            [[show.show_iri(i), pick(reasons.get(i, []), teller.lang)] for i in order if reasons.get(i)],
        )
    )
    return story


def programme_story(teller: Teller) -> Story:
    value, written = teller.budget()
    divisions = teller.select(
        f"""SELECT DISTINCT ?division ?budget WHERE {{
        {{ {teller.me} nipa:administeredBy ?division }} UNION {{ ?division nipa:administers {teller.me} }}
        OPTIONAL {{ ?division nipa:hasBudget/schema:value ?budget }} }} ORDER BY ?division"""
    )
    links = teller.goal_links(f"VALUES ?item {{ {teller.me} }}")
    notes = teller.notes()
    show = teller.presenter()
    story = Story(notes=teller.shown_notes(show, notes))
    if value is not None or written:
        story.figures.append((translate("budget"), teller.money(value, written)))
    for row in divisions:
        shown: list[Cell] = [show.show(row["division"])]  # type: ignore[arg-type]
        if value is not None and "budget" in row:
            share = value / Decimal(row["budget"].value) * 100
            shown.append(translate("story_share_of_division") % f"{share:.1f}")
        story.figures.append((translate("division"), shown))
    if links:
        story.grids.append(teller.link_grid(show, links, "goal"))
    else:
        story.remarks.append(translate("story_no_goal_links"))
    return story


def agency_story(teller: Teller) -> Story:
    divisions, goals = division_budgets(teller.reader), goal_links(teller.reader)
    teller.named |= {d for d, _ in divisions} | {g for g, _, _ in goals}
    figures = plan_figures(teller)
    notes = teller.notes()
    show = teller.presenter()
    story = Story(figures=figures.rows(show), notes=teller.shown_notes(show, notes))
    budget, goal = budget_figure(show, divisions), goal_figure(show, goals)
    story.charts = [
        (budget["budget_chart"], budget["budget_table"]),  # type: ignore[list-item]
        (goal["goal_chart"], goal["goal_table"]),  # type: ignore[list-item]
    ]
    return story


STORIES: dict[str, Callable[[Teller], Story]] = {
    "Division": division_story,
    "StrategicGoal": goal_story,
    "SupportProgram": programme_story,
    "FundingProgram": programme_story,
    "StrategicInitiative": programme_story,
    "Agency": agency_story,
}


def story(reader: Reader, iri: str, lang: str) -> Story | None:
    """The summary of `iri` in `lang`, or None for a resource of a kind that has none."""
    nipa = reader.term("nipa", "")
    rows = reader.select(f"SELECT ?type WHERE {{ {iri_list([iri])} a ?type }} ORDER BY ?type")
    kinds = [row["type"].value.removeprefix(nipa) for row in rows if row["type"].value.startswith(nipa)]
    teller = next((STORIES[k] for k in kinds if k in STORIES), None)
    return teller(Teller(reader, iri, lang)) if teller else None
