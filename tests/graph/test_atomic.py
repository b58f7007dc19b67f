from pathlib import Path

import pytest

from nipa_kg.core.errors import ValidationFailed
from nipa_kg.graph import build as build_module
from nipa_kg.graph.atomic import write_file, write_files
from nipa_kg.graph.build import write_build


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "nipa-kg.ttl").write_bytes(b"old dump\n")
    (folder / "keep.txt").write_bytes(b"not ours\n")
    return folder


class DiskFull(OSError):
    pass


def fail_on_second_write(monkeypatch):
    original = Path.write_bytes
    calls = []

    def write_bytes(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise DiskFull(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def test_writes_every_file_and_leaves_no_staging(out: Path):
    write_files(out, {"nipa-kg.ttl": b"new\n", "void.ttl": b"void\n"})
    assert snapshot(out) == {"keep.txt": b"not ours\n", "nipa-kg.ttl": b"new\n", "void.ttl": b"void\n"}
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_failed_write_leaves_the_folder_as_it_was(out: Path, monkeypatch):
    before = snapshot(out)
    fail_on_second_write(monkeypatch)
    with pytest.raises(DiskFull):
        write_files(out, {"nipa-kg.ttl": b"new\n", "void.ttl": b"void\n"})
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "nipa-kg.ttl"]


def test_a_failed_write_into_a_new_folder_removes_it(tmp_path: Path, monkeypatch):
    fail_on_second_write(monkeypatch)
    with pytest.raises(DiskFull):
        write_files(tmp_path / "a" / "b", {"x": b"1", "y": b"2"})
    assert list(tmp_path.iterdir()) == []


def test_write_file_replaces_one_file(out: Path):
    write_file(out / "nipa-kg.ttl", b"replaced\n")
    assert (out / "nipa-kg.ttl").read_bytes() == b"replaced\n"
    assert len(list(out.iterdir())) == 2


def test_written_files_are_readable_by_others(out: Path):
    write_file(out / "context.jsonld", b"{}")
    assert (out / "context.jsonld").stat().st_mode & 0o044 == 0o044  # umask 022 in the test runner


def test_a_build_that_fails_validation_writes_nothing(mini_settings, out: Path):
    before = snapshot(out)
    with pytest.raises(ValidationFailed):
        write_build(mini_settings(data="invalid", out_dir=out))
    assert snapshot(out) == before


def test_a_build_that_fails_while_serialising_writes_nothing(mini_settings, out: Path, monkeypatch):
    original = build_module.serialize_graph

    def serialize_graph(graph, fmt, base):
        if fmt.name == "xml":
            raise ValueError("cannot write RDF/XML")
        return original(graph, fmt, base)

    monkeypatch.setattr(build_module, "serialize_graph", serialize_graph)
    before = snapshot(out)
    with pytest.raises(ValueError):
        write_build(mini_settings(out_dir=out))
    assert snapshot(out) == before


def test_a_build_writes_every_dump(mini_settings, tmp_path: Path):
    write_build(mini_settings(out_dir=tmp_path / "dist"))
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "context.jsonld",
        "nipa-kg.jsonld",
        "nipa-kg.nq",
        "nipa-kg.nt",
        "nipa-kg.rdf",
        "nipa-kg.trig",
        "nipa-kg.ttl",
        "void.ttl",
    ]
