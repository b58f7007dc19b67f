"""What a forced replacement of nipa-kg's evaluator costs: memory at its peak, and the time until the
server answers again.

`nipa-kg serve` (isolated, the default) is started with a short `--timeout`, warmed with the uncached
mix, then sent runaway queries one after the other, each a COUNT that writes nothing until it is done, so
that pyoxigraph never stops it by itself:

- `lean`: two nested FILTER EXISTS, evaluated afresh for every triple (n³ steps), which hold no more
  memory as they run: the peak is the replacement's own;
- `greedy`: a cross product of three triple patterns, whose evaluation builds tables as it runs (at 10^6
  triples, about 0.8 GB a second here): the peak is what one query can take before its deadline.

At the deadline the caller gets 503; `grace` (0.5 s) later the supervisor kills the evaluator and starts
another, which loads the data again. From just before the query until the new evaluator answers, the RSS
of every process of the server is sampled every 20 ms: the peak counts the serving process, the old
evaluator until it is gone and the new one while it loads. Then `ASK {}` (`Cache-Control: no-cache`, so
that it reaches the evaluator) is sent until one is answered 200 by the new evaluator: "ready again" runs
from the old evaluator's end to that answer.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.load import Request
from bench.servers import MemorySampler, Server, descendants, start_nipa, tree_memory

RUNAWAYS = {
    "lean": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c FILTER EXISTS { ?d ?e ?f "
    'FILTER EXISTS { ?g ?h ?i FILTER(STR(?i) = CONCAT(STR(?c), STR(?f), "x")) } } }',
    "greedy": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
}
ASK = "ASK {}"
NO_CACHE = {"Cache-Control": "no-cache", "Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Replacement:
    """One forced replacement, measured (seconds from sending the runaway query unless said)."""

    runaway: str  # which of RUNAWAYS
    timeout: float  # the server's --timeout
    status: str  # what the runaway query was answered
    answered_s: float  # when it was answered
    ended_s: float | None  # when the old evaluator was gone
    ready_again_s: float | None  # from the old evaluator's end to the new one's first answer
    before_rss: int  # all processes, just before the query
    peak_rss: int  # the highest sum, from the query to the new evaluator's first answer
    after_rss: int  # when the new evaluator first answered


def get(server: Server, query: str, timeout: float) -> str:
    """The status of one uncached GET of `query` ("timeout" or the error's name if none came)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request("GET", f"{server.query_path}?query={quote(query)}", headers=NO_CACHE)
        response = connection.getresponse()
        response.read()
        return str(response.status)
    except TimeoutError:
        return "timeout"
    except OSError as exc:
        return type(exc).__name__
    finally:
        connection.close()


def force(server: Server, runaway: str, limit: float = 120) -> Replacement:
    """Send a runaway query to a running isolated server and measure its evaluator's replacement."""
    pid = server.process.pid
    old = set(descendants(pid)) - {pid}
    before = tree_memory(pid)
    sampler = MemorySampler(pid, interval=0.02)
    sent = time.monotonic()
    status = get(server, RUNAWAYS[runaway], limit)
    answered = time.monotonic() - sent
    ended = ready = None
    while status == "503" and time.monotonic() - sent < limit:  # else the query ended: nothing replaced
        if ended is None and not old & set(descendants(pid)):
            ended = time.monotonic() - sent
        if ended is not None and get(server, ASK, limit) == "200":
            ready = time.monotonic() - sent - ended
            break
        time.sleep(0.02)
    sampler.stop()
    timeout = server_timeout(server)
    return Replacement(
        runaway, timeout, status, answered, ended, ready, before, sampler.peak_rss, sampler.rss
    )


def server_timeout(server: Server) -> float:
    command = list(server.process.args)
    return float(command[command.index("--timeout") + 1]) if "--timeout" in command else 30.0


def measure(
    data: Path,
    log: Path,
    threads: int,
    warm: Sequence[Request],
    *,
    timeout: float = 2.0,
    concurrency: int = 8,
) -> list[Replacement]:
    """Start an isolated server with `--timeout timeout`; for each runaway query, warm it with `warm` for
    a second and force a replacement."""
    server = start_nipa(data, log, threads=threads, timeout=timeout)
    try:
        found = []
        for runaway in RUNAWAYS:
            server.drive(warm, concurrency=concurrency, duration=1.0, max_requests=10**6)
            found.append(force(server, runaway))
        return found
    finally:
        server.stop()
