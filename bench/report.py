"""Markdown tables of a bench run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.load import Outcome, percentile

MIB = 1024 * 1024


@dataclass(frozen=True)
class Stats:
    """Throughput and latency of one run (or of one request name within it)."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0

    @classmethod
    def of(cls, outcome: Outcome, name: str | None = None) -> Stats:
        values = (
            outcome.latencies.get(name, []) if name else [v for vs in outcome.latencies.values() for v in vs]
        )
        if not values:
            return cls(0.0, float("nan"), float("nan"), outcome.errors)
        return cls(
            len(values) / outcome.seconds,
            percentile(values, 0.5) * 1000,
            percentile(values, 0.99) * 1000,
            outcome.errors,
        )


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "n/a"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; floats get 1 decimal (3 significant digits below 10)."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return "–" if value != value else f"{value:.3g}" if abs(value) < 10 else f"{value:,.0f}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def mib(value: int) -> float:
    return value / MIB


def write_between(path: Path, begin: str, end: str, body: str) -> None:
    """Replace what `path` holds between the lines `begin` and `end` with `body` (both markers appended if
    absent)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if begin not in text:
        text += f"{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(f"{head}{begin}\n{body}\n{end}{tail}", encoding="utf-8")
