"""The query shapes that killed the whole server (SIGSEGV inside pyoxigraph: its native stack overflowed),
sent to a real `nipa-kg serve` at several sizes: the guard refuses each with 400 naming its limit before
any evaluation, the serving process and its evaluator are the same after, and a cheap query is answered in
under a second. With the guard opened wide, a query that does crash the evaluator is survived: 503, a new
evaluator, the next query answered."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.processes import stop
from tests.server.test_isolation import CHEAP, Server, serve

SHAPES: dict[str, Callable[[int], str]] = {
    "nested groups": lambda n: "SELECT * WHERE " + "{ " * n + "?s ?p ?o" + " }" * n,
    "nested parentheses": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "?o" + ")" * n + ") }",
    "nested OPTIONALs": lambda n: "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * n + "}" * n + " }",
    "chained +": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(?o" + " + ?o" * n + " > 0) }",
    "chained !": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "?o) }",
    "UNIONs": lambda n: "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
    "triple patterns": lambda n: "SELECT * WHERE { " + " . ".join(f"?s ?p ?o{i}" for i in range(n)) + " }",
}
# The sizes the issue found to kill the server, and sizes just past the guard's limits and far beyond.
SIZES: dict[str, tuple[int, ...]] = {
    "nested groups": (65, 3000, 30000),
    "nested parentheses": (65, 10000, 100000),
    "nested OPTIONALs": (65, 3000, 30000),
    "chained +": (1001, 10000, 50000),
    "chained !": (1001, 10000, 100000),
    "UNIONs": (501, 10000, 40000),
    "triple patterns": (1001, 20000),
}
CASES = [(shape, size) for shape, sizes in SIZES.items() for size in sizes]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = serve(tmp_path_factory.mktemp("hostile"), "--max-query-bytes", str(4 * 1024 * 1024))
    yield running
    stop(running.process)


@pytest.mark.parametrize(("shape", "size"), CASES, ids=[f"{shape}-{size}" for shape, size in CASES])
def test_a_crash_shape_is_refused_before_evaluation(server: Server, shape: str, size: int) -> None:
    (evaluator,) = server.evaluators()
    answer = server.send(SHAPES[shape](size))
    assert answer.status == 400, answer.body
    assert "at most" in answer.body  # names the limit it passed
    assert server.process.poll() is None and server.evaluators() == [evaluator]
    cheap = server.ask(CHEAP)
    assert (cheap.status, cheap.seconds < 1) == (200, True)


def test_every_limit_is_named(server: Server) -> None:
    bodies = {shape: server.send(SHAPES[shape](sizes[-1])).body for shape, sizes in SIZES.items()}
    assert len(set(bodies.values())) >= 4  # the different limits are told apart


def test_a_query_that_crashes_the_evaluator_is_survived(tmp_path: Path) -> None:
    wide_open = (
        "depth=10000000,operators=10000000,unions=10000000,items=10000000,tree_depth=10000000,tokens=10000000"
    )
    server = serve(tmp_path, "--query-limits", wide_open, "--max-query-bytes", str(8 * 1024 * 1024))
    try:
        (evaluator,) = server.evaluators()
        crash = server.send(SHAPES["nested groups"](400_000))
        assert crash.status == 503 and "died (SIGSEGV)" in crash.body
        deadline = time.monotonic() + 10
        answer = server.ask(CHEAP)
        while answer.status != 200 and time.monotonic() < deadline:
            answer = server.ask(CHEAP)
        assert answer.status == 200 and server.process.poll() is None
        assert server.evaluators() and server.evaluators() != [evaluator]
    finally:
        stop(server.process)
