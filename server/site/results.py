"""A query run from the query page without JavaScript: its results as a table, and the download links
(`/sparql?query=...&format=...`) that `query.js` also offers when it runs the query in the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import url_for

from nipa_kg.core.formats import RESULTS_FORMATS
from nipa_kg.core.terms import term_from_json
from nipa_kg.server.query.policy import QueryRefused
from nipa_kg.server.query.service import QueryService
from nipa_kg.server.site.i18n import translate
from nipa_kg.server.site.present import Presenter, Shown
from nipa_kg.server.site.serve import GRAPH_FORMATS, Alternate
from nipa_kg.server.store.base import GraphResult, QueryError, QueryOptions


@dataclass
class Results:
    summary: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[Shown | None]] = field(default_factory=list)
    downloads: list[Alternate] = field(default_factory=list)
    error: str | None = None


def downloads(query: str, graph: bool) -> list[Alternate]:
    """Links that run `query` at the endpoint and answer in each format it can have."""
    formats = GRAPH_FORMATS if graph else RESULTS_FORMATS.rows
    endpoint = url_for("sparql.endpoint")
    return [
        Alternate(f"{endpoint}?{urlencode({'query': query, 'format': f.name})}", f.media_type, f.label)
        for f in formats
    ]


def run(queries: QueryService, query: str, options: QueryOptions, show: Presenter) -> Results:
    """Run `query` as the endpoint would (the same query service, timeout and row cap) and lay out its
    results."""
    try:
        result = queries.query(query, options)
    except (QueryRefused, QueryError) as exc:
        return Results(error=str(exc))
    if isinstance(result, GraphResult):
        rows = [[show.show(t.subject), show.show(t.predicate), show.show(t.object)] for t in result.triples]
        columns = [translate("subject"), translate("predicate"), translate("object")]
        summary = translate("result_triples") % len(rows)
        return Results(summary, columns, rows, downloads(query, graph=True))  # type: ignore[arg-type]
    if result.boolean is not None:
        return Results(
            translate("result_boolean") % str(result.boolean).lower(), downloads=downloads(query, False)
        )
    names = result.document["head"]["vars"]  # type: ignore[index]
    bindings = result.document["results"]["bindings"]  # type: ignore[index]
    rows = [[show.show(term_from_json(b[n])) if n in b else None for n in names] for b in bindings]
    summary = translate("result_truncated" if result.truncated else "result_rows") % len(rows)
    return Results(summary, list(names), rows, downloads(query, graph=False))
