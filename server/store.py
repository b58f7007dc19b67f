"""The store the server reads: one small interface (`Store`) and its embedded implementation over an
in-process `pyoxigraph.Store`. A remote SPARQL 1.1 store can implement the same interface later.

Choices of the embedded store (`EmbeddedStore`):

- **Default graph = union.** A query without a dataset sees the union of every graph, as
  `sd:UnionDefaultGraph` says. When no triple is in two graphs (the default graph counting as one; the
  built NIPA graph and the bench data are so) the query runs with pyoxigraph's `use_default_graph_as_union`,
  unless it names its own dataset (`FROM`/`FROM NAMED`, found lexically; that option would override them)
  or the protocol gives one. Otherwise (a triple in two graphs would be one solution per graph under that
  option) every load copies the named graphs' triples into the default graph, a set, as before: the data
  is then stored twice. The check runs after each load (an `ASK`, skipped when only one graph has data).
- **Data version.** `data_version` changes on every load: a hash of the previous version and what was
  loaded (a file's path, size and modification time, or the bytes). The result cache and the ETags of the
  endpoint (`nipa_kg.server.cache`) are keyed by it.
- **Forking.** With `--workers` above 1, `nipa-kg serve` loads the data before granian forks the workers
  (load errors are reported before it starts). A forked worker shares the data's pages with the master
  only until it reads them: pyoxigraph writes to its store's memory while answering queries, so each
  page read gets copied and the master's copy is dead weight (measured: 215 MB of 390 MB copied after
  4 s of queries at 10^6 triples). With `release_on_fork`, the master drops its copy right after forking
  the first worker and gives the memory back to the OS (glibc's `malloc_trim`), and any later worker (a
  second one, or one granian restarts) loads the same sources again: the data is then held once per
  worker, never once more. With one worker nothing forks: the process that loaded the data serves it.
- **Timeout.** pyoxigraph has no per-query timeout, so queries run on a bounded pool of worker threads
  (pyoxigraph releases the GIL while it evaluates, so they run in parallel with the request threads). The
  caller stops waiting at the deadline (`QueryTimeout`); the worker stops at the next 8 KiB of results
  pyoxigraph writes (or, reading row by row, the next solution) past the deadline. An evaluation step that
  yields nothing for long (a big aggregate, a sort, or a small result made slowly) cannot be interrupted:
  it keeps its worker until it finishes, and queries queued behind a full pool time out.
- **Row cap.** At most `row_cap` solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) are read; the result
  then says `truncated`.
- **Serialisation.** Results are read in full inside the timeout (evaluation is lazy). pyoxigraph writes
  them itself, as SPARQL JSON or N-Triples, into a sink that counts rows as they come (`_Sink`: newlines
  of N-Triples, exactly; the `},{` between two JSON solutions, an upper bound as a value may hold it too)
  and stops at the cap: N-Triples are then cut at the cap, and a SELECT that may have more solutions is
  read again row by row, one Python JSON string per solution, to cut it exactly. Other formats are made
  from these by pyoxigraph. (Building the JSON row by row in Python cost a CONSTRUCT of 115 triples
  0.6 ms instead of 0.45, a SELECT of 12 rows 0.26 ms instead of 0.21.)
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import pyoxigraph as ox

from nipa_kg.graph.errors import NipaKgError
from nipa_kg.graph.formats import RDF_FORMATS, RESULTS_FORMATS, FormatTable, GraphFormat, ResultsFormat
from nipa_kg.server.policy import keywords

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_FROM = re.compile(r"(?<![\w:.\-])from(?![\w:.\-])", re.IGNORECASE)
T = TypeVar("T")
U = TypeVar("U")


class QueryError(Exception):
    """A query the store could not answer; the message is for the client."""


class QuerySyntaxError(QueryError):
    """The query does not parse, or names an invalid IRI."""


class QueryTimeout(QueryError):
    """The query ran past its timeout."""


class QueryEvaluationError(QueryError):
    """The store failed while evaluating a query that parsed."""


class GraphNotFound(LookupError):
    """No such named graph in the store."""


class StoreUnavailable(NipaKgError):
    """A remote store cannot be reached or answered out of protocol; the server answers 502."""


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

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float,
        row_cap: int,
    ) -> QueryResult:
        """Run a query. Graph IRIs given (even empty lists) replace the query's own dataset, as the
        SPARQL protocol's `default-graph-uri`/`named-graph-uri` do; `None` leaves it alone."""
        ...

    def named_graphs(self) -> Mapping[str, int]:
        """IRI → number of triples of every named graph, sorted by IRI."""
        ...

    def default_graph_size(self) -> int:
        """The number of triples of the default graph (what a query without a dataset sees)."""
        ...

    def serialize_graph(self, iri: str | None, fmt: GraphFormat) -> bytes:
        """One graph in `fmt` (a dataset format gets it in the default graph); `GraphNotFound` if absent."""
        ...

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        """Add RDF: triples go to `graph` (default: the default graph), quads keep their graphs."""
        ...


