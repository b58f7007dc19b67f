"""Queries run in this process for a person at a terminal: the CLI's `query`, and the tests of the canned
questions. They go through the query service, as the endpoint's do (the default graph is the union of the
named graphs, GRAPH still reaches each one, the same timeout and row cap), with two differences a command
line user expects, as with Jena's `sparql`: our prefixes (`nipa:`, `schema:`, ...) are predeclared, and
SERVICE may call any endpoint (the user's own choice, not a public server's).

Results print as a table, SPARQL JSON/XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from nipa_kg.core import progress
from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS
from nipa_kg.core.namespaces import namespaces_for
from nipa_kg.core.terms import display, prefixes_for, to_rdflib
from nipa_kg.server.query.federation import Federation
from nipa_kg.server.query.messages import explain
from nipa_kg.server.query.policy import QueryRefused
from nipa_kg.server.query.service import QueryService
from nipa_kg.server.store.base import (
    GraphResult,
    QueryError,
    QueryOptions,
    QueryResult,
    QuerySyntaxError,
    SolutionsResult,
)
from nipa_kg.server.store.dataset import load_file
from nipa_kg.server.store.embedded import EmbeddedStore

TABLE = "table"
DEFAULT_OPTIONS = QueryOptions(timeout=30.0, row_cap=100_000)  # the server's defaults


def store_of(dataset: Dataset) -> EmbeddedStore:
    store = EmbeddedStore()
    with progress.stage("load the graph into the store"):
        store.load(dataset.serialize(format="nquads", encoding="utf-8"), RDF_FORMATS.by_name("nq"))
    return store


def store_from_file(path: Path) -> EmbeddedStore:
    """A store loaded from any RDF file (format from the extension)."""
    store = EmbeddedStore()
    with progress.stage(f"load {path} into the store"):
        load_file(store, path)
    return store


def prologue(base: str) -> str:
    """Our prefixes, declared on one line (so a syntax error's line is one less in the user's query)."""
    return " ".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in namespaces_for(base).items()) + "\n"


def run_query(
    store: EmbeddedStore,
    sparql: str,
    base: str,
    source: Path | None = None,
    options: QueryOptions = DEFAULT_OPTIONS,
) -> QueryResult:
    """Evaluate `sparql`; a refused or failing query is an InputError naming `source` (the query file),
    with the line of a syntax error and what is wrong there (`messages.explain`)."""
    service = QueryService(store, Federation.of(base, allow_any=True))
    text = prologue(base) + sparql
    try:
        return service.query(text, options)
    except QuerySyntaxError as exc:
        explained = explain(str(exc), text, hidden_lines=1)  # the endpoint's words, on the CLI's one line
        raise InputError(explained.in_line, source, explained.line) from exc
    except (QueryRefused, QueryError) as exc:
        raise InputError(str(exc), source) from exc


def render_result(result: QueryResult, fmt: str, base: str) -> bytes:
    """SELECT and ASK results as `table` or a SPARQL results format; CONSTRUCT and DESCRIBE as Turtle."""
    if isinstance(result, GraphResult):
        triples = list(result.triples)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes_for(triples, base))
    if fmt != TABLE:
        return result.serialize(RESULTS_FORMATS.by_name(fmt))
    if result.boolean is not None:
        return f"{str(result.boolean).lower()}\n".encode()
    return table(solutions(result), namespaces_for(base)).encode("utf-8")


def solutions(result: SolutionsResult) -> ox.QuerySolutions:
    parsed = ox.parse_query_results(result.json, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed


def table(solutions: ox.QuerySolutions, prefixes: Mapping[str, str]) -> str:
    """Aligned plain text: one column per variable, compact IRIs, a row count at the end."""
    header = [f"?{variable.value}" for variable in solutions.variables]
    rows = [
        [display(to_rdflib(term), prefixes) if term is not None else "" for term in solution]
        for solution in solutions
    ]
    widths = [max(map(width, column)) for column in zip(header, *rows, strict=True)]
    lines = [header, ["-" * w for w in widths], *rows]
    text = "\n".join(
        "  ".join(pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )
    return f"{text}\n({len(rows)} row{'' if len(rows) == 1 else 's'})\n"


def width(text: str) -> int:
    """Columns `text` takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))
