"""At what size does a deeply nested or very long SPARQL query kill pyoxigraph? By bisection, per shape.

Oxigraph parses and evaluates recursively in native code: past some depth it overflows its thread's stack
and the process dies of SIGSEGV, with no Python exception to catch. The server evaluates in a worker thread
(`ThreadPoolExecutor`, `threading.stack_size()` left at its default), so that is what is measured: each
probe is a child process (this file, `--probe`) that builds one query, runs `Store.query` and consumes the
results in a non-main thread; a crash kills the child, not this script. A probe that raises a Python
exception, or runs past `--timeout` seconds, did not crash. Then, starting from the thread's answer, the
same is searched in the child's main thread.

    python -m bench.crash_depths [--shapes groups,union] [--timeout 6] [--budget 600] [--jobs 2]

It prints one table row per shape (the markdown of bench/CRASH_DEPTHS.md) and, with `--out FILE`, writes
the table there too. The sizes are in the shape's own unit (nesting levels, operators, branches, items);
the shapes are in bench/crash_shapes.py.
"""

from __future__ import annotations

import argparse
import resource
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.crash_shapes import BY_NAME, DATA, SHAPES, Shape

ROOT = Path(__file__).resolve().parents[1]
CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL}


# ---- the child -------------------------------------------------------------------------------------------


def run_probe(name: str, n: int, where: str) -> None:
    """In the child: build the query, run it in a thread (or the main thread), say how far it got."""
    import pyoxigraph as ox

    memory = 6 << 30
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    query = BY_NAME[name].build(n)

    def run() -> None:
        try:
            results = store.query(query)
            print("parsed", flush=True)
            if isinstance(results, ox.QueryBoolean):
                bool(results)
            else:
                for _ in results:
                    pass
            print("evaluated", flush=True)
        except BaseException as exc:  # noqa: BLE001 - any Python exception is "not a crash"
            print(f"exception {type(exc).__name__}: {str(exc)[:160]}", flush=True)

    if where != "main":
        if where == "thread-1m":
            threading.stack_size(1 << 20)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    else:
        run()


# ---- the parent ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ok", "crash", "error" (a Python exception), "slow" (timed out), "oom"
    seconds: float = 0.0
    phase: str = ""  # for a crash: "in query()" (parse, plan: it did not return) or "iterating" the results
    detail: str = ""

    @property
    def crashed(self) -> bool:
        return self.kind == "crash"


def probe(name: str, n: int, where: str, timeout: float) -> Outcome:
    # as a module, from the repository, so that the child imports bench.crash_shapes
    command = [sys.executable, "-m", "bench.crash_depths", "--probe", name, str(n), where]
    began = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return Outcome("slow", timeout)
    seconds = time.monotonic() - began
    lines = done.stdout.splitlines()
    if done.returncode < 0 and -done.returncode in CRASH_SIGNALS:
        if "memory allocation" in done.stderr:
            return Outcome("oom", seconds, detail=done.stderr.strip()[-120:])
        phase = "iterating" if "parsed" in lines else "in query()"
        return Outcome("crash", seconds, phase, signal.Signals(-done.returncode).name)
    if any(line.startswith("exception") for line in lines):
        return Outcome("error", seconds, detail=lines[-1])
    if done.returncode != 0 or "evaluated" not in lines:
        return Outcome("error", seconds, detail=f"rc {done.returncode}: {done.stderr.strip()[-160:]}")
    return Outcome("ok", seconds)


@dataclass
class Search:
    """The smallest crashing size found, the largest size that did not crash, and what was seen."""

    safe: int = 0
    crash: int | None = None
    crash_outcome: Outcome | None = None
    notes: list[str] = field(default_factory=list)
    probes: int = 0
    seconds: dict[int, float] = field(default_factory=dict)  # of the probes that ran to their end


