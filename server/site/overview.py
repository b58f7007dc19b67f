"""What the home page shows, read from the store with SPARQL: the dataset's title and description (from the
metadata graph), its source and licence, counts per graph and per class, and the data of the two charts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import url_for

from nipa_kg.server.site.charts import Chart, Item, bar_chart
from nipa_kg.server.site.data import Reader, iri_list
from nipa_kg.server.site.describe import labels
from nipa_kg.server.site.formatting import format_krw, format_number
from nipa_kg.server.site.i18n import other_language, translate
from nipa_kg.server.site.present import Presenter, Shown, Text, literal_text, local_path, pick


@dataclass(frozen=True)
class SourceFacts:
    """The article the dataset is read from, as IRIs and values."""

    article: str
    publisher: str | None
    date: str | None
    paragraphs: int  # how many of its paragraphs the graph cites
    notices: list[Text]


@dataclass(frozen=True)
class Source:
    article: Shown
    publisher: Shown | None
    date: str | None
    paragraphs: int
    notice: Text | None


@dataclass(frozen=True)
class Table:
    """A chart's data: first column a term, the others text."""

    caption: str
    columns: list[str]
    rows: list[list[Shown | str]]


@dataclass(frozen=True)
class Link:
    key: str
    href: str


@dataclass(frozen=True)
class Overview:
    title: Text
    descriptions: list[Text]  # page language first, then the other
    rights: Text | None
    source: Source | None
    links: list[Link]
    graph_counts: list[tuple[str, str]]
    class_counts: list[tuple[Shown, str]]
    budget_chart: Chart
    budget_table: Table
    goal_chart: Chart
    goal_table: Table


def texts(rows: list[dict], name: str) -> list[Text]:
    return list(dict.fromkeys(literal_text(row[name]) for row in rows if name in row))


def overview(reader: Reader, lang: str) -> Overview:
    meta = reader.select(
        f"""SELECT ?dataset ?title ?description ?rights ?source WHERE {{
          GRAPH {iri_list([reader.graph("metadata")])} {{
            ?dataset a void:Dataset , dcat:Dataset .
            OPTIONAL {{ ?dataset dct:title ?title }} OPTIONAL {{ ?dataset dct:description ?description }}
            OPTIONAL {{ ?dataset dct:rights ?rights }} OPTIONAL {{ ?dataset dct:source ?source }} }} }}"""
    )
    classes = class_counts(reader)
    divisions, goals = division_budgets(reader), goal_links(reader)
    article = min((r["source"].value for r in meta if "source" in r), default=None)
    facts = source_facts(reader, article) if article else None
    names = {c for c, _ in classes} | {d for d, _ in divisions} | {g for g, _, _ in goals}
    names |= {facts.article, facts.publisher or ""} if facts else set()
    show = Presenter(reader.base, labels(reader, names), lang)
    description = pick(texts(meta, "description"), lang)
    others = [d for d in texts(meta, "description") if d.lang == other_language(lang)]
    return Overview(
        title=pick(texts(meta, "title"), lang) or Text("nipa-kg"),
        descriptions=[d for d in (description, *others[:1]) if d],
        rights=pick(texts(meta, "rights"), lang),
        source=shown_source(show, facts) if facts else None,
        links=home_links(reader),
        graph_counts=graph_counts(reader),
        class_counts=[(show.show_iri(c), format_number(n)) for c, n in classes],
        **budget_figure(show, divisions),
        **goal_figure(show, goals),
    )


def home_links(reader: Reader) -> list[Link]:
    """Where to go from the home page: the query page, the agency's page, the documents."""
    agencies = reader.select("SELECT ?agency WHERE { ?agency a nipa:Agency } ORDER BY ?agency LIMIT 1")
    agency = [local_path(row["agency"].value, reader.base) for row in agencies]
    return [
        Link("link_query", url_for("site.query.page")),
        *(Link("link_agency", path) for path in agency if path),
        Link("link_ontology", url_for("site.vocabulary.ontology")),
        Link("link_shapes", url_for("site.vocabulary.shapes")),
        Link("link_dumps", url_for("site.downloads.index")),
        Link("link_void", url_for("site.downloads.void")),
        Link("link_context", url_for("site.downloads.context")),
    ]


def source_facts(reader: Reader, article: str) -> SourceFacts:
    rows = reader.select(
        f"""SELECT ?publisher ?date ?notice (COUNT(DISTINCT ?paragraph) AS ?cited) WHERE {{
          VALUES ?article {{ {iri_list([article])} }}
          OPTIONAL {{ ?article schema:publisher ?publisher }}
          OPTIONAL {{ ?article schema:datePublished ?date }}
          OPTIONAL {{ ?article schema:copyrightNotice ?notice }}
          OPTIONAL {{ ?paragraph dct:isPartOf ?article . ?x nipa:sourceParagraph ?paragraph }}
        }} GROUP BY ?publisher ?date ?notice"""
    )
    return SourceFacts(
        article=article,
        publisher=min((r["publisher"].value for r in rows if "publisher" in r), default=None),
        date=next((r["date"].value for r in rows if "date" in r), None),
        paragraphs=max((int(r["cited"].value) for r in rows), default=0),
        notices=texts(rows, "notice"),
    )


