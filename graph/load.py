"""Reading RDF: the packaged ontology, instance data and shapes (rebased to the configured base), and any
RDF file a user passes. Every parse error becomes an InputError reading `FILE:LINE: message`."""

from __future__ import annotations

import json
import xml.sax
from collections.abc import Iterable, Sequence
from decimal import Decimal
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS, GraphFormat
from nipa_kg.core.namespaces import DEFAULT_BASE, SH, namespaces_for
from nipa_kg.graph.settings import Settings

# Literals that hold our IRIs and move with the base: the whole value of an xsd:anyURI (sh:namespace), and
# any occurrence in SPARQL text of SHACL-SPARQL constraints.
SPARQL_TEXT_PREDICATES = frozenset({SH.select, SH.ask, SH.construct})

LINE_BASED_FORMATS = frozenset({"nt", "nq"})


def new_graph(base: str = DEFAULT_BASE) -> Graph:
    """An empty Graph with our prefixes bound (schema: as http://schema.org/, replacing rdflib's https).
    Its store is rdflib's SimpleMemory: without named graphs, it adds and finds triples twice as fast."""
    graph = Graph(store="SimpleMemory", bind_namespaces="core")
    bind_prefixes(graph, base)
    return graph


def bind_prefixes(graph: Graph, base: str) -> None:
    for prefix, namespace in namespaces_for(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)


def turtle_sources(package: str, folder: Path | None) -> list[Traversable]:
    """The `*.ttl` files of a package, or of `folder` when given, in name order."""
    root: Traversable = files(package) if folder is None else folder
    if folder is not None and not folder.is_dir():
        raise InputError("no such directory", folder)
    return sorted((res for res in root.iterdir() if res.name.endswith(".ttl")), key=lambda res: res.name)


def load_turtle(sources: Iterable[Traversable], base: str) -> Graph:
    """Parse Turtle sources written with the default base into one graph rebased to `base`."""
    graph = new_graph()
    for source in sources:
        parse_into(graph, source, RDF_FORMATS.by_name("ttl"), public_id=DEFAULT_BASE)
    canonicalize_decimals(graph)
    return rebase(graph, base)


def load_ontology(settings: Settings) -> Graph:
    return load_turtle(turtle_sources("nipa_kg.ontology", settings.ontology_dir), settings.base)


def load_data(settings: Settings) -> Graph:
    return load_turtle(turtle_sources("nipa_kg.graph.data", settings.data_dir), settings.base)


def load_shapes(settings: Settings) -> Graph:
    return load_turtle(turtle_sources("nipa_kg.shapes", settings.shapes_dir), settings.base)


def load_rdf_files(paths: Sequence[Path]) -> Dataset:
    """Any RDF files, each in the format its extension names; quads keep their graphs."""
    dataset = Dataset()
    for path in paths:
        parse_into(dataset, path, RDF_FORMATS.by_extension(path), public_id=path.resolve().as_uri())
    return dataset


def parse_into(target: Graph, source: Traversable, fmt: GraphFormat, public_id: str) -> None:
    """Parse one source into `target` (a Graph or Dataset); any failure becomes an InputError."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source) from exc
    try:
        target.parse(data=data, format=fmt.rdflib, publicID=public_id)
    except Exception as exc:  # parser plugins raise anything from SyntaxError to KeyError
        raise located(exc, source, data, fmt) from exc


def located(exc: Exception, source: Traversable, data: bytes, fmt: GraphFormat) -> InputError:
    """The parse error as `FILE:LINE: message`, with the line from wherever the parser keeps it."""
    match exc:
        case BadSyntax():
            # BadSyntax's str() is three lines with an excerpt; its reason alone is the private _why
            return InputError(getattr(exc, "_why", str(exc)), source, exc.lines + 1)
        case xml.sax.SAXParseException():
            return InputError(exc.getMessage(), source, exc.getLineNumber())
        case json.JSONDecodeError():
            return InputError(exc.msg, source, exc.lineno)
        case _ if fmt.name in LINE_BASED_FORMATS:
            return InputError(str(exc).splitlines()[0], source, first_bad_line(data, fmt))
        case _:
            return InputError(str(exc) or type(exc).__name__, source)


def first_bad_line(data: bytes, fmt: GraphFormat) -> int | None:
    """rdflib's N-Triples/N-Quads errors carry no line number: find it by parsing line by line."""
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        try:
            Dataset().parse(data=line, format=fmt.rdflib)
        except Exception:  # same as parse_into: whatever the parser raises marks the bad line
            return number
    return None


def canonicalize_decimals(graph: Graph) -> None:
    """Put xsd:decimal literals in XSD canonical form (`1401900000000` → `1401900000000.0`, `2.50` → `2.5`).

    rdflib's Turtle writer prints a decimal without a point with `.0` appended, a different literal; in
    canonical form every serialisation round-trips exactly.
    """
    for s, p, o in list(graph.triples((None, None, None))):
        if isinstance(o, Literal) and o.datatype == XSD.decimal and not o.ill_typed:
            canonical = canonical_decimal(str(o))
            if canonical != str(o):
                graph.remove((s, p, o))
                graph.add((s, p, Literal(canonical, datatype=XSD.decimal)))


def canonical_decimal(lexical: str) -> str:
    text = format(Decimal(lexical), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.rstrip('0') or '0'}"


def rebase(graph: Graph, base: str) -> Graph:
    """The graph with every IRI under DEFAULT_BASE moved to `base` (the same graph when they are equal)."""
    if base == DEFAULT_BASE:
        return graph
    rebased = new_graph(base)
    for s, p, o in graph:
        rebased.add((rebase_term(s, base), rebase_term(p, base), rebase_literal(p, o, base)))
    return rebased


def rebase_term(term: Node, base: str) -> Node:
    if isinstance(term, URIRef) and term.startswith(DEFAULT_BASE):
        return URIRef(base + term[len(DEFAULT_BASE) :])
    return term


def rebase_literal(predicate: Node, term: Node, base: str) -> Node:
    if not isinstance(term, Literal):
        return rebase_term(term, base)
    if term.datatype == XSD.anyURI and term.startswith(DEFAULT_BASE):
        return Literal(base + term[len(DEFAULT_BASE) :], datatype=XSD.anyURI)
    if predicate in SPARQL_TEXT_PREDICATES:
        return Literal(term.replace(DEFAULT_BASE, base), lang=term.language, datatype=term.datatype)
    return term