def search(
    shape: Shape, where: str, timeout: float, deadline: float, start: int | None = None, ratio: float = 1.05
) -> Search:
    """Doubling from `start` (halving while it crashes), then bisection to within `ratio` between the
    largest size that ran to its end (`safe`) and the smallest that crashed. A size that runs out of time
    is neither: doubling goes on past a few of them (a size too slow to plan may crash bigger, in the
    parser, at once), bisection stops at the first."""
    found = Search()
    slow: list[int] = []  # the sizes that ran out of time

    def test(n: int) -> str:
        return _probe_into(found, slow, shape, n, where, timeout)

    n = start or shape.start
    if test(n) != "ok":
        while n > 1 and time.monotonic() < deadline:
            n //= 2
            if test(n) == "ok":
                break
    else:
        while n < shape.limit and time.monotonic() < deadline and len(slow) < 3:
            n = min(n * 2, shape.limit)
            if test(n) == "crash":
                break

    # between the two: a size that runs out of time decides nothing, and ends the search
    while found.crash is not None and found.crash > found.safe * ratio + 1 and time.monotonic() < deadline:
        if test((found.safe + found.crash) // 2) == "slow":
            break
    return found


def _probe_into(found: Search, slow: list[int], shape: Shape, n: int, where: str, timeout: float) -> str:
    """One probe of `search`, recorded in `found` (and `slow`): "crash", "slow" or "ok"."""
    outcome = probe(shape.name, n, where, timeout)
    found.probes += 1
    if outcome.crashed:
        if found.crash is None or n < found.crash:
            found.crash, found.crash_outcome = n, outcome
        return "crash"
    if outcome.kind == "slow":
        slow.append(n)
        found.notes.append(f"over {timeout:g} s at {n}")
        return "slow"
    if outcome.kind != "ok":  # a Python exception: the shape is wrong, but it did not crash
        found.notes.append(f"{outcome.kind} at {n}" + (f" ({outcome.detail})" if outcome.detail else ""))
    found.seconds[n] = outcome.seconds
    found.safe = max(found.safe, n)
    return "ok"


def cell(found: Search) -> tuple[str, str]:
    if found.crash is None:
        return "none", f"{found.safe}"
    outcome = found.crash_outcome
    assert outcome is not None
    return f"**{found.crash}** ({outcome.phase}, {outcome.detail})", f"{found.safe}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", help="comma-separated shape names (default: all)")
    parser.add_argument("--timeout", type=float, default=6.0, help="seconds per probe")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds for the whole run")
    parser.add_argument("--jobs", type=int, default=2, help="shapes searched at once")
    parser.add_argument("--no-main", action="store_true", help="skip the main-thread searches")
    parser.add_argument("--no-small", action="store_true", help="skip the searches on a 1 MiB thread stack")
    parser.add_argument("--out", type=Path, help="write the markdown table there too")
    args = parser.parse_args(argv)
    shapes = [BY_NAME[name] for name in args.shapes.split(",")] if args.shapes else SHAPES
    began = time.monotonic()
    deadline = began + args.budget

    for shape in shapes:  # a shape that errors at a small size measures nothing: say so now
        outcome = probe(shape.name, 3, "thread", args.timeout)
        if outcome.kind != "ok":
            print(f"warning: {shape.name} at 3: {outcome.kind} {outcome.detail}", file=sys.stderr)

    def measure(shape: Shape) -> str:
        in_thread = search(shape, "thread", args.timeout, deadline)
        crash, safe = cell(in_thread)
        others, probes = [], in_thread.probes
        for where, divisor, skip in (("main", 1, args.no_main), ("thread-1m", 8, args.no_small)):
            if skip:
                others.append("not measured")
                continue
            start = max((in_thread.crash or in_thread.safe) // divisor, 2)
            found = search(shape, where, args.timeout, deadline, start=start, ratio=1.1)
            others.append(f"{found.crash} (safe {found.safe})" if found.crash else f"none up to {found.safe}")
            probes += found.probes
        slow = sorted({int(note.split()[-1]) for note in in_thread.notes if note.startswith("over")})
        notes = [note for note in dict.fromkeys(in_thread.notes) if not note.startswith("over")]
        if slow:
            size = max(in_thread.seconds, default=0)
            sizes = ", ".join(map(str, slow))
            notes.append(
                f"over {args.timeout:g} s at {sizes}; {size} took {in_thread.seconds.get(size, 0):.1f} s"
            )
        row = (
            f"| {shape.name} | {shape.unit} | {crash} | {safe} | {' | '.join(others)} | {'; '.join(notes)} |"
        )
        print(row, f"  [{probes} probes, {time.monotonic() - began:.0f} s]", file=sys.stderr, flush=True)
        return row

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(measure, shapes))
    stack = resource.getrlimit(resource.RLIMIT_STACK)[0]
    header = [
        f"pyoxigraph {_version()}, Python {sys.version.split()[0]}, {sys.platform}; RLIMIT_STACK "
        f"{stack // 1024 if stack > 0 else 'unlimited'} KiB (the default thread stack on glibc), "
        f"threading.stack_size() {threading.stack_size()}; probe timeout {args.timeout:g} s; "
        f"run {time.monotonic() - began:.0f} s.",
        "",
        "| shape | size counts | smallest crash in a thread (phase, signal) | largest safe size tested "
        "| main thread: crash (safe) | thread of 1 MiB stack: crash (safe) | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    table = "\n".join(header + rows) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


def _version() -> str:
    import pyoxigraph

    return pyoxigraph.__version__


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--probe":
        run_probe(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(main())
