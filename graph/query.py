"""SPARQL over the built graph with pyoxigraph, and the results as a table, SPARQL JSON/XML, CSV or TSV.

The query's default graph is the union of the named graphs (GRAPH still reaches each one), and our
prefixes (`nipa:`, `schema:`, ...) are predeclared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from nipa_kg.graph.errors import InputError
from nipa_kg.graph.formats import RDF_FORMATS, RESULTS_FORMATS
from nipa_kg.graph.namespaces import namespaces_for
from nipa_kg.graph.oxterms import to_rdflib
from nipa_kg.graph.terms import display

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
TABLE = "table"
OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def store_of(dataset: Dataset) -> ox.Store:
    store = ox.Store()
    store.load(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def store_from_file(path: Path) -> ox.Store:
    """A store loaded from any RDF file (format from the extension)."""
    fmt = RDF_FORMATS.by_extension(path)
    store = ox.Store()
    try:
        store.load(path=path, format=fmt.oxigraph)
    except SyntaxError as exc:
        raise InputError(exc.msg, path, exc.lineno) from exc
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path) from exc
    return store


def run_query(store: ox.Store, sparql: str, base: str, source: str | None = None) -> QueryResult:
    """Evaluate `sparql`; a syntax error becomes InputError naming `source` (the query file) and line."""
    try:
        return store.query(sparql, prefixes=namespaces_for(base), use_default_graph_as_union=True)
    except SyntaxError as exc:
        if match := OXIGRAPH_POSITION.match(exc.msg):
            line, column, message = match.groups()
            raise InputError(f"SPARQL syntax error at column {column}: {message}", source, int(line)) from exc
        raise InputError(f"SPARQL syntax error: {exc.msg}", source) from exc


def render_result(result: QueryResult, fmt: str, base: str) -> bytes:
    """SELECT and ASK results as `table` or a SPARQL results format; CONSTRUCT and DESCRIBE as Turtle."""
    if isinstance(result, ox.QueryTriples):
        triples = list(result)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples, base))
    if fmt != TABLE:
        return result.serialize(format=RESULTS_FORMATS.by_name(fmt).oxigraph)
    if isinstance(result, ox.QueryBoolean):
        return f"{str(bool(result)).lower()}\n".encode()
    return table(result, namespaces_for(base)).encode("utf-8")


def used_prefixes(triples: list[ox.Triple], base: str) -> dict[str, str]:
    """Our prefixes that abbreviate some IRI of `triples` (pyoxigraph declares every prefix it is given)."""
    iris = {term.value for triple in triples for term in triple if isinstance(term, ox.NamedNode)}
    return {
        prefix: ns for prefix, ns in namespaces_for(base).items() if any(iri.startswith(ns) for iri in iris)
    }


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
