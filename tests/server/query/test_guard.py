"""The query guard (server/query/guard.py): every shape that crashes pyoxigraph is refused with the right
limit named, queries as large as the default limits allow do not crash pyoxigraph evaluating them in a
thread (in a child process, so that a crash cannot take pytest with it), and the API: messages,
configurable limits, the error pickled, odd input.

The shapes and their crash sizes are in guard_shapes.py; what the lexer does not count is tested in
test_guard_lexing.py, legitimate queries in test_guard_legitimate.py, any input and speed in
test_guard_properties.py.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from nipa_kg.server.query.guard import DEFAULT_LIMITS, Limits, Measures, QueryTooComplex, check, measure
from tests.server.query.guard_shapes import (
    COMBINED,
    CONSERVATIVE,
    CRASHES,
    DATA,
    FLAT,
    SHAPES,
    SLOW_TO_PLAN,
    Build,
)


def test_every_shape_is_listed() -> None:
    assert set(CRASHES) | set(FLAT) | set(CONSERVATIVE) == set(SHAPES)


@pytest.mark.parametrize("name", sorted(CRASHES))
def test_crash_sizes_are_refused_with_the_right_limit(name: str) -> None:
    size, limit = CRASHES[name]
    for n in (size, 2 * size):
        with pytest.raises(QueryTooComplex) as raised:
            check(SHAPES[name](n))
        assert raised.value.limit_name == limit, (name, n, str(raised.value))
        assert raised.value.limit_value == getattr(DEFAULT_LIMITS, limit)
        assert raised.value.found > raised.value.limit_value


def largest_allowed(build: Build, limits: Limits = DEFAULT_LIMITS) -> int:
    """The largest n whose query `check` lets through (check is monotonic in n for every shape)."""
    low, high = 0, 1
    while _passes(build(high), limits):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if _passes(build(middle), limits) else (low, middle)
    return low


def _passes(query: str, limits: Limits) -> bool:
    try:
        check(query, limits)
    except QueryTooComplex:
        return False
    return True


@pytest.fixture(scope="module")
def allowed() -> dict[str, tuple[int, str]]:
    """Each shape at the largest size the default limits allow: size and query."""
    found = {}
    for name, build in {**SHAPES, **COMBINED}.items():
        if name in FLAT or name in CONSERVATIVE:
            continue
        n = largest_allowed(build)
        found[name] = (n, build(n))
    return found


def test_the_limits_leave_room(allowed: dict[str, tuple[int, str]]) -> None:
    """Well under the crashes, the defaults still allow far more than a legitimate query needs."""
    least = {"depth": 55, "operators": 900, "unions": 380, "items": 450}
    for name, (size, _) in allowed.items():
        if name in CRASHES:
            crash, limit = CRASHES[name]
            assert least[limit] <= size < crash / 2, (name, size)
    assert allowed["exists-then-binds"][0] >= 450  # the items limit
    assert allowed["binds-in-binds"][0] >= 450  # the tree depth: 2 × 495 elements deep
    assert allowed["concat-then-chain"][0] > 800


def test_some_flat_shapes_are_refused_all_the_same() -> None:
    for name, limit in CONSERVATIVE.items():
        with pytest.raises(QueryTooComplex) as raised:
            check(SHAPES[name](4096))
        assert raised.value.limit_name == limit


@pytest.mark.parametrize("name", FLAT)
def test_flat_shapes_pass_at_any_size_under_the_token_limit(name: str) -> None:
    check(SHAPES[name](20_000))
    with pytest.raises(QueryTooComplex, match="tokens") as raised:
        check(SHAPES[name](20_000), Limits(tokens=10_000))
    assert raised.value.limit_name == "tokens"


def test_the_token_limit() -> None:
    query = SHAPES["values"](DEFAULT_LIMITS.tokens)
    with pytest.raises(QueryTooComplex) as raised:
        check(query)
    assert raised.value.limit_name == "tokens"
    assert measure(query).tokens == raised.value.found


CHILD = """
import json, sys, threading
import pyoxigraph as ox

store = ox.Store()
store.load(sys.argv[2].encode(), format=ox.RdfFormat.TURTLE)
for name, query in json.load(open(sys.argv[1], encoding="utf-8")).items():
    print("start", name, flush=True)
    def run():
        try:
            results = store.query(query)
            if not isinstance(results, ox.QueryBoolean):
                for _ in results:
                    pass
        except Exception as exc:
            print("error", name, type(exc).__name__, str(exc)[:200], flush=True)
    thread = threading.Thread(target=run)  # the default stack size, as the server's worker threads
    thread.start()
    thread.join()
    print("done", name, flush=True)
"""


def test_the_largest_allowed_queries_do_not_crash_pyoxigraph(
    allowed: dict[str, tuple[int, str]], tmp_path: Path
) -> None:
    """The proof that the defaults sit under the crash sizes: every shape at the largest size they allow,
    evaluated by pyoxigraph in a thread of the default stack size, in a child process."""
    queries = {name: query for name, (_, query) in allowed.items() if name not in SLOW_TO_PLAN}
    path = tmp_path / "queries.json"
    path.write_text(json.dumps(queries), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), DATA],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.splitlines()
    started = [line.split()[1] for line in lines if line.startswith("start ")]
    assert done.returncode == 0, f"crashed ({done.returncode}) on {started[-1:]}: {done.stderr[-500:]}"
    assert [line for line in lines if line.startswith("error")] == []
    assert [line.split()[1] for line in lines if line.startswith("done ")] == list(queries)


# ---- the API ---------------------------------------------------------------------------------------------


def test_the_message_names_the_limit_in_plain_words() -> None:
    with pytest.raises(QueryTooComplex) as raised:
        check(SHAPES["groups"](512))  # `check` stops at the first limit passed
    assert str(raised.value) == (
        "query nests groups and parentheses at least 65 deep; this endpoint allows at most 64"
    )
    assert str(QueryTooComplex("depth", 64, 512)) == (
        "query nests groups and parentheses 512 deep; this endpoint allows at most 64"
    )
    assert measure(SHAPES["groups"](512)).depth == 512
    with pytest.raises(QueryTooComplex) as raised:
        check(SHAPES["union"](2000))
    assert "UNION" in str(raised.value) and "at most 400" in str(raised.value)


def test_limits_are_configurable_and_checked() -> None:
    check(SHAPES["groups"](100), Limits(depth=100))
    with pytest.raises(QueryTooComplex, match="at most 10$"):
        check(SHAPES["groups"](11), Limits(depth=10))
    with pytest.raises(ValueError, match="depth"):
        Limits(depth=0)
    with pytest.raises(ValueError, match="items"):
        Limits(items=True)  # type: ignore[arg-type]


def test_the_error_pickles() -> None:
    for error in (QueryTooComplex("depth", 64, 512), QueryTooComplex("items", 10, 11, partial=True)):
        copy = pickle.loads(pickle.dumps(error))
        assert (copy.limit_name, copy.limit_value, copy.found, copy.partial, str(copy)) == (
            error.limit_name,
            error.limit_value,
            error.found,
            error.partial,
            str(error),
        )
        assert isinstance(copy, ValueError)


def test_empty_and_odd_input() -> None:
    for query in ("", " ", "#", "\n\n", "}", ")))", "<", "<<", ">>", "'", '"""', "\\", "\x00", "\ud800"):
        check(query)
        assert isinstance(measure(query), Measures)
