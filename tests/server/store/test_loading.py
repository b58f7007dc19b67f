"""What `serve` and `query` say while they load (`server.store.loading`, `core.progress`), and the dumps
they trust: the out dir's only while it is newer than every source (`graph.fresh`), so an edit counts."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from nipa_kg.core import progress
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.progress import Progress
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.cli import main
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore
from nipa_kg.server.store.loading import NO_DUMP, Reported, unless_stale
from tests.processes import free_port, stop, wait_until_ready

GRAPH_FIXTURES = Path(__file__).parents[2] / "graph" / "fixtures"
NIPA_KG = Path(sys.executable).parent / "nipa-kg"
BUILD_STAGES = ("read the ontology, data and shapes", "reason (OWL 2 RL, reasonable)", "validate (SHACL)")


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture sources the commands read, in an empty working folder."""
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(GRAPH_FIXTURES / name, tmp_path / "src" / name)
        monkeypatch.setenv(f"NIPA_KG_{name.upper()}_DIR", str(tmp_path / "src" / name))
    for name in ("NIPA_KG_BASE", "NIPA_KG_OUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "src"


def edit(path: Path, old: str, new: str) -> None:
    """Change a source, and date it after the dumps (a file system's clock may be coarse)."""
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    later = time.time() + 10
    os.utime(path, (later, later))


def test_serve_says_its_stages_on_stderr_and_nothing_with_q(sources: Path) -> None:
    for quiet in (False, True):
        port = free_port()
        command = [str(NIPA_KG), "serve", "--port", str(port), *(["-q"] if quiet else [])]
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            wait_until_ready(process, f"http://127.0.0.1:{port}/sparql", 60)
        finally:
            stop(process)
        err = process.stderr.read() if process.stderr else ""
        said = [line.split(": ")[1] for line in err.splitlines() if line.startswith("nipa-kg: ")]
        if quiet:
            assert not any(stage in said for stage in BUILD_STAGES), err
        else:
            assert all(stage in said for stage in BUILD_STAGES), err
            assert any(s.startswith("load ") and s.endswith(".nq into the evaluator process") for s in said)
            assert "build the search index" in said  # at start, not on the first search


def test_query_and_export_say_their_stages(sources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "ASK {}"]) == 0
    err = capsys.readouterr().err
    assert [line.split(": ")[1] for line in err.splitlines()] == [
        *BUILD_STAGES,
        "describe (DCAT, VoID) and assemble the dataset",
        "load the graph into the store",
    ]
    assert main(["export", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_export_copies_a_fresh_dump_and_builds_again_when_a_source_is_newer(
    sources: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["build", "-q"]) == 0
    dumped = Path("dist/nipa-kg.nt").read_bytes()
    capsys.readouterr()
    with monkeypatch.context() as patched:
        patched.setattr("nipa_kg.graph.cli.build_dataset", lambda settings: pytest.fail("built again"))
        assert main(["export", "--format", "nt"]) == 0
    out, err = capsys.readouterr()
    assert out.encode() == dumped
    assert err.startswith("nipa-kg: read dist/nipa-kg.nt, newer than its sources: ")

    edit(sources / "data" / "mini.ttl", '"AI Division"@en', '"Edited Division"@en')
    assert main(["export", "--format", "nt"]) == 0
    out, err = capsys.readouterr()
    assert '"Edited Division"@en' in out
    assert (
        err.splitlines()[0]
        == f"nipa-kg: dist/nipa-kg.nt is older than {sources / 'data' / 'mini.ttl'}: building instead"
    )
    assert "nipa-kg: validate (SHACL): " in err


def test_a_dump_for_another_base_is_not_exported(sources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "-q"]) == 0
    assert main(["export", "--base", "http://localhost:9000/"]) == 0
    out, err = capsys.readouterr()
    assert "built for another base IRI" in err and "http://localhost:9000/id/" in out


def test_query_and_serve_see_an_edit_made_after_the_build(
    sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "-q"]) == 0
    capsys.readouterr()
    assert unless_stale(Settings(), BuildSettings.from_sources({})).out_dir == Path("dist")  # serve loads it
    labels = 'SELECT ?l { ?d a nipa:Division ; rdfs:label ?l FILTER(lang(?l) = "en") }'
    assert main(["query", "-q", "--format", "csv", labels]) == 0
    assert capsys.readouterr().out.splitlines() == ["l", "AI Division"]

    edit(sources / "data" / "mini.ttl", '"AI Division"@en', '"Edited Division"@en')
    assert main(["query", "--format", "csv", labels]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["l", "Edited Division"]
    assert "dist/nipa-kg.trig is older than" in err

    build_settings = BuildSettings.from_sources({})
    assert unless_stale(Settings(), build_settings).out_dir == NO_DUMP  # serve builds instead
    assert unless_stale(Settings(dataset=Path("kg.trig")), build_settings) == build_settings


def test_a_store_load_is_a_stage_with_a_bar_once_the_store_reads_through_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar needs the store to read a file through `progress.opened` (EmbeddedStore.load's hook); here the
    pyoxigraph store inside is wrapped to do so."""

    class ReadsThroughProgress:
        def __init__(self, store: pyoxigraph.Store) -> None:
            self.store = store

        def load(self, path: Path | None = None, **options: object) -> None:
            if path is None:  # the store reads through `progress.opened` itself
                self.store.load(**options)
                return
            with progress.opened(Path(path)) as source:
                self.store.load(input=source, **options)

        def __getattr__(self, name: str) -> object:
            return getattr(self.store, name)

        def __len__(self) -> int:
            return len(self.store)

    monkeypatch.setattr(progress, "BAR_AFTER", 0.0)
    monkeypatch.setattr(progress, "REDRAW", 0.0)
    data = tmp_path / "big.nt"
    data.write_text("".join(f"<http://e/s{i}> <http://e/p> <http://e/o{i}> .\n" for i in range(20_000)))
    store = EmbeddedStore(workers=1)
    store._store = ReadsThroughProgress(store._store)  # type: ignore[assignment]
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    with progress.reporting(Progress(terminal)):
        Reported(store).load(data, RDF_FORMATS.by_extension(data))
    assert store.default_graph_size() == 20_000
    screen = terminal.getvalue()
    assert f"\rnipa-kg: load {data} into the store [" in screen and "] 100% " in screen
    assert screen.endswith("s\x1b[K\n") and f"nipa-kg: load {data} into the store: " in screen
