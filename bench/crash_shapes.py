"""The query shapes bench/crash_depths.py probes: each builds a SPARQL query nested or chained n deep (or
n long), to find the size at which pyoxigraph crashes; the data the probes query (`DATA`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

P = "<http://e/p>"
S = "<http://e/s>"
HEAD = "SELECT * WHERE { ?s <http://e/n> ?a ; <http://e/t> ?t ; <http://e/f> ?f "  # ?a 1, ?t true, ?f false
DATA = """<http://e/s> <http://e/p> <http://e/s> .
<http://e/s> <http://e/n> 1 .
<http://e/s> <http://e/t> true .
<http://e/s> <http://e/f> false .
"""


def filter_of(expr: str) -> str:
    return f"{HEAD} FILTER({expr}) }}"


def bind_of(expr: str) -> str:
    return f"{HEAD} BIND({expr} AS ?x) }}"


def chain(op: str, operand: str, n: int, last: str | None = None) -> str:
    """`operand op operand op ... op last`: n binary operators."""
    return f" {op} ".join([operand] * n + [last or operand])


@dataclass(frozen=True)
class Shape:
    name: str
    unit: str  # what n counts
    build: Callable[[int], str]
    start: int = 256
    limit: int = 1 << 19  # largest size tried


SHAPES = [
    Shape("groups", "nested `{ }`", lambda n: "SELECT * WHERE " + "{ " * n + f"?s {P} ?o" + " }" * n),
    Shape("parens-filter", "nested `( )` in FILTER", lambda n: filter_of("(" * n + "?a" + ")" * n)),
    Shape("parens-bind", "nested `( )` in BIND", lambda n: bind_of("(" * n + "?a" + ")" * n)),
    Shape(
        "optional-nested",
        "nested OPTIONAL",
        lambda n: f"SELECT * WHERE {{ ?s {P} ?o " + f"OPTIONAL {{ ?s {P} ?o " * n + "}" * (n + 1),
    ),
    Shape(
        "subquery-nested",
        "nested `{ SELECT * WHERE { } }`",
        lambda n: "SELECT * WHERE { " + "SELECT * WHERE { " * n + f"?s {P} ?o" + " }" * (n + 1),
        start=64,
    ),
    Shape(
        "exists-nested",
        "nested FILTER EXISTS",
        lambda n: "SELECT * WHERE { " + f"?s {P} ?o FILTER EXISTS {{ " * n + f"?s {P} ?o" + " }" * (n + 1),
        start=64,
    ),
    Shape("plus-chain", "`+` operators", lambda n: filter_of(chain("+", "?a", n))),
    Shape("times-chain", "`*` operators", lambda n: filter_of(chain("*", "?a", n))),
    Shape("or-chain", "`||` operators", lambda n: filter_of(chain("||", "?f", n, "?t"))),
    Shape("and-chain", "`&&` operators", lambda n: filter_of(chain("&&", "?t", n))),
    Shape("not-chain", "unary `!` in a row", lambda n: filter_of("!" * (2 * (n // 2)) + "?t")),
    Shape("minus-nested", "unary `-(` nested", lambda n: filter_of("-(" * n + "?a" + ")" * n)),
    Shape(
        "path-seq",
        "`/` path steps",
        lambda n: f"SELECT * WHERE {{ ?s {'/'.join([P] * (n + 1))} ?o }}",
        start=64,
    ),
    Shape(
        "path-alt",
        "`|` path alternatives",
        lambda n: f"SELECT * WHERE {{ ?s {'|'.join([P] * (n + 1))} ?o }}",
    ),
    Shape(
        "path-parens",
        "nested `( )` in a path",
        lambda n: f"SELECT * WHERE {{ ?s {'(' * n}{P}{')' * n} ?o }}",
    ),
    Shape(
        "union",
        "UNION branches",
        lambda n: "SELECT * WHERE { " + " UNION ".join([f"{{ ?s {P} ?o }}"] * n) + " }",
    ),
    Shape(
        "triples-dot",
        "triple patterns, `.`",
        lambda n: "SELECT * WHERE { " + " . ".join([f"{S} {P} {S}"] * n) + " }",
    ),
    Shape(
        "triples-vars",
        "triple patterns `?s <p> ?oN`, `.`",
        lambda n: "SELECT * WHERE { " + " . ".join(f"?s {P} ?o{i}" for i in range(n)) + " }",
        start=16,
    ),
    Shape(
        "triples-semicolon",
        "predicate-object lists, `;`",
        lambda n: f"SELECT * WHERE {{ {S} " + " ; ".join([f"{P} {S}"] * n) + " }",
    ),
    Shape(
        "triples-comma",
        "objects, `,`",
        lambda n: f"SELECT * WHERE {{ {S} {P} " + " , ".join([S] * n) + " }",
    ),
    Shape(
        "filters",
        "FILTERs in one group",
        lambda n: f"SELECT * WHERE {{ ?s {P} ?o " + "FILTER(BOUND(?o)) " * n + "}",
    ),
    Shape(
        "binds",
        "BINDs in one group",
        lambda n: f"SELECT * WHERE {{ ?s {P} ?o " + "".join(f"BIND(1 AS ?b{i}) " for i in range(n)) + "}",
    ),
    Shape(
        "optional-seq",
        "OPTIONALs side by side",
        lambda n: f"SELECT * WHERE {{ ?s {P} ?o " + f"OPTIONAL {{ {S} {P} {S} }} " * n + "}",
    ),
    Shape(
        "groups-seq",
        "`{ }` groups side by side",
        lambda n: "SELECT * WHERE { " + f"{{ {S} {P} {S} }} " * n + "}",
    ),
    Shape(
        "select-exprs",
        "`(1 AS ?vN)` in SELECT",
        lambda n: "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(n)) + " {}",
    ),
    Shape(
        "having",
        "HAVING constraints",
        lambda n: "SELECT ?x { BIND(1 AS ?x) } GROUP BY ?x HAVING " + "(true) " * n,
    ),
    Shape("describe", "DESCRIBE IRIs", lambda n: "DESCRIBE " + f"{S} " * n),
    Shape(
        "project",
        "SELECT variables",
        lambda n: "SELECT " + " ".join(f"?v{i}" for i in range(n)) + " { BIND(1 AS ?v0) }",
    ),
    Shape("order-by", "ORDER BY keys", lambda n: "SELECT * { BIND(1 AS ?x) } ORDER BY " + "?x " * n),
    Shape(
        "values",
        "VALUES ?v rows",
        lambda n: f"SELECT * WHERE {{ ?s {P} ?o }} VALUES ?v {{ " + " ".join(map(str, range(n))) + " }",
    ),
    Shape(
        "values-rows",
        "VALUES (?v) rows",
        lambda n: (
            f"SELECT * WHERE {{ ?s {P} ?o }} VALUES (?v) {{ " + " ".join(f"({i})" for i in range(n)) + " }"
        ),
    ),
    Shape("in-list", "IN list items", lambda n: filter_of("?a IN (" + ", ".join(["0"] * n) + ")")),
    Shape("concat-nested", "nested CONCAT(…)", lambda n: bind_of("CONCAT(" * n + '"x"' + ")" * n)),
    Shape("concat-args", "CONCAT arguments", lambda n: bind_of("CONCAT(" + ", ".join(['"x"'] * n) + ")")),
    Shape(
        "bnode-nested",
        "nested `[ ]` in a CONSTRUCT template",
        lambda n: f"CONSTRUCT {{ {S} {P} " + f"[ {P} " * n + "1" + " ]" * n + " } WHERE {}",
    ),
    Shape(
        "collection-nested",
        "nested `( )` in a CONSTRUCT template",
        lambda n: f"CONSTRUCT {{ {S} {P} " + "( " * n + "1" + " )" * n + " } WHERE {}",
    ),
    Shape(
        "collection-long",
        "collection items in a CONSTRUCT template",
        lambda n: f"CONSTRUCT {{ {S} {P} (" + " 1" * n + " ) } WHERE {}",
    ),
    Shape(
        "triple-term-nested",
        "nested `<< >>` in a CONSTRUCT template",
        lambda n: f"CONSTRUCT {{ {S} {P} " + f"<< {S} {P} " * n + "1" + " >>" * n + " } WHERE {}",
    ),
    Shape(
        "collection-where",
        "collection items in WHERE",
        lambda n: f"SELECT * WHERE {{ {S} {P} (" + " 1" * n + " ) }",
        start=16,
    ),
]
BY_NAME = {shape.name: shape for shape in SHAPES}
