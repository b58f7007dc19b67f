"""The query mix and the HTTP load: the same requests, sent the same way, to every server.

Queries are the `.rq` files of `bench/queries/`, written for agency 1 (`bench-a0001`); `requests` swaps in
agency k to spread them over the whole graph. `drive` keeps `concurrency` keep-alive connections busy,
sending GET requests until `max_requests` are sent or `duration` seconds have passed, and records each
answer's latency and status. The client is a few lines of HTTP/1.1 over sockets in one event loop, so that
it leaves the CPU (two cores here) to the servers.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import selectors
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

QUERY_DIR = Path(__file__).parent / "queries"
PARAMETER = "bench-a0001"
ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}
_CONTENT_LENGTH = re.compile(rb"^content-length:\s*(\d+)", re.IGNORECASE | re.MULTILINE)
_CHUNKED = re.compile(rb"^transfer-encoding:.*chunked", re.IGNORECASE | re.MULTILINE)
_CLOSE = re.compile(rb"^connection:\s*close", re.IGNORECASE | re.MULTILINE)
ANSWER_TIMEOUT = 60.0  # seconds an answer may take before the run counts it failed
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Query:
    name: str
    text: str

    @property
    def accept(self) -> str:
        match = _FORM.search(self.text)
        if match is None:
            raise ValueError(f"{self.name}: no SELECT, ASK, CONSTRUCT or DESCRIBE")
        return ACCEPT[match.group(1).upper()]

    def for_agency(self, k: int) -> str:
        return self.text.replace(PARAMETER, f"bench-a{k:04d}")


@dataclass(frozen=True)
class Request:
    name: str
    target: str  # path and query string, without the endpoint path
    headers: tuple[tuple[str, str], ...]


def load_queries(folder: Path = QUERY_DIR) -> list[Query]:
    return [Query(path.stem, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.rq"))]


def requests(
    queries: Sequence[Query], agencies: int, *, no_cache: bool, seed: int = 1, count: int = 4096
) -> list[Request]:
    """`count` requests cycling through `queries`, each for a random agency of 1..`agencies` (seeded);
    with `Cache-Control: no-cache` when `no_cache`."""
    rng = random.Random(seed)
    extra = (("Cache-Control", "no-cache"),) if no_cache else ()
    made = []
    for index in range(count):
        query = queries[index % len(queries)]
        text = query.for_agency(rng.randint(1, agencies))
        made.append(Request(query.name, f"?query={quote(text)}", (("Accept", query.accept), *extra)))
    return made


@dataclass
class Outcome:
    """What one run measured: per request name, latencies (seconds) of the 2xx/3xx answers; errors."""

    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0

    @property
    def answered(self) -> int:
        return sum(len(values) for values in self.latencies.values())


@dataclass
class _Connection:
    """One keep-alive connection of the load: its socket, the bytes received, the request in flight."""

    sock: socket.socket
    buffer: bytes = b""
    index: int = -1
    started: float = 0.0


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=ANSWER_TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def complete_answer(buffer: bytes, eof: bool = False) -> tuple[int, int, bool] | None:
    """(status, bytes it takes, whether the server closes) once `buffer` holds a whole HTTP/1.1 answer,
    else None. A body without Content-Length or chunking ends with the connection (`eof`)."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    head, start = buffer[:end], end + 4
    status, close = int(head[9:12]), bool(_CLOSE.search(head))
    if length := _CONTENT_LENGTH.search(head):
        total = start + int(length.group(1))
        return (status, total, close) if len(buffer) >= total else None
    if _CHUNKED.search(head):
        total = _chunked_end(buffer, start)
        return (status, total, close) if total is not None else None
    if status < 200 or status in (204, 304):
        return status, start, close
    return (status, len(buffer), True) if eof else None


def _chunked_end(buffer: bytes, position: int) -> int | None:
    """Where a chunked body starting at `position` ends (after its last chunk), None if not yet there."""
    if not buffer.endswith(b"0\r\n\r\n"):  # nothing is pipelined: a whole answer ends the buffer
        return None
    while (line_end := buffer.find(b"\r\n", position)) >= 0:
        size = int(buffer[position:line_end].split(b";")[0], 16)
        position = line_end + 2 + size + 2  # the chunk and its CRLF
        if size == 0:
            return position if position <= len(buffer) else None
    return None


def drive(
    port: int,
    path: str,
    mix: Sequence[Request],
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> Outcome:
    """Send `mix` (cycled) on `concurrency` connections for `duration` seconds or `max_requests` requests.

    One thread drives every connection (epoll): a thread per connection spent about 36 µs of CPU per
    request here, on the same two cores as the server, against about 15 for the loop. Each connection sends
    its next request when its answer is whole; once the time or the count is up, answers in flight are
    still awaited (up to `ANSWER_TIMEOUT`) and counted."""
    wire = [
        (f"GET {path}{r.target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
         + "".join(f"{name}: {value}\r\n" for name, value in r.headers) + "\r\n").encode()
        for r in mix
    ]  # fmt: skip
    outcome = Outcome()
    selector = selectors.DefaultSelector()
    counter = itertools.count()
    started = time.monotonic()
    deadline = started + duration

    def send(connection: _Connection) -> None:
        """The next request on `connection`, or the connection closed when the run is over."""
        index = next(counter)
        if index >= max_requests or time.monotonic() >= deadline:
            selector.unregister(connection.sock)
            connection.sock.close()
            return
        connection.index, connection.started = index, time.perf_counter()
        try:
            connection.sock.sendall(wire[index % len(wire)])
        except OSError:
            fail(connection)

    def fail(connection: _Connection) -> None:
        outcome.errors += 1
        reconnect(connection)

    def reconnect(connection: _Connection) -> None:
        selector.unregister(connection.sock)
        connection.sock.close()
        try:
            connection.sock, connection.buffer = _connect(port), b""
        except OSError:
            outcome.errors += 1
            return
        selector.register(connection.sock, selectors.EVENT_READ, connection)
        send(connection)

    def wait(connection: _Connection) -> None:
        """The answer is not whole yet: read more when it comes."""

    steps = {"fail": fail, "reconnect": reconnect, "send": send}
    for _ in range(concurrency):
        connection = _Connection(_connect(port))
        selector.register(connection.sock, selectors.EVENT_READ, connection)
        send(connection)
    while selector.get_map():
        ready = selector.select(timeout=ANSWER_TIMEOUT)
        if not ready:  # nothing answered for a whole timeout: count what is in flight as failed
            outcome.errors += len(selector.get_map())
            break
        for key, _ in ready:
            connection = key.data
            steps.get(_receive(connection, mix, outcome), wait)(connection)
    selector.close()
    outcome.seconds = time.monotonic() - started
    return outcome


def _receive(connection: _Connection, mix: Sequence[Request], outcome: Outcome) -> str:
    """Read what `connection` has; what to do next: "wait" (the answer is not whole yet), "fail", or, once
    an answer is whole and counted, "send" the next request or "reconnect" (the server closed)."""
    try:
        data = connection.sock.recv(262144)
    except OSError:
        return "fail"
    connection.buffer += data
    answer = complete_answer(connection.buffer, eof=not data)
    if answer is None:
        return "wait" if data else "fail"
    status, taken, close = answer
    connection.buffer = connection.buffer[taken:]
    if status < 400:
        name = mix[connection.index % len(mix)].name
        outcome.latencies.setdefault(name, []).append(time.perf_counter() - connection.started)
    else:
        outcome.errors += 1
    return "reconnect" if close else "send"


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of unsorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
