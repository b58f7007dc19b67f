"""Isolated, cancellable query evaluation, on a real `nipa-kg serve` process over HTTP (loopback only, every
loop bounded): runaway queries are stopped and their CPU freed, an evaluator killed mid-query is replaced,
SIGTERM ends every process whatever runs, and cheap queries from other clients are answered meanwhile."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.processes import free_port, stop, wait_until_ready

DATASET = Path(__file__).parent / "fixtures" / "dataset.trig"
NIPA_KG = Path(sys.executable).parent / "nipa-kg"
# 22^5 hashes to count: evaluation that yields nothing for many seconds, which only ending its process stops
RUNAWAY = """SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?p ?o
             FILTER(STRLEN(SHA512(CONCAT(STR(?a), STR(?c), STR(?o)))) > 0) }"""
CHEAP = "ASK { ?s ?p ?o }"
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    seconds: float
    headers: dict[str, str]


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def ask(self, query: str, client: str = "127.0.0.1", timeout: float = 30) -> Answer:
        """GET /sparql?query= from the loopback address `client` (the cache bypassed)."""
        return self.send(query, client, timeout, post=False)

    def send(
        self, query: str, client: str = "127.0.0.1", timeout: float = 30, post: bool | None = None
    ) -> Answer:
        """The query as a GET, or a form POST when it is too long for a GET (`post` None) or asked."""
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(client, 0)
        )
        form = urlencode({"query": query})
        post = len(form) > 60_000 if post is None else post
        try:
            headers = {"Cache-Control": "no-cache"}
            if post:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                connection.request("POST", "/sparql", body=form.encode(), headers=headers)
            else:
                connection.request("GET", "/sparql?" + form, headers=headers)
            response = connection.getresponse()
            body = response.read().decode()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return Answer(response.status, body, time.monotonic() - started, headers)
        finally:
            connection.close()

    def evaluators(self) -> list[int]:
        return [pid for pid in descendants(self.process.pid) if b"store.evaluator" in cmdline(pid)]


def descendants(pid: int) -> list[int]:
    """Every process under `pid`, from /proc."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the processes (those gone count nothing)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def tree_cpu_over(server: Server, seconds: float) -> float:
    pids = [server.process.pid, *descendants(server.process.pid)]
    before = cpu_seconds(pids)
    time.sleep(seconds)
    return cpu_seconds(pids) - before


def serve(folder: Path, *flags: str) -> Server:
    port, log = free_port(), folder / "serve.log"
    command = [
        str(NIPA_KG),
        "serve",
        "--dataset",
        str(DATASET),
        "--port",
        str(port),
        "--no-access-log",
        *flags,
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=folder)
    wait_until_ready(process, f"http://127.0.0.1:{port}/sparql", 30)
    return Server(process, port, log)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = serve(tmp_path, "--timeout", "2", "--max-queries", "8", "--max-client-queries", "4")
    yield running
    stop(running.process)


def test_runaway_queries_are_stopped_while_a_cheap_query_is_answered(server: Server) -> None:
    main_pid, (first_evaluator,) = server.process.pid, server.evaluators()
    clients = [f"127.0.0.{n}" for n in range(2, 7)]  # 5 clients, 4 runaway queries each
    with ThreadPoolExecutor(max_workers=20) as pool:
        runaways = [pool.submit(server.ask, RUNAWAY, client) for client in clients for _ in range(4)]
        time.sleep(0.7)
        cheap = server.ask(CHEAP, "127.0.0.50")
        answers = [future.result() for future in runaways]
    assert (cheap.status, cheap.seconds < 1) == (200, True), cheap.body
    assert {answer.status for answer in answers} <= {503, 429}
    assert sum(answer.status == 503 for answer in answers) >= 8  # max-queries, plus the fast lane
    assert all(answer.seconds < 2 + 1.5 for answer in answers)  # none outlives its deadline by much
    assert all("retry-after" in answer.headers for answer in answers if answer.status == 429)
    time.sleep(2)  # the last deadline was at most 2 s after the last start: 2 s more to end it
    assert tree_cpu_over(server, 1.0) < 0.15  # idle: no evaluation runs on
    assert server.process.pid == main_pid and server.process.poll() is None
    assert server.evaluators() != [first_evaluator]  # it was ended and replaced
    assert server.ask(CHEAP).status == 200


def test_an_evaluator_past_its_memory_bound_is_replaced_before_the_deadline(tmp_path: Path) -> None:
    """A cross product sorted in memory grows by hundreds of MB a second, long before its deadline."""
    server = serve(tmp_path, "--timeout", "60", "--evaluator-memory", "300")
    try:
        (evaluator,) = server.evaluators()
        grown = server.ask("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?o ?a")
        assert grown.status == 503 and "memory bound" in grown.body and grown.seconds < 30
        assert server.ask(CHEAP).status == 200
        assert server.evaluators() != [evaluator]
    finally:
        stop(server.process)


def test_429_names_the_limit_and_says_when_to_retry(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        runaways = [pool.submit(server.ask, RUNAWAY, "127.0.0.9") for _ in range(6)]
        answers = [future.result() for future in runaways]
    refused = [answer for answer in answers if answer.status == 429]
    assert len(refused) == 2  # 4 per client
    assert "at most 4 requests at once from one client" in refused[0].body
    assert refused[0].headers["retry-after"] == "1"


def test_a_killed_evaluator_fails_its_queries_with_503_and_is_replaced(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(server.ask, RUNAWAY)
        time.sleep(0.5)
        (evaluator,) = server.evaluators()
        os.kill(evaluator, signal.SIGKILL)
        killed = running.result()
    assert killed.status == 503 and "died (SIGKILL)" in killed.body and killed.seconds < 1.5
    assert killed.headers["retry-after"] == "1"
    after = server.ask(CHEAP)
    assert after.status == 200, after.body
    assert server.evaluators() and server.evaluators() != [evaluator]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_with_runaway_queries_ends_every_process_within_5_s(tmp_path: Path, workers: str) -> None:
    """Regression (2 workers): each forked worker waited for its runaway queries before it stopped."""
    server = serve(tmp_path, "--timeout", "60", "--workers", workers, "--threads", "8")
    try:
        pool = ThreadPoolExecutor(max_workers=4)
        for client in ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"):
            pool.submit(server.ask, RUNAWAY, client)
        time.sleep(1)
        processes = [server.process.pid, *descendants(server.process.pid)]
        assert len(processes) >= {"1": 2, "2": 4}[workers]  # the server, its workers if forked, an evaluator
        server.process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        while time.monotonic() - started < 5 and any(Path(f"/proc/{pid}").exists() for pid in processes):
            server.process.poll()
            time.sleep(0.05)
        left = [pid for pid in processes if Path(f"/proc/{pid}").exists() and b"nipa" in cmdline(pid)]
        assert left == [], server.log.read_text()
        pool.shutdown(wait=True)
    finally:
        stop(server.process)


def test_an_evaluator_does_not_outlive_its_server(tmp_path: Path) -> None:
    server = serve(tmp_path)
    (evaluator,) = server.evaluators()
    server.process.kill()  # no chance to clean up
    server.process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and b"store.evaluator" in cmdline(evaluator):
        time.sleep(0.05)
    assert b"store.evaluator" not in cmdline(evaluator)
