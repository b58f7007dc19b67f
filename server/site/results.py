"""A query run from the query page without JavaScript: one page of its results as a table, links to the
other pages, and the download links (`/sparql?query=...&format=...`) that `query.js` also offers when it
runs the query in the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import url_for

from nipa_kg.core.formats import RESULTS_FORMATS
from nipa_kg.core.terms import term_from_json
from nipa_kg.server.query.policy import QueryRefused
from nipa_kg.server.query.service import QueryService
from nipa_kg.server.site.formatting import format_number
from nipa_kg.server.site.i18n import translate
from nipa_kg.server.site.present import Presenter, Shown
from nipa_kg.server.site.serve import GRAPH_FORMATS, Alternate
from nipa_kg.server.store.base import GraphResult, QueryError, QueryOptions

PAGE_SIZE = 100  # rows drawn per page, on the server as in the browser (query.js)


@dataclass(frozen=True)
class Paging:
    """Which rows of a result a page shows: page `number` (from 1) of `size` rows out of `total`."""

    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.total, self.start + self.size)

    def text(self) -> str:
        """`Rows 101–200 of 6,972`, in the page language."""
        numbers = (self.start + 1 if self.total else 0, self.stop, self.total)
        return translate("page_rows") % tuple(format_number(n) for n in numbers)


def paging(requested: int, total: int) -> Paging:
    """The page asked for, kept inside the result (a page past the end is the last page)."""
    last = Paging(1, total).pages
    return Paging(min(max(requested, 1), last), total)


@dataclass
class Results:
    summary: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[Shown | None]] = field(default_factory=list)
    downloads: list[Alternate] = field(default_factory=list)
    error: str | None = None
    paging: Paging | None = None


def downloads(query: str, graph: bool) -> list[Alternate]:
    """Links that run `query` at the endpoint and answer in each format it can have."""
    formats = GRAPH_FORMATS if graph else RESULTS_FORMATS.rows
    endpoint = url_for("sparql.endpoint")
    return [
        Alternate(f"{endpoint}?{urlencode({'query': query, 'format': f.name})}", f.media_type, f.label)
        for f in formats
    ]


def run(queries: QueryService, query: str, options: QueryOptions, show: Presenter, page: int = 1) -> Results:
    """Run `query` as the endpoint would (the same query service, timeout and row cap) and lay out page
    `page` of its results."""
    try:
        result = queries.query(query, options)
    except (QueryRefused, QueryError) as exc:
        return Results(error=str(exc))
    if isinstance(result, GraphResult):
        triples = result.triples
        shown = paging(page, len(triples))
        rows = [
            [show.show(t.subject), show.show(t.predicate), show.show(t.object)]
            for t in triples[shown.start : shown.stop]
        ]
        columns = [translate("subject"), translate("predicate"), translate("object")]
        summary = translate("result_triples") % format_number(len(triples))
        return Results(summary, columns, rows, downloads(query, graph=True), paging=shown)  # type: ignore[arg-type]
    if result.boolean is not None:
        return Results(
            translate("result_boolean") % str(result.boolean).lower(), downloads=downloads(query, False)
        )
    names = result.document["head"]["vars"]  # type: ignore[index]
    bindings = result.document["results"]["bindings"]  # type: ignore[index]
    shown = paging(page, len(bindings))
    rows = [
        [show.show(term_from_json(b[n])) if n in b else None for n in names]
        for b in bindings[shown.start : shown.stop]
    ]
    summary = translate("result_truncated" if result.truncated else "result_rows") % format_number(
        len(bindings)
    )
    return Results(summary, list(names), rows, downloads(query, graph=False), paging=shown)
