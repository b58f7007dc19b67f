"""The hostile shapes of `bench.hostile` and their table, fast: the shapes are what their names say, and
the table shows each request and which servers survive. No server is started, and no query is sent: the
shapes crash pyoxigraph's parser (which is the point), so none is parsed here either."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import hostile
from bench.hostile import Outcome, Probe
from bench.report import write_between


@pytest.mark.parametrize(
    ("name", "token", "count"),
    [
        ("groups", "{ ", 3001),
        ("parentheses", "(", 10001),
        ("optionals", "OPTIONAL {", 3000),
        ("plus", " + ", 10000),
        ("not", "!", 10000),
        ("unions", " UNION ", 10000),
        ("triples", "?s ?p ?o .", 20000),
    ],
)
def test_each_shape_is_as_deep_or_wide_as_named(name: str, token: str, count: int) -> None:
    query = hostile.shape(name)
    assert query.count(token) == count
    assert query.count("{") == query.count("}") and query.count("(") == query.count(")")
    assert query.startswith("SELECT * WHERE {")
    assert 10_000 <= len(query.encode()) <= 225_000  # "12 to 220 KB" of query text


def test_long_shapes_pass_granians_get_limit_and_short_ones_not() -> None:
    lines = {name: len(hostile.get_line("/sparql", hostile.shape(name))) for name in hostile.SHAPES}
    assert lines["groups"] < 64 * 1024 < lines["triples"]


def outcome(status: str, alive: str = "yes", ask_s: float | None = 0.01, detail: str = "") -> Outcome:
    return Outcome(status, detail, 0.02, alive, ask_s)


def test_the_table_says_who_survives_and_what_each_request_got(tmp_path: Path) -> None:
    probes = [
        Probe("A", "groups", 12.0, outcome("400", detail="too deep"), outcome("400")),
        Probe("A", "unions", 190.0, outcome("414"), outcome("503", "yes, evaluator replaced", 2.5)),
        Probe(
            "B", "groups", 12.0, outcome("connection error (RemoteDisconnected)", "no", None), outcome("400")
        ),
        Probe("B", "unions", 190.0, outcome("200"), outcome("200")),
    ]
    text = hostile.render(probes, "python -m bench.hostile", "C: not run (missing).")
    assert "| shape | A | B |" in text
    assert "| 3000 nested `{ }` groups | yes | **no** |" in text
    assert "| 10000 UNIONs | **no** | yes |" in text  # answered, but ASK {} only after 2.5 s
    assert '| A | 3000 nested `{ }` groups | 12 | 400 "too deep" (0.02 s) | yes | yes |' in text
    assert "503 (0.02 s) | yes, evaluator replaced | no (after 2.5 s) |" in text
    assert "| no | no (never, restarted) |" in text and "C: not run (missing)." in text
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{hostile.BEGIN}\nold\n{hostile.END}\nafter\n")
    write_between(readme, hostile.BEGIN, hostile.END, text)
    written = readme.read_text()
    assert written.startswith("before\n") and written.endswith("after\n") and "old" not in written
    assert text in written


def test_a_refusals_text_is_one_short_line_safe_in_a_table() -> None:
    assert (
        hostile.summary(b"Virtuoso 37000 Error | SP030\n\nSPARQL query: ...", 30)
        == "Virtuoso 37000 Error / SP030"
    )
    assert len(hostile.summary(b"x" * 500)) == 60
    assert hostile.summary(b"503 Service Unavailable: the query evaluator died") == "the query evaluator died"
