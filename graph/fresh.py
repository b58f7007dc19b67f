"""Whether the out dir's dumps can stand for a build: `fresh_dump` answers the dump of one format if it is
newer than every source a build reads (the ontology, data and shapes, the metadata template and the JSON-LD
context; the packaged files or the `NIPA_KG_*_DIR` folders) and was built for the same base IRI. `export`
then copies it, `serve` and `query` load it; otherwise they build, saying why, so an edit to a source is
never silently ignored in favour of an older dump.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path

from nipa_kg.core import progress
from nipa_kg.graph.build import DUMP_NAME
from nipa_kg.graph.export import CONTEXT
from nipa_kg.graph.load import turtle_sources
from nipa_kg.graph.metadata import TEMPLATE
from nipa_kg.graph.settings import Settings

HEADER = 64 * 1024  # the TriG dump declares its prefixes (with graph:, under its base) within this


def fresh_dump(settings: Settings, extension: str = "trig") -> Path | None:
    """`{out dir}/nipa-kg.{extension}` if a build would write the same now (see the module docstring), else
    None; a dump that is there but stale is said (`progress.note`)."""
    dump = settings.out_dir / f"{DUMP_NAME}.{extension}"
    if not dump.is_file():
        return None
    built = dump.stat().st_mtime
    newer = next((source for source in sources(settings) if source.stat().st_mtime > built), None)
    if newer is not None:
        progress.note(f"{dump} is older than {newer}: building instead")
        return None
    if not same_base(settings):
        progress.note(f"{dump} was built for another base IRI than {settings.base}: building instead")
        return None
    return dump


def sources(settings: Settings) -> Iterator[Path]:
    """The files a build reads that are files on disk (a zipped package's cannot change)."""
    found: list[Traversable] = [
        *turtle_sources("nipa_kg.ontology", settings.ontology_dir),
        *turtle_sources("nipa_kg.graph.data", settings.data_dir),
        *turtle_sources("nipa_kg.shapes", settings.shapes_dir),
        files("nipa_kg.graph") / TEMPLATE,
        files("nipa_kg.graph") / CONTEXT,
    ]
    return (source for source in found if isinstance(source, Path))


def same_base(settings: Settings) -> bool:
    """Whether the build's TriG dump names its graphs under `settings.base` (its `graph:` prefix)."""
    try:
        with (settings.out_dir / f"{DUMP_NAME}.trig").open("rb") as dump:
            header = dump.read(HEADER)
    except OSError:
        return False
    return f"@prefix graph: <{settings.graph_iri('')}> .".encode() in header
