"""What the page of one resource shows: its statements (asserted, and inferred apart), the data-quality
notes placed beside the property they affect (`nipa:affectsProperty`), its provenance (articles and source
paragraphs), its incoming links, and the labels of everything it names.

All of it is read with a few SPARQL queries through the `Reader`; the RDF of a resource is `rdf.py`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pyoxigraph import NamedNode

from nipa_kg.core import namespaces as ns
from nipa_kg.server.site.data import Index, Reader, Term, iri_list
from nipa_kg.server.site.formatting import format_krw
from nipa_kg.server.site.present import Presenter, Shown, Text, literal_text, pick

RDF_TYPE = str(ns.RDF.type)
RDFS = str(ns.RDFS)
SKOS = str(ns.SKOS)
SCHEMA = str(ns.SCHEMA)
PROV_DERIVED = str(ns.PROV.wasDerivedFrom)
OWL_SAME_AS = str(ns.OWL.sameAs)
LABELS = (RDFS + "label", SKOS + "prefLabel")

# Properties shown first, in this order; then the rest by name; then provenance and notes (`LAST`).
FIRST = (RDF_TYPE, *LABELS, SKOS + "altLabel", SKOS + "hiddenLabel", SCHEMA + "description", RDFS + "comment")
LAST = (PROV_DERIVED, "nipa:sourceParagraph", "nipa:hasQualityNote")


@dataclass
class Note:
    """A data-quality note, as shown beside the property it affects."""

    iri: str
    title: Shown
    comment: Text | None
    issue: Shown | None
    as_written: str | None
    paragraphs: list[Shown]
    affects: str | None


@dataclass
class Row:
    """One property with its values and the notes on it."""

    property: Shown
    iri: str
    values: list[Shown] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class Article:
    article: Shown
    publisher: Shown | None
    date: str | None


@dataclass
class Description:
    iri: str
    title: Text
    subtitle: Text | None  # the label in the other language
    types: list[Shown]
    rows: list[Row]
    inferred: list[Row]
    incoming: list[Row]
    loose_notes: list[Note]  # notes that name no property
    articles: list[Article]
    paragraphs: list[tuple[int | None, Shown]]
    same_as: list[Shown]


def exists(reader: Reader, iri: str) -> bool:
    """Whether any graph names the IRI, as subject or object (no graph names what is no IRI: `/id/%00`)."""
    try:
        term = iri_list([iri])
    except ValueError:
        return False
    return reader.ask(f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }}")


def statements(reader: Reader, iri: str) -> tuple[list[tuple[str, Term]], list[tuple[str, Term]]]:
    """(asserted, inferred) statements about the IRI as (predicate, object); each statement once."""
    names = {reader.graph(name): name for name in ("data", "metadata", "inferred", "ontology")}
    rows = reader.select(
        f"SELECT ?p ?o ?g WHERE {{ VALUES ?g {{ {iri_list(names)} }} "
        f"GRAPH ?g {{ {iri_list([iri])} ?p ?o }} }}"
    )
    asserted = {(r["p"].value, r["o"]) for r in rows if names[r["g"].value] != "inferred"}
    inferred = {(r["p"].value, r["o"]) for r in rows if names[r["g"].value] == "inferred"} - asserted
    return sorted(asserted, key=str), sorted(inferred, key=str)


def incoming(reader: Reader, iri: str) -> list[tuple[str, str]]:
    """(subject, predicate) of every asserted statement with the IRI as object."""
    graphs = iri_list([reader.graph("data"), reader.graph("metadata")])
    rows = reader.select(
        f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p {iri_list([iri])} }} "
        "FILTER(isIRI(?s)) }"
    )
    return [(r["s"].value, r["p"].value) for r in rows]


def properties(reader: Reader, iris: Iterable[str], index: Index) -> None:
    """Add every statement about the IRIs (from the union of the graphs) to `index`."""
    wanted = sorted(set(iris))
    if wanted:
        for row in reader.select(f"SELECT ?x ?p ?o WHERE {{ VALUES ?x {{ {iri_list(wanted)} }} ?x ?p ?o }}"):
            index.add(row["x"], row["p"].value, row["o"])


def labels(reader: Reader, iris: Iterable[str]) -> dict[str, list[Text]]:
    """The `rdfs:label` and `skos:prefLabel` texts of the IRIs, from any graph."""
    wanted = {iri for iri in iris if iri}
    found: dict[str, list[Text]] = {}
    if wanted:
        rows = reader.select(
            f"SELECT ?x ?label WHERE {{ VALUES ?x {{ {iri_list(wanted)} }} "
            f"VALUES ?p {{ {iri_list(LABELS)} }} ?x ?p ?label FILTER(isLiteral(?label)) }}"
        )
        for row in rows:
            texts = found.setdefault(row["x"].value, [])
            if (text := literal_text(row["label"])) not in texts:  # type: ignore[arg-type]
                texts.append(text)
    return found


def krw_amounts(reader: Reader, iris: Iterable[str]) -> dict[str, Decimal]:
    """The sums of the IRIs that are amounts in won (`schema:value` with `schema:currency "KRW"`)."""
    wanted = set(iris)
    if not wanted:
        return {}
    rows = reader.select(
        f"""SELECT ?x ?value WHERE {{ VALUES ?x {{ {iri_list(wanted)} }}
        ?x schema:value ?value ; schema:currency "KRW" }}"""
    )
    return {row["x"].value: Decimal(row["value"].value) for row in rows}


def named_iris(index: Index) -> set[str]:
    """Every IRI the index holds, as subject, predicate or object."""
    found = {s.value for s in index.subjects if isinstance(s, NamedNode)}
    for props in index.subjects.values():
        found |= set(props)
        found |= {o.value for objects in props.values() for o in objects if isinstance(o, NamedNode)}
    return found


def describe(reader: Reader, iri: str, lang: str) -> Description:
    """Everything the page of `iri` shows, in the page language `lang`."""
    nipa = {name: reader.term("nipa", name) for name in ("hasQualityNote", "sourceParagraph")}
    asserted, inferred = statements(reader, iri)
    links_in = incoming(reader, iri)

    index = Index()
    for p, o in asserted:
        index.add(NamedNode(iri), p, o)
    notes = index.iris(iri, nipa["hasQualityNote"])
    articles = index.iris(iri, PROV_DERIVED)
    paragraphs = index.iris(iri, nipa["sourceParagraph"])
    properties(reader, [*notes, *articles, *paragraphs], index)
    properties(reader, [p for note in notes for p in index.iris(note, nipa["sourceParagraph"])], index)

    named = named_iris(index) | {p for p, _ in inferred} | {x for link in links_in for x in link}
    named |= {o.value for _, o in inferred if isinstance(o, NamedNode)}
    amounts = krw_amounts(reader, {iri} | {o.value for _, o in asserted if isinstance(o, NamedNode)})
    show = Presenter(reader.base, labels(reader, named), lang, amounts)
    read = Reading(reader, iri, show, index)

    shown_notes = [read.note(note) for note in notes]
    rows = read.rows(asserted, shown_notes)
    placed = {note.iri for row in rows for note in row.notes}
    title = show.name(iri)
    others = [t for t in show.labels.get(iri, ()) if t.lang != title.lang]
    return Description(
        iri=iri,
        title=title,
        subtitle=others[0] if others else None,
        types=[show.show(o) for p, o in asserted if p == RDF_TYPE],
        rows=rows,
        inferred=read.rows(inferred, []),
        incoming=read.incoming(links_in),
        loose_notes=[note for note in shown_notes if note.iri not in placed],
        articles=[read.article(article) for article in articles],
        paragraphs=read.numbered(paragraphs),
        same_as=[show.show(o) for p, o in asserted if p == OWL_SAME_AS],
    )


class Reading:
    """Turns what was read into what the page shows."""

    def __init__(self, reader: Reader, subject: str, show: Presenter, index: Index) -> None:
        self.reader = reader
        self.subject = subject
        self.show = show
        self.index = index
        self.last = [self.nipa(p.removeprefix("nipa:")) if p.startswith("nipa:") else p for p in LAST]

    def nipa(self, name: str) -> str:
        return self.reader.term("nipa", name)

    def note(self, note: str) -> Note:
        issue = self.index.iris(note, self.nipa("issueType"))
        affects = self.index.iris(note, self.nipa("affectsProperty"))
        comments = [literal_text(o) for o in self.index.literals(note, RDFS + "comment")]
        return Note(
            iri=note,
            title=self.show.show_iri(note),
            comment=pick(comments, self.show.lang),
            issue=self.show.show_iri(issue[0]) if issue else None,
            as_written=self.index.literal(note, self.nipa("textAsWritten")),
            paragraphs=[p for _, p in self.numbered(self.index.iris(note, self.nipa("sourceParagraph")))],
            affects=affects[0] if affects else None,
        )

    def numbered(self, paragraphs: list[str]) -> list[tuple[int | None, Shown]]:
        """Paragraphs in the article's order, each with its number."""
        items = []
        for paragraph in paragraphs:
            number = self.index.literal(paragraph, self.nipa("paragraphNumber"))
            items.append((int(number) if number else None, self.show.show_iri(paragraph)))
        return sorted(items, key=lambda item: (item[0] is None, item[0] or 0))

    def article(self, article: str) -> Article:
        publisher = self.index.iris(article, SCHEMA + "publisher")
        return Article(
            self.show.show_iri(article),
            self.show.show_iri(publisher[0]) if publisher else None,
            self.index.literal(article, SCHEMA + "datePublished"),
        )

    def rows(self, statements: list[tuple[str, Term]], notes: list[Note]) -> list[Row]:
        """One row per property, in reading order; a note's property gets a row even with no value."""
        rows: dict[str, Row] = {}
        for p, o in statements:
            self.row(rows, p).values.append(self.value(p, o))
        for note in notes:
            if note.affects:
                self.row(rows, note.affects).notes.append(note)
        lang = self.show.lang
        for row in rows.values():
            row.values.sort(key=lambda v: (v.text.lang != lang, v.text.lang or "", v.text.value))
        return sorted(rows.values(), key=self.reading_order)

    def value(self, prop: str, obj: Term) -> Shown:
        """A value as shown; the `schema:value` of an amount in won also reads as won."""
        shown = self.show.show(obj)
        amount = self.show.amounts.get(self.subject)
        if prop == SCHEMA + "value" and amount is not None:
            return replace(shown, detail=format_krw(amount, self.show.lang))
        return shown

    def row(self, rows: dict[str, Row], prop: str) -> Row:
        return rows.setdefault(prop, Row(self.show.show_iri(prop), prop))

    def reading_order(self, row: Row) -> tuple[int, int, str]:
        if row.iri in FIRST:
            return (0, FIRST.index(row.iri), "")
        if row.iri in self.last:
            return (2, self.last.index(row.iri), "")
        return (1, 0, row.property.text.value.casefold())

    def incoming(self, links: list[tuple[str, str]]) -> list[Row]:
        rows: dict[str, Row] = {}
        for s, p in links:
            self.row(rows, p).values.append(self.show.show_iri(s))
        for row in rows.values():
            row.values.sort(key=lambda v: v.text.value.casefold())
        return sorted(rows.values(), key=lambda row: row.property.text.value.casefold())
