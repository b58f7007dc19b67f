"""The tables of a bench run (`bench.run`): each size's section, and the targets of issue 10, measured."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench import engine, generate
from bench.load import Outcome, Query
from bench.replacement import Replacement
from bench.report import Stats, mib, ratio, table
from bench.servers import Server

NIPA, NIPA_NONE = "nipa-kg, isolated", "nipa-kg, in-process"
OXIGRAPH, VIRTUOSO, RDFLIB = "Oxigraph server", "Virtuoso 7.2", "rdflib (reference)"
Target = tuple[str, str, str, bool]  # size, target, measured, met


@dataclass
class Measured:
    """One server's numbers at one size: each run's outcome, cache hit rate and CPU seconds."""

    server: Server
    runs: dict[str, Outcome] = field(default_factory=dict)
    hit_rates: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def stats(self, run: str) -> Stats:
        return Stats.of(self.runs[run])

    def cpu_us(self, run: str) -> float:
        """Server CPU per answered request of `run`, in µs (every process of the server)."""
        answered = self.runs[run].answered
        return self.cpu[run] / answered * 1e6 if answered and run in self.cpu else float("nan")


@dataclass
class SizeResults:
    size: int
    data: generate.Generated
    threads: int
    results: dict[str, Measured]
    times: engine.EngineTimes
    replaced: list[Replacement] = field(default_factory=list)  # forced replacements, by runaway query
    skipped: dict[str, str] = field(default_factory=dict)  # server: why it did not run
    loads: list[float] = field(default_factory=list)  # the machine's 1-minute load average at each start

    @property
    def label(self) -> str:
        return generate.size_label(self.size)

    def ceiling(self) -> str:
        return ratio(self.times.ceiling_rps(), self.results[OXIGRAPH].stats("mix").rps)


RUN_HEADER = ["server", "req/s", "p50 ms", "p99 ms", "ratio to Oxigraph (req/s)", "errors", "cache hits"]
RUN_HEADER += ["server CPU µs/req"]
ASK_HEADER = ["server", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "1 client: req/s", "p50 ms"]
ASK_HEADER += ["server CPU µs/req"]
MEMORY_HEADER = ["server", "ready s", "of which load s", "peak RSS MiB", "ratio", "end RSS MiB", "ratio"]
MEMORY_HEADER += ["end PSS MiB"]


def run_rows(size: SizeResults, run: str, variants: Sequence[tuple[str, str, str]]) -> list[list[object]]:
    """One row per (title, server, run name) present, against Oxigraph's `run`."""
    base = size.results[OXIGRAPH].stats(run)
    rows: list[list[object]] = []
    for title, name, variant in variants:
        measured = size.results.get(name)
        if measured is None or variant not in measured.runs:
            continue
        stats, hit = measured.stats(variant), measured.hit_rates.get(variant)
        rows.append(
            [title, stats.rps, stats.p50_ms, stats.p99_ms, ratio(stats.rps, base.rps), stats.errors]
            + [f"{hit:.0%}" if hit is not None else "–", measured.cpu_us(variant)]
        )
    return rows


def variants(size: SizeResults, run: str, nipa_run: str, peers: Sequence[str]) -> list[tuple[str, str, str]]:
    threads = f"workers 1, threads {size.threads}"
    return [
        (f"{NIPA} ({threads}), cache on", NIPA, run),
        (f"{NIPA}, Cache-Control: no-cache", NIPA, nipa_run),
        (f"{NIPA_NONE} (`--isolation none`), cache on", NIPA_NONE, run),
        (f"{NIPA_NONE}, Cache-Control: no-cache", NIPA_NONE, nipa_run),
    ] + [(peer, peer, run) for peer in peers]


