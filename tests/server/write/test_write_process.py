"""Writes on a real `nipa-kg serve` process over HTTP (loopback only, every loop bounded in count and time):
an acknowledged write survives `kill -9` and a restart with the same `--data-dir`; readers running beside a
writer see each write whole or not at all, and every acknowledged write is there at the end; `nipa-kg
history` and `nipa-kg revert` list and undo its writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.processes import free_port, stop, wait_until_ready
from tests.server.write.conftest import DATA, DATASET, TOKEN

NIPA_KG = Path(sys.executable).parent / "nipa-kg"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
P = "http://example.org/p"


def start(tmp_path: Path, state: Path, port: int, *extra: str) -> subprocess.Popen:
    source = tmp_path / "dataset.trig"
    source.write_text(DATASET, "utf-8")
    command = [str(NIPA_KG), "serve", "--port", str(port), "--only-data", "--data", str(source)]
    command += ["--data-dir", str(state), "--no-access-log", *extra]
    log = (tmp_path / f"server-{port}.log").open("ab")
    env = os.environ | {"NIPA_KG_TOKEN": TOKEN}
    process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env)
    wait_until_ready(process, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=120)
    return process


@pytest.fixture
def servers() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        stop(process)


def comparable(dump: bytes) -> tuple[set[bytes], int]:
    """A dump's lines without blank nodes (whose labels a reload changes), and how many have them."""
    lines = dump.splitlines()
    return {line for line in lines if b"_:" not in line}, sum(b"_:" in line for line in lines)


def test_an_acknowledged_write_survives_kill_9(tmp_path: Path, servers: list[subprocess.Popen]) -> None:
    state, port = tmp_path / "state", free_port()
    servers.append(first := start(tmp_path, state, port))
    url = f"http://127.0.0.1:{port}"
    for n in range(3):
        text = f"INSERT DATA {{ <http://example.org/s{n}> <{P}> {n} }}"
        assert requests.post(f"{url}/update", data=text, headers=AUTH, timeout=60).status_code == 200
    before = requests.get(f"{url}/dumps/nipa-kg.nq", timeout=30).content
    os.kill(first.pid, signal.SIGKILL)  # right after the last acknowledgement
    first.wait(timeout=10)
    servers.append(start(tmp_path, state, port := free_port()))
    after = requests.get(f"http://127.0.0.1:{port}/dumps/nipa-kg.nq", timeout=30).content
    assert comparable(after) == comparable(before)
    assert b"<http://example.org/s2>" in after
    history = requests.get(
        f"http://127.0.0.1:{port}/history", headers={"Accept": "application/json"}, timeout=30
    )
    assert len(history.json()) == 3


def test_readers_see_whole_writes_and_every_acknowledged_write_stays(
    tmp_path: Path, servers: list[subprocess.Popen]
) -> None:
    """Each write adds a pair of triples; a reader must never count an odd number."""
    port = free_port()
    servers.append(start(tmp_path, tmp_path / "state", port))
    url = f"http://127.0.0.1:{port}"
    query = f"SELECT (COUNT(*) AS ?n) {{ ?s <{P}> ?o }}"
    done, counts, failures, acknowledged = threading.Event(), [], [], []
    deadline = time.monotonic() + 90

    def read() -> None:
        for _ in range(2000):
            if done.is_set() or time.monotonic() > deadline:
                return
            answer = requests.get(
                f"{url}/sparql", params={"query": query}, headers={"Accept": "application/json"}, timeout=30
            )
            if answer.status_code == 429:  # admission's limit per client address: not what is tested here
                continue
            if answer.status_code != 200:
                failures.append(answer.status_code)
                continue
            counts.append(int(answer.json()["results"]["bindings"][0]["n"]["value"]))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for n in range(8):
            if time.monotonic() > deadline:
                break
            text = (
                f"INSERT DATA {{ <http://example.org/a{n}> <{P}> {n} . <http://example.org/b{n}> <{P}> {n} }}"
            )
            if requests.post(f"{url}/update", data=text, headers=AUTH, timeout=60).status_code == 200:
                acknowledged.append(n)
    finally:
        done.set()
        for reader in readers:
            reader.join(timeout=60)
    assert len(acknowledged) == 8
    assert counts and all(count % 2 == 0 for count in counts), sorted(set(counts))
    assert not failures
    final = requests.get(
        f"{url}/sparql", params={"query": query}, headers={"Accept": "application/json"}, timeout=30
    )
    assert int(final.json()["results"]["bindings"][0]["n"]["value"]) == 2 * len(acknowledged)


def nipa_kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A `nipa-kg` command, its output as text (bounded in time)."""
    return subprocess.run([str(NIPA_KG), *args], capture_output=True, text=True, timeout=120, env=env)


def test_history_and_revert_commands_on_a_running_server(
    tmp_path: Path, servers: list[subprocess.Popen]
) -> None:
    tokens, port = tmp_path / "tokens", free_port()
    tokens.write_text(f"dave {TOKEN}\n")
    servers.append(start(tmp_path, tmp_path / "state", port, "--token-file", str(tokens)))
    url = f"http://127.0.0.1:{port}"

    def data() -> set[bytes]:
        answer = requests.get(f"{url}/graph/data", headers={"Accept": "application/n-triples"}, timeout=30)
        return set(answer.content.splitlines())

    before = data()
    text = f'INSERT DATA {{ GRAPH <{DATA}> {{ <http://example.org/s> <{P}> "written" }} }}'
    written = requests.post(f"{url}/update", data=text, headers=AUTH, timeout=60)
    assert written.status_code == 200, written.text
    with_write = data()
    assert len(with_write - before) == 1

    listed = nipa_kg("history", "--url", url)
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert (entry["id"], entry["agent"], entry["added"], entry["removed"]) == (
        written.json()["id"],
        "dave",
        1,
        0,
    )
    assert entry["started"].endswith("Z") and entry["started"] <= entry["ended"]

    without_token = {name: value for name, value in os.environ.items() if name != "NIPA_KG_TOKEN"}
    refused = nipa_kg("revert", entry["id"], "--url", url, env=without_token)
    assert refused.returncode != 0 and "a revert needs a token" in refused.stderr
    reverted = nipa_kg("revert", entry["id"], "--url", url, "--token-file", str(tokens))
    assert reverted.returncode == 0, reverted.stderr
    undo = json.loads(reverted.stdout)["id"]
    assert data() == before

    redone = nipa_kg("revert", undo, "--url", url, "--token-file", str(tokens))
    assert redone.returncode == 0, redone.stderr
    assert data() == with_write
    history = json.loads(nipa_kg("history", "--url", url).stdout)
    assert [(e["agent"], e["reverts"]) for e in history] == [
        ("dave", None),
        ("dave", entry["id"]),
        ("dave", undo),
    ]
    assert [e["label"] for e in history[1:]] == [f"revert of {entry['id']}", f"revert of {undo}"]
