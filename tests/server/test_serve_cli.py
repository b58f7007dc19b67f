"""`nipa-kg serve` without a server process: the parser, the settings it makes, what it loads."""

from __future__ import annotations

import argparse
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from granian.server.mt import MTServer
from rdflib import Dataset, Literal, URIRef

from nipa_kg.core.errors import InputError
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server import cli
from nipa_kg.server.runner import InProcessServer, make_server
from nipa_kg.server.settings import Settings
from nipa_kg.server.store import dataset
from nipa_kg.server.store.embedded import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["serve", *argv])


def test_add_parser_registers_serve_with_its_handler() -> None:
    args = parse()
    assert args.func is cli.run
    assert all(
        getattr(args, name) is None for name in ("host", "port", "data", "dataset", "base", "query_timeout")
    )


def test_flags_make_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIPA_KG_ROW_CAP", "10")
    args = parse(
        "--host", "0.0.0.0", "--port", "9000", "--data", "a.ttl", "--data", "b.nq", "--dataset", "kg.trig",
        "--base", "http://localhost:9000/", "--timeout", "5", "--cors-origins", "https://a.example",
        "--max-query-bytes", "4096", "--workers", "2", "--threads", "4",
    )  # fmt: skip
    settings = cli.settings_from_args(args)
    assert settings == Settings(
        base="http://localhost:9000/",
        host="0.0.0.0",
        port=9000,
        query_timeout=5.0,
        row_cap=10,
        cors_origins=("https://a.example",),
        max_query_bytes=4096,
        workers=2,
        threads=4,
        dataset=Path("kg.trig"),
        data=(Path("a.ttl"), Path("b.nq")),
    )


def test_one_worker_is_served_in_process_several_are_forked_on_loopback() -> None:
    forked = make_server(Settings(threads=3, workers=2, port=8123))
    assert not isinstance(forked, InProcessServer)
    assert (forked.bind_addr, forked.bind_port, forked.workers, forked.blocking_threads) == (
        "127.0.0.1",
        8123,
        2,
        3,
    )
    in_process = make_server(Settings(host="::1", access_log=False))
    assert isinstance(in_process, InProcessServer)
    assert (in_process.bind_addr, in_process.bind_port, in_process.log_access) == ("::1", 8000, False)


def test_data_files_alone(tmp_path: Path) -> None:
    store = EmbeddedStore(workers=1)
    settings = Settings(data=(FIXTURES / "extra.ttl", FIXTURES / "dataset.trig"), only_data=True)
    assert dataset.load_nipa_dataset(settings, store, BuildSettings(out_dir=tmp_path)) == "the --data files"
    assert len(store.named_graphs()) == 5
    assert store.default_graph_size() == 23  # the extra triple plus the union


def test_the_dataset_flag(tmp_path: Path) -> None:
    store = EmbeddedStore(workers=1)
    settings = Settings(dataset=FIXTURES / "dataset.trig")
    assert dataset.load_nipa_dataset(settings, store, BuildSettings(out_dir=tmp_path)) == str(
        settings.dataset
    )
    assert sum(store.named_graphs().values()) == 23


def test_the_dump_the_build_wrote(tmp_path: Path) -> None:
    (tmp_path / "nipa-kg.trig").write_bytes((FIXTURES / "dataset.trig").read_bytes())
    store = EmbeddedStore(workers=1)
    source = dataset.load_nipa_dataset(Settings(), store, BuildSettings(out_dir=tmp_path))
    assert source == str(tmp_path / "nipa-kg.trig")
    assert len(store.named_graphs()) == 5


def test_a_build_in_memory_when_there_is_no_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = Dataset()
    built.graph(URIRef("https://w3id.org/nipa-kg/graph/data")).add(
        (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("built"))
    )
    monkeypatch.setattr(dataset, "build_dataset", lambda settings: built)
    store = EmbeddedStore(workers=1)
    assert (
        dataset.load_nipa_dataset(Settings(), store, BuildSettings(out_dir=tmp_path)) == "a build in memory"
    )
    assert store.named_graphs() == {"https://w3id.org/nipa-kg/graph/data": 1}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<a> <b>", "bad.nt", "bad.nt"),
        (None, "missing.trig", "missing.trig"),
        (b"", "data.txt", "unknown RDF"),
    ],
)
def test_unreadable_files_are_input_errors(
    tmp_path: Path, content: bytes | None, name: str, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        dataset.load_file(EmbeddedStore(workers=1), path)


def test_a_bad_dataset_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.trig"
    bad.write_text("<http://a> <http://b> .")
    done = subprocess.run(
        [sys.executable, "-m", "nipa_kg.server.cli", "serve", "--dataset", str(bad), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("nipa-kg: error: ") and str(bad) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_data_files_are_served_beside_the_knowledge_graph(tmp_path: Path) -> None:
    store = EmbeddedStore(workers=1)
    settings = Settings(data=(FIXTURES / "extra.ttl",), dataset=FIXTURES / "dataset.trig")
    assert dataset.load_nipa_dataset(settings, store, BuildSettings(out_dir=tmp_path)) == str(
        settings.dataset
    )
    assert len(store.named_graphs()) == 5
    assert store.default_graph_size() == 23  # the extra triple plus the union of the dataset's graphs


def test_only_data_needs_a_data_file() -> None:
    with pytest.raises(InputError, match="--only-data"):
        Settings(only_data=True)


def test_granian_is_the_minor_version_the_in_process_server_was_written_for() -> None:
    """InProcessServer subclasses granian internals (see its docstring): on a new granian minor version this
    fails, until the class is checked against it (tests/server/test_serve_process.py runs it) and the pin
    in pyproject.toml and here is moved."""
    assert version("granian").startswith("2.8.")
    assert "_check_gil" in vars(MTServer) and issubclass(InProcessServer, MTServer)
