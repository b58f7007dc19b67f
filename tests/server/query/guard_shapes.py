"""The query shapes of the guard's tests (test_guard.py): each shape built at size n with the builders of
bench/crash_shapes.py, the size that crashed pyoxigraph (bench/CRASH_DEPTHS.md) and the limit that refuses
it, and combinations of shapes.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.crash_shapes import DATA, HEAD, P, S, bind_of, chain, filter_of  # noqa: F401 - DATA, HEAD: re-exported

Build = Callable[[int], str]
SHAPES: dict[str, Build] = {
    "groups": lambda n: "SELECT * WHERE " + "{ " * n + f"?s {P} ?o" + " }" * n,
    "parens-filter": lambda n: filter_of("(" * n + "?a" + ")" * n),
    "parens-bind": lambda n: bind_of("(" * n + "?a" + ")" * n),
    "optional-nested": lambda n: (
        f"SELECT * WHERE {{ ?s {P} ?o " + f"OPTIONAL {{ ?s {P} ?o " * n + "}" * (n + 1)
    ),
    "subquery-nested": lambda n: (
        "SELECT * WHERE { " + "SELECT * WHERE { " * n + f"?s {P} ?o" + " }" * (n + 1)
    ),
    "exists-nested": lambda n: (
        "SELECT * WHERE { " + f"?s {P} ?o FILTER EXISTS {{ " * n + f"?s {P} ?o" + " }" * (n + 1)
    ),
    "plus-chain": lambda n: filter_of(chain("+", "?a", n)),
    "times-chain": lambda n: filter_of(chain("*", "?a", n)),
    "or-chain": lambda n: filter_of(chain("||", "?f", n, "?t")),
    "and-chain": lambda n: filter_of(chain("&&", "?t", n)),
    "not-chain": lambda n: filter_of("!" * (2 * (n // 2)) + "?t"),
    "minus-nested": lambda n: filter_of("-(" * n + "?a" + ")" * n),
    "path-seq": lambda n: f"SELECT * WHERE {{ ?s {'/'.join([P] * (n + 1))} ?o }}",
    "path-alt": lambda n: f"SELECT * WHERE {{ ?s {'|'.join([P] * (n + 1))} ?o }}",
    "path-parens": lambda n: f"SELECT * WHERE {{ ?s {'(' * n}{P}{')' * n} ?o }}",
    "union": lambda n: "SELECT * WHERE { " + " UNION ".join([f"{{ ?s {P} ?o }}"] * n) + " }",
    "triples-dot": lambda n: "SELECT * WHERE { " + " . ".join([f"{S} {P} {S}"] * n) + " }",
    "triples-vars": lambda n: "SELECT * WHERE { " + " . ".join(f"?s {P} ?o{i}" for i in range(n)) + " }",
    "triples-semicolon": lambda n: f"SELECT * WHERE {{ {S} " + " ; ".join([f"{P} {S}"] * n) + " }",
    "triples-comma": lambda n: f"SELECT * WHERE {{ {S} {P} " + " , ".join([S] * n) + " }",
    "filters": lambda n: f"SELECT * WHERE {{ ?s {P} ?o " + "FILTER(BOUND(?o)) " * n + "}",
    "binds": lambda n: (
        f"SELECT * WHERE {{ ?s {P} ?o " + "".join(f"BIND(1 AS ?b{i}) " for i in range(n)) + "}"
    ),
    "optional-seq": lambda n: f"SELECT * WHERE {{ ?s {P} ?o " + f"OPTIONAL {{ {S} {P} {S} }} " * n + "}",
    "groups-seq": lambda n: "SELECT * WHERE { " + f"{{ {S} {P} {S} }} " * n + "}",
    "values": lambda n: f"SELECT * WHERE {{ ?s {P} ?o }} VALUES ?v {{ " + " ".join(map(str, range(n))) + " }",
    "values-rows": lambda n: (
        f"SELECT * WHERE {{ ?s {P} ?o }} VALUES (?v) {{ " + " ".join(f"({i})" for i in range(n)) + " }"
    ),
    "in-list": lambda n: filter_of("?a IN (" + ", ".join(["0"] * n) + ")"),
    "concat-nested": lambda n: bind_of("CONCAT(" * n + '"x"' + ")" * n),
    "concat-args": lambda n: bind_of("CONCAT(" + ", ".join(['"x"'] * n) + ")"),
    "bnode-nested": lambda n: f"CONSTRUCT {{ {S} {P} " + f"[ {P} " * n + "1" + " ]" * n + " } WHERE {}",
    "collection-nested": lambda n: f"CONSTRUCT {{ {S} {P} " + "( " * n + "1" + " )" * n + " } WHERE {}",
    "collection-long": lambda n: f"CONSTRUCT {{ {S} {P} (" + " 1" * n + " ) } WHERE {}",
    "triple-term-nested": lambda n: (
        f"CONSTRUCT {{ {S} {P} " + f"<< {S} {P} " * n + "1" + " >>" * n + " } WHERE {}"
    ),
    "collection-where": lambda n: f"SELECT * WHERE {{ {S} {P} (" + " 1" * n + " ) }",
    "select-exprs": lambda n: "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(n)) + " {}",
    "having": lambda n: "SELECT ?x { BIND(1 AS ?x) } GROUP BY ?x HAVING " + "(true) " * n,
    "describe": lambda n: "DESCRIBE " + f"{S} " * n,
    "project": lambda n: "SELECT " + " ".join(f"?v{i}" for i in range(n)) + " { BIND(1 AS ?v0) }",
    "order-by": lambda n: "SELECT * { BIND(1 AS ?x) } ORDER BY " + "?x " * n,
}

# The smallest size that crashed pyoxigraph 0.5.13 in a thread of 8 MiB (bench/CRASH_DEPTHS.md; for the
# shapes too slow to plan for a probe to reach a crash in a thread, the main thread's, whose stack is the
# same size), and the limit that refuses it.
CRASHES: dict[str, tuple[int, str]] = {
    "groups": (2240, "depth"),
    "parens-filter": (4736, "depth"),
    "parens-bind": (4736, "depth"),
    "optional-nested": (2944, "depth"),
    "subquery-nested": (2560, "depth"),
    "exists-nested": (864, "depth"),
    "plus-chain": (6912, "operators"),
    "times-chain": (6912, "operators"),
    "or-chain": (9472, "operators"),
    "and-chain": (9472, "operators"),
    "not-chain": (9472, "operators"),
    "minus-nested": (4736, "depth"),
    "path-seq": (8192, "operators"),
    "path-alt": (11264, "operators"),
    "path-parens": (13824, "depth"),
    "union": (6656, "unions"),
    "triples-dot": (2688, "items"),
    "triples-vars": (8192, "items"),
    "triples-semicolon": (2688, "items"),
    "triples-comma": (2688, "items"),
    "filters": (9472, "items"),
    "binds": (2688, "items"),
    "optional-seq": (2688, "items"),
    "groups-seq": (2688, "items"),
    "concat-nested": (928, "depth"),
    "bnode-nested": (3712, "depth"),
    "collection-nested": (12288, "depth"),
    "triple-term-nested": (8448, "depth"),
    "collection-where": (1344, "items"),
    "select-exprs": (2688, "items"),
    "having": (9472, "items"),
    "describe": (2688, "items"),
}
# No crash up to 2^19 (project: up to 2^15, slower to plan beyond): these pass.
FLAT = ("values", "values-rows", "in-list", "concat-args", "order-by", "project")
# No crash seen either, but refused all the same: a collection in a CONSTRUCT template (none up to 2^15).
# The guard does not tell a template from a WHERE clause, where the same collection crashes
# (collection-where).
CONSERVATIVE = {"collection-long": "items"}
# Too slow to plan at the sizes the limits allow (seconds at a few hundred): not evaluated below.
SLOW_TO_PLAN = ("path-seq", "triples-vars", "collection-where")


def _nest_chains(levels: int, n: int) -> str:
    """`((… + ?a + ?a) + ?a + ?a)`: a chain of n `+` at each level, the level below first (the deepest)."""
    expr = "?a"
    for _ in range(levels):
        expr = "(" + expr + " + " + chain("+", "?a", n - 1) + ")"
    return expr


# Combinations: each level within its own limit, the whole deep (the tree depth refuses those).
COMBINED: dict[str, Build] = {
    "exists-then-binds": lambda n: (
        "SELECT * WHERE { "
        + f"?s {P} ?o FILTER EXISTS {{ " * 60
        + f"?s {P} ?o "
        + "".join(f"BIND(1 AS ?b{i}) " for i in range(n))
        + " }" * 61
    ),
    "binds-in-binds": lambda n: (  # a group of n BINDs, first element of a group of n BINDs
        "SELECT * WHERE { { "
        + "".join(f"BIND(1 AS ?b{i}) " for i in range(n))
        + "} "
        + "".join(f"BIND(1 AS ?c{i}) " for i in range(n))
        + "}"
    ),
    "concat-then-chain": lambda n: bind_of("CONCAT(" * 60 + "STR(" + chain("+", "?a", n) + ")" + ")" * 60),
    "chain-of-chains": lambda n: filter_of(_nest_chains(8, n)),
    "unions-of-groups": lambda n: (
        "SELECT * WHERE { " + "{ " * 40 + " UNION ".join([f"{{ {S} {P} {S} }}"] * n) + " }" * 40 + " }"
    ),
}
