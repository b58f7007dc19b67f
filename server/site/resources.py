"""Resource IRIs: `GET /id/{kind}/{slug}` answers for `{base}id/{kind}/{slug}`.

**Content negotiation: served directly, not redirected.** The IRI answers 200 with the representation
`Accept` picks (HTML, Turtle, JSON-LD, N-Triples, RDF/XML; HTML for `*/*`), with `Vary: Accept`,
`Content-Location` naming the document sent (`/id/x.ttl`, `/id/x.html`) and `Link: rel=alternate` for the
others. Each document also has its own URL by extension (`/id/x.ttl`, `.jsonld`, `.nt`, `.rdf`, `.html`),
which never negotiates.

Why not Pubby's `303 See Other` to the document: the resources are things (an agency, a division), and the
httpRange-14 resolution lets a server answer their IRI with 303 or with 200 and a `Content-Location` that
names the document; the public IRIs already go through a w3id.org redirect, and a second round trip per
resource buys a client nothing it cannot read from `Content-Location`. Caches stay correct with `Vary`.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from nipa_kg.server.site.data import reader
from nipa_kg.server.site.describe import describe, exists
from nipa_kg.server.site.i18n import page_language
from nipa_kg.server.site.rdf import resource_description
from nipa_kg.server.site.serve import Alternate, format_of, negotiated
from nipa_kg.server.site.story import story

bp = Blueprint("resources", __name__)


@bp.route("/id/<path:path>")
def page(path: str) -> Response | tuple[str, int]:
    """`/id/x.ext` is the document of `{base}id/x` in that format, unless `{base}id/x.ext` is a resource
    itself; `/id/x` negotiates."""
    source = reader()
    stem, _, extension = path.rpartition(".")
    if stem and format_of(extension) and exists(source, f"{source.base}id/{stem}"):
        path, chosen = stem, extension
    elif exists(source, f"{source.base}id/{path}"):
        chosen = None
    else:
        return render_template("not_found.html", iri=f"{source.base}id/{path}"), 404
    iri = f"{source.base}id/{path}"

    def html(links: list[Alternate]) -> str:
        lang = page_language()
        description = describe(source, iri, lang)
        summary = story(source, iri, lang)
        return render_template("resource.html", d=description, story=summary, formats=links, alternates=links)

    url = f"{request.script_root}/id/{path}"
    return negotiated(url, chosen, html, lambda: resource_description(source, iri), source.base)
