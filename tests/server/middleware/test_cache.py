"""ETags, 304s and the result cache of /sparql, through the Flask test client; the counters on /metrics
prove what the cache did."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.server.middleware.cache import Entry, ResultCache
from nipa_kg.server.store.embedded import EmbeddedStore
from tests.processes import free_port, stop

MakeClient = Callable[..., FlaskClient]
FIXTURES = Path(__file__).parents[1] / "fixtures"
AGENCY = "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#> SELECT ?a { ?a a nipa:Agency }"
SAYS = "SELECT ?o { <http://example.org/extra> <http://example.org/says> ?o }"
JSON = {"Accept": "application/sparql-results+json"}


def counters(client: FlaskClient) -> dict[str, float]:
    """The unlabelled samples of /metrics, by name."""
    text = client.get("/metrics").get_data(as_text=True)
    return {
        name: float(value)
        for name, value in (
            line.split(" ") for line in text.splitlines() if line and not line.startswith("#")
        )
        if "{" not in name
    }


def get(client: FlaskClient, query: str, **headers: str):  # noqa: ANN201 - a werkzeug TestResponse
    return client.get("/sparql", query_string={"query": query}, headers={**JSON, **headers})


def test_every_answer_has_a_stable_etag_per_data_query_and_format(client: FlaskClient) -> None:
    first, again = get(client, AGENCY), get(client, AGENCY)
    assert first.headers["ETag"] and first.headers["ETag"] == again.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    csv = get(client, AGENCY, Accept="text/csv")
    other = get(client, "ASK {}")
    assert len({first.headers["ETag"], csv.headers["ETag"], other.headers["ETag"]}) == 3
    posted = client.post("/sparql", data={"query": AGENCY}, headers=JSON)
    assert posted.headers["ETag"] == first.headers["ETag"]
    construct = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a ?o }"})
    assert construct.status_code == 200 and construct.headers["ETag"]


@pytest.mark.parametrize("cache_bytes", [0, 1 << 20], ids=["without cache", "with cache"])
def test_if_none_match_is_304(make_client: MakeClient, cache_bytes: int) -> None:
    client = make_client(cache_bytes=cache_bytes)
    tag = get(client, AGENCY).headers["ETag"]
    for _ in range(2):  # the second from the cache, when there is one
        answer = get(client, AGENCY, **{"If-None-Match": tag})
        assert answer.status_code == 304 and answer.get_data() == b""
        assert answer.headers["ETag"] == tag and answer.headers["Access-Control-Allow-Origin"] == "*"
    assert get(client, AGENCY, **{"If-None-Match": '"other"'}).status_code == 200
    assert client.post("/sparql", data={"query": AGENCY}, headers={"If-None-Match": tag}).status_code == 200


def test_repeated_gets_are_hits_and_answer_the_same(client: FlaskClient) -> None:
    before = counters(client)
    first, second = get(client, AGENCY), get(client, AGENCY)
    after = counters(client)
    assert after["nipa_kg_cache_hits_total"] - before["nipa_kg_cache_hits_total"] == 1
    assert after["nipa_kg_cache_misses_total"] - before["nipa_kg_cache_misses_total"] == 1
    assert second.get_data() == first.get_data()
    assert dict(second.headers) == dict(first.headers)


def test_no_cache_bypasses_the_cache(client: FlaskClient) -> None:
    get(client, AGENCY)
    before = counters(client)
    fresh = get(client, AGENCY, **{"Cache-Control": "no-cache"})
    assert fresh.status_code == 200
    after = counters(client)
    assert after["nipa_kg_cache_hits_total"] == before["nipa_kg_cache_hits_total"]
    assert after["nipa_kg_cache_bypasses_total"] == before["nipa_kg_cache_bypasses_total"] + 1
    get(client, AGENCY)
    assert counters(client)["nipa_kg_cache_hits_total"] == before["nipa_kg_cache_hits_total"] + 1


def test_errors_are_not_cached(client: FlaskClient) -> None:
    before = counters(client)
    assert get(client, "SELECT * {").status_code == 400
    assert get(client, "SELECT * {").status_code == 400
    after = counters(client)
    assert after["nipa_kg_cache_hits_total"] == before["nipa_kg_cache_hits_total"]
    assert after["nipa_kg_cache_misses_total"] == before["nipa_kg_cache_misses_total"] + 2


def test_a_load_invalidates_the_cache_and_the_etags(make_client: MakeClient) -> None:
    store = EmbeddedStore(workers=2)
    store.load(FIXTURES / "extra.ttl", RDF_FORMATS.by_name("ttl"))
    client = make_client(store)
    old = get(client, SAYS)
    assert get(client, SAYS).get_data() == old.get_data()  # a hit
    store.load(
        b'<http://example.org/extra> <http://example.org/says> "and more" .', RDF_FORMATS.by_name("nt")
    )
    before = counters(client)
    new = get(client, SAYS, **{"If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200 and new.headers["ETag"] != old.headers["ETag"]
    assert len(new.get_json()["results"]["bindings"]) == 2
    after = counters(client)
    assert after["nipa_kg_cache_hits_total"] == before["nipa_kg_cache_hits_total"]
    assert after["nipa_kg_cache_entries"] == 1  # the old answers are gone


def test_the_cache_keeps_within_its_bound(make_client: MakeClient) -> None:
    client = make_client(cache_bytes=4096)
    for n in range(40):
        assert get(client, f"SELECT ?n {{ BIND({n} AS ?n) }}").status_code == 200
    seen = counters(client)
    assert 0 < seen["nipa_kg_cache_bytes"] <= seen["nipa_kg_cache_capacity_bytes"] == 4096
    assert seen["nipa_kg_cache_evictions_total"] > 0
    assert seen["nipa_kg_cache_entries"] < 40


def test_least_recently_used_answers_go_first() -> None:
    cache = ResultCache(capacity=300)
    entry = Entry("200 OK", [], b"x" * 50, "tag", size=100)
    for key in ("a", "b", "c"):
        cache.put("v1", (key,), entry)
    assert cache.get("v1", ("a",)) is entry  # now the most recently used
    cache.put("v1", ("d",), entry)
    assert cache.get("v1", ("b",)) is None and cache.get("v1", ("a",)) is entry
    assert cache.bytes == 300 and cache.evictions == 1
    cache.put("v1", ("huge",), Entry("200 OK", [], b"", "tag", size=301))  # never fits: not kept
    assert len(cache) == 3
    assert cache.get("v2", ("a",)) is None and len(cache) == 0 and cache.bytes == 0  # a new data version


def test_no_cache_when_the_size_is_zero(make_client: MakeClient) -> None:
    client = make_client(cache_bytes=0)
    assert get(client, AGENCY).headers["ETag"] == get(client, AGENCY).headers["ETag"]
    assert "nipa_kg_cache_hits_total" not in counters(client)


def test_every_worker_gives_the_same_etag(tmp_path: Path) -> None:
    """With --workers 2 the master hands its data to the first worker and the second loads it again
    (`EmbeddedStore.release_on_fork`): same data version, same ETags, whichever worker answers."""
    port, log = free_port(), tmp_path / "serve.log"
    command = [
        str(Path(sys.executable).parent / "nipa-kg"),
        "serve",
        "--dataset",
        str(FIXTURES / "dataset.trig"),
    ]
    command += ["--port", str(port), "--workers", "2", "--threads", "2"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 20
        while log.read_text().count("Started worker") < 2 or not _answers(url):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        answers = {
            (response.headers["ETag"], response.text)
            for response in (
                requests.get(url, params={"query": AGENCY}, headers=JSON, timeout=5) for _ in range(20)
            )
        }
        assert len(answers) == 1 and "agency/nipa" in answers.pop()[1]
    finally:
        stop(process)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200
    except requests.ConnectionError:
        return False
