"""/metrics: Prometheus text exposition format 0.0.4, request counts by status, the latency histogram."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from flask.testing import FlaskClient

MakeClient = Callable[..., FlaskClient]
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(rf'^({NAME})(?:\{{((?:[a-zA-Z_]\w*="(?:[^"\\\n]|\\.)*",?)*)\}})? (\S+)(?: -?\d+)?$')
COMMENT = re.compile(rf"^# (HELP|TYPE) ({NAME}) (.*)$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse(text: str) -> tuple[dict[str, str], list[tuple[str, dict[str, str], float]]]:
    """(type by family, samples) of a Prometheus text exposition; asserts its grammar as it goes."""
    assert text.endswith("\n")
    types: dict[str, str] = {}
    samples = []
    for line in text.splitlines():
        if line.startswith("#"):
            match = COMMENT.match(line)
            assert match, line
            if match.group(1) == "TYPE":
                assert match.group(3) in TYPES and match.group(2) not in types, line
                types[match.group(2)] = match.group(3)
            continue
        match = SAMPLE.match(line)
        assert match, line
        name, labels, value = match.groups()
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no TYPE line before it"
        pairs = dict(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', labels or ""))
        samples.append((name, pairs, float(value)))
    return types, samples


def test_metrics_parse_as_prometheus_text(client: FlaskClient) -> None:
    client.get("/sparql", query_string={"query": "ASK {}"})
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    types, samples = parse(response.get_data(as_text=True))
    assert types["nipa_kg_http_requests_total"] == "counter"
    assert types["nipa_kg_http_request_duration_seconds"] == "histogram"
    assert types["nipa_kg_cache_hits_total"] == "counter" and types["nipa_kg_cache_bytes"] == "gauge"
    assert all(math.isfinite(value) and value >= 0 for _, _, value in samples)


def test_requests_are_counted_by_status_and_timed(make_client: MakeClient) -> None:
    client = make_client()  # its own counters
    for query in ("ASK {}", "ASK {}", "SELECT * {"):
        client.get("/sparql", query_string={"query": query})
    client.put("/sparql")
    _, samples = parse(client.get("/metrics").get_data(as_text=True))
    by_status = {
        labels["status"]: value for name, labels, value in samples if name == "nipa_kg_http_requests_total"
    }
    assert by_status == {"200": 2.0, "400": 1.0, "405": 1.0}
    buckets = [(labels["le"], value) for name, labels, value in samples if name.endswith("_seconds_bucket")]
    counts = [value for _, value in buckets]
    assert counts == sorted(counts) and buckets[-1] == ("+Inf", 4.0)  # cumulative, /metrics not yet counted
    count = next(value for name, _, value in samples if name == "nipa_kg_http_request_duration_seconds_count")
    total = next(value for name, _, value in samples if name == "nipa_kg_http_request_duration_seconds_sum")
    assert count == 4.0 and total > 0


def test_cache_hits_are_requests_too(make_client: MakeClient) -> None:
    client = make_client()
    for _ in range(3):
        client.get("/sparql", query_string={"query": "ASK {}"})
    _, samples = parse(client.get("/metrics").get_data(as_text=True))
    values = {name: value for name, labels, value in samples if not labels}
    assert values["nipa_kg_cache_hits_total"] == 2 and values["nipa_kg_cache_misses_total"] == 1
    assert values["nipa_kg_http_request_duration_seconds_count"] == 3
