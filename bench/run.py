"""The bench: nipa-kg's endpoint against Oxigraph's server and Virtuoso (and rdflib, for reference) on the
same data.

    python -m bench.run [--sizes 1e4,1e6] [--duration S] [--concurrency N]

For each size the generated TriG (one named graph; cached in `bench/data/` by size and seed) is served by
each server in turn, alone on the machine: `nipa-kg serve --data FILE` isolated (the default: queries in an
evaluator process) and in-process (`--isolation none`), `oxigraph serve` in memory with the file POSTed to
`/store`, Virtuoso 7.2 with the N-Triples loaded by isql (`bench.virtuoso`; skipped, with a note, if it
is not installed), and rdflib behind `bench.rdflib_endpoint` (up to `--rdflib-max` triples: it takes
minutes to load and query 10^6). Each gets the same runs of concurrent keep-alive GET requests:

- the query mix: every query of `bench/queries/`, each request for a random agency; nipa-kg as deployed
  (result cache on) and with `Cache-Control: no-cache` (every request evaluated);
- `ASK {}` with `no-cache`, from all clients and from one: the request path alone, and the cost of the hop
  to the evaluator;
- each query alone (random agency, `no-cache`), for per-query numbers;
- the repeated canned queries (agency 1 only) with the cache on and with `no-cache`.

Then nipa-kg (isolated) is started again with `--timeout 2` and its evaluator replaced by force
(`bench.replacement`): the memory at the peak of a replacement, and the time to answer again.

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
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import engine, generate, replacement, virtuoso
from bench.load import Outcome, Query, Request, load_queries, requests
from bench.report import table, write_between
from bench.servers import Server, start_nipa, start_oxigraph, start_rdflib, tree_cpu
from bench.tables import (
    NIPA,
    NIPA_NONE,
    OXIGRAPH,
    RDFLIB,
    VIRTUOSO,
    Measured,
    SizeResults,
    Target,
    render_size,
    targets,
)

README = Path(__file__).parent / "README.md"
BEGIN, END = "<!-- bench:results -->", "<!-- /bench:results -->"
ASK = "ASK {}"
ONE_CLIENT = ", 1 client"  # the end of the names of runs sent by one connection


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
    """Every run of `plans` on `server` (those named `nipa ...` only if `nipa`), after a warm-up; hit
    rates from nipa-kg's counters, CPU seconds of the server's process tree."""
    measured = Measured(server)

    def run(mix: list[Request], seconds: float, clients: int = options.concurrency) -> Outcome:
        return server.drive(mix, concurrency=clients, duration=seconds, max_requests=options.max_requests)

    run(plans["mix"], min(1.0, options.duration / 2))  # warm-up
    for name, mix in plans.items():
        if name.startswith("nipa ") and not nipa:
            continue
        before = cache_counters(server.port) if nipa and server.workers == 1 else None
        seconds = options.duration if name in ("mix", "canned") or name.startswith("nipa ") else None
        cpu = tree_cpu(server.process.pid)
        clients = 1 if name.endswith(ONE_CLIENT) else options.concurrency
        measured.runs[name] = run(mix, seconds or options.query_duration, clients)
        measured.cpu[name] = tree_cpu(server.process.pid) - cpu
        after = cache_counters(server.port) if before else None
        if before and after:
            hits, misses = after[0] - before[0], after[1] - before[1]
            measured.hit_rates[name] = hits / (hits + misses) if hits + misses else 0.0
    return measured


def plans_for(queries: Sequence[Query], agencies: int, seed: int) -> dict[str, list[Request]]:
    """Every run's requests, by run name; runs named `nipa ...` are sent to nipa-kg only."""
    ask = Query("ask-empty", ASK)
    plans = {
        "mix": requests(queries, agencies, no_cache=False, seed=seed),
        "nipa mix no-cache": requests(queries, agencies, no_cache=True, seed=seed),
        "canned": requests(queries, 1, no_cache=False, seed=seed, count=len(queries)),
        "nipa canned no-cache": requests(queries, 1, no_cache=True, seed=seed, count=len(queries)),
        "ask no-cache": requests([ask], 1, no_cache=True, seed=seed, count=1),
        f"ask no-cache{ONE_CLIENT}": requests([ask], 1, no_cache=True, seed=seed, count=1),
    }
    for query in queries:
        plans[f"query {query.name}"] = requests([query], agencies, no_cache=True, seed=seed)
    return plans


