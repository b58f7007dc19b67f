"""A real `nipa-kg serve` process (granian) on a free loopback port, over HTTP: requests, SPARQLWrapper."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import Graph
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from tests.processes import free_port, stop, wait_until_ready

DATASET = Path(__file__).parent / "fixtures" / "dataset.trig"
NIPA_KG = Path(sys.executable).parent / "nipa-kg"
AGENCY = "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#> SELECT ?a { ?a a nipa:Agency }"
SLOW = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"  # 22^5 rows, stopped at 2 s


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen
    url: str
    log: Path
    ready_after: float

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port, log = free_port(), tmp_path_factory.mktemp("serve") / "serve.log"
    command = [str(NIPA_KG), "serve", "--dataset", str(DATASET), "--port", str(port), "--timeout", "2"]
    command += ["--row-cap", str(10**9), "--threads", "4"]
    with log.open("wb") as output:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=log.parent)
    url = f"http://127.0.0.1:{port}/"
    try:
        ready_after = wait_until_ready(process, url + "sparql", 15, started)
        yield Server(process, url, log, ready_after)
    finally:
        stop(process)
    assert process.returncode == 0, log.read_text()


def test_ready_fast_under_granian_logging_the_url_and_requests(server: Server) -> None:
    assert server.ready_after < 2.0
    requests.get(server.endpoint, params={"query": "ASK {}"}, timeout=5)
    log = server.log.read_text()
    assert "Starting granian" in log and "1 worker(s) × 4 threads" in log and "experimental" not in log
    assert f"SPARQL endpoint at {server.endpoint}" in log
    assert '"GET /sparql HTTP/1.1" 200' in log


def test_select_get_and_posts(server: Server) -> None:
    by_get = requests.get(server.endpoint, params={"query": AGENCY}, timeout=5)
    by_form = requests.post(server.endpoint, data={"query": AGENCY}, timeout=5)
    direct = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    by_body = requests.post(server.endpoint, data=AGENCY.encode(), headers=direct, timeout=5)
    assert by_get.json() == by_form.json()
    assert by_get.json()["results"]["bindings"][0]["a"]["value"] == "https://w3id.org/nipa-kg/id/agency/nipa"
    assert by_body.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert by_body.text.splitlines() == ["a", "https://w3id.org/nipa-kg/id/agency/nipa"]


def test_http_behaviour(server: Server) -> None:
    head = requests.head(server.endpoint, params={"query": AGENCY}, timeout=5)
    assert head.status_code == 200 and head.content == b"" and head.headers["Vary"] == "Accept"
    preflight = requests.options(
        server.endpoint,
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
        timeout=5,
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert requests.put(server.endpoint, timeout=5).status_code == 405
    assert requests.get(server.endpoint, params={"update": "CLEAR ALL"}, timeout=5).status_code == 403
    long_query = "ASK {} #" + "x" * 60000  # a long request line, answered (not cut by the HTTP server)
    assert requests.get(server.endpoint, params={"query": long_query}, timeout=5).status_code == 200
    too_long = requests.get(server.endpoint, params={"query": long_query + "x" * 6000}, timeout=5)
    assert too_long.status_code == 414  # past the HTTP server's 64 KiB URI: POST it (README)
    assert requests.post(server.endpoint, data={"query": long_query * 10}, timeout=5).status_code == 200


def test_graph_store(server: Server) -> None:
    response = requests.get(server.url + "graph/shapes", timeout=5)
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=response.text, format="turtle")) == 2
    assert requests.get(server.url + "graph/nothing", timeout=5).status_code == 404


def test_sparqlwrapper_select_json(server: Server) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(AGENCY)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert [row["a"]["value"] for row in result["results"]["bindings"]] == [
        "https://w3id.org/nipa-kg/id/agency/nipa"
    ]


def test_sparqlwrapper_ask(server: Server) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    client.setQuery("ASK { FILTER(false) }")
    assert client.query().convert()["boolean"] is False
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(server: Server) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery("CONSTRUCT WHERE { ?s a ?type }")
    client.setReturnFormat(TURTLE)
    answer = client.query()
    assert answer.response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=answer.convert(), format="turtle")) == 7


def test_a_slow_query_is_503_while_others_are_answered(server: Server) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        slow["response"] = requests.get(server.endpoint, params={"query": SLOW}, timeout=30)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert requests.get(server.endpoint, params={"query": "ASK {}"}, timeout=5).json()["boolean"] is True
    assert time.monotonic() - started < 1.0  # not queued behind the slow one (2 s)
    thread.join()
    assert slow["response"].status_code == 503  # at its 2 s deadline, or sooner at the memory bound
    assert slow["seconds"] < 4
    assert "within 2 s" in slow["response"].text or "memory bound" in slow["response"].text


def test_two_worker_processes_share_the_loaded_graph(tmp_path: Path) -> None:
    """With --workers 2 the graph is loaded once, before granian forks the two worker processes."""
    port = free_port()
    command = [str(NIPA_KG), "serve", "--dataset", str(DATASET), "--port", str(port), "--workers", "2"]
    with (tmp_path / "serve.log").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_ready(process, url, time.monotonic())
        answers = {requests.get(url + "sparql", params={"query": AGENCY}, timeout=5).text for _ in range(20)}
        assert len(answers) == 1 and "agency/nipa" in answers.pop()
        deadline = time.monotonic() + 5
        while (tmp_path / "serve.log").read_text().count(
            "Started worker"
        ) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "serve.log").read_text().count("Started worker") == 2
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_a_taken_port_is_one_error_line_before_the_data_is_loaded(tmp_path: Path) -> None:
    """Regression: granian found the port taken only after the load, and said so with a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [str(NIPA_KG), "serve", "--dataset", str(DATASET), "--port", str(port)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"nipa-kg: error: cannot listen on 127.0.0.1:{port}: Address already in use"
