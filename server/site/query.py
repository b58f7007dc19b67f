"""The query page, at `/query` and at `/sparql` for `Accept: text/html` (the SPARQL blueprint calls this
blueprint's `page`): the editor, the canned example questions, and, for a query posted by the form (or
`?query=`, as the example links and the pages of a result send it) without JavaScript, the results drawn on
the server, one page (`page=`) at a time. With JavaScript, `query.js` turns the textarea into a CodeMirror
editor and draws the results in the browser."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for

from nipa_kg.core.formats import RESULTS_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE, namespaces_for
from nipa_kg.server.protocol.context import services
from nipa_kg.server.site.canned import canned_queries
from nipa_kg.server.site.data import reader
from nipa_kg.server.site.i18n import page_language, translate
from nipa_kg.server.site.present import Presenter, Text
from nipa_kg.server.site.results import run
from nipa_kg.server.site.serve import GRAPH_FORMATS
from nipa_kg.server.store.base import QueryOptions

bp = Blueprint("query", __name__)

# The vendored editor (static/vendor/codemirror-6.44.2/README.md says what it is and how it was built).
CODEMIRROR = "vendor/codemirror-6.44.2/codemirror.min.js"

SCRIPT_WORDS = (
    "running",
    "seconds",
    "cancel",
    "cancelled",
    "query_failed",
    "download_results",
    "result_rows",
    "result_truncated",
    "result_boolean",
    "result_triples",
    "subject",
    "predicate",
    "object",
    "pages",
    "page_rows",
    "page_first",
    "page_previous",
    "page_next",
    "page_last",
    "page_size",
    "result_views",
    "view_table",
    "view_chart",
    "sort_by",
    "chart_caption",
    "chart_first_rows",
    "no_value",
)


@dataclass(frozen=True)
class Example:
    title: Text
    description: Text | None
    sparql: str


def examples(base: str, lang: str) -> list[Example]:
    """The canned queries for a page in `lang`, their IRIs moved to the configured base."""
    found = []
    for query in canned_queries():
        description = query.description(lang)
        found.append(
            Example(
                Text(*query.title(lang)),
                Text(*description) if description else None,
                query.sparql.replace(DEFAULT_BASE, base),
            )
        )
    return found


def editor_context() -> dict[str, object]:
    """What the query editor (`_query_editor.html`) needs, on the query page and on the home page."""
    source, lang = reader(), page_language()
    canned = examples(source.base, lang)
    text = request.values.get("query") if request.endpoint == "site.query.page" else None
    settings = source.settings
    results = None
    if text:
        show = Presenter(source.base, {}, lang)
        options = QueryOptions(timeout=settings.query_timeout, row_cap=settings.row_cap)
        results = run(services().queries, text, options, show, request.values.get("page", 1, type=int))
    return {
        "canned": canned,
        "query_text": text or next((query.sparql for query in canned), ""),
        "results": results,
        "script_data": script_data(source.base),
        "codemirror_script": CODEMIRROR,
        "page_url": lambda number: url_for("site.query.page", query=text, page=number) + "#results",
    }


def script_data(base: str) -> dict[str, str]:
    """What `query.js` needs to draw results as the server does, as `data-*` attributes (JSON)."""
    formats = {
        "result-formats": RESULTS_FORMATS.rows,
        "graph-formats": GRAPH_FORMATS,
    }
    data = {
        "base": base,
        "root": request.script_root,
        "prefixes": json.dumps(namespaces_for(base)),
        "words": json.dumps({key: translate(key) for key in SCRIPT_WORDS}, ensure_ascii=False),
    }
    for key, rows in formats.items():
        data[key] = json.dumps([{"name": f.name, "media_type": f.media_type, "label": f.label} for f in rows])
    return data


def render_query_page() -> str:
    return render_template(
        "query.html", endpoint_url=url_for("sparql.endpoint", _external=True), **editor_context()
    )


@bp.route("/query", methods=["GET", "POST"])
def page() -> str:
    return render_query_page()
