"""The bench: nipa-kg's endpoint against Oxigraph's server (and rdflib, for reference) on the same data.

    python -m bench.run [--sizes 1e4,1e6] [--duration S] [--concurrency N]

For each size the generated TriG (one named graph; cached in `bench/data/` by size and seed) is served by
each server in turn, alone on the machine: `nipa-kg serve --data FILE`, `oxigraph serve` in memory with
the file POSTed to `/store`, and rdflib behind `bench.rdflib_endpoint` (up to `--rdflib-max` triples: it
takes minutes to load and query 10^6). Each gets the same runs of concurrent keep-alive GET requests:

- the query mix: every query of `bench/queries/`, each request for a random agency; nipa-kg as deployed
  (result cache on) and with `Cache-Control: no-cache` (every request evaluated);
- each query alone (random agency, `no-cache`), for per-query numbers;
- the repeated canned queries (agency 1 only) with the cache on and with `no-cache`.

Then the same queries are timed in this process, pyoxigraph alone (`bench.engine`): the engine's own cost
per query, and the most requests per second of the uncached mix any server of that engine could answer
on this machine's cores.

It prints Markdown tables: requests/s, p50 and p99 latency, the nipa-kg/Oxigraph ratio, time to ready and
peak memory of all processes together, then the targets; and writes them with the command into
`bench/README.md` (between the `bench:results` markers; `--readme PATH` elsewhere, `--readme ''` not).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shlex
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import engine, generate
from bench.load import Outcome, Query, Request, load_queries, requests
from bench.report import Stats, mib, ratio, table
from bench.servers import Server, start_nipa, start_oxigraph, start_rdflib

README = Path(__file__).parent / "README.md"
BEGIN, END = "<!-- bench:results -->", "<!-- /bench:results -->"
NIPA, OXIGRAPH, RDFLIB = "nipa-kg", "Oxigraph server", "rdflib (reference)"


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    duration: float
    query_duration: float
    concurrency: int
    max_requests: int
    seed: int
    workers: int
    threads: int
    rdflib_max: int
    data_dir: Path


@dataclass
class Measured:
    """One server's numbers at one size."""

    server: Server
    runs: dict[str, Outcome] = field(default_factory=dict)
    hit_rates: dict[str, float] = field(default_factory=dict)


def cache_counters(port: int) -> tuple[float, float] | None:
    """(hits, misses) from nipa-kg's /metrics, None if it has none."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        return None
    found = dict(re.findall(r"^nipa_kg_cache_(hits|misses)_total (\S+)$", text, re.MULTILINE))
    return (float(found["hits"]), float(found["misses"])) if len(found) == 2 else None


def measure(server: Server, plans: dict[str, list[Request]], options: Options, nipa: bool) -> Measured:
    measured = Measured(server)

    def run(mix: list[Request], seconds: float) -> Outcome:
        return server.drive(
            mix, concurrency=options.concurrency, duration=seconds, max_requests=options.max_requests
        )

    run(plans["mix"], min(1.0, options.duration / 2))  # warm-up
    for name, mix in plans.items():
        if name.startswith("nipa ") and not nipa:
            continue
        before = cache_counters(server.port) if nipa and server.workers == 1 else None
        seconds = options.query_duration if name.startswith("query ") else options.duration
        measured.runs[name] = run(mix, seconds)
        after = cache_counters(server.port) if before else None
        if before and after:
            hits, misses = after[0] - before[0], after[1] - before[1]
            measured.hit_rates[name] = hits / (hits + misses) if hits + misses else 0.0
    return measured


def plans_for(queries: Sequence[Query], agencies: int, seed: int) -> dict[str, list[Request]]:
    """Every run's requests, by run name; runs named `nipa ...` are sent to nipa-kg only."""
    plans = {
        "mix": requests(queries, agencies, no_cache=False, seed=seed),
        "nipa mix no-cache": requests(queries, agencies, no_cache=True, seed=seed),
        "canned": requests(queries, 1, no_cache=False, seed=seed, count=len(queries)),
        "nipa canned no-cache": requests(queries, 1, no_cache=True, seed=seed, count=len(queries)),
    }
    for query in queries:
        plans[f"query {query.name}"] = requests([query], agencies, no_cache=True, seed=seed)
    return plans


