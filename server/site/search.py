"""`/search?q=`: resources found by the words of their labels and descriptions (`search_index`), grouped by
type, each with its label in both languages and a link; HTML for browsers (the search box in every page's
header sends here), JSON for `Accept: application/json` or `format=json`.

Bad input gets an answer, never an error page: an empty search a page saying what to type, a search longer
than `MAX_CHARS` a 400 saying so, one shorter than three characters a note that it was matched as a plain
substring (trigram needs three).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from nipa_kg.server.protocol.context import services
from nipa_kg.server.site.data import reader
from nipa_kg.server.site.formatting import format_number
from nipa_kg.server.site.i18n import page_language, translate
from nipa_kg.server.site.present import Presenter, Text
from nipa_kg.server.site.search_index import MAX_CHARS, TRIGRAM, Match, SearchIndex, Snapshot, normalise

bp = Blueprint("search", __name__)

EXTENSION = "nipa_kg_search"  # the app's SearchIndex, in app.extensions
RESULT_LIMIT = 100  # resources listed
# Types listed after the others: the figures, links, notes and paragraphs that hang off the main resources.
SECONDARY = ("BudgetAmount", "BudgetShare", "BudgetChange", "GoalLink", "DataQualityNote", "SourceParagraph")


@dataclass(frozen=True)
class Hit:
    iri: str
    href: str
    external: bool
    title: Text  # the label in the page language (or another)
    labels: dict[str, str]  # language → label
    curie: str
    match: Match
    pieces: list[tuple[str, bool]]  # the matching text, the match marked


@dataclass
class Group:
    type: str | None
    title: Text
    hits: list[Hit] = field(default_factory=list)


@dataclass
class Outcome:
    query: str
    status: int = 200
    notice: str | None = None  # a message key: what was wrong with the query, or how it was matched
    groups: list[Group] = field(default_factory=list)
    count: int = 0  # resources found (more than listed when over RESULT_LIMIT)

    @property
    def listed(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def search_index() -> SearchIndex:
    """The current app's index (made on the first search; `dict.setdefault` keeps one per app)."""
    return current_app.extensions.setdefault(EXTENSION, SearchIndex())


def build_search_index(app: Flask) -> None:
    """Build `app`'s index now (`serve` does, at start; an app in a test builds it on its first search)."""
    with app.test_request_context():
        search_index().snapshot(reader(), services().store.data_version)


def marked(text: str, query: str) -> list[tuple[str, bool]]:
    """`text` in pieces, those equal to `query` (ignoring case) marked."""
    pieces = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return [(piece, index % 2 == 1) for index, piece in enumerate(pieces) if piece]


def find(raw: str, lang: str) -> Outcome:
    query = normalise(raw)
    if not query:
        return Outcome("", notice="search_empty")
    if len(query) > MAX_CHARS:
        return Outcome(query[:MAX_CHARS] + "…", status=400, notice="search_too_long")
    source = reader()
    snapshot, matches = search_index().search(source, services().store.data_version, query)
    outcome = Outcome(query, notice="search_short" if len(query) < TRIGRAM else None, count=len(matches))
    outcome.groups = grouped(snapshot, matches[:RESULT_LIMIT], query, Presenter(source.base, {}, lang))
    return outcome


def grouped(snapshot: Snapshot, matches: list[Match], query: str, show: Presenter) -> list[Group]:
    """The matches by type, main types first, in the order of their best match."""
    nipa = show.prefixes["nipa"]
    labels = {iri: [Text(v, k or None) for k, v in texts.items()] for iri, texts in snapshot.labels.items()}
    show = Presenter(show.base, labels, show.lang)
    groups: dict[str | None, Group] = {}
    for match in matches:
        types = snapshot.types.get(match.iri, [])
        kind = next((t for t in types if t.startswith(nipa)), types[0] if types else None)
        if kind not in groups:
            groups[kind] = Group(kind, show.name(kind) if kind else Text(translate("search_untyped")))
        href, external = show.href(match.iri)
        groups[kind].hits.append(
            Hit(
                iri=match.iri,
                href=href,
                external=external,
                title=show.name(match.iri),
                labels=snapshot.labels.get(match.iri, {}),
                curie=show.curie(match.iri),
                match=match,
                pieces=marked(match.text, query),
            )
        )

    def secondary(group: Group) -> bool:
        return group.type is None or not group.type.startswith(nipa) or group.type[len(nipa) :] in SECONDARY

    return sorted(groups.values(), key=secondary)  # stable: each part keeps the order of its best match


def as_json(outcome: Outcome) -> dict[str, object]:
    document: dict[str, object] = {"query": outcome.query, "count": outcome.count, "listed": outcome.listed}
    if outcome.notice:
        document["error" if outcome.status >= 400 else "note"] = notice_text(outcome)
    document["groups"] = [
        {
            "type": group.type,
            "label": group.title.value,
            "results": [
                {
                    "iri": hit.iri,
                    "url": request.host_url.rstrip("/") + hit.href if not hit.external else hit.iri,
                    "label": hit.labels,
                    "matched": {"field": hit.match.field, "lang": hit.match.lang, "text": hit.match.text},
                }
                for hit in group.hits
            ],
        }
        for group in outcome.groups
    ]
    return document


def notice_text(outcome: Outcome) -> str:
    key = outcome.notice or ""
    if key == "search_too_long":
        return translate(key) % format_number(MAX_CHARS)
    return translate(key) % TRIGRAM if key == "search_short" else translate(key)


def wants_json() -> bool:
    if request.args.get("format") == "json":
        return True
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json"


@bp.route("/search")
def page() -> Response | tuple[str, int, dict[str, str]]:
    outcome = find(request.args.get("q", ""), page_language())
    if wants_json():
        response = jsonify(as_json(outcome))
        response.status_code = outcome.status
        response.vary.add("Accept")
        return response
    html = render_template(
        "search.html", outcome=outcome, notice=notice_text(outcome) if outcome.notice else None
    )
    return html, outcome.status, {"Vary": "Accept"}