def _term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    """A term as SPARQL 1.1 (1.2 for triple terms and directions) Query Results JSON."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: _term_json(part) for name, part in parts.items()}}
    value: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
        if term.direction:
            value["its:dir"] = term.direction.value
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def solution_json(names: Sequence[str], row: ox.QuerySolution) -> str:
    """One solution as a SPARQL JSON binding object, serialised."""
    terms = {name: _term_json(term) for name, term in zip(names, row, strict=True) if term is not None}
    return json.dumps(terms, ensure_ascii=False, separators=(",", ":"))


class EmbeddedStore:
    """An in-memory pyoxigraph store shared by all request threads; see the module docstring."""

    def __init__(self, workers: int = 16) -> None:
        self._store = ox.Store()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql-query")
        self._load_lock = threading.Lock()
        self._sizes: dict[str, int] | None = None
        self._union = True  # no triple in two graphs: the union option, not a copied default graph
        self._version = ""
        self._loads: list[tuple[bytes | Path, GraphFormat, str | None]] = []  # to load again after a fork

    @property
    def data_version(self) -> str:
        """Changes on every load (see the module docstring)."""
        return self._version

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float,
        row_cap: int,
    ) -> QueryResult:
        options: dict[str, object] = {"base_iri": base_iri}
        try:
            if default_graph_uris is not None:
                options["default_graph"] = [ox.NamedNode(iri) for iri in default_graph_uris]
            if named_graph_uris is not None:
                options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graph_uris]
        except ValueError as exc:
            raise QuerySyntaxError(f"invalid graph IRI: {exc}") from exc
        no_dataset = default_graph_uris is None and named_graph_uris is None
        if self._union and no_dataset and not _names_dataset(sparql):
            options["use_default_graph_as_union"] = True
        deadline = time.monotonic() + timeout
        future: Future[QueryResult] = self._pool.submit(self._evaluate, sparql, options, row_cap, deadline)
        try:
            return future.result(timeout=max(deadline - time.monotonic(), 0))
        except (FutureTimeout, QueryTimeout):  # we stopped waiting, or the worker saw the deadline first
            future.cancel()
            raise QueryTimeout(f"the query did not finish within {timeout:g} s") from None

    def _evaluate(
        self, sparql: str, options: Mapping[str, object], row_cap: int, deadline: float
    ) -> QueryResult:
        """Runs on a worker thread. pyoxigraph's result iterators must be dropped on the thread that made
        them, so the exception leaving here is a fresh one, not holding their frames in its traceback."""
        try:
            return self._read(sparql, options, row_cap, deadline)
        except SyntaxError as exc:
            error: QueryError = QuerySyntaxError(str(exc))
        except QueryTimeout as exc:
            error = QueryTimeout(str(exc))
        except (OSError, RuntimeError, ValueError) as exc:
            error = QueryEvaluationError(str(exc))
        raise error

    def _read(self, sparql: str, options: Mapping[str, object], row_cap: int, deadline: float) -> QueryResult:
        """pyoxigraph serialises the results itself (SPARQL JSON, N-Triples) into a `_Sink` that stops it
        past the row cap or the deadline; a SELECT that may have more than `row_cap` solutions is read
        again, row by row, to cut it exactly."""
        results = self._store.query(sparql, **options)
        if isinstance(results, ox.QueryBoolean):
            return SolutionsResult.of_boolean(bool(results))
        if isinstance(results, ox.QuerySolutions):
            sink = _Sink(b"},{", 1, row_cap, deadline)  # between two solutions (or in a value)
            try:
                results.serialize(sink, format=ox.QueryResultsFormat.JSON)
                return SolutionsResult(sink.value)
            except _OverCap:
                pass
            del results
            results = self._store.query(sparql, **options)
            assert isinstance(results, ox.QuerySolutions)
            names = [variable.value for variable in results.variables]
            rows, truncated = take_rows(results, row_cap, deadline, lambda row: solution_json(names, row))
            return SolutionsResult.of_rows(names, rows, truncated)
        sink = _Sink(b"\n", 0, row_cap, deadline)  # N-Triples: ends each triple, and only there
        try:
            results.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
            return GraphResult.of_ntriples(sink.value, truncated=False)
        except _OverCap:
            return GraphResult.of_ntriples(sink.lines(row_cap), truncated=True)

    def named_graphs(self) -> Mapping[str, int]:
        if self._sizes is None:
            counts = self._store.query(
                "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) }"
                " GROUP BY ?g ORDER BY STR(?g)"
            )
            self._sizes = {row["g"].value: int(row["n"].value) for row in counts}
        return self._sizes

    def default_graph_size(self) -> int:
        return len(self._store) - (0 if self._union else sum(self.named_graphs().values()))

    def serialize_graph(self, iri: str | None, fmt: GraphFormat) -> bytes:
        if iri is None and self._union:
            return ox.serialize((quad.triple for quad in self._store), format=fmt.oxigraph)
        if iri is None:
            graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
        elif iri in self.named_graphs():
            graph = ox.NamedNode(iri)
        else:
            raise GraphNotFound(iri)
        return self._store.dump(format=fmt.oxigraph, from_graph=graph)

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        target = ox.NamedNode(graph) if graph else None
        source = {"path": data} if isinstance(data, Path) else {"input": data}
        with self._load_lock:
            try:
                self._store.load(**source, format=fmt.oxigraph, to_graph=target)
                self._loads.append((data, fmt, graph))
            finally:  # a failed load may have added some of the data
                self._version = _next_version(self._version, data, fmt, graph)
                self._sizes = None
                self._union = self._union and not self._graphs_overlap()
                if not self._union:
                    self._store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def release_on_fork(self) -> None:
        """In a pre-forking server's master: after the first fork give the data back to the OS (that
        worker keeps it); a worker forked later loads it again. See the module docstring."""
        forked = False

        def drop_in_parent() -> None:
            nonlocal forked
            if not forked:
                forked, self._store, self._sizes = True, ox.Store(), None
                _give_back_freed_memory()

        def reload_in_child() -> None:
            if not forked:  # the first worker: it has the data
                return
            loads, self._loads, self._store, self._version, self._union = (
                self._loads,
                [],
                ox.Store(),
                "",
                True,
            )
            try:
                for load in loads:
                    self.load(*load)
            except Exception:  # noqa: BLE001 - a worker without its data must not serve
                traceback.print_exc()
                os._exit(3)  # granian then stops the server

        os.register_at_fork(after_in_parent=drop_in_parent, after_in_child=reload_in_child)

    def _graphs_overlap(self) -> bool:
        """Whether some triple is in two graphs, the default graph counting as one."""
        graphs = sum(1 for _ in self._store.named_graphs())
        if any(True for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
            graphs += 1
        return graphs > 1 and bool(
            self._store.query("ASK { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER(?a != ?b) }")
            or self._store.query("ASK { ?s ?p ?o GRAPH ?g { ?s ?p ?o } }")
        )


def _give_back_freed_memory() -> None:
    """Return the heap's free pages to the OS: glibc keeps freed memory mapped otherwise."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(None).malloc_trim(0)