def per_query_rows(size: SizeResults, queries: Sequence[Query]) -> tuple[list[str], list[list[object]]]:
    servers = [name for name in (NIPA, NIPA_NONE, OXIGRAPH, VIRTUOSO) if name in size.results]
    short = {NIPA: "nipa-kg", NIPA_NONE: "in-process", OXIGRAPH: "Oxigraph", VIRTUOSO: "Virtuoso"}
    header = ["query"] + [f"{short[name]} {what}" for name in servers for what in ("req/s", "p99 ms")]
    header += ["ratio", "engine ms"] + (["rdflib req/s"] if RDFLIB in size.results else [])
    rows = []
    for query in queries:
        run = f"query {query.name}"
        row: list[object] = [query.name]
        for name in servers:
            stats = size.results[name].stats(run)
            row += [stats.rps, stats.p99_ms]
        ours, theirs = size.results[NIPA].stats(run), size.results[OXIGRAPH].stats(run)
        row += [ratio(ours.rps, theirs.rps), size.times.seconds[query.name] * 1000]
        if RDFLIB in size.results:
            row.append(size.results[RDFLIB].stats(run).rps)
        rows.append(row)
    return header, rows


def ask_section(size: SizeResults) -> list[str]:
    """ASK {} uncached on every server: the cost of the request path itself, and of the evaluator hop."""
    names = [name for name in (NIPA, NIPA_NONE, OXIGRAPH, VIRTUOSO) if name in size.results]
    many, one = "ask no-cache", "ask no-cache, 1 client"
    rows = []
    for name in names:
        measured = size.results[name]
        stats, alone = measured.stats(many), measured.stats(one)
        rows.append([name, stats.rps, stats.p50_ms, stats.p99_ms, measured.cpu_us(many)])
        rows[-1] += [alone.rps, alone.p50_ms, measured.cpu_us(one)]
    iso, none = (size.results[name] for name in (NIPA, NIPA_NONE))
    hop_cpu = iso.cpu_us(one) - none.cpu_us(one)
    hop_p50 = (iso.stats(one).p50_ms - none.stats(one).p50_ms) * 1000
    return [
        "`ASK {}` with `Cache-Control: no-cache` (no data touched: the request path alone), from every "
        "client and from one alone; server CPU is that of every process of the server over the run, per "
        "answer:\n",
        table(ASK_HEADER, rows),
        f"The hop to the evaluator process, from one client: {hop_cpu:+,.0f} µs of server CPU and "
        f"{hop_p50:+,.0f} µs at p50 per request, isolated against in-process.\n",
    ]


def memory_section(size: SizeResults) -> list[str]:
    oxi = size.results[OXIGRAPH].server.memory
    rows = []
    for name, measured in size.results.items():
        server, memory = measured.server, measured.server.memory
        rows.append(
            [name, server.ready_s, server.load_s if server.load_s is not None else "–"]
            + [mib(memory.peak_rss), ratio(memory.peak_rss, oxi.peak_rss), mib(memory.rss)]
            + [ratio(memory.rss, oxi.rss), mib(memory.pss)]
        )
    text = ["Start-up and memory (every process of the server together):\n", table(MEMORY_HEADER, rows)]
    if size.replaced:
        text += replacement_section(size.replaced, oxi.rss)
    return text


REPLACEMENT_HEADER = ["runaway query", "answered", "after s", "evaluator gone after s", "ready again s"]
REPLACEMENT_HEADER += ["RSS before MiB", "peak MiB", "ratio", "once answering MiB"]
RUNAWAY_WHAT = {
    "lean": "lean (nested FILTER EXISTS: holds no memory)",
    "greedy": "greedy (cross product: builds tables)",
}


def replacement_section(replaced: Sequence[Replacement], oxigraph_rss: int) -> list[str]:
    """The forced replacements: timings, and the RSS of all processes (ratio: the peak to Oxigraph's RSS
    after its runs)."""

    def seconds(value: float | None) -> object:
        return value if value is not None else "never"

    rows = [
        [RUNAWAY_WHAT.get(r.runaway, r.runaway), r.status, r.answered_s, seconds(r.ended_s)]
        + [seconds(r.ready_again_s), mib(r.before_rss), mib(r.peak_rss), ratio(r.peak_rss, oxigraph_rss)]
        + [mib(r.after_rss)]
        for r in replaced
    ]
    return [
        f"Forced replacements (`nipa-kg serve --timeout {replaced[0].timeout:g}`, isolated, warmed with the "
        "uncached mix; a runaway query each; RSS of all processes, sampled every 20 ms from the query to the "
        "new evaluator's first answer):\n",
        table(REPLACEMENT_HEADER, rows),
    ]


