"""Workers × threads for `nipa-kg serve`, by measurement: the bench's query mix with the cache on
and with `Cache-Control: no-cache`, and the memory, per configuration, on one size of generated data.

    python -m bench.configs --size 1e6 --configs 1x4,1x8,2x4 [--duration S]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import generate
from bench.load import Request, load_queries, requests
from bench.report import Stats, mib, table
from bench.servers import Server, start_nipa

HEADER = [
    "workers × threads",
    "cached req/s",
    "p99 ms",
    "no-cache req/s",
    "p99 ms",
    "peak RSS MiB",
    "PSS MiB",
]


def measure(server: Server, mixes: list[list[Request]], concurrency: int, seconds: float) -> list[Stats]:
    """Warm up with the first mix for a second, then run each mix for `seconds`."""

    def run(mix: list[Request], duration: float) -> Stats:
        return Stats.of(server.drive(mix, concurrency=concurrency, duration=duration, max_requests=10**7))

    run(mixes[0], 1.0)
    return [run(mix, seconds) for mix in mixes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.configs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=generate.parse_size, default=10**4, help="triples (default 1e4)")
    parser.add_argument("--configs", default="1x4,1x8,2x4", help="WORKERSxTHREADS, comma-separated")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per run (default 3)")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    data = generate.ensure(args.size, fmt="trig")
    queries = load_queries()
    mixes = [requests(queries, data.agencies, no_cache=flag) for flag in (False, True)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="nipa-configs-") as folder:
        for config in args.configs.split(","):
            workers, threads = (int(part) for part in config.split("x"))
            server = start_nipa(data.path, Path(folder) / "serve.log", workers, threads)
            try:
                cached, fresh = measure(server, mixes, args.concurrency, args.duration)
            finally:
                server.stop()
            memory = [mib(server.memory.peak_rss), mib(server.memory.pss)]
            rows.append(
                [f"{workers} × {threads}", cached.rps, cached.p99_ms, fresh.rps, fresh.p99_ms, *memory]
            )
    print(f"{generate.size_label(args.size)} ({data.triples:,} triples), {args.concurrency} clients:\n")
    print(table(HEADER, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