def starters(
    size: int, options: Options, log: Path, skipped: dict[str, str]
) -> list[tuple[str, Callable[[], Server], bool]]:
    """(name, how to start it, whether it is nipa-kg) for every server at this size."""
    data = generate.ensure(size, options.seed, "trig", options.data_dir)
    found: list[tuple[str, Callable[[], Server], bool]] = [
        (NIPA, lambda: start_nipa(data.path, log, options.workers, options.threads), True),
        (
            NIPA_NONE,
            lambda: start_nipa(data.path, log, options.workers, options.threads, isolation="none"),
            True,
        ),
        (OXIGRAPH, lambda: start_oxigraph(data.path, log), False),
    ]
    if why := virtuoso.missing():
        skipped[VIRTUOSO] = why
    else:
        triples = generate.ensure(size, options.seed, "nt", options.data_dir)
        found.append((VIRTUOSO, lambda: virtuoso.start_virtuoso(triples.path, triples.triples, log), False))
    if data.triples <= options.rdflib_max:
        found.append((RDFLIB, lambda: start_rdflib(data.path, log), False))
    return found


def bench_size(size: int, options: Options, queries: Sequence[Query], log: Path) -> SizeResults:
    """Run every server at one size, then the forced replacement and the engine alone."""
    data = generate.ensure(size, options.seed, "trig", options.data_dir)
    plans = plans_for(queries, data.agencies, options.seed)
    label, skipped, loads = generate.size_label(size), {}, []
    results: dict[str, Measured] = {}
    for name, start, nipa in starters(size, options, log, skipped):
        print(f"[{label}] {name} ...", file=sys.stderr, flush=True)
        loads.append(os.getloadavg()[0])
        server = start()
        try:
            results[name] = measure(server, plans, options, nipa)
        finally:
            server.stop()
    print(f"[{label}] {NIPA}: a forced replacement ...", file=sys.stderr, flush=True)
    replaced = replacement.measure(
        data.path, log, options.threads, plans["nipa mix no-cache"], concurrency=options.concurrency
    )
    print(f"[{label}] pyoxigraph in this process ...", file=sys.stderr, flush=True)
    times = engine.measure(data.path, queries, data.agencies, seed=options.seed)
    return SizeResults(size, data, options.threads, results, times, replaced, skipped, loads)


def render(
    options: Options, command: str, sections: list[str], found: list[Target], loads: list[float]
) -> str:
    rows = [[size, what, value, "met" if ok else "**not met**"] for size, what, value, ok in found]
    busy = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "–"
    return "\n".join(
        [
            f"Command: `{command}`\n",
            f"Machine: {os.cpu_count()} cores; {options.concurrency} concurrent keep-alive clients; "
            f"{options.duration:g} s per run ({options.query_duration:g} s per query alone), "
            f"at most {options.max_requests} requests each; seed {options.seed}. The machine's 1-minute load "
            f"average as each server started: {busy} (on {os.cpu_count()} cores; other jobs share them).\n",
            "Targets (issue 10; nipa-kg as deployed, isolated):\n",
            table(["size", "target", "measured", ""], rows),
            *sections,
        ]
    )


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
    sections: list[str] = []
    found: list[Target] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nipa-bench-") as folder:
        log = Path(folder) / "servers.log"
        try:
            for size in options.sizes:
                measured = bench_size(size, options, queries, log)
                sections.append(render_size(measured, queries))
                found += targets(measured)
                loads += measured.loads
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            print(f"bench.run: error: {exc}\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)
            return 1
    body = render(options, command, sections, found, loads)
    print(body)
    if readme:
        write_between(readme, BEGIN, END, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
