"""`nipa-kg publish --store URL`: put the knowledge graph into an external SPARQL 1.1 store, graph by graph,
through the Graph Store Protocol, for `nipa-kg serve --store URL` to serve.

Each named graph of the dataset (`--dataset`, else the build's `dist/nipa-kg.trig`, else a build in
memory) is PUT to the store's GSP endpoint, which replaces the graph: publishing again leaves the store as
it was. Then the store is asked how many triples each graph holds, which must be what was sent. Where the
GSP endpoint is: `nipa_kg.server.store.client` (Oxigraph `/store`, Virtuoso `/sparql-graph-crud-auth`,
Fuseki `/DATASET/data`; any other store's with `--store-gsp`).

`--user` and `--password` (or NIPA_KG_STORE_USER and NIPA_KG_STORE_PASSWORD) answer the store's challenge,
digest or basic. Virtuoso lets only accounts with the SPARQL_UPDATE role write (dba has it). Without such
an account, load each graph with Virtuoso's isql instead: `SPARQL CLEAR GRAPH <IRI>;` then
`DB.DBA.TTLP_MT(file_to_string_output('FILE.ttl'), '', 'IRI');`, the file's folder listed in the ini's
`DirsAllowed`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyoxigraph as ox

from nipa_kg.core.errors import InputError, NipaKgError
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.store.flags import add_store_arguments

CREATED = 201


class NotPublished(NipaKgError):
    """The store does not hold what was sent."""

    exit_code = 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="load the knowledge graph into a SPARQL store, graph by graph (Graph Store Protocol PUT)",
        description="Replace each named graph of the knowledge graph in an external SPARQL 1.1 store, "
        "then check the store holds what was sent.",
    )
    add_store_arguments(parser)
    parser.add_argument(
        "--dataset",
        type=Path,
        metavar="PATH",
        help="what to publish (TriG or N-Quads; default: dist/nipa-kg.trig if present, else a build)",
    )
    parser.add_argument("--base", metavar="IRI", help="base IRI of a build in memory (NIPA_KG_BASE)")
    parser.add_argument(
        "--timeout",
        dest="query_timeout",
        type=float,
        metavar="SECONDS",
        help="longest wait for one answer of the store (default 30)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, build_settings: BuildSettings) -> int:
    from nipa_kg.server.settings import Settings
    from nipa_kg.server.store.remote import open_store

    started = time.perf_counter()
    settings = Settings.from_sources(vars(args))
    where, graphs = read_dataset(settings.dataset, build_settings)
    store = open_store(settings, graphs)
    statuses = {iri: store.send_graph("PUT", iri, triples) for iri, triples in graphs.items()}
    held = store.named_graphs()
    print(f"published {where} to {store.endpoints.graph_store_writes} ({store.endpoints.product}):")
    width = max(len(iri) for iri in graphs)
    for iri, triples in graphs.items():
        done = "created " if statuses[iri] == CREATED else "replaced"
        print(f"  {done}  {iri:<{width}}  {len(triples):>7} triples")
    wrong = [
        f"<{iri}> {len(t)} sent, {held.get(iri, 0)} held"
        for iri, t in graphs.items()
        if held.get(iri, 0) != len(t)
    ]
    if wrong:
        raise NotPublished("the store does not hold the triples sent: " + "; ".join(wrong))
    total = sum(len(triples) for triples in graphs.values())
    print(f"{len(graphs)} graphs, {total} triples, in {time.perf_counter() - started:.1f} s")
    return 0


def read_dataset(
    dataset: Path | None, build_settings: BuildSettings
) -> tuple[str, dict[str, set[ox.Triple]]]:
    """Where the knowledge graph comes from, and its named graphs (sorted by IRI)."""
    from nipa_kg.core.errors import input_errors
    from nipa_kg.core.formats import RDF_FORMATS
    from nipa_kg.server.store.dataset import N_QUADS, knowledge_graph
    from nipa_kg.server.store.remote import read_graphs

    source = knowledge_graph(dataset, build_settings)
    if isinstance(source, Path):
        with input_errors(source):
            graphs = read_graphs(source, RDF_FORMATS.by_extension(source))
    else:
        graphs = read_graphs(source, N_QUADS)
    where = str(source) if isinstance(source, Path) else "a build in memory"
    if None in graphs:
        raise InputError(
            f"publish puts named graphs only, not the default graph ({len(graphs[None])} triples)", where
        )
    if not graphs:
        raise InputError("no named graph to publish", where)
    return where, {iri: triples for iri, triples in sorted(graphs.items()) if iri is not None}
