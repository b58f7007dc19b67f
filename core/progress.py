"""What a long command is doing, said on stderr: each stage with its time (`stage`), one-off notes (`note`),
and a progress bar while a file is read (`opened`, within a stage).

On a terminal a stage shows as it runs (`nipa-kg: reason …`), with a bar when its size is known and it has
run for a moment, and is replaced by its line when it ends (or erased, if it fails: the error line follows
alone). On a pipe only the lines of finished stages are printed: `nipa-kg: reason (reasonable): 0.6 s`.
Nothing at all unless a command asks for it (`reporting`): the CLI does, except with `-q`; the library
used on its own (the tests, the server's workers) says nothing.

The bar reads the file through `Reading`, a file object counting the bytes pyoxigraph takes from it (in
about 2 KiB calls, redrawn at most ten times a second): loading 10^6 triples (94 MB of N-Triples) through it
took no longer than loading the path (fastest of seven runs each, alternated: 3.57 s against 3.58 s; the
runs spread from 3.6 to 9 s either way on a shared machine).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

PREFIX = "nipa-kg: "
BAR = 24  # characters of the bar
REDRAW = 0.1  # seconds between two drawings of a bar
BAR_AFTER = 0.5  # seconds a stage runs before its bar is drawn (a quick one just shows its line)
CLEAR = "\x1b[K"  # erase to the end of the line


class Stage:
    """One running stage; `advance(done)` moves its bar (of `total` units, bytes for a file)."""

    def __init__(self, progress: Progress, name: str, total: int | None) -> None:
        self.progress, self.name, self.total = progress, name, total
        self.started = time.perf_counter()
        self.drawn = 0.0  # when the bar was last drawn

    def advance(self, done: int) -> None:
        if not (self.total and self.progress.tty):
            return
        now = time.perf_counter()
        if now - self.drawn >= REDRAW and now - self.started >= BAR_AFTER:
            self.drawn = now
            self.progress.draw(f"{self.name} {bar(done, self.total)}")

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """Stage lines on `stream` (None: silent); a terminal (`tty`, by default the stream's own answer) also
    gets the running stage and its bar."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream
        self.tty = bool(stream is not None and (stream.isatty() if tty is None else tty))
        self.running: list[Stage] = []

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        """Run one stage: its line (`name: 1.2 s`) when it ends well; a failure leaves no line."""
        current = Stage(self, name, total)
        self.running.append(current)
        if self.tty:
            self.draw(f"{name} …")
        try:
            yield current
        except BaseException:
            if self.tty:
                self.write(f"\r{CLEAR}")
            raise
        finally:
            self.running.pop()
        self.line(f"{name}: {seconds(current.seconds)}")
        if self.tty and self.running:  # the enclosing stage runs on
            self.draw(f"{self.running[-1].name} …")

    def note(self, text: str) -> None:
        """A line that is not a stage (what the command chose to do, and why)."""
        self.line(text)

    def line(self, text: str) -> None:
        self.write(f"\r{PREFIX}{text}{CLEAR}\n" if self.tty else f"{PREFIX}{text}\n")

    def draw(self, text: str) -> None:
        self.write(f"\r{PREFIX}{text}{CLEAR}")

    def write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()


class Reading(io.RawIOBase):
    """A binary file read through: tells `stage` how many bytes were read so far."""

    def __init__(self, file: io.BufferedReader, stage: Stage) -> None:
        self.file, self.stage, self.done = file, stage, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self.file.readinto(buffer)
        self.done += count
        self.stage.advance(self.done)
        return count

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.done += len(data)
        self.stage.advance(self.done)
        return data


_current = Progress()


@contextmanager
def reporting(progress: Progress) -> Iterator[Progress]:
    """Say what happens, as `progress` does, until the block ends (the CLI's commands run in one)."""
    global _current
    previous, _current = _current, progress
    try:
        yield progress
    finally:
        _current = previous


def stage(name: str, total: int | None = None) -> AbstractContextManager[Stage]:
    """A stage of the command running (see `Progress.stage`); silent outside `reporting`."""
    return _current.stage(name, total)


def note(text: str) -> None:
    _current.note(text)


def said() -> bool:
    """Whether stages are said now (a command reports them, and `-q` did not silence it)."""
    return _current.stream is not None


@contextmanager
def opened(data: bytes | Path) -> Iterator[bytes | BinaryIO]:
    """What to hand pyoxigraph's `load(input=...)` for `data`: bytes as they are; a path's file, read
    through the running stage's bar (its size the bar's total) when a stage runs."""
    if not isinstance(data, Path):
        yield data
        return
    with data.open("rb") as file:
        running = _current.running[-1] if _current.running else None
        if running is None:
            yield file
            return
        running.total = data.stat().st_size
        yield Reading(file, running)


def bar(done: int, total: int) -> str:
    share = min(done / total, 1.0) if total else 1.0
    filled = round(share * BAR)
    return f"[{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} {megabytes(done)}/{megabytes(total)}"


def megabytes(count: int) -> str:
    return f"{count / 1e6:.0f} MB" if count >= 1e7 else f"{count / 1e6:.1f} MB"


def seconds(value: float) -> str:
    return f"{value:.1f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"
