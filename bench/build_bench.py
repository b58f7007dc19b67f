"""Time `nipa-kg build`, phase by phase, on the NIPA graph and on generated data, with each OWL-RL engine.

    python -m bench.build_bench [--triples 1e5]

Prints a Markdown table (bench/README.md, "Build"). Each row is measured in a fresh interpreter: load (parse
ontology, data and shapes), reason, validate, assemble (the metadata graph and the Dataset), serialise (the
six dumps) and write, as `build` and `write_build` run them, with their garbage collector pause. A phase is
timed even when the data fails validation (the pipeline would stop there). CPU seconds are the process's
own: on a busy machine they say more than wall seconds. For the NIPA graph, the last column times the whole
command (`nipa-kg build`, interpreter start and imports included).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bench import generate

ENGINES = ("reasonable", "owlrl")
PHASES = ("load", "reason", "validate", "assemble", "serialise", "write")
DEFAULT_TRIPLES = 100_000

T = TypeVar("T")


@dataclass
class Timing:
    """Wall and CPU seconds per phase, and the sizes of the graph built."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    data: int = 0
    inferred: int = 0
    conforms: bool = True

    def time(self, phase: str, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.wall[phase] = time.perf_counter() - wall
        self.cpu[phase] = time.process_time() - cpu
        return result


def measure(data_dir: str | None, reasoner: str) -> Timing:
    """The phases of a build of `data_dir` (None: the packaged data) into a temporary folder."""
    from nipa_kg.graph.atomic import write_files
    from nipa_kg.graph.build import Build, dump_files
    from nipa_kg.graph.export import assemble
    from nipa_kg.graph.load import load_data, load_ontology, load_shapes
    from nipa_kg.graph.metadata import build_metadata
    from nipa_kg.graph.reason import infer
    from nipa_kg.graph.settings import Settings
    from nipa_kg.graph.validate import validate

    timing = Timing()
    with tempfile.TemporaryDirectory() as out:
        folder = Path(data_dir) if data_dir else None
        settings = Settings(data_dir=folder, out_dir=Path(out), reasoner=reasoner)
        gc.disable()  # as build and dump_files do
        ontology, data, shapes = timing.time(
            "load", lambda: (load_ontology(settings), load_data(settings), load_shapes(settings))
        )
        inference = timing.time("reason", lambda: infer(ontology, data, settings.base, reasoner))
        report = timing.time("validate", lambda: validate((ontology, data, inference.inferred), shapes))
        graphs = {"ontology": ontology, "data": data, "inferred": inference.inferred, "shapes": shapes}

        def assembled() -> Build:
            graphs["metadata"] = build_metadata(graphs.values(), settings)
            return Build(graphs, assemble(graphs, settings), report)

        built = timing.time("assemble", assembled)
        dumps = timing.time("serialise", lambda: dump_files(built, settings))
        timing.time("write", lambda: write_files(settings.out_dir, dumps))
    timing.data, timing.inferred, timing.conforms = len(data), len(inference.inferred), report.conforms
    return timing


def measure_fresh(data_dir: Path | None, reasoner: str) -> Timing:
    """`measure` in a new interpreter, so no run inherits another's imports, caches or heap."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(measure, (str(data_dir) if data_dir else None, reasoner))


def command_seconds(reasoner: str) -> float:
    """Wall seconds of `nipa-kg build` on the packaged data, as a user runs it."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        command = [Path(sys.executable).with_name("nipa-kg"), "build", "--out", out, "--reasoner", reasoner]
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - started


def row(graph: str, reasoner: str, timing: Timing, command: float | None) -> str:
    phases = " | ".join(f"{timing.wall[phase]:.2f}" for phase in PHASES)
    total, cpu = sum(timing.wall.values()), sum(timing.cpu.values())
    sizes = f"{timing.data:,} | {timing.inferred:,}" + ("" if timing.conforms else " (does not conform)")
    whole = f"{command:.2f}" if command is not None else "–"
    return f"| {graph} | {reasoner} | {sizes} | {phases} | **{total:.2f}** | {cpu:.2f} | {whole} |"


def table(triples: int) -> str:
    header = (
        "| graph | reasoner | data triples | inferred | " + " | ".join(PHASES) + " | total s | CPU s "
        "| `nipa-kg build` s |\n|" + "---|" * (len(PHASES) + 7)
    )
    rows = [header]
    for reasoner in ENGINES:
        rows.append(row("NIPA", reasoner, measure_fresh(None, reasoner), command_seconds(reasoner)))
    generated = generate.ensure(triples)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "data.ttl").symlink_to(generated.path.resolve())  # N-Triples is Turtle
        for reasoner in ENGINES:
            timing = measure_fresh(Path(folder), reasoner)
            rows.append(row(f"generated {generate.size_label(triples)}", reasoner, timing, None))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--triples",
        type=generate.parse_size,
        default=DEFAULT_TRIPLES,
        help="size of the generated data (default 1e5)",
    )
    args = parser.parse_args(argv)
    print(table(args.triples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
