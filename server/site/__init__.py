"""The human-facing linked-data site: home page, resource pages, query page, search, ontology and shapes
documentation, dumps and VoID. One parent blueprint (`bp`) holds a child blueprint per page family and the
template helpers every page uses (words in the page language, the language switch, the navigation).

Imports: every layer below (`protocol`, `middleware`, `query`, `store`), `nipa_kg.core`, `nipa_kg.graph`
(the build's serialiser and names) and `nipa_kg.server.settings`; pages read data only through the query
service (`data.Reader`) or the store's graph serialisations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from nipa_kg.server.site import downloads, history, home, query, resources, search, vocabulary
from nipa_kg.server.site.i18n import LANGUAGES, page_language, remember_language, translate
from nipa_kg.server.site.search_index import MAX_CHARS

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}
NAVIGATION = (
    ("site.home.index", "nav_home"),
    ("site.query.page", "nav_query"),
    ("site.vocabulary.ontology", "nav_ontology"),
    ("site.vocabulary.shapes", "nav_shapes"),
    ("site.downloads.index", "nav_dumps"),
    ("site.history.page", "nav_history"),
)
SOURCE_PATH = "source/zdnet-2025-02-06"

bp = Blueprint("site", __name__)
for child in (home.bp, resources.bp, query.bp, vocabulary.bp, downloads.bp, search.bp, history.bp):
    bp.register_blueprint(child)
bp.after_app_request(remember_language)


def lang_url(code: str) -> str:
    """This page in another language: the same URL with `lang=code`."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.script_root}{request.path}?{urlencode(args, doseq=True)}"


def not_found_page() -> tuple[str, int, dict[str, str]]:
    """The site's 404 page for an address that is no page of the site (a browser's request; the plain
    text answer to others, hence `Vary`)."""
    page = render_template("not_found.html", iri=request.url, text_key="page_not_found_text")
    return page, 404, {"Vary": "Accept"}


@bp.app_context_processor
def template_helpers() -> dict[str, Any]:
    return {
        "t": translate,
        "lang": page_language(),
        "language_names": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "lang_url": lang_url,
        "site_nav": NAVIGATION,
        "source_path": SOURCE_PATH,
        "search_max": MAX_CHARS,
    }
