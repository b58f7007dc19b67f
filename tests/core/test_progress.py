"""`core.progress`: stage lines on a pipe, a running stage and its bar on a terminal, nothing when quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from nipa_kg.core import progress
from nipa_kg.core.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_pipe_only_finished_stages_are_lines() -> None:
    stream = io.StringIO()
    with progress.reporting(Progress(stream)):
        with progress.stage("reason"):
            pass
        with pytest.raises(ValueError), progress.stage("validate"):
            raise ValueError
        progress.note("dist/x.trig is older than y.ttl: building instead")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("nipa-kg: reason: ") and lines[0].endswith(" ms")
    assert lines[1] == "nipa-kg: dist/x.trig is older than y.ttl: building instead"
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()


def test_quiet_and_outside_a_command_nothing_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    with progress.stage("reason"):
        progress.note("a note")
    with progress.reporting(Progress(None)), progress.stage("reason"):
        pass
    assert capsys.readouterr() == ("", "")


def test_on_a_terminal_the_running_stage_shows_and_a_failed_one_is_erased() -> None:
    stream = Terminal()
    with progress.reporting(Progress(stream)):
        with progress.stage("reason"):
            assert stream.getvalue() == "\rnipa-kg: reason …\x1b[K"
        with pytest.raises(ValueError), progress.stage("validate"):
            raise ValueError
    screen = stream.getvalue()
    assert "\rnipa-kg: reason: " in screen and screen.endswith("\rnipa-kg: validate …\x1b[K\r\x1b[K")
    assert screen.count("\n") == 1


def test_a_file_is_read_through_the_bar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "BAR_AFTER", 0.0)
    monkeypatch.setattr(progress, "REDRAW", 0.0)
    path = tmp_path / "data.nt"
    path.write_bytes(b"x" * 5000)
    stream = Terminal()
    with progress.reporting(Progress(stream)), progress.stage("load data.nt") as running:
        with progress.opened(path) as file:
            assert file.read(2000) == b"x" * 2000
            assert file.read() == b"x" * 3000
        assert running.total == 5000
    assert "[##########.............." in stream.getvalue()  # 2000 of 5000 bytes
    assert "] 100% 0.0 MB/0.0 MB" in stream.getvalue()
    assert stream.getvalue().endswith(" ms\x1b[K\n")


def test_without_a_stage_a_file_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"abc")
    with progress.opened(path) as file:
        assert file.read() == b"abc" and isinstance(file, io.BufferedReader)
    with progress.opened(b"abc") as data:
        assert data == b"abc"


def test_bar() -> None:
    assert progress.bar(47_000_000, 94_000_000) == "[############............]  50% 47 MB/94 MB"