def bench_size(
    size: int, options: Options, queries: Sequence[Query], log: Path
) -> tuple[str, list[tuple[str, str, str, bool]]]:
    """Run every server at one size; the Markdown section and the target rows."""
    data = generate.ensure(size, options.seed, "trig", options.data_dir)
    plans = plans_for(queries, data.agencies, options.seed)
    starters: list[tuple[str, Callable[[], Server], bool]] = [
        (NIPA, lambda: start_nipa(data.path, log, options.workers, options.threads), True),
        (OXIGRAPH, lambda: start_oxigraph(data.path, log), False),
    ]
    if data.triples <= options.rdflib_max:
        starters.append((RDFLIB, lambda: start_rdflib(data.path, log), False))
    results: dict[str, Measured] = {}
    for name, start, nipa in starters:
        print(f"[{generate.size_label(size)}] {name} ...", file=sys.stderr, flush=True)
        server = start()
        try:
            results[name] = measure(server, plans, options, nipa)
        finally:
            server.stop()
    print(f"[{generate.size_label(size)}] pyoxigraph in this process ...", file=sys.stderr, flush=True)
    times = engine.measure(data.path, queries, data.agencies, seed=options.seed)
    return render_size(size, data, options, queries, results, times)


QUERY_HEADER = [
    "query",
    "nipa-kg req/s",
    "p50 ms",
    "p99 ms",
    "Oxigraph req/s",
    "p50 ms",
    "p99 ms",
    "ratio",
    "engine ms",
]
RUN_HEADER = ["server", "req/s", "p50 ms", "p99 ms", "ratio to Oxigraph (req/s)", "errors", "cache hits"]
MEMORY_HEADER = [
    "server",
    "ready s",
    "of which load s",
    "peak RSS MiB",
    "ratio",
    "end RSS MiB",
    "ratio",
    "end PSS MiB",
]


def run_rows(
    results: dict[str, Measured], run: str, variants: list[tuple[str, str, str]]
) -> list[list[object]]:
    """One row per (title, server, run name) against Oxigraph's `run`."""
    base = Stats.of(results[OXIGRAPH].runs[run])
    rows: list[list[object]] = []
    for title, server, variant in variants:
        stats = Stats.of(results[server].runs[variant])
        hit = results[server].hit_rates.get(variant)
        hits = f"{hit:.0%}" if hit is not None else "–"
        rows.append(
            [title, stats.rps, stats.p50_ms, stats.p99_ms, ratio(stats.rps, base.rps), stats.errors, hits]
        )
    return rows


def targets_at(
    label: str, results: dict[str, Measured], ceiling: str, large: bool
) -> list[tuple[str, str, str, bool]]:
    """(size, target, measured, met) for the targets of one size; readiness and memory only for 10^6 and
    up, as the issue sets them. The uncached mix's row also gives the engine's `ceiling` (`bench.engine`),
    as a ratio to Oxigraph's rate."""
    nipa, oxi = results[NIPA], results[OXIGRAPH]
    found = []
    checks = (  # our run, Oxigraph's run, what, throughput factor, and whether p99 is a target too
        ("mix", "mix", "query mix", 1.5, True),
        ("nipa mix no-cache", "mix", "query mix, no-cache", 1.5, True),
        ("canned", "canned", "repeated canned queries", 5.0, False),
    )
    for run, theirs_run, name, factor, p99 in checks:
        ours, theirs = Stats.of(nipa.runs[run]), Stats.of(oxi.runs[theirs_run])
        met = ours.rps >= factor * theirs.rps
        measured = ratio(ours.rps, theirs.rps) + (f" (engine ceiling {ceiling})" if "no-cache" in run else "")
        found.append((label, f"{name}: req/s ≥ {factor:g}× Oxigraph's", measured, met))
        if p99:
            latency = f"{ours.p99_ms:.1f} vs {theirs.p99_ms:.1f} ms"
            found.append((label, f"{name}: p99 ≤ Oxigraph's", latency, ours.p99_ms <= theirs.p99_ms))
    if not large:
        return found
    memory, base_memory = nipa.server.memory, oxi.server.memory
    for when, rss, base in (
        ("peak", memory.peak_rss, base_memory.peak_rss),
        ("after the runs", memory.rss, base_memory.rss),
    ):
        found.append(
            (label, f"RSS {when}, all processes, < 1.5× Oxigraph's", ratio(rss, base), rss < 1.5 * base)
        )
    found.append((label, "ready < 5 s", f"{nipa.server.ready_s:.1f} s", nipa.server.ready_s < 5))
    return found


