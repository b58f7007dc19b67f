"""Domain exceptions of the build and the server. The CLI turns each into one line on stderr and an exit code,
never a traceback."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol


class Report(Protocol):
    """What a validation report (`nipa_kg.graph.validate.ValidationReport`) has that the error needs."""

    @property
    def violations(self) -> Sequence[object]: ...


class NipaKgError(Exception):
    """A failure with a message fit for the user; `exit_code` is what the CLI returns."""

    exit_code = 2


class InputError(NipaKgError):
    """Bad input: a missing or unreadable file, a syntax error, an unknown format or setting.

    The message reads `FILE:LINE: message` like a compiler's (`FILE: message` when the line is unknown,
    `line N: message` for text that is not from a file).
    """

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.reason = " ".join(message.split())  # one line, whatever the parser said
        if file is None:
            location = f"line {line}" if line is not None else None
        else:
            location = f"{file}:{line}" if line is not None else str(file)
        super().__init__(f"{location}: {self.reason}" if location else self.reason)


class ValidationFailed(NipaKgError):
    """The graph violates the shapes; carries the report."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"the graph does not conform to the shapes ({len(report.violations)} violations)")


class Inconsistent(NipaKgError):
    """OWL-RL reasoning found the ontology and data inconsistent; carries owlrl's messages."""

    exit_code = 1

    def __init__(self, messages: tuple[str, ...]) -> None:
        self.messages = messages
        super().__init__("OWL-RL inconsistency: " + "; ".join(" ".join(m.split()) for m in messages))


@contextmanager
def input_errors(path: Path) -> Iterator[None]:
    """Failures reading the RDF file `path` as `InputError`s naming the file (and the line, if known)."""
    try:
        yield
    except SyntaxError as exc:
        raise InputError(exc.msg, file=path, line=exc.lineno) from exc
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), file=path) from exc
    except ValueError as exc:
        raise InputError(str(exc), file=path) from exc
