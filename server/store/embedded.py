"""`EmbeddedStore`: the `Store` interface (`nipa_kg.server.store.base`) over an in-process `pyoxigraph.Store`.

Choices of the embedded store (`EmbeddedStore`):

- **Default graph = union.** A query without a dataset sees the union of every graph, as
  `sd:UnionDefaultGraph` says. When no triple is in two graphs (the default graph counting as one; the
  built NIPA graph and the bench data are so) the query runs with pyoxigraph's `use_default_graph_as_union`,
  unless it names its own dataset (`FROM`/`FROM NAMED`, which the query layer's lexer found; that option would
  override them)
  or the protocol gives one. Otherwise (a triple in two graphs would be one solution per graph under that
  option) every load copies the named graphs' triples into the default graph, a set, as before: the data
  is then stored twice. The check runs after each load (an `ASK`, skipped when only one graph has data).
- **Data version.** `data_version` changes on every load: a hash of the previous version and what was
  loaded (a file's path, size and modification time, or the bytes). The result cache and the ETags of the
  endpoint (`nipa_kg.server.middleware.cache`) are keyed by it.
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
import os
import threading
import time
import traceback
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pyoxigraph as ox

from nipa_kg.core import progress
from nipa_kg.core.formats import RDF_FORMATS, GraphFormat
from nipa_kg.core.terms import solution_json
from nipa_kg.server.store.base import (
    GraphNotFound,
    GraphResult,
    Query,
    QueryError,
    QueryEvaluationError,
    QueryOptions,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    SolutionsResult,
    declared,
    take_rows,
)


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

    def query(self, query: Query, options: QueryOptions) -> QueryResult:
        deadline = time.monotonic() + options.timeout
        future: Future[QueryResult] = self._pool.submit(self.evaluate, query, options, deadline)
        try:
            return future.result(timeout=max(deadline - time.monotonic(), 0))
        except (FutureTimeout, QueryTimeout):  # we stopped waiting, or the worker saw the deadline first
            future.cancel()
            raise QueryTimeout(f"the query did not finish within {options.timeout:g} s") from None

    def evaluate(self, query: Query, options: QueryOptions, deadline: float) -> QueryResult:
        """Evaluate `query` on this thread, until it is done or (at the next 8 KiB of results past
        `deadline`) `QueryTimeout`: `query` runs it on the pool, the evaluator process (`evaluator`) on
        its own threads."""
        settings: dict[str, object] = {"base_iri": options.base_iri}
        try:
            if options.default_graph_uris is not None:
                settings["default_graph"] = [ox.NamedNode(iri) for iri in options.default_graph_uris]
            if options.named_graph_uris is not None:
                settings["named_graphs"] = [ox.NamedNode(iri) for iri in options.named_graph_uris]
        except ValueError as exc:
            raise QuerySyntaxError(f"invalid graph IRI: {exc}") from exc
        store = self._store  # one store for the whole query, even if `replace` swaps it meanwhile
        if self._union and not options.names_dataset and not query.names_dataset:
            settings["use_default_graph_as_union"] = True
        return self._evaluate(store, query.text, settings, options.row_cap, deadline)

    def _evaluate(
        self, store: ox.Store, sparql: str, options: Mapping[str, object], row_cap: int, deadline: float
    ) -> QueryResult:
        """pyoxigraph's result iterators must be dropped on the thread that made them, so the exception
        leaving here is a fresh one, not holding their frames in its traceback."""
        try:
            return self._read(store, sparql, options, row_cap, deadline)
        except SyntaxError as exc:
            error: QueryError = QuerySyntaxError(str(exc))
        except QueryTimeout as exc:
            error = QueryTimeout(str(exc))
        except (OSError, RuntimeError, ValueError) as exc:
            error = QueryEvaluationError(str(exc))
        raise error

    def _read(
        self, store: ox.Store, sparql: str, options: Mapping[str, object], row_cap: int, deadline: float
    ) -> QueryResult:
        """pyoxigraph serialises the results itself (SPARQL JSON, N-Triples) into a `_Sink` that stops it
        past the row cap or the deadline; a SELECT that may have more than `row_cap` solutions is read
        again, row by row, to cut it exactly."""
        results = store.query(sparql, **options)
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
            results = store.query(sparql, **options)
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

    def serialize_graph(
        self, iri: str | None, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None
    ) -> bytes:
        named = {"prefixes": dict(prefixes)} if prefixes else {}
        if iri is None and self._union:
            body = ox.serialize((quad.triple for quad in self._store), format=fmt.oxigraph, **named)
            return declared(body, fmt, prefixes)
        if iri is None:
            graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
        elif iri in self.named_graphs():
            graph = ox.NamedNode(iri)
        else:
            raise GraphNotFound(iri)
        return declared(self._store.dump(format=fmt.oxigraph, from_graph=graph, **named), fmt, prefixes)

    def serialize_dataset(self, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None) -> bytes:
        named = {"prefixes": dict(prefixes)} if prefixes else {}
        if fmt.named_graphs and self._union:
            return declared(self._store.dump(format=fmt.oxigraph, **named), fmt, prefixes)
        if fmt.named_graphs:
            own = "SELECT ?s ?p ?o { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
            quads = [q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph)]
            quads += [ox.Quad(row["s"], row["p"], row["o"]) for row in self._store.query(own)]
            return declared(ox.serialize(quads, format=fmt.oxigraph, **named), fmt, prefixes)
        triples = {quad.triple for quad in self._store}
        return declared(ox.serialize(triples, format=fmt.oxigraph, **named), fmt, prefixes)

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        target = ox.NamedNode(graph) if graph else None
        with self._load_lock, progress.opened(data) as source:  # a file read through the stage's bar
            try:
                self._store.load(input=source, format=fmt.oxigraph, to_graph=target)
                self._loads.append((data, fmt, graph))
            finally:  # a failed load may have added some of the data
                self._version = _next_version(self._version, data, fmt, graph)
                self._sizes = None
                self._union = self._union and not _graphs_overlap(self._store)
                if not self._union:
                    self._store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def replace(self, snapshot: Path, fmt: GraphFormat | None = None) -> None:
        """Serve `snapshot` (N-Quads: a server's state, `nipa_kg.server.write.snapshot`) in place of the data:
        loaded into a fresh store, then swapped in; queries in flight finish on the old one. The data version
        is that of a fresh load of the file, so a restart serving it answers with the same ETags."""
        fmt = fmt or RDF_FORMATS.by_name("nq")
        fresh = ox.Store()
        fresh.bulk_load(path=snapshot, format=fmt.oxigraph)
        union = not _graphs_overlap(fresh)
        if not union:
            fresh.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with self._load_lock:
            self._store, self._sizes, self._union = fresh, None, union
            self._version = _next_version("", snapshot, fmt, None)
            self._loads = [(snapshot, fmt, None)]

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


def _graphs_overlap(store: ox.Store) -> bool:
    """Whether some triple is in two graphs, the default graph counting as one."""
    graphs = sum(1 for _ in store.named_graphs())
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        graphs += 1
    return graphs > 1 and bool(
        store.query("ASK { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER(?a != ?b) }")
        or store.query("ASK { ?s ?p ?o GRAPH ?g { ?s ?p ?o } }")
    )


def _give_back_freed_memory() -> None:
    """Return the heap's free pages to the OS: glibc keeps freed memory mapped otherwise."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(None).malloc_trim(0)


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
