"""What `serve` loads, said as it happens (`nipa_kg.core.progress`), and never a stale dump.

- `Reported(store)`: the store, each `load` a stage (`load dist/nipa-kg.trig: 0.4 s`); the store reads a
  file through `progress.opened`, which draws the stage's bar on a terminal.
- `unless_stale(settings, build_settings)`: `serve` loads `{out dir}/nipa-kg.trig` when the build wrote
  one (`nipa_kg.server.store.dataset`); when that dump is older than a source (`graph.fresh`), the build
  settings handed on name no out dir, so the graph is built from the sources instead, and a line says why.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nipa_kg.core import progress
from nipa_kg.core.formats import GraphFormat
from nipa_kg.graph.build import DUMP_NAME
from nipa_kg.graph.fresh import fresh_dump
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.base import Store

NO_DUMP = Path("/dev/null")  # a folder no file is in: `{NO_DUMP}/nipa-kg.trig` is never a file


class Reported:
    """`store`, saying each load as a stage; everything else is the store's own."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        what = str(data) if isinstance(data, Path) else f"the graph ({len(data) / 1e6:.1f} MB of {fmt.label})"
        with progress.stage(f"load {what} into the store"):
            self._store.load(data, fmt, graph)

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def unless_stale(settings: Settings, build_settings: BuildSettings) -> BuildSettings:
    """`build_settings`, or, when the knowledge graph would come from a stale dump of the out dir, the same
    without the out dir (see the module docstring)."""
    if settings.dataset or settings.only_data or not (build_settings.out_dir / f"{DUMP_NAME}.trig").is_file():
        return build_settings
    return build_settings if fresh_dump(build_settings) else replace(build_settings, out_dir=NO_DUMP)
