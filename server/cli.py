"""`nipa-kg serve`: the SPARQL endpoint under granian.

`add_parser(subparsers)` registers the subcommand and sets `func=run`; the `nipa-kg` CLI (PLUGINS in
`nipa_kg.graph.cli`) calls it, and `python -m nipa_kg.server.cli serve ...` runs it on its own. The
server's modules are imported when `serve` runs, so the CLI starts fast for its other commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nipa_kg.graph.errors import NipaKgError
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.settings import Settings, parse_alias
from nipa_kg.server.store_flags import add_store_arguments

QUERY_WORKERS_PER_THREAD = 2  # room for queries past their timeout that are still finishing


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    defaults = Settings()
    parser = subparsers.add_parser(
        "serve",
        help="serve the graph: SPARQL 1.1 endpoint at /sparql, graph store at /rdf-graphs/service",
        description="Serve the knowledge graph (read-only) under granian. Flags override the NIPA_KG_* "
        "environment variables.",
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
    parser.add_argument("--threads", type=int, help=f"threads per worker (default {defaults.threads})")
    parser.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings.from_sources(vars(args) | {"data": tuple(args.data) if args.data else None})


def run(args: argparse.Namespace, build_settings: BuildSettings | None = None) -> int:
    """Load the graph and serve until stopped. `build_settings` (the `nipa-kg` CLI passes its own, from the
    same flags and environment) say where a prebuilt dump is and how to build one in memory."""
    from nipa_kg.server.app import create_app
    from nipa_kg.server.dataset import load_nipa_dataset
    from nipa_kg.server.remote_store import served_store
    from nipa_kg.server.runner import check_address, serve
    from nipa_kg.server.store import EmbeddedStore, Store

    settings = settings_from_args(args)
    check_address(settings)
    build_settings = build_settings or settings.build_settings()
    store: Store
    if settings.store:
        store, source = served_store(settings, build_settings)
    else:
        embedded = EmbeddedStore(workers=settings.threads * QUERY_WORKERS_PER_THREAD)
        source = load_nipa_dataset(settings, embedded, build_settings)
        if settings.workers > 1:  # the workers hold the data, the master not (see nipa_kg.server.store)
            embedded.release_on_fork()
        store = embedded
    serve(create_app(settings, store), settings, source)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nipa-kg")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except NipaKgError as exc:
        print(f"nipa-kg: error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
