"""How fast the query guard (server/query/guard.py) is: the canned queries, and 1 MiB queries of several
kinds, through `check` (default limits: it stops at the first limit passed) and `measure` (reads all).

    python -m bench.guard_speed

Times are CPU times (`time.process_time`), the best of several runs: this machine's two cores are shared.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from nipa_kg.server.query.guard import QueryTooComplex, check, measure

ROOT = Path(__file__).resolve().parents[1]
MIB = 1 << 20


def best(run: Callable[[], object], repeat: int = 5) -> float:
    """The least CPU seconds of `repeat` runs."""
    least = float("inf")
    for _ in range(repeat):
        began = time.process_time()
        with contextlib.suppress(QueryTooComplex):
            run()
        least = min(least, time.process_time() - began)
    return least


def fill(prefix: str, unit: str, suffix: str) -> str:
    """`prefix`, `unit` repeated to about 1 MiB in all, `suffix`."""
    return prefix + unit * ((MIB - len(prefix) - len(suffix)) // len(unit)) + suffix


def inputs() -> dict[str, str]:
    canned = [path.read_text("utf-8") for path in sorted((ROOT / "graph/queries").glob("*.rq"))]
    canned += [path.read_text("utf-8") for path in sorted((ROOT / "bench/queries").glob("*.rq"))]
    body = " UNION ".join(
        "{ " + query[query.index("{") + 1 : query.rindex("}")] + " }" for query in canned if "{" in query
    )
    return {
        "VALUES ?s { <iri> … }": fill(
            "SELECT * { ?s ?p ?o } VALUES ?s { ", "<http://example.org/r/item-1> ", "}"
        ),
        'VALUES (?s ?o) { (<iri> "…"@en) … }': fill(
            "SELECT * { ?s ?p ?o } VALUES (?s ?o) { ", '(<http://example.org/r/1#a> "label"@en) ', "}"
        ),
        "FILTER(?s IN (<iri>, …))": fill(
            "SELECT * { ?s ?p ?o FILTER(?s IN (", "<http://example.org/r/1>, ", "1)) }"
        ),
        "triple patterns (refused: items)": fill("SELECT * { ", "?s <http://example.org/p> ?o . ", "}"),
        "the canned queries' bodies, UNIONed": fill("SELECT * WHERE { ", body + " UNION ", "{} }"),
        "1 MiB of `(` (refused: depth)": "(" * MIB,
        "1 MiB of `?a + ` (refused: operators)": fill("", "?a + ", "?a"),
    }


def main() -> None:
    canned = sorted((ROOT / "graph/queries").glob("*.rq")) + sorted((ROOT / "bench/queries").glob("*.rq"))
    queries = [path.read_text("utf-8") for path in canned]
    size = sum(map(len, queries))
    seconds = best(lambda: [check(query) for query in queries], repeat=20)
    print(f"{len(queries)} canned queries ({size / len(queries):.0f} characters each on average), check:")
    print(f"  {seconds / len(queries) * 1e6:.1f} µs a query, {seconds / (size / 1024) * 1e6:.1f} µs/KiB")
    seconds = best(lambda: [measure(query) for query in queries], repeat=20)
    print(f"  measure (the lexer, every time): {seconds / len(queries) * 1e6:.0f} µs a query")
    print()
    print("| 1 MiB query | check | measure |")
    print("|---|---|---|")
    for name, query in inputs().items():
        checked = best(lambda query=query: check(query))
        measured = best(lambda query=query: measure(query), repeat=2)
        kib = len(query) / 1024
        print(
            f"| {name} | {checked * 1e3:.1f} ms ({checked * 1e6 / kib:.1f} µs/KiB) "
            f"| {measured * 1e3:.0f} ms ({measured * 1e6 / kib:.0f} µs/KiB) |"
        )


if __name__ == "__main__":
    main()
