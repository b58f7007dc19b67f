"""`/metrics`: the server's counters in the Prometheus text exposition format (text/plain; version=0.0.4).

- `nipa_kg_http_requests_total{status="200"}`: answered requests by HTTP status;
- `nipa_kg_http_request_duration_seconds`: a histogram of the time from a request reaching the app to its
  answer being ready (cache hits included);
- `nipa_kg_cache_{hits,misses,bypasses,evictions}_total`, `nipa_kg_cache_entries`, `nipa_kg_cache_bytes`
  and `nipa_kg_cache_capacity_bytes`: the result cache (`nipa_kg.server.middleware.cache`), when it is on.

Requests are counted by a WSGI middleware around everything else, the result cache included. Counters
live in the process: with several worker processes each answers `/metrics` with its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Flask, Response, current_app

from nipa_kg.server.middleware.cache import EXTENSION as CACHE_EXTENSION
from nipa_kg.server.middleware.cache import ResultCache, StartResponse, WSGIApp

EXTENSION = "nipa_kg.metrics"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

bp = Blueprint("metrics", __name__)


class RequestMetrics:
    """Requests by status and a latency histogram; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.statuses: dict[str, int] = {}
        self.buckets = [0] * (len(BUCKETS) + 1)  # the last is +Inf
        self.total_seconds = 0.0

    def observe(self, status: str, seconds: float) -> None:
        index = next((i for i, bound in enumerate(BUCKETS) if seconds <= bound), len(BUCKETS))
        with self._lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.buckets[index] += 1
            self.total_seconds += seconds


class MetricsMiddleware:
    """Times and counts every request the app answers."""

    def __init__(self, app: WSGIApp, metrics: RequestMetrics) -> None:
        self.app, self.metrics = app, metrics

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["500"]

        def counted(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = code[:3]
            return start_response(code, headers, exc_info)

        try:
            return self.app(environ, counted)
        finally:
            self.metrics.observe(status[0], time.perf_counter() - started)


def exposition(metrics: RequestMetrics, cache: ResultCache | None) -> str:
    """The Prometheus text format of the counters."""
    lines = [
        "# HELP nipa_kg_http_requests_total HTTP requests answered, by status.",
        "# TYPE nipa_kg_http_requests_total counter",
        *(f'nipa_kg_http_requests_total{{status="{s}"}} {n}' for s, n in sorted(metrics.statuses.items())),
        "# HELP nipa_kg_http_request_duration_seconds Time to answer a request.",
        "# TYPE nipa_kg_http_request_duration_seconds histogram",
    ]
    cumulative = 0
    for bound, count in zip((*BUCKETS, float("inf")), metrics.buckets, strict=True):
        cumulative += count
        le = "+Inf" if bound == float("inf") else repr(bound)
        lines.append(f'nipa_kg_http_request_duration_seconds_bucket{{le="{le}"}} {cumulative}')
    lines += [
        f"nipa_kg_http_request_duration_seconds_sum {metrics.total_seconds!r}",
        f"nipa_kg_http_request_duration_seconds_count {cumulative}",
    ]
    if cache is not None:
        for name, kind, value, help_ in (
            ("hits_total", "counter", cache.hits, "Queries answered from the result cache."),
            ("misses_total", "counter", cache.misses, "Cacheable queries not in the result cache."),
            ("bypasses_total", "counter", cache.bypasses, "Queries sent with Cache-Control: no-cache."),
            ("evictions_total", "counter", cache.evictions, "Answers dropped to keep within the bound."),
            ("entries", "gauge", len(cache), "Answers in the result cache."),
            ("bytes", "gauge", cache.bytes, "Bytes counted against the result cache's bound."),
            ("capacity_bytes", "gauge", cache.capacity, "The result cache's bound in bytes."),
        ):
            lines += [f"# HELP nipa_kg_cache_{name} {help_}", f"# TYPE nipa_kg_cache_{name} {kind}"]
            lines.append(f"nipa_kg_cache_{name} {value}")
    return "\n".join(lines) + "\n"


@bp.route("/metrics")
def metrics() -> Response:
    body = exposition(current_app.extensions[EXTENSION], current_app.extensions.get(CACHE_EXTENSION))
    return Response(body, content_type=CONTENT_TYPE)


def init_metrics(app: Flask) -> None:
    """Count and time every request of `app` (outermost, around the result cache) and serve /metrics."""
    registry = RequestMetrics()
    app.extensions[EXTENSION] = registry
    app.register_blueprint(bp)
    app.wsgi_app = MetricsMiddleware(app.wsgi_app, registry)  # type: ignore[method-assign]
