"""Where external stores write answers unlike the embedded store, and how `RemoteStore` reads them the same.

- Virtuoso labels blank nodes in results JSON `nodeID://b123`, which is no blank node label (pyoxigraph
  refuses it): the prefix is cut while the answer streams in (`blank_node_labels`);
- Virtuoso writes booleans `"1"`/`"0"` (`term`, `triple`: `"true"`/`"false"`, the canonical forms the
  embedded store keeps);
- Virtuoso answers ASK with a table of one variable, one row when true and none when false (`ask_table`);
- Virtuoso stopped at its own time limit (`MaxQueryExecutionTime`, an "anytime" query) answers 200 with
  what it had found so far, saying so only in `X-SQL-State: S1TAT` (`cut_short`): a timeout, not an answer.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import BinaryIO

import pyoxigraph as ox

from nipa_kg.core.namespaces import XSD

XSD_BOOLEAN = ox.NamedNode(XSD.boolean)
BOOLEAN_FORMS = {"1": "true", "0": "false"}
VIRTUOSO_BLANK_NODE = b'"bnode", "value": "nodeID://'
BLANK_NODE = b'"bnode", "value": "'
CHUNK = 64 * 1024

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Replacing(io.RawIOBase):
    """A byte stream read with every `old` replaced by `new` (also across the reads of `raw`)."""

    def __init__(self, raw: BinaryIO, old: bytes, new: bytes) -> None:
        self.raw, self.old, self.new = raw, old, new
        self.pending = b""  # read, and may end with the start of `old`
        self.ready = b""  # replaced, not yet handed out
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self.ready and not (self.ended and not self.pending):
            chunk = self.raw.read(CHUNK)
            self.ended = not chunk
            text = (self.pending + chunk).replace(self.old, self.new)
            keep = 0 if self.ended else min(len(self.old) - 1, len(text))
            self.ready, self.pending = text[: len(text) - keep], text[len(text) - keep :]
        size = min(len(buffer), len(self.ready))
        buffer[:size] = self.ready[:size]
        self.ready = self.ready[size:]
        return size


def blank_node_labels(raw: BinaryIO) -> BinaryIO:
    """Results JSON with Virtuoso's `nodeID://` cut from blank node labels."""
    return io.BufferedReader(Replacing(raw, VIRTUOSO_BLANK_NODE, BLANK_NODE))


def cut_short(headers: Mapping[str, str]) -> bool:
    """Whether the store answered only part of the query, having stopped it at its own time limit."""
    return headers.get("X-SQL-State") == "S1TAT"


def term(value: Term | None) -> Term | None:
    """A term as the embedded store has it (booleans in canonical form)."""
    if isinstance(value, ox.Literal) and value.datatype == XSD_BOOLEAN and value.value in BOOLEAN_FORMS:
        return ox.Literal(BOOLEAN_FORMS[value.value], datatype=XSD_BOOLEAN)
    return value


def triple(value: ox.Triple) -> ox.Triple:
    obj = term(value.object)
    return value if obj is value.object else ox.Triple(value.subject, value.predicate, obj)


def ask_table(results: ox.QuerySolutions) -> bool:
    """An ASK answered as a table: true if it has a row whose value is not false."""
    row = next(iter(results), None)
    return row is not None and row[0] is not None and row[0].value not in ("0", "false")
