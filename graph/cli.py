"""The build's commands of the `nipa-kg` command line (build, validate, export, diagram), and how every
command runs. The entry point is `nipa_kg.server.cli.main`, which adds the server's commands (serve, query,
publish) as `main(argv, more)` lets it.

Exit codes: 0 success; 1 the graph does not conform to the shapes or is inconsistent; 2 bad input (usage,
missing file, syntax error, unknown format). Errors are one line on stderr (`nipa-kg: error: FILE:LINE:
message`), never a traceback; a failed command writes no output file. Before it, the stages that went well
say what was done and how long it took (`nipa_kg.core.progress`; every command takes `-q` to keep quiet).

A command is added by a function `add_parser(subparsers) -> None`, which adds the command's parser to
`subparsers` (an argparse sub-parsers action) and sets `func=handler`, where `handler(args:
argparse.Namespace, settings: Settings) -> int` returns the exit code and may raise NipaKgError for bad
input. Settings come from the flags named like its fields (`--base` → `base`) and the environment, once.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

from nipa_kg.core import progress
from nipa_kg.core.errors import Inconsistent, NipaKgError, ValidationFailed
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.progress import Progress
from nipa_kg.graph.atomic import write_file
from nipa_kg.graph.build import build_dataset, write_build
from nipa_kg.graph.engines import ENGINES
from nipa_kg.graph.export import serialize, union
from nipa_kg.graph.fresh import fresh_dump
from nipa_kg.graph.load import load_ontology, load_rdf_files, load_shapes
from nipa_kg.graph.reason import infer
from nipa_kg.graph.settings import Settings
from nipa_kg.graph.validate import REPORT_FORMATS, render, validate

AddParser = Callable[[argparse._SubParsersAction], None]

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    built = write_build(settings)
    if built.report.results:  # warnings and infos: the build conforms but says so
        sys.stderr.write(render(built.report, "text", settings.base))
    sizes = ", ".join(f"{name} {len(graph)}" for name, graph in built.graphs.items())
    print(f"built {settings.out_dir} ({sizes} triples) in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    data = union(load_rdf_files(args.files), settings.base)
    graphs = [data]
    if not args.no_inference:
        ontology = load_ontology(settings)
        inference = infer(ontology, data, settings.base, settings.reasoner)
        if inference.inconsistencies:
            raise Inconsistent(inference.inconsistencies)
        graphs += [ontology, inference.inferred]
    report = validate(graphs, load_shapes(settings))
    sys.stdout.write(render(report, args.format, settings.base))
    return 0 if report.conforms else 1


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.format:
        fmt = RDF_FORMATS.by_name(args.format)
    else:
        fmt = RDF_FORMATS.by_extension(args.output) if args.output else RDF_FORMATS.by_name("ttl")
    fresh = fresh_dump(settings, fmt.extension)
    if fresh is not None:
        with progress.stage(f"read {fresh}, newer than its sources"):
            data = fresh.read_bytes()
    else:
        dataset = build_dataset(settings)
        with progress.stage(f"write {fmt.label}"):
            data = serialize(dataset, fmt, settings.base)
    if args.output:
        write_file(args.output, data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_diagram(args: argparse.Namespace, settings: Settings) -> int:
    from nipa_kg.graph.diagram import render_svg  # another module's job; only this command needs it

    write_file(args.output, render_svg(load_ontology(settings)).encode("utf-8"))
    print(f"wrote {args.output}")
    return 0


def make_parser(more: Sequence[AddParser] = ()) -> Parser:
    parser = Parser(prog="nipa-kg", description="Build, check, query and export the NIPA 2025 plan graph.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('nipa-kg')}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    base = Parser(add_help=False)
    base.add_argument(
        "--base", metavar="IRI", help="base IRI (default: $NIPA_KG_BASE or https://w3id.org/nipa-kg/)"
    )
    reasoner = Parser(add_help=False)
    reasoner.add_argument(
        "--reasoner",
        choices=ENGINES,
        help="OWL-RL engine (default: $NIPA_KG_REASONER or reasonable; owlrl is the reference)",
    )

    build = commands.add_parser(
        "build", parents=[base, reasoner], help="reason, validate and write every dump"
    )
    build.add_argument(
        "--out", dest="out_dir", type=Path, metavar="DIR", help="output folder (default: dist)"
    )
    build.set_defaults(func=cmd_build)

    check = commands.add_parser(
        "validate", parents=[base, reasoner], help="validate RDF files against the shapes"
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="RDF files; format from extension")
    check.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format")
    check.add_argument(
        "--no-inference",
        action="store_true",
        help="validate the files as they are, without ontology or OWL-RL",
    )
    check.set_defaults(func=cmd_validate)

    export = commands.add_parser(
        "export", parents=[base], help="print one dump: the out dir's if fresh, else built in memory"
    )
    export.add_argument("--format", choices=RDF_FORMATS.names, help="default: from --out, else ttl")
    export.add_argument("--out", dest="output", type=Path, metavar="FILE", help="write to FILE, not stdout")
    export.set_defaults(func=cmd_export)

    diagram = commands.add_parser("diagram", help="draw the ontology as SVG")
    diagram.add_argument("--out", dest="output", type=Path, default=Path("docs/model.svg"), metavar="FILE")
    diagram.set_defaults(func=cmd_diagram)

    for add_parser in more:
        add_parser(commands)
    for command in commands.choices.values():
        command.add_argument(
            "-q", "--quiet", action="store_true", help="do not say what is being done (stage lines on stderr)"
        )
    return parser


def quiet_libraries() -> None:
    """rdflib logs a traceback (and warns) for every ill-typed literal it parses or prints; that would break
    the one-line rule, and the reasoner and the shapes report those literals anyway."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="rdflib")


def main(argv: Sequence[str] | None = None, more: Sequence[AddParser] = ()) -> int:
    """Run one command line (`more`: the commands beyond the build's, see the module docstring)."""
    quiet_libraries()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = make_parser(more).parse_args(argv)
    except SystemExit as exc:  # usage errors, --help, --version: argparse has printed what it had to
        return int(exc.code or 0)
    try:
        with progress.reporting(Progress(None if args.quiet else sys.stderr)):
            return run(args, Settings.from_sources(vars(args)))
    except NipaKgError as exc:
        print(f"nipa-kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `nipa-kg export | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"nipa-kg: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def run(args: argparse.Namespace, settings: Settings) -> int:
    """The command; a graph that fails its checks gets its report on stderr rather than one line."""
    try:
        return args.func(args, settings)
    except ValidationFailed as exc:
        sys.stderr.write(render(exc.report, "text", settings.base))
        return exc.exit_code
    except Inconsistent as exc:
        for message in exc.messages:
            print(f"nipa-kg: inconsistent: {' '.join(message.split())}", file=sys.stderr)
        return exc.exit_code
