"""The store layer's interface: `Store` (what the server needs of a store), the `Query` and `QueryOptions` a
query runs with, its results (`SolutionsResult`, `GraphResult`) and its errors. The implementations are
`embedded` (an in-process pyoxigraph store) and `remote` (an external SPARQL 1.1 store)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import pyoxigraph as ox

from nipa_kg.core.errors import NipaKgError
from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS, FormatTable, GraphFormat, ResultsFormat
from nipa_kg.core.namespaces import only_used_prefixes

T = TypeVar("T")
U = TypeVar("U")


class QueryError(Exception):
    """A query the store could not answer; the message is for the client."""


class QuerySyntaxError(QueryError):
    """The query does not parse, or names an invalid IRI."""


class QueryTimeout(QueryError):
    """The query ran past its timeout."""


class QueryInterrupted(QueryError):
    """The query was stopped before it finished, through no fault of its own: the process evaluating it
    ended (another query overran, a crash, a shutdown). The message says why; the client may retry."""


class QueryEvaluationError(QueryError):
    """The store failed while evaluating a query that parsed."""


class GraphNotFound(LookupError):
    """No such named graph in the store."""


class StoreUnavailable(NipaKgError):
    """A remote store cannot be reached or answered out of protocol; the server answers 502."""


class Query(Protocol):
    """A query's text with what the query layer's lexer finds in it (`nipa_kg.server.query.lexer.Lexed`,
    which works each fact out only when a store asks for it)."""

    @property
    def text(self) -> str: ...

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        ...

    @property
    def names_dataset(self) -> bool:
        """Whether the query has FROM or FROM NAMED."""
        ...


@dataclass(frozen=True)
class KnownQuery:
    """A `Query` whose facts its author knows: a store's own queries."""

    text: str
    form: str = "SELECT"
    names_dataset: bool = False


@dataclass(frozen=True)
class QueryOptions:
    """How to run one query: the protocol's dataset (None: the query's own), the base IRI of relative IRIs,
    the seconds it may take and the most rows (or triples) its result holds."""

    timeout: float
    row_cap: int
    default_graph_uris: Sequence[str] | None = None
    named_graph_uris: Sequence[str] | None = None
    base_iri: str | None = None

    @property
    def names_dataset(self) -> bool:
        return self.default_graph_uris is not None or self.named_graph_uris is not None


@dataclass(frozen=True)
class SolutionsResult:
    """A SELECT or ASK result, held as SPARQL 1.1 Query Results JSON (compact: one string per row while
    reading, not one Python object per term), which pyoxigraph turns into the other formats."""

    json: bytes
    truncated: bool = False
    formats: ClassVar[FormatTable[ResultsFormat]] = RESULTS_FORMATS

    @classmethod
    def of_rows(cls, names: Sequence[str], rows: Sequence[str], truncated: bool) -> SolutionsResult:
        head = json.dumps({"vars": list(names)}, ensure_ascii=False)
        return cls(f'{{"head":{head},"results":{{"bindings":[{",".join(rows)}]}}}}'.encode(), truncated)

    @classmethod
    def of_boolean(cls, value: bool) -> SolutionsResult:
        return cls(json.dumps({"head": {}, "boolean": value}).encode())

    @cached_property
    def document(self) -> dict[str, Any]:
        """The result as a JSON object (parsed once)."""
        return json.loads(self.json)

    @property
    def boolean(self) -> bool | None:
        value = self.document.get("boolean")
        return value if isinstance(value, bool) else None

    def serialize(self, fmt: ResultsFormat) -> bytes:
        if fmt.oxigraph == ox.QueryResultsFormat.JSON:
            return self.json
        return ox.parse_query_results(self.json, format=ox.QueryResultsFormat.JSON).serialize(
            format=fmt.oxigraph
        )


class GraphResult:
    """A CONSTRUCT or DESCRIBE result: its triples (a dataset format gets them in the default graph), held
    as given or as the N-Triples pyoxigraph wrote (`of_ntriples`; parsed only if the triples are asked for
    or another format is wanted)."""

    formats: ClassVar[FormatTable[GraphFormat]] = RDF_FORMATS

    def __init__(self, triples: Sequence[ox.Triple], truncated: bool = False) -> None:
        self._triples: Sequence[ox.Triple] | None = triples
        self._ntriples: bytes | None = None
        self.truncated = truncated

    @classmethod
    def of_ntriples(cls, ntriples: bytes, truncated: bool) -> GraphResult:
        result = cls((), truncated)
        result._triples, result._ntriples = None, ntriples
        return result

    @property
    def triples(self) -> Sequence[ox.Triple]:
        if self._triples is None:
            assert self._ntriples is not None
            self._triples = [quad.triple for quad in ox.parse(self._ntriples, format=ox.RdfFormat.N_TRIPLES)]
        return self._triples

    def serialize(self, fmt: GraphFormat) -> bytes:
        if self._ntriples is not None and fmt.oxigraph == ox.RdfFormat.N_TRIPLES:
            return self._ntriples
        return ox.serialize(self.triples, format=fmt.oxigraph)


QueryResult = SolutionsResult | GraphResult


class Store(Protocol):
    """What the server needs of a store. Graphs are named by IRI strings; `None` is the default graph."""

    @property
    def data_version(self) -> str | None:
        """Changes whenever the data does; None when the store cannot tell (then answers carry no ETag and
        are not cached, `nipa_kg.server.middleware.cache`)."""
        ...

    def query(self, query: Query, options: QueryOptions) -> QueryResult:
        """Run a query (lexed by `nipa_kg.server.query`). Graph IRIs in `options` (even empty lists) replace
        the query's own dataset, as the SPARQL protocol's `default-graph-uri`/`named-graph-uri` do."""
        ...

    def named_graphs(self) -> Mapping[str, int]:
        """IRI → number of triples of every named graph, sorted by IRI."""
        ...

    def default_graph_size(self) -> int:
        """The number of triples of the default graph (what a query without a dataset sees)."""
        ...

    def serialize_graph(
        self, iri: str | None, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None
    ) -> bytes:
        """One graph in `fmt` (a dataset format gets it in the default graph); `GraphNotFound` if absent.
        `prefixes` (prefix → namespace) are declared where the format has them."""
        ...

    def serialize_dataset(self, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None) -> bytes:
        """Everything the store holds: a dataset format keeps the named graphs, a triple format gets the
        union of all graphs."""
        ...

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        """Add RDF: triples go to `graph` (default: the default graph), quads keep their graphs."""
        ...


def take_rows(
    results: Iterable[T], cap: int, deadline: float, convert: Callable[[T], U]
) -> tuple[list[U], bool]:
    """Up to `cap` items of a lazy result, converted, and whether more were left; `QueryTimeout` past the
    deadline."""
    items = []
    for item in results:
        if time.monotonic() > deadline:
            raise QueryTimeout("the query ran past its deadline")
        if len(items) == cap:
            return items, True
        items.append(convert(item))
    return items, False


def declared(document: bytes, fmt: GraphFormat, prefixes: Mapping[str, str] | None) -> bytes:
    """A serialisation given `prefixes`, declaring only those it uses (Turtle and TriG; pyoxigraph
    declares every prefix it is given)."""
    return only_used_prefixes(document) if prefixes and fmt.name in ("ttl", "trig") else document