def _names_dataset(sparql: str) -> bool:
    """Whether a query has `FROM` or `FROM NAMED` (a cheap test first: most queries have no word "from")."""
    return bool(_FROM.search(sparql)) and "FROM" in keywords(sparql)


def _next_version(previous: str, data: bytes | Path, fmt: GraphFormat, graph: str | None) -> str:
    if isinstance(data, Path):
        stat = data.stat() if data.exists() else None
        loaded = f"{data.resolve()}:{stat.st_size}:{stat.st_mtime_ns}" if stat else str(data)
    else:
        loaded = hashlib.blake2b(data, digest_size=16).hexdigest()
    return hashlib.blake2b(f"{previous}|{loaded}|{fmt.name}|{graph}".encode(), digest_size=16).hexdigest()


class _OverCap(Exception):
    """A `_Sink` saw (possibly) more rows than its cap."""


class _Sink:
    """A binary file pyoxigraph writes results into (8 KiB at a time): keeps the bytes and counts the rows
    as the `separator`s written plus `extra` (1 for a separator between rows; an upper bound when the
    separator may also appear inside a value); raises `_OverCap` once the rows may exceed `cap`,
    `QueryTimeout` past the deadline."""

    def __init__(self, separator: bytes, extra: int, cap: int, deadline: float) -> None:
        self.separator, self.extra, self.cap, self.deadline = separator, extra, cap, deadline
        self.chunks: list[bytes] = []
        self.separators = 0
        self._tail = b""  # the last bytes written, too few to hold a separator: one may straddle two writes

    def write(self, data: bytes) -> int:
        if time.monotonic() > self.deadline:
            raise QueryTimeout("the query ran past its deadline")
        self.chunks.append(data)
        joined = self._tail + data
        self.separators += joined.count(self.separator)
        self._tail = joined[len(joined) - len(self.separator) + 1 :]
        if self.separators + self.extra > self.cap:
            raise _OverCap
        return len(data)

    def flush(self) -> None:
        pass

    @property
    def value(self) -> bytes:
        return b"".join(self.chunks)

    def lines(self, count: int) -> bytes:
        """The first `count` lines written (there are more)."""
        data, end = self.value, 0
        for _ in range(count):
            end = data.index(b"\n", end) + 1
        return data[:end]


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
