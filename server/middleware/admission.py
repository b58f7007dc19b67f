"""Admission: at most `overall` requests in flight past the result cache, and at most `per_client` from one
client address; past either, 429 Too Many Requests with `Retry-After`, at once. A reserve of `reserve`
requests beyond `overall` is kept for clients that have none in flight: the fast lane.

Why: a request that runs queries holds a request thread until its answer (or its deadline), and which
query is slow is known only once it runs. Without a bound, a few clients sending slow queries hold every
thread, and a cheap query from anyone else waits behind them. The per-client bound keeps one client from
taking the whole of `overall`; the reserve lets a client that is not already waiting in (so slow queries
from many clients do not shut out the next one); and the server has more request threads than `overall`
plus the reserve (`Settings` checks it), so the threads beyond stay free for cached answers. Static files
and `/metrics` are not counted. A client is its address (`REMOTE_ADDR`): this server does not trust
forwarding headers.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

from nipa_kg.server.middleware.cache import StartResponse, WSGIApp

NOT_COUNTED = ("/static/", "/metrics", "/favicon.ico")
RETRY_AFTER = "1"


class AdmissionMiddleware:
    """Counts requests in flight, overall and per client; see the module docstring."""

    def __init__(self, app: WSGIApp, overall: int, per_client: int, reserve: int) -> None:
        self.app, self.overall, self.per_client, self.reserve = app, overall, per_client, reserve
        self._lock = threading.Lock()
        self._clients: Counter[str] = Counter()
        self._total = 0
        self.refused = 0

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(NOT_COUNTED):
            return self.app(environ, start_response)
        client = environ.get("REMOTE_ADDR", "")
        refusal = self._admit(client)
        if refusal is not None:
            body = f"429 Too Many Requests: {refusal}; retry in a moment\n".encode()
            headers = [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", RETRY_AFTER)]
            start_response("429 Too Many Requests", [*headers, ("Content-Length", str(len(body)))])
            return [body]
        try:
            return self.app(environ, start_response)  # the app's answers are whole when it returns
        finally:
            self._leave(client)

    def _admit(self, client: str) -> str | None:
        """None if the request may go on (and counts it), else why not."""
        with self._lock:
            waiting = self._clients.get(client, 0)
            if self._total >= self.overall + (0 if waiting else self.reserve):
                reason = f"this server answers at most {self.overall} requests at once"
            elif waiting >= self.per_client:
                reason = f"this server answers at most {self.per_client} requests at once from one client"
            else:
                self._total += 1
                self._clients[client] += 1
                return None
            self.refused += 1
            return reason

    def _leave(self, client: str) -> None:
        with self._lock:
            self._total -= 1
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]