def render_size(size: SizeResults, queries: Sequence[Query]) -> str:
    peers = [name for name in (OXIGRAPH, VIRTUOSO, RDFLIB) if name in size.results]
    header, per_query = per_query_rows(size, queries)
    text = [
        f"### {size.label}: {size.data.triples:,} triples ({size.data.agencies} agencies)\n",
        *(f"{name}: not run ({why}).\n" for name, why in size.skipped.items()),
        "Query mix (every query, a random agency per request):\n",
        table(RUN_HEADER, run_rows(size, "mix", variants(size, "mix", "nipa mix no-cache", peers))),
        f"The engine alone (pyoxigraph in the bench's process, no HTTP, one query at a time) takes "
        f"{size.times.mix_seconds * 1000:.3g} ms per request of this mix on average: on {os.cpu_count()} "
        f"cores, doing nothing else, no server of this engine answers the uncached mix faster than "
        f"{size.times.ceiling_rps():,.0f} req/s ({size.ceiling()} Oxigraph's measured rate).\n",
        "Repeated canned queries (every query, agency 1 only):\n",
        table(
            RUN_HEADER,
            run_rows(size, "canned", variants(size, "canned", "nipa canned no-cache", peers[:2])),
        ),
        *ask_section(size),
        "Each query alone (a random agency per request, `Cache-Control: no-cache`; ratio: nipa-kg isolated "
        "to Oxigraph):\n",
        table(header, per_query),
        *memory_section(size),
    ]
    return "\n".join(text)


def targets(size: SizeResults) -> list[Target]:
    """Issue 10's targets for nipa-kg as deployed (isolated): throughput at every size; memory and
    readiness at 10^6 and up."""
    iso, none, oxi = (size.results[name] for name in (NIPA, NIPA_NONE, OXIGRAPH))
    base = oxi.stats("mix").rps
    fresh, fresh_none = iso.stats("nipa mix no-cache").rps, none.stats("nipa mix no-cache").rps
    found: list[Target] = [
        (
            size.label,
            "query mix, no-cache: req/s ≥ in-process's (same run)",
            f"{ratio(fresh, base)} vs {ratio(fresh_none, base)} Oxigraph's",
            fresh >= fresh_none,
        ),
        (
            size.label,
            "query mix, no-cache: parity with Oxigraph (aim)",
            f"{ratio(fresh, base)} (engine ceiling {size.ceiling()})",
            fresh >= base,
        ),
    ]
    for run, name in (("mix", "query mix"), ("canned", "repeated canned queries")):
        ours, theirs = iso.stats(run).rps, oxi.stats(run).rps
        met = ours >= 5 * theirs
        found.append((size.label, f"{name}, cache on: req/s ≥ 5× Oxigraph's", ratio(ours, theirs), met))
    return found + (memory_targets(size) if size.size >= 10**6 else [])


def memory_targets(size: SizeResults) -> list[Target]:
    ours, theirs = size.results[NIPA].server, size.results[OXIGRAPH].server.memory
    found: list[Target] = [
        (
            size.label,
            f"RSS {when}, all processes, < 1.5× Oxigraph's",
            ratio(rss, base),
            rss < 1.5 * base,
        )
        for when, rss, base in (
            ("in steady state (after the runs)", ours.memory.rss, theirs.rss),
            ("at its peak over start-up and runs", ours.memory.peak_rss, theirs.peak_rss),
        )
    ]
    for replaced in size.replaced:
        peak, what = replaced.peak_rss, f"a {replaced.runaway} runaway query"
        found.append(
            (size.label, f"RSS at the peak of a replacement ({what}) < 2.5× Oxigraph's (after its runs)",
             ratio(peak, theirs.rss), peak < 2.5 * theirs.rss)
        )  # fmt: skip
    found.append((size.label, "ready < 5 s (start)", f"{ours.ready_s:.1f} s", ours.ready_s < 5))
    for replaced in size.replaced:
        again = replaced.ready_again_s
        shown = f"{again:.1f} s" if again is not None else "never"
        met = again is not None and again < 5
        found.append((size.label, f"ready again < 5 s (after a {replaced.runaway} runaway)", shown, met))
    return found
