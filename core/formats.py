"""The RDF and SPARQL-results formats we read and write: one table each, looked up by name, extension or
media type (the CLI guesses from file names; the server negotiates on media types).

The first media type and extension of a row are canonical (what we write); the others are accepted on input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Generic, TypeVar

import pyoxigraph

from nipa_kg.core.errors import InputError


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    media_types: tuple[str, ...]
    extensions: tuple[str, ...]

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.extensions[0]


@dataclass(frozen=True)
class GraphFormat(Format):
    """An RDF serialisation.

    `rdflib` is the rdflib parser/serializer plugin name; `named_graphs` says we write the whole Dataset with
    its named graphs in this format (otherwise we write the union of the graphs).
    """

    rdflib: str
    named_graphs: bool

    @property
    def oxigraph(self) -> pyoxigraph.RdfFormat:
        return pyoxigraph.RdfFormat.from_media_type(self.media_type)


@dataclass(frozen=True)
class ResultsFormat(Format):
    """A SPARQL query results serialisation."""

    @property
    def oxigraph(self) -> pyoxigraph.QueryResultsFormat:
        return pyoxigraph.QueryResultsFormat.from_media_type(self.media_type)


F = TypeVar("F", bound=Format)


class FormatTable(Generic[F]):
    """Rows of one kind of format, with the lookups. Misses raise InputError (bad input, exit 2)."""

    def __init__(self, kind: str, rows: tuple[F, ...]) -> None:
        self.kind = kind
        self.rows = rows

    def __iter__(self) -> Iterator[F]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.rows)

    @property
    def media_types(self) -> tuple[str, ...]:
        return tuple(mt for row in self.rows for mt in row.media_types)

    def by_name(self, name: str) -> F:
        return self._find(lambda row: row.name == name.lower(), f"unknown {self.kind} format {name!r}")

    def by_extension(self, path: str | PurePath) -> F:
        """The format of a file, from its name's extension."""
        suffix = PurePath(path).suffix
        problem = f"unknown {self.kind} format (extension {suffix!r})" if suffix else "no file extension"
        return self._find(lambda row: suffix[1:].lower() in row.extensions, f"{path}: {problem}")

    def by_media_type(self, media_type: str) -> F:
        """The format of a media type; parameters (`; charset=utf-8`) and case are ignored."""
        bare = media_type.split(";")[0].strip().lower()
        return self._find(lambda row: bare in row.media_types, f"unknown {self.kind} media type {bare!r}")

    def _find(self, match: Callable[[F], bool], message: str) -> F:
        for row in self.rows:
            if match(row):
                return row
        raise InputError(f"{message}; known: {', '.join(self.names)}")


RDF_FORMATS: FormatTable[GraphFormat] = FormatTable(
    "RDF",
    (
        GraphFormat("ttl", "Turtle", ("text/turtle", "application/x-turtle"), ("ttl",), "turtle", False),
        GraphFormat("nt", "N-Triples", ("application/n-triples",), ("nt",), "nt", False),
        GraphFormat("jsonld", "JSON-LD", ("application/ld+json",), ("jsonld", "json"), "json-ld", False),
        GraphFormat("trig", "TriG", ("application/trig",), ("trig",), "trig", True),
        GraphFormat("nq", "N-Quads", ("application/n-quads",), ("nq",), "nquads", True),
        GraphFormat("xml", "RDF/XML", ("application/rdf+xml",), ("rdf", "owl", "xml"), "xml", False),
    ),
)

RESULTS_FORMATS: FormatTable[ResultsFormat] = FormatTable(
    "SPARQL results",
    (
        ResultsFormat(
            "json", "SPARQL JSON", ("application/sparql-results+json", "application/json"), ("srj", "json")
        ),
        ResultsFormat("xml", "SPARQL XML", ("application/sparql-results+xml",), ("srx", "xml")),
        ResultsFormat("csv", "SPARQL CSV", ("text/csv",), ("csv",)),
        ResultsFormat("tsv", "SPARQL TSV", ("text/tab-separated-values",), ("tsv",)),
    ),
)
