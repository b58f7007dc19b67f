"""The query mix and the HTTP load: the same requests, sent the same way, to every server.

Queries are the `.rq` files of `bench/queries/`, written for agency 1 (`bench-a0001`); `requests` swaps in
agency k to spread them over the whole graph. `drive` runs a bounded pool of client threads, each on its
own keep-alive connection, sending GET requests until `max_requests` are sent or `duration`
seconds have passed, and records each answer's latency and status. The client is a few lines of HTTP/1.1
over a socket, so that it leaves the CPU (two cores here) to the servers.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import socket
import threading
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


class Connection:
    """A minimal HTTP/1.1 keep-alive client on a raw socket: `http.client` parses every response's headers
    with the email package, which costs the client more CPU than a cached answer costs the server."""

    def __init__(self, port: int) -> None:
        self.port, self.sock, self.buffer = port, None, b""

    def exchange(self, request: bytes) -> int:
        """Send one request, read its whole answer; return the status."""
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.sock.sendall(request)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._receive()
        head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
        status = int(head[9:12])
        length = _CONTENT_LENGTH.search(head)
        if length:
            self._skip(int(length.group(1)))
        elif _CHUNKED.search(head):
            self._skip_chunks()
        elif status >= 200 and status not in (204, 304):
            while self._receive(eof_ok=True):  # the body ends with the connection
                pass
            self.close()
            return status
        if _CLOSE.search(head):
            self.close()
        return status

    def _receive(self, eof_ok: bool = False) -> bool:
        data = self.sock.recv(262144)
        if not data and not eof_ok:
            raise ConnectionError("the server closed the connection")
        self.buffer += data
        return bool(data)

    def _skip(self, length: int) -> None:
        while len(self.buffer) < length:
            self._receive()
        self.buffer = self.buffer[length:]

    def _skip_chunks(self) -> None:
        while True:
            while (end := self.buffer.find(b"\r\n")) < 0:
                self._receive()
            size = int(self.buffer[:end].split(b";")[0], 16)
            self.buffer = self.buffer[end + 2 :]
            self._skip(size + 2)  # the chunk and its CRLF
            if size == 0:
                return

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def drive(
    port: int,
    path: str,
    mix: Sequence[Request],
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> Outcome:
    """Send `mix` (cycled) with `concurrency` clients for `duration` seconds or `max_requests` requests."""
    wire = [
        (f"GET {path}{r.target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
         + "".join(f"{name}: {value}\r\n" for name, value in r.headers) + "\r\n").encode()
        for r in mix
    ]  # fmt: skip
    counter = itertools.count()
    deadline = time.monotonic() + duration
    results: list[tuple[list[tuple[str, float]], int]] = []

    def client() -> None:
        done: list[tuple[str, float]] = []
        errors = 0
        connection = Connection(port)
        while time.monotonic() < deadline:
            index = next(counter)
            if index >= max_requests:
                break
            started = time.perf_counter()
            try:
                status = connection.exchange(wire[index % len(wire)])
            except (OSError, ValueError):
                errors += 1
                connection.close()
                continue
            if status < 400:
                done.append((mix[index % len(mix)].name, time.perf_counter() - started))
            else:
                errors += 1
        connection.close()
        results.append((done, errors))

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome = Outcome(seconds=time.monotonic() - started)
    for done, errors in results:
        outcome.errors += errors
        for name, latency in done:
            outcome.latencies.setdefault(name, []).append(latency)
    return outcome


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of unsorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
