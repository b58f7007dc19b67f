"""The query guard (server/query/guard.py) on any input: no input makes it raise anything but
`QueryTooComplex` or take long, the character counts that let `check` skip the lexer bound what the lexer
finds, and hostile input takes linear time.
"""

from __future__ import annotations

import contextlib
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nipa_kg.server.query.guard import (
    DEFAULT_LIMITS,
    Limits,
    QueryTooComplex,
    _within_by_counts,
    check,
    measure,
)

# ---- any input -------------------------------------------------------------------------------------------

_TERMS = st.sampled_from(
    [
        "?x",
        "$y",
        "<http://e/a>",
        "<http://e/a#b(c>",
        "e:b",
        ":c",
        "_:d",
        "a",
        "1",
        "-2.5e3",
        "true",
        '"s"',
        "'t'",
        '"""u\n"""',
        "'''v'''",
        '"w\\"{"@en',
        '"1"^^<http://e/d>',
        "UNDEF",
        "UNION",
        "VALUES",
        "()",
        "[]",
    ]
)
_OPERATORS = st.sampled_from(
    ["+", "-", "*", "/", "!", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "|", "^", "?"]
)
_NOISE = st.sampled_from(
    ["{", "}", "(", ")", "[", "]", "<<", ">>", ".", ";", ",", "#c\n", "\\", "'", '"', "<", "\n"]
)


def _fragments(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        children.map(lambda x: "{ " + x + " }"),
        children.map(lambda x: "(" + x + ")"),
        children.map(lambda x: "[ e:p " + x + " ]"),
        children.map(lambda x: "OPTIONAL { " + x + " }"),
        children.map(lambda x: "FILTER EXISTS { " + x + " }"),
        children.map(lambda x: "<< " + x + " >>"),
        st.lists(children, min_size=2, max_size=6).map(" UNION ".join),
        st.lists(children, min_size=2, max_size=6).map(" . ".join),
        st.lists(children, min_size=2, max_size=6).map(", ".join),
        st.tuples(children, _OPERATORS, children).map(" ".join),
        st.tuples(children, _OPERATORS, children).map("".join),
        st.tuples(_TERMS, st.integers(1, 120), _OPERATORS).map(lambda t: f" {t[2]} ".join([t[0]] * t[1])),
        st.tuples(st.sampled_from("{([!"), st.integers(1, 80)).map(lambda t: t[0] * t[1]),
    )


QUERIES = st.one_of(
    st.recursive(st.one_of(_TERMS, _NOISE), _fragments, max_leaves=30).map(
        lambda x: f"SELECT * WHERE {{ {x} }}"
    ),
    st.lists(st.one_of(_TERMS, _OPERATORS, _NOISE), max_size=80).map("".join),
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda data: data.decode("latin-1")),
)


SMALL = Limits(depth=8, operators=40, unions=4, items=40, tree_depth=80, tokens=1500)
LIMIT_NAMES = {"depth", "operators", "unions", "items", "tree_depth", "tokens", "ambiguity"}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERIES)
def test_any_input_passes_or_is_refused_and_fast(query: str) -> None:
    began = time.perf_counter()
    for limits in (DEFAULT_LIMITS, SMALL):
        try:
            check(query, limits)
        except QueryTooComplex as error:
            assert error.limit_name in LIMIT_NAMES
    try:
        found = measure(query)
    except QueryTooComplex as error:
        assert error.limit_name == "ambiguity"
    else:
        assert all(value >= 0 for value in vars(found).values())
    assert time.perf_counter() - began < 0.5 + len(query) / 1000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERIES, st.integers(1, 80), st.integers(1, 3000))
def test_the_character_counts_bound_the_measures(query: str, depth: int, others: int) -> None:
    """`check` skips the lexer when character counts show no limit can be reached: they must bound what
    the lexer would find."""
    limits = Limits(
        depth=depth, operators=others, unions=others, items=others, tree_depth=others, tokens=others
    )
    if not _within_by_counts(query, limits):
        return
    try:
        found = measure(query)
    except QueryTooComplex:
        return  # ambiguity: only the counts can bound it, and they do
    for name in ("depth", "operators", "unions", "items", "tree_depth", "tokens"):
        assert getattr(found, name) <= getattr(limits, name), (name, found)


HOSTILE = [
    "a.",
    '"\\',
    "<aaaaaaa",
    "'''\\'",
    "(",
    "((()))",
    "}",
    "?a + ",
    '"""',
    "# x\n",
    "e:a.",
    "\\",
    "<<",
    "!",
]


def test_linear_time_on_hostile_input() -> None:
    """Inputs that make a careless lexer quadratic. `check` stops at the first limit passed: 1 MiB of each
    takes milliseconds; `measure` reads all of 64 KiB, in linear time (4 times the text, not 16 times the
    time)."""
    for unit in HOSTILE:
        query = unit * ((1 << 20) // len(unit))
        began = time.process_time()
        with contextlib.suppress(QueryTooComplex):
            check(query)
        assert time.process_time() - began < 0.5, unit
    for unit in HOSTILE:
        times = []
        for size in (16 << 10, 64 << 10):
            query = unit * (size // len(unit))
            began = time.process_time()
            with contextlib.suppress(QueryTooComplex):
                measure(query)
            times.append(time.process_time() - began)
        assert times[1] < 1 and times[1] < 12 * times[0] + 0.25, (unit, times)  # quadratic: 16 times
