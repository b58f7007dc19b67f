"""What `serve` loads into the store.

- every `--data` file: by its extension; triples (Turtle, N-Triples, RDF/XML, JSON-LD) into the default
  graph, quads (TriG, N-Quads) keeping their named graphs;
- the NIPA knowledge graph beside them, unless `--only-data` says to serve the files alone: the
  `--dataset` dump if named, else
  `{out dir}/nipa-kg.trig` if the build wrote one (out dir: `dist`, or `NIPA_KG_OUT`), else built in
  memory (`nipa_kg.graph.build`) from the build settings' sources.
"""

from __future__ import annotations

from pathlib import Path

from nipa_kg.core.errors import input_errors
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.graph.build import DUMP_NAME, build_dataset
from nipa_kg.graph.export import serialize
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.base import Store

N_QUADS = RDF_FORMATS.by_name("nq")


def load_file(store: Store, path: Path) -> None:
    """One RDF file into the store; unreadable or invalid files are `InputError`s naming the file."""
    fmt = RDF_FORMATS.by_extension(path)
    with input_errors(path):
        store.load(path, fmt)


def load_nipa_dataset(settings: Settings, store: Store, build_settings: BuildSettings) -> str:
    """Load what `settings` names into `store`; say where the knowledge graph came from."""
    for path in settings.data:
        load_file(store, path)
    if settings.only_data:
        return "the --data files"
    graph = knowledge_graph(settings.dataset, build_settings)
    if isinstance(graph, Path):
        load_file(store, graph)
        return str(graph)
    store.load(graph, N_QUADS)
    return "a build in memory"


def knowledge_graph(dataset: Path | None, build_settings: BuildSettings) -> Path | bytes:
    """The NIPA knowledge graph: the `dataset` dump if named, else the build's TriG if it wrote one, else
    N-Quads of a build in memory."""
    prebuilt = dataset or build_settings.out_dir / f"{DUMP_NAME}.trig"
    if dataset or prebuilt.is_file():
        return prebuilt
    return serialize(build_dataset(build_settings), N_QUADS, build_settings.base)
