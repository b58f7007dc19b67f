"""Answering with a description in the format asked for: by extension (`/id/x.ttl`, which never
negotiates) or by `Accept` on the bare URL (then `Content-Location` names the document sent and `Vary:
Accept` keeps caches right); either way `Link: rel=alternate` lists the other formats. RDF is written by
the build's serialiser, so it reads like the dumps the build writes (our prefixes, compact JSON-LD)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Response, abort, request
from rdflib import Dataset

from nipa_kg.core.formats import RDF_FORMATS, Format, GraphFormat
from nipa_kg.graph.export import serialize
from nipa_kg.server.protocol.negotiation import HTML, choose, content_type, named_format

# The formats of a description (a graph); the dumps also offer the dataset formats (TriG, N-Quads).
GRAPH_FORMATS: tuple[GraphFormat, ...] = tuple(f for f in RDF_FORMATS if not f.named_graphs)
OFFERS: tuple[Format, ...] = (HTML, *GRAPH_FORMATS)  # HTML first: what `*/*` gets


@dataclass(frozen=True)
class Alternate:
    """A link to the same description in another format."""

    href: str
    media_type: str
    label: str


def alternates(path: str, formats: Sequence[GraphFormat] = GRAPH_FORMATS) -> list[Alternate]:
    """`path.ext` for each format, canonical extension first (`/id/x` → `/id/x.ttl`, ...)."""
    return [Alternate(f"{path}.{f.extension}", f.media_type, f.label) for f in formats]


def format_of(extension: str) -> Format | None:
    """The format an extension names among the offers (`ttl`, `jsonld`, `json`, `rdf`, `html`...)."""
    return named_format(extension, OFFERS) if extension and "/" not in extension else None


def rdf_response(dataset: Dataset, fmt: GraphFormat, base: str) -> Response:
    return Response(serialize(dataset, fmt, base), content_type=content_type(fmt))


def negotiated(
    url: str,
    extension: str | None,
    html: Callable[[list[Alternate]], str],
    rdf: Callable[[], Dataset],
    base: str,
) -> Response:
    """The document at `url` (`extension` given: that format; None: negotiated), as HTML (`html(links to
    the RDF formats)`) or as RDF (`rdf()`); an unknown extension is 404."""
    if extension is None:
        fmt = choose(OFFERS, request.headers.get("Accept"), request.args.getlist("format"))
    elif (found := format_of(extension)) is None:
        abort(404)
    else:
        fmt = found
    links = alternates(url)
    if fmt is HTML:
        response = Response(html(links))
    else:
        assert isinstance(fmt, GraphFormat)
        response = rdf_response(rdf(), fmt, base)
    if extension is None:
        response.headers["Content-Location"] = f"{url}.{fmt.extension}"
        response.vary.add("Accept")
    response.headers["Link"] = ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in links)
    return response
