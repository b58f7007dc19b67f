"""The `nipa-kg` entry point (`main`): the build's commands (`nipa_kg.graph.cli`) and the server's,
`serve` (the SPARQL endpoint under granian), `query` (SPARQL in this process, through the same query
service) and `publish` (`nipa_kg.server.store.publish`). The server's heavier modules (Flask, granian) are
imported when a command needs them, so the CLI starts fast for the others.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RESULTS_FORMATS
from nipa_kg.graph import cli as graph_cli
from nipa_kg.graph.build import DUMP_NAME
from nipa_kg.graph.fresh import fresh_dump
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.settings import ISOLATIONS, Settings, parse_alias, parse_limit, read_token_file
from nipa_kg.server.store import publish
from nipa_kg.server.store.flags import add_store_arguments
from nipa_kg.server.write import cli as history_cli

TABLE = "table"  # the query command's own format: aligned text
INDEX_AT_START = 100_000  # triples: a larger graph's search index is built on the first search

if TYPE_CHECKING:
    from flask import Flask

    from nipa_kg.server.store.base import Store
    from nipa_kg.server.store.embedded import EmbeddedStore
    from nipa_kg.server.store.isolated import IsolatedStore

QUERY_WORKERS_PER_THREAD = 2  # room for queries past their timeout that are still finishing


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    defaults = Settings()
    parser = subparsers.add_parser(
        "serve",
        help="serve the graph: SPARQL 1.1 endpoint at /sparql, graph store at /rdf-graphs/service",
        description="Serve the knowledge graph under granian (read-only unless a token switches writes "
        "on). Flags override the NIPA_KG_* environment variables.",
    )
    parser.add_argument("--host", help=f"address to listen on (default {defaults.host}; NIPA_KG_HOST)")
    parser.add_argument("--port", type=int, help=f"port (default {defaults.port}; NIPA_KG_PORT)")
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        metavar="FILE",
        help="an RDF file to serve beside the knowledge graph (repeatable): triple formats into the "
        "default graph, TriG/N-Quads keep their named graphs",
    )
    parser.add_argument(
        "--only-data",
        action="store_true",
        default=None,
        help="serve only the --data files, without the knowledge graph",
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        metavar="PATH",
        help="the prebuilt knowledge graph (TriG or N-Quads; default: dist/nipa-kg.trig if present, "
        "else built in memory)",
    )
    parser.add_argument("--base", help=f"base IRI (default {defaults.base}; NIPA_KG_BASE)")
    add_store_arguments(parser)
    parser.add_argument(
        "--timeout",
        dest="query_timeout",
        type=float,
        metavar="SECONDS",
        help=f"query timeout, answered 503 (default {defaults.query_timeout:g}; NIPA_KG_QUERY_TIMEOUT)",
    )
    parser.add_argument(
        "--row-cap",
        type=int,
        metavar="N",
        help=f"most rows or triples a result holds (default {defaults.row_cap}; NIPA_KG_ROW_CAP)",
    )
    parser.add_argument(
        "--cors-origins",
        metavar="ORIGINS",
        help="comma-separated origins allowed by CORS, or * (default *; NIPA_KG_CORS_ORIGINS)",
    )
    parser.add_argument(
        "--max-query-bytes",
        type=int,
        metavar="N",
        help=f"longest query accepted (default {defaults.max_query_bytes}; NIPA_KG_MAX_QUERY_BYTES)",
    )
    parser.add_argument(
        "--cache-size",
        dest="cache_bytes",
        type=int,
        metavar="BYTES",
        help=f"bound of the result cache, 0 for none (default {defaults.cache_bytes}; NIPA_KG_CACHE_BYTES)",
    )
    parser.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_const",
        const=False,
        help="do not log each request (the log costs a cached answer about a fifth of its time)",
    )
    parser.add_argument(
        "--allow-service",
        action="append",
        metavar="URL",
        help="a SPARQL endpoint SERVICE may call, besides Wikidata's and this server's (repeatable; "
        "NIPA_KG_ALLOW_SERVICE, comma-separated)",
    )
    parser.add_argument(
        "--service-alias",
        dest="service_aliases",
        action="append",
        type=parse_alias,
        metavar="IRI=URL",
        help="call URL (a mirror) for SERVICE <IRI>, and allow IRI (repeatable; NIPA_KG_SERVICE_ALIAS)",
    )
    parser.add_argument(
        "--service-timeout",
        type=float,
        metavar="SECONDS",
        help=f"timeout of each SERVICE call, answered 504 (default {defaults.service_timeout:g}; "
        "NIPA_KG_SERVICE_TIMEOUT)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help=f"worker processes, each with its own copy of the data (default {defaults.workers}: served by "
        "this process, nothing forked)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help=f"request threads per worker, more than --max-queries (default {defaults.threads})",
    )
    parser.add_argument(
        "--isolation",
        choices=ISOLATIONS,
        help="process: queries run in an evaluator process, ended at a query's deadline or crash and "
        "replaced; none: in this process, where a runaway query runs on (default process; "
        "NIPA_KG_ISOLATION)",
    )
    parser.add_argument(
        "--max-queries",
        type=int,
        metavar="N",
        help=f"requests in flight past the result cache, past which 429 (default {defaults.max_queries}; "
        "NIPA_KG_MAX_QUERIES)",
    )
    parser.add_argument(
        "--max-client-queries",
        type=int,
        metavar="N",
        help=f"the same per client address (default {defaults.max_client_queries}; "
        "NIPA_KG_MAX_CLIENT_QUERIES)",
    )
    add_write_arguments(parser)
    parser.add_argument(
        "--evaluator-memory",
        type=int,
        metavar="MIB",
        help="resident memory past which the evaluator process is ended and replaced (default 0: its "
        "memory once loaded, plus half of that or 256 MiB; NIPA_KG_EVALUATOR_MEMORY)",
    )
    parser.add_argument(
        "--query-limits",
        type=lambda value: tuple(parse_limit(item) for item in value.split(",") if item.strip()),
        metavar="NAME=N,...",
        help="the query guard's limits, beyond which a query is refused with 400 before evaluation "
        "(depth, operators, unions, items, tree_depth, tokens; defaults in nipa_kg.server.query.guard; "
        "NIPA_KG_QUERY_LIMITS)",
    )
    parser.set_defaults(func=run)


def add_write_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="switch writes on: one 'name token' pair a line (NIPA_KG_TOKEN: one token, named default)",
    )
    parser.add_argument(
        "--data-dir",
        dest="state_dir",
        type=Path,
        metavar="DIR",
        help="where accepted writes are kept, and served from on restart (NIPA_KG_STATE_DIR)",
    )
    parser.add_argument(
        "--write-timeout",
        type=float,
        metavar="SECONDS",
        help="longest a write may take to stage and validate (default 120; NIPA_KG_WRITE_TIMEOUT)",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    flags = vars(args) | {"data": tuple(args.data) if args.data else None}
    token_file = flags.pop("token_file", None)
    flags["tokens"] = read_token_file(token_file) if token_file is not None else None
    return Settings.from_sources(flags)


def run(args: argparse.Namespace, build_settings: BuildSettings) -> int:
    """Load the graph and serve until stopped. `build_settings` (read once by the CLI, from the same flags
    and environment) say where a prebuilt dump is and how to build one in memory."""
    from nipa_kg.server.app import create_app
    from nipa_kg.server.runner import check_address, serve
    from nipa_kg.server.store.remote import served_store

    settings = settings_from_args(args)
    check_address(settings)
    if settings.store:
        store, source = served_store(settings)
        serve(create_app(settings, store), settings, source)
    elif settings.isolation == "process":
        isolated, source = isolated_store(settings, build_settings)
        serve(indexed(create_app(settings, isolated), settings), settings, source, on_stop=isolated.close)
    else:
        embedded, source = embedded_store(settings, build_settings)
        serve(indexed(create_app(settings, embedded), settings), settings, source)
    return 0


def indexed(app: Flask, settings: Settings) -> Flask:
    """`app` with its search index built at start (from the labels and descriptions), when this process
    serves a graph of at most `INDEX_AT_START` triples (NIPA's: 40 ms). A larger one's index is built on
    the first search: at 10^6 triples, building it at start made the server ready in 9.7 s instead of about
    3 and held 1.6 times the memory (bench/README.md); forked workers (`--workers`) build theirs then too."""
    from nipa_kg.core import progress
    from nipa_kg.server.protocol.context import services
    from nipa_kg.server.site.search import build_search_index

    if settings.workers != 1:  # this process does not serve: asking its store would start an evaluator
        return app
    with app.app_context():
        size = services().store.default_graph_size()
    if size <= INDEX_AT_START:
        with progress.stage("build the search index"):
            build_search_index(app)
    return app


def isolated_store(settings: Settings, build_settings: BuildSettings) -> tuple[IsolatedStore, str]:
    """The data in an evaluator process (`nipa_kg.server.store.isolated`), loaded once to check it; with
    several workers each starts its own, and this process keeps none."""
    from nipa_kg.core import progress
    from nipa_kg.server.store.isolated import IsolatedStore
    from nipa_kg.server.store.loading import unless_stale

    store = IsolatedStore(
        threads=settings.threads,
        timeout=settings.query_timeout,
        memory_bound=settings.evaluator_memory * 1024 * 1024,
    )
    source = load_served(settings, store, unless_stale(settings, build_settings))
    store.start(report=progress.said())
    if settings.workers > 1:
        store.stop()
    return store, source


def embedded_store(settings: Settings, build_settings: BuildSettings) -> tuple[EmbeddedStore, str]:
    """The data in this process (`--isolation none`)."""
    from nipa_kg.server.store.embedded import EmbeddedStore
    from nipa_kg.server.store.loading import Reported, unless_stale

    store = EmbeddedStore(workers=settings.threads * QUERY_WORKERS_PER_THREAD)
    source = load_served(settings, Reported(store), unless_stale(settings, build_settings))
    if settings.workers > 1:  # the workers hold the data, the master not (see nipa_kg.server.store)
        store.release_on_fork()
    return store, source


def load_served(settings: Settings, store: Store, build_settings: BuildSettings) -> str:
    """The last accepted write's snapshot if `--data-dir` holds one (`nipa_kg.server.write.snapshot`), else
    what `nipa_kg.server.store.dataset` loads."""
    from nipa_kg.server.store.dataset import N_QUADS, load_nipa_dataset
    from nipa_kg.server.write.snapshot import snapshot_path

    if settings.state_dir is not None and (snapshot := snapshot_path(settings.state_dir)).is_file():
        store.load(snapshot, N_QUADS)  # the data version a write's swap gave it (EmbeddedStore.replace)
        return f"the last accepted write, {snapshot}"
    return load_nipa_dataset(settings, store, build_settings)


def add_query_parser(subparsers: argparse._SubParsersAction) -> None:
    query = subparsers.add_parser(
        "query",
        help="run a SPARQL query over the built graph",
        description="Run a SPARQL query over the graph in this process, through the endpoint's query "
        "service (the default graph is the union of the named graphs; the same timeout and row cap). Our "
        "prefixes are predeclared. SERVICE may call any endpoint: the command acts for its own user, as "
        "Jena's `sparql` does (the server calls only the endpoints on its allowlist).",
    )
    query.add_argument("sparql", nargs="?", metavar="SPARQL", help="the query text")
    query.add_argument("--file", type=Path, metavar="FILE", help="read the query from FILE")
    query.add_argument("--format", choices=(TABLE, *RESULTS_FORMATS.names), default=TABLE)
    query.add_argument("--data", type=Path, metavar="DIR|FILE", help="a built folder or dump (default: dist)")
    query.add_argument("--base", metavar="IRI", help="base IRI (default: $NIPA_KG_BASE or the w3id base)")
    query.set_defaults(func=cmd_query)


def cmd_query(args: argparse.Namespace, build_settings: BuildSettings) -> int:
    from nipa_kg.server.query.local import render_result, run_query, store_from_file, store_of
    from nipa_kg.server.store.base import QueryOptions

    if (args.sparql is None) == (args.file is None):
        raise InputError("give the query as an argument or with --file (one of them)")
    sparql = args.sparql if args.file is None else read_text(args.file)
    settings = Settings.from_sources({"base": build_settings.base})
    path = query_data(args.data, build_settings)
    if path is None:
        from nipa_kg.graph.build import build_dataset

        store = store_of(build_dataset(build_settings))
    else:
        store = store_from_file(path)
    options = QueryOptions(timeout=settings.query_timeout, row_cap=settings.row_cap)
    result = run_query(store, sparql, settings.base, args.file, options)
    if result.truncated:
        print(f"nipa-kg: the result is cut at the row cap ({settings.row_cap})", file=sys.stderr)
    sys.stdout.buffer.write(render_result(result, args.format, settings.base))
    return 0


def query_data(data: Path | None, build_settings: BuildSettings) -> Path | None:
    """--data (a dump, or a folder with nipa-kg.trig), else the out dir's dump if fresh (newer than the
    sources, `graph.fresh`), else None: build."""
    if data is not None:
        path = data / f"{DUMP_NAME}.trig" if data.is_dir() else data
        if not path.is_file():
            raise InputError("no such file", path)
        return path
    return fresh_dump(build_settings)


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", path) from exc


def main(argv: Sequence[str] | None = None) -> int:
    """`nipa-kg`: the build's commands and the server's."""
    return graph_cli.main(
        argv, more=(add_parser, add_query_parser, publish.add_parser, history_cli.add_parsers)
    )


if __name__ == "__main__":
    sys.exit(main())