def render_size(
    size: int,
    data: generate.Generated,
    options: Options,
    queries: Sequence[Query],
    results: dict[str, Measured],
    times: engine.EngineTimes,
) -> tuple[str, list[tuple[str, str, str, bool]]]:
    label = generate.size_label(size)
    nipa, oxi = results[NIPA], results[OXIGRAPH]
    ceiling = ratio(times.ceiling_rps(), Stats.of(oxi.runs["mix"]).rps)
    mix = [
        (f"{NIPA} (workers {nipa.server.workers}, threads {options.threads}), cache on", NIPA, "mix"),
        (f"{NIPA}, Cache-Control: no-cache", NIPA, "nipa mix no-cache"),
        (OXIGRAPH, OXIGRAPH, "mix"),
    ] + ([(RDFLIB, RDFLIB, "mix")] if RDFLIB in results else [])
    canned = [
        (f"{NIPA}, cache on", NIPA, "canned"),
        (f"{NIPA}, Cache-Control: no-cache", NIPA, "nipa canned no-cache"),
        (OXIGRAPH, OXIGRAPH, "canned"),
    ]
    per_query = []
    for query in queries:
        run = f"query {query.name}"
        ours, theirs = Stats.of(nipa.runs[run]), Stats.of(oxi.runs[run])
        row = [query.name, ours.rps, ours.p50_ms, ours.p99_ms, theirs.rps, theirs.p50_ms, theirs.p99_ms]
        row += [ratio(ours.rps, theirs.rps), times.seconds[query.name] * 1000]
        if RDFLIB in results:
            row.append(Stats.of(results[RDFLIB].runs[run]).rps)
        per_query.append(row)
    memory = [
        [name, m.server.ready_s, m.server.load_s if m.server.load_s is not None else "–"]
        + [mib(m.server.memory.peak_rss), ratio(m.server.memory.peak_rss, oxi.server.memory.peak_rss)]
        + [
            mib(m.server.memory.rss),
            ratio(m.server.memory.rss, oxi.server.memory.rss),
            mib(m.server.memory.pss),
        ]
        for name, m in results.items()
    ]
    text = [
        f"### {label}: {data.triples:,} triples ({data.agencies} agencies)\n",
        "Query mix (every query, a random agency per request):\n",
        table(RUN_HEADER, run_rows(results, "mix", mix)),
        f"The engine alone (pyoxigraph in the bench's process, no HTTP, one query at a time) takes "
        f"{times.mix_seconds * 1000:.3g} ms per request of this mix on average: on {os.cpu_count()} cores, "
        f"doing nothing else, no server of this engine answers the uncached mix faster than "
        f"{times.ceiling_rps():,.0f} req/s ({ceiling} "
        "Oxigraph's measured rate).\n",
        "Repeated canned queries (every query, agency 1 only):\n",
        table(RUN_HEADER, run_rows(results, "canned", canned)),
        "Each query alone (a random agency per request, `Cache-Control: no-cache`):\n",
        table(QUERY_HEADER + (["rdflib req/s"] if RDFLIB in results else []), per_query),
        "Start-up and memory (all processes of the server together):\n",
        table(MEMORY_HEADER, memory),
    ]
    return "\n".join(text), targets_at(label, results, ceiling, size >= 10**6)


def render(
    options: Options, command: str, sections: list[str], targets: list[tuple[str, str, str, bool]]
) -> str:
    rows = [[size, what, value, "met" if ok else "**not met**"] for size, what, value, ok in targets]
    return "\n".join(
        [
            f"Command: `{command}`\n",
            f"Machine: {os.cpu_count()} cores; {options.concurrency} concurrent keep-alive clients; "
            f"{options.duration:g} s per run ({options.query_duration:g} s per query alone), "
            f"at most {options.max_requests} requests each; seed {options.seed}.\n",
            "Targets:\n",
            table(["size", "target", "measured", ""], rows),
            *sections,
        ]
    )


def write_readme(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else f"{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}", encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1e4,1e6", help="sizes in triples, comma-separated (default 1e4,1e6)"
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run (default 5)")
    parser.add_argument("--query-duration", type=float, help="seconds per query alone (default duration/4)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="most requests per run")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--workers", type=int, default=1, help="nipa-kg serve --workers (default 1, as the server's)"
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="nipa-kg serve --threads (default 4; see bench/README.md)"
    )
    parser.add_argument(
        "--rdflib-max", type=generate.parse_size, default=2 * 10**5, help="largest size for rdflib"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=generate.DATA_DIR, help="where generated files are kept"
    )
    parser.add_argument("--readme", default=str(README), help="file to write the tables into ('' for none)")
    args = parser.parse_args(argv)
    sizes = [generate.parse_size(size) for size in args.sizes.split(",")]
    query_duration = args.query_duration or args.duration / 4
    options = Options(
        sizes, args.duration, query_duration, args.concurrency, args.max_requests, args.seed, args.workers,
        args.threads, args.rdflib_max, args.data_dir,
    )  # fmt: skip
    return options, Path(args.readme) if args.readme else None


def main(argv: Sequence[str] | None = None) -> int:
    options, readme = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    command = shlex.join(["python", "-m", "bench.run", *(sys.argv[1:] if argv is None else argv)])
    queries = load_queries()
    sections, targets = [], []
    with tempfile.TemporaryDirectory(prefix="nipa-bench-") as folder:
        log = Path(folder) / "servers.log"
        try:
            for size in options.sizes:
                section, size_targets = bench_size(size, options, queries, log)
                sections.append(section)
                targets += size_targets
        except RuntimeError as exc:
            print(f"bench.run: error: {exc}\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)
            return 1
    body = render(options, command, sections, targets)
    print(body)
    if readme:
        write_readme(readme, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