def shown_source(show: Presenter, facts: SourceFacts) -> Source:
    return Source(
        article=show.show_iri(facts.article),
        publisher=show.show_iri(facts.publisher) if facts.publisher else None,
        date=facts.date,
        paragraphs=facts.paragraphs,
        notice=pick(facts.notices, show.lang),
    )


def graph_counts(reader: Reader) -> list[tuple[str, str]]:
    rows = reader.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    return [(row["g"].value, format_number(int(row["n"].value))) for row in rows]


def class_counts(reader: Reader) -> list[tuple[str, int]]:
    """Resources per class, as the data states their types, most first."""
    rows = reader.select(
        f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH {iri_list([reader.graph("data")])} {{
          ?s a ?class }} }} GROUP BY ?class ORDER BY DESC(?n) ?class"""
    )
    return [(row["class"].value, int(row["n"].value)) for row in rows]


def division_budgets(reader: Reader) -> list[tuple[str, Decimal | None]]:
    """Each division of the agency with its stated budget (None when the article gives none)."""
    rows = reader.select(
        """SELECT DISTINCT ?division ?value WHERE {
          ?agency nipa:hasDivision ?division .
          OPTIONAL { ?division nipa:hasBudget ?amount . ?amount schema:value ?value } }"""
    )
    budgets = [(r["division"].value, Decimal(r["value"].value) if "value" in r else None) for r in rows]
    return sorted(budgets, key=lambda b: (b[1] is None, -(b[1] or 0), b[0]))


def budget_figure(show: Presenter, divisions: list[tuple[str, Decimal | None]]) -> dict[str, object]:
    lang = show.lang
    not_given = translate("budget_not_given")
    items = []
    for division, value in divisions:
        name = show.name(division)
        value_text = format_krw(value, lang) if value is not None else not_given
        items.append(Item(name.value, name.lang, (float(value),) if value is not None else None, value_text))
    given = [f"{i.label} {i.value_text}" for i in items if i.values]
    missing = [i.label for i in items if not i.values]
    desc = translate("budget_chart_desc") % (
        "; ".join(given),
        translate("budget_not_given_desc") % ", ".join(missing) if missing else "",
    )
    chart = bar_chart("budget-chart", translate("budget_chart_title"), desc.strip(), (), items)
    table = Table(
        translate("budget_chart_title"),
        [translate("division"), translate("budget")],
        [[show.show_iri(d), format_krw(v, lang) if v is not None else not_given] for d, v in divisions],
    )
    return {"budget_chart": chart, "budget_table": table}


def goal_links(reader: Reader) -> list[tuple[str, str, dict[str, int]]]:
    """(goal, notation, links per basis notation) for each strategic goal, in goal order."""
    rows = reader.select(
        """SELECT ?goal ?number ?basis (COUNT(DISTINCT ?item) AS ?n) WHERE {
          ?link a nipa:GoalLink ; nipa:linkGoal ?goal ; nipa:linkSubject ?item ; nipa:linkBasis ?b .
          ?goal skos:notation ?number . ?b skos:notation ?basis }
        GROUP BY ?goal ?number ?basis ORDER BY ?number"""
    )
    goals: dict[str, tuple[str, dict[str, int]]] = {}
    for row in rows:
        _, counts = goals.setdefault(row["goal"].value, (row["number"].value, {}))
        counts[row["basis"].value] = int(row["n"].value)
    return [(goal, number, counts) for goal, (number, counts) in goals.items()]


def goal_figure(show: Presenter, goals: list[tuple[str, str, dict[str, int]]]) -> dict[str, object]:
    stated, curated = translate("stated"), translate("curated")
    items = []
    for _, number, counts in goals:
        s, c = counts.get("stated", 0), counts.get("curated", 0)
        items.append(Item(translate("goal_short") % number, show.lang, (s, c), f"{s} + {c} = {s + c}"))
    summary = "; ".join(f"{i.label}: {stated} {i.values[0]}, {curated} {i.values[1]}" for i in items)  # type: ignore[index]
    chart = bar_chart(
        "goal-chart",
        translate("goal_chart_title"),
        translate("goal_chart_desc") % summary,
        (stated, curated),
        items,
    )
    table = Table(
        translate("goal_chart_title"),
        [translate("goal"), stated, curated, translate("total")],
        [
            [show.show_iri(goal), str(c.get("stated", 0)), str(c.get("curated", 0)), str(sum(c.values()))]
            for goal, _, c in goals
        ],
    )
    return {"goal_chart": chart, "goal_table": table}
