"""Content negotiation, in one place, over the format tables of `nipa_kg.core.formats`.

`choose(offers, accept, format_values)` picks the format to answer with:

- a `format` request parameter wins over `Accept` when it names a format (its short name such as `json`,
  `ttl`, `jsonld`, `xml`; a file extension such as `rdf` or `srj`; or a media type). Several values (as
  SPARQLWrapper sends) are tried in order; values naming no format at all are ignored, as clients send
  parameters meant for other servers; a value naming a format this response cannot take is `406`;
- otherwise the `Accept` header (RFC 9110 §12.5.1): each offer gets the q-value of the most specific media
  range matching its canonical media type, the one we send (`type/subtype` over `type/*` over `*/*`;
  parameters other than `q` are ignored); its other media types count only when named exactly
  (`application/json` gets SPARQL JSON results, `application/*` does not get Turtle through
  `application/x-turtle`). The best q wins, ties going to the more specific match, then to the order of
  the offers (the server's preference: the first offer is what `*/*` or no `Accept` gets);
- nothing acceptable (every offer at q=0) is `NotAcceptable` (406), listing what is available.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from flask import Response
from werkzeug.exceptions import NotAcceptable

from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS, Format

HTML = Format("html", "HTML", ("text/html", "application/xhtml+xml"), ("html",))

F = TypeVar("F", bound=Format)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        type_, _, subtype = media_type.partition("/")
        return self.type in ("*", type_) and self.subtype in ("*", subtype)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an `Accept` header; malformed ranges are skipped, no header is `*/*`."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for item in header.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        type_, slash, subtype = media_type.lower().partition("/")
        if not slash or not type_ or not subtype or (type_ == "*" and subtype != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = -1.0
        if q >= 0:
            ranges.append(MediaRange(type_, subtype, q))
    return ranges


def _quality(offer: Format, ranges: Sequence[MediaRange]) -> tuple[float, int]:
    """(q, specificity) of `offer`: what the most specific range matching its canonical media type (the
    one we send) says, unless that is a wildcard and a range names one of its other media types exactly."""
    canonical, *aliases = offer.media_types
    matching = [r for r in ranges if r.matches(canonical)]
    specificity, q = max(((r.specificity, r.q) for r in matching), default=(-1, 0.0))
    if specificity < 2:
        named = [r.q for r in ranges if r.specificity == 2 and any(r.matches(a) for a in aliases)]
        q, specificity = max([(q, specificity), *((q_named, 2) for q_named in named)])
    return q, specificity


def named_format(value: str, formats: Iterable[F]) -> F | None:
    """The format a `format` parameter value names (short name, extension or media type), if any."""
    key = value.split(";")[0].strip().lower()
    return next((f for f in formats if key == f.name or key in f.extensions or key in f.media_types), None)


def choose(offers: Sequence[F], accept: str | None, format_values: Sequence[str] = ()) -> F:
    """The offer to answer with, or raise `NotAcceptable`. Remembered for the last `Accept` headers seen
    (clients send the same few): parsing and scoring them cost 8–11 µs an answer."""
    return _choose(tuple(offers), accept, tuple(format_values))


@lru_cache(maxsize=512)
def _choose(offers: tuple[F, ...], accept: str | None, format_values: tuple[str, ...]) -> F:
    known: list[Format] = [*RESULTS_FORMATS, *RDF_FORMATS, HTML]
    for value in format_values:
        offered = named_format(value, offers)
        if offered is not None:
            return offered
        if named_format(value, known) is not None:
            raise NotAcceptable(f"format={value!r} is not available here; {_available(offers)}")
    ranges = parse_accept(accept)
    scored = [(_quality(offer, ranges), -index, offer) for index, offer in enumerate(offers)]
    (q, _), _, best = max(scored, key=lambda item: (item[0], item[1]))
    if q <= 0:
        raise NotAcceptable(f"nothing here matches Accept: {accept}; {_available(offers)}")
    return best


def _available(offers: Sequence[Format]) -> str:
    return "available: " + ", ".join(f"{f.media_type} (format={f.name})" for f in offers)


def content_type(fmt: Format) -> str:
    """The `Content-Type` to send for `fmt`: its canonical media type, UTF-8 declared for `text/*`."""
    return f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/") else fmt.media_type


def vary_on_accept(response: Response) -> Response:
    """`after_request` hook of the blueprints whose responses depend on `Accept`."""
    response.vary.add("Accept")
    return response
