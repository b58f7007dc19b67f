"""HTTP validators and the result cache of the SPARQL endpoint.

- **ETag.** Every query answer carries `ETag: "<hash>"` of the store's data version (`data_version`, which
  changes on every load), the query, its dataset (protocol graphs, base IRI) and the negotiated format,
  and `Cache-Control: public, max-age=60`: the data only changes when the server loads it again, so a
  client may reuse an answer for a minute and then revalidate. A `GET`/`HEAD` whose `If-None-Match` names
  the ETag is answered `304 Not Modified` (`validate`).
- **Result cache.** `ResultCache` keeps whole answers (status, headers, body) of `GET /sparql?query=...`,
  least recently used first out, bounded by the bytes of their bodies and keys (`--cache-size`,
  `NIPA_KG_CACHE_BYTES`; 0 turns it off). `CachingMiddleware` answers a repeated request straight from it
  at the WSGI level, before Flask: no routing, no policy check, no evaluation, no serialisation; the
  stored headers are those the app made (CORS and `Vary` included; the key holds `Accept`, `Origin`,
  `Host` and the query string, so the answer is the one the app would give). A request with
  `Cache-Control: no-cache` (or `Pragma: no-cache`) is evaluated afresh and its answer replaces the stored
  one. Only `200` answers with an ETag are stored; POSTed queries are evaluated every time (with ETag).
- **Invalidation.** Keys start with the data version: after a load the cache is emptied on its next use,
  and every ETag changes.

Each worker process (`--workers`) has its own cache (and counters, see `nipa_kg.server.middleware.metrics`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, Response
from werkzeug.http import parse_etags

from nipa_kg.server.store.base import Store

EXTENSION = "nipa_kg.cache"
CACHE_CONTROL = "public, max-age=60"
ENTRY_OVERHEAD = 512  # bytes counted per entry beside its body and key: headers, bookkeeping
VALIDATOR_HEADERS = frozenset({"etag", "cache-control", "vary", "content-location", "date", "expires"})

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


def etag(version: str, *parts: object) -> str:
    """An opaque entity tag (unquoted) for a representation of `parts` at data `version`."""
    digest = hashlib.blake2b(repr((version, *parts)).encode(), digest_size=16)
    return digest.hexdigest()


def validate(response: Response, request: Request, store: Store, *parts: object) -> Response:
    """Give a query answer its ETag and Cache-Control; a GET/HEAD matching `If-None-Match` becomes 304."""
    version = store.data_version
    if version is None:
        return response
    response.set_etag(etag(version, *parts))
    response.headers["Cache-Control"] = CACHE_CONTROL
    if request.method in ("GET", "HEAD"):
        response.make_conditional(request)
    return response


@dataclass(frozen=True)
class Entry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    size: int

    def not_modified(self) -> list[tuple[str, str]]:
        """The headers a 304 for this entry keeps (RFC 9110 §15.4.5), and CORS."""
        return [
            (name, value)
            for name, value in self.headers
            if name.lower() in VALIDATOR_HEADERS or name.lower().startswith("access-control-")
        ]


class ResultCache:
    """Answers by key, least recently used evicted first, at most `capacity` bytes; thread-safe."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._version: str | None = None
        self.bytes = self.hits = self.misses = self.bypasses = self.evictions = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _check_version(self, version: str) -> None:
        if version != self._version:
            self._entries.clear()
            self.bytes, self._version = 0, version

    def get(self, version: str, key: tuple) -> Entry | None:
        with self._lock:
            self._check_version(version)
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def bypass(self) -> None:
        with self._lock:
            self.bypasses += 1

    def put(self, version: str, key: tuple, entry: Entry) -> None:
        if entry.size > self.capacity:
            return
        with self._lock:
            self._check_version(version)
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.bytes -= previous.size
            self._entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.capacity:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= evicted.size
                self.evictions += 1


def _no_cache(environ: dict) -> bool:
    control = environ.get("HTTP_CACHE_CONTROL", "").lower()
    return (
        "no-cache" in control or "no-store" in control or "no-cache" in environ.get("HTTP_PRAGMA", "").lower()
    )


class CachingMiddleware:
    """Serves repeated `GET {path}?query=...` requests from a `ResultCache`; see the module docstring."""

    def __init__(self, app: WSGIApp, cache: ResultCache, store: Store, path: str = "/sparql") -> None:
        self.app, self.cache, self.store, self.path = app, cache, store, path

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        query_string = environ.get("QUERY_STRING", "")
        version = self.store.data_version
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") != self.path
            or "query=" not in query_string
            or version is None
        ):
            return self.app(environ, start_response)
        key = (
            query_string,
            environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_ORIGIN", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("wsgi.url_scheme", ""),
            environ.get("SCRIPT_NAME", ""),
        )
        if _no_cache(environ):
            self.cache.bypass()
        elif (entry := self.cache.get(version, key)) is not None:
            if_none_match = environ.get("HTTP_IF_NONE_MATCH")
            if if_none_match and parse_etags(if_none_match).contains_weak(entry.etag):
                start_response("304 Not Modified", entry.not_modified())
                return []
            start_response(entry.status, entry.headers)
            return [entry.body]
        return self._answer_and_keep(environ, start_response, version, key)

    def _answer_and_keep(
        self, environ: dict, start_response: StartResponse, version: str, key: tuple
    ) -> Iterable[bytes]:
        answer: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, keep)
        tag = next((value for name, value in answer.get("headers", ()) if name.lower() == "etag"), None)
        if not answer.get("status", "").startswith("200") or tag is None:
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        size = len(body) + sum(len(part) for part in key) + ENTRY_OVERHEAD
        entry = Entry(answer["status"], list(answer["headers"]), body, _unquote(tag), size)
        self.cache.put(version, key, entry)
        return [body]


def _unquote(tag: str) -> str:
    return tag.removeprefix("W/").strip('"')


def init_cache(app: Flask, store: Store, capacity: int) -> ResultCache | None:
    """Put a result cache of `capacity` bytes in front of `app` (none for 0); keep it in `app.extensions`."""
    if capacity <= 0:
        return None
    cache = ResultCache(capacity)
    app.wsgi_app = CachingMiddleware(app.wsgi_app, cache, store)  # type: ignore[method-assign]
    app.extensions[EXTENSION] = cache
    return cache
