"""`RemoteStore`: the `Store` interface over an external SPARQL 1.1 store (Oxigraph server, Virtuoso,
Fuseki, GraphDB, QLever...), so that `nipa-kg serve --store URL` serves the same endpoint and site from
it. Where its endpoints are, and the HTTP, is `nipa_kg.server.store.client`.

What the embedded store does, kept:

- **Default graph = union of our graphs** (`graphs`: the build's named graphs under the base). A store's
  own default graph differs by product (Oxigraph: a graph of its own; Virtuoso: every graph it holds, its
  system graphs too), so a query that names no dataset (no `FROM`/`FROM NAMED`, found by the query
  layer's lexer, and no protocol graph IRIs) is sent with `default-graph-uri` and `named-graph-uri` listing
  our graphs. A query with `FROM`/`FROM NAMED` is sent as it is. Stores match a triple once per default
  graph holding it, where the embedded store's union is a set: the build's graphs share no triple.
- A dataset the caller gives is sent as given; an empty list as one graph that does not exist (Virtuoso,
  unlike the protocol, keeps its whole default graph when only `named-graph-uri` is given).
- **Base IRI**: `BASE <...>` goes before the query, on its first line (error line numbers hold).
- **Timeout**: the query's timeout is the HTTP read timeout, past which `QueryTimeout`; the store may go
  on evaluating (stores stop when they find the connection closed).
- **Row cap**: the answer is parsed as it streams in and the connection dropped past `row_cap` rows; a
  store's own cap (`X-SPARQL-MaxRows`, Virtuoso's ResultSetMaxRows) also marks the result truncated, so
  the store's cap must be above the largest answer the site needs (the whole dataset, for the dumps).
- **Graphs**: read whole through the Graph Store Protocol (no row cap applies), or with `CONSTRUCT` where
  the store has no GSP endpoint (a result its own cap cut is then an error, not a partial graph). Graph
  sizes are counted with queries and kept for `SIZES_TTL` seconds.

A Virtuoso to serve from wants, in its ini: `ResultSetMaxRows` (`[SPARQL]`) above the dataset's size, and
`ThreadsPerQuery = 1` (`[Parameters]`): Virtuoso 7.2.5's parallel evaluation now and then answers a
GROUP BY over several named graphs with wrong counts, saying nothing (seen in tests under load).

Protocol quirks handled:

- queries are form POSTs, which every store takes, without URL length limits; Virtuoso hangs on a query
  sent as the request body (`application/sparql-query`);
- `Accept` names one type, chosen by the query form (results JSON for SELECT and ASK, N-Triples for
  CONSTRUCT and DESCRIBE): Virtuoso takes the first type of a list whatever its q, and writes a CONSTRUCT as
  a results table when that type comes first;
- results are read as JSON, never TSV: Virtuoso's TSV has no `?` before the names and writes IRIs and
  literals alike as quoted strings, without language tags; its JSON's `typed-literal` reads as a literal,
  and what else it writes its own way (blank node labels, booleans, ASK) is `nipa_kg.server.store.quirks`;
- a store's 400 is `QuerySyntaxError` with the store's message (its first paragraph: Virtuoso echoes the
  query after it), its 500 `QueryEvaluationError`; anything else, or no answer, `StoreUnavailable` (502).
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import requests

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS, GraphFormat
from nipa_kg.core.namespaces import GRAPH_NAMES, graph_iri
from nipa_kg.core.terms import solution_json
from nipa_kg.server.settings import Settings
from nipa_kg.server.store import quirks
from nipa_kg.server.store.base import (
    GraphNotFound,
    GraphResult,
    KnownQuery,
    Query,
    QueryEvaluationError,
    QueryOptions,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    SolutionsResult,
    StoreUnavailable,
    declared,
    take_rows,
)
from nipa_kg.server.store.client import Endpoints, StoreClient, StoreTimeout, transport_errors

GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
RESULTS_JSON = RESULTS_FORMATS.by_name("json")
N_TRIPLES = RDF_FORMATS.by_name("nt")
TURTLE = RDF_FORMATS.by_name("ttl")
NO_GRAPH = "urn:x-nipa-kg:no-graph"  # stands for an empty list of graphs in a dataset
SIZES_TTL = 30.0
MESSAGE_LIMIT = 2000
NO_CAP = sys.maxsize


class RemoteStore:
    """An external SPARQL 1.1 store serving `graphs`, its default graph their union; see the module
    docstring. `timeout` bounds the store's own reads (graph sizes, graph downloads, writes)."""

    def __init__(
        self, endpoints: Endpoints, graphs: Iterable[str], client: StoreClient, timeout: float = 30.0
    ) -> None:
        self.endpoints = endpoints
        self.graphs = tuple(graphs)
        self.client = client
        self.timeout = timeout
        self._sizes: tuple[float, dict[str, int], int] | None = None

    @property
    def data_version(self) -> None:
        """None: another client may change the store at any time, unseen."""
        return None

    def query(self, query: Query, options: QueryOptions) -> QueryResult:
        form, sparql, base_iri, timeout = query.form, query.text, options.base_iri, options.timeout
        params = [("query", f"BASE {_valid(base_iri)} {sparql}" if base_iri else sparql)]
        params += self._dataset(query, options.default_graph_uris, options.named_graph_uris)
        accept = N_TRIPLES if form in GRAPH_FORMS else RESULTS_JSON
        deadline = time.monotonic() + timeout
        url = self.endpoints.query
        try:
            response = self.client.request(
                "POST", url, data=params, headers={"Accept": accept.media_type}, timeout=timeout, stream=True
            )
            with response, _readable(response, timeout), _abandoned_at(deadline, response, timeout):
                if response.status_code != 200:
                    raise _query_error(response)
                return _read(response, form, options.row_cap, deadline)
        except StoreTimeout:
            raise QueryTimeout(f"the query did not finish within {timeout:g} s") from None

    def _dataset(
        self, query: Query, default: Sequence[str] | None, named: Sequence[str] | None
    ) -> list[tuple[str, str]]:
        """The protocol's graph parameters: the caller's, else our graphs unless the query has its own."""
        if default is None and named is None and query.names_dataset:
            return []
        default = self.graphs if default is None else default
        named = self.graphs if named is None else named
        return [("default-graph-uri", _valid(g).value) for g in default or (NO_GRAPH,)] + [
            ("named-graph-uri", _valid(g).value) for g in named or (NO_GRAPH,)
        ]

    def named_graphs(self) -> Mapping[str, int]:
        return self._counts()[1]

    def default_graph_size(self) -> int:
        return self._counts()[2]

    def _counts(self) -> tuple[float, dict[str, int], int]:
        """When counted, the size of each of our graphs the store has, and of their union."""
        if self._sizes is None or time.monotonic() - self._sizes[0] > SIZES_TTL:
            rows = self._select("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            union = self._select("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
            sizes = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
            self._sizes = (
                time.monotonic(),
                dict(sorted(sizes.items())),
                int(union[0]["n"]["value"]) if union else 0,
            )
        return self._sizes

    def _select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        result = self.query(KnownQuery(sparql), QueryOptions(timeout=self.timeout, row_cap=NO_CAP))
        assert isinstance(result, SolutionsResult)
        return result.document["results"]["bindings"]

    def serialize_graph(
        self, iri: str | None, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None
    ) -> bytes:
        if iri is not None and iri not in self.named_graphs():
            raise GraphNotFound(iri)
        names = [iri] if iri is not None else list(self.named_graphs())
        triples = {triple for name in names for triple in self.graph_triples(name)}
        return declared(
            ox.serialize(triples, format=fmt.oxigraph, prefixes=dict(prefixes or {})), fmt, prefixes
        )

    def graph_triples(self, iri: str) -> list[ox.Triple]:
        """The triples of one graph (blank nodes renamed apart from other answers')."""
        url = self.endpoints.graph_store
        if url is None:
            graph = _valid(iri)
            result = self.query(
                KnownQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}", "CONSTRUCT"),
                QueryOptions(self.timeout, NO_CAP, default_graph_uris=(), named_graph_uris=(iri,)),
            )
            assert isinstance(result, GraphResult)
            if result.truncated:
                raise StoreUnavailable(
                    f"the store cut graph {graph} short (its own row limit): give its GSP URL (--store-gsp)"
                )
            return list(result.triples)
        response = self.client.request(
            "GET",
            url,
            params={"graph": iri},
            headers={"Accept": N_TRIPLES.media_type},
            timeout=self.timeout,
            stream=True,
        )
        with response, _readable(response, self.timeout):
            if response.status_code == 404:
                raise GraphNotFound(iri)
            if response.status_code != 200:
                raise _unexpected(response)
            return [quirks.triple(quad.triple) for quad in _parse(response)]

    def serialize_dataset(self, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None) -> bytes:
        graphs = {iri: self.graph_triples(iri) for iri in self.named_graphs()}
        if fmt.named_graphs:
            quads = [ox.Quad(*t, ox.NamedNode(iri)) for iri, triples in graphs.items() for t in triples]
            body = ox.serialize(quads, format=fmt.oxigraph, prefixes=dict(prefixes or {}))
        else:
            union = {t for triples in graphs.values() for t in triples}
            body = ox.serialize(union, format=fmt.oxigraph, prefixes=dict(prefixes or {}))
        return declared(body, fmt, prefixes)

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        """Add RDF through the Graph Store Protocol (POST merges into each graph)."""
        for name, triples in read_graphs(data, fmt, graph).items():
            self.send_graph("POST", name, triples)

    def send_graph(self, method: str, iri: str | None, triples: Iterable[ox.Triple]) -> int:
        """PUT (replace) or POST (merge into) one graph (`None`: the default graph) through the Graph Store
        Protocol's write endpoint; the store's status code (201 when it created the graph)."""
        url = self.endpoints.graph_store_writes
        if url is None:
            where = self.endpoints.describe()
            raise InputError(f"no Graph Store Protocol endpoint is known for {where}: give --store-gsp URL")
        response = self.client.request(
            method,
            url,
            params={"graph": iri} if iri is not None else {"default": ""},
            data=ox.serialize(triples, format=TURTLE.oxigraph),
            headers={"Content-Type": TURTLE.media_type},
            timeout=self.timeout,
        )
        return self._written(response, f"write graph <{iri}>")

    def update(self, text: str) -> None:
        """Send one SPARQL Update request to the store's update endpoint (a form POST, `update=`)."""
        url = self.endpoints.update
        if url is None:
            raise InputError(
                f"no update endpoint is known for {self.endpoints.describe()}: give --store-update"
            )
        self._written(self.client.request("POST", url, data={"update": text}, timeout=self.timeout), "update")

    def _written(self, response: requests.Response, what: str) -> int:
        """The status of a write the store accepted; else `StoreUnavailable` saying why."""
        self._sizes = None
        if response.status_code in (401, 403):
            raise StoreUnavailable(
                f"the store refused to {what} ({response.status_code} {response.reason}): give --user and "
                "--password of an account allowed to write (Virtuoso: one with SPARQL_UPDATE)"
            )
        if not 200 <= response.status_code < 300:
            raise _unexpected(response)
        return response.status_code


def read_graphs(
    data: bytes | Path, fmt: GraphFormat, graph: str | None = None
) -> dict[str | None, set[ox.Triple]]:
    """RDF data as triples by graph IRI (`None`: the default graph); a triple format's go to `graph`."""
    graphs: dict[str | None, set[ox.Triple]] = defaultdict(set)
    source = {"path": data} if isinstance(data, Path) else {"input": data}
    for quad in ox.parse(**source, format=fmt.oxigraph):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else graph
        graphs[name].add(quad.triple)
    return dict(graphs)


def _valid(iri: str) -> ox.NamedNode:
    """An IRI checked; an invalid one is a `QuerySyntaxError`, as in the embedded store."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QuerySyntaxError(f"invalid IRI {iri!r}: {exc}") from exc


def _read(response: requests.Response, form: str, row_cap: int, deadline: float) -> QueryResult:
    """A query's answer, parsed while it streams in, as the store interface has results."""
    if quirks.cut_short(response.headers):
        raise QueryTimeout("the store stopped the query at its own time limit and answered only part of it")
    truncated = "X-SPARQL-MaxRows" in response.headers
    results = _parse(response)
    if isinstance(results, ox.QueryBoolean):
        return SolutionsResult.of_boolean(bool(results))
    if isinstance(results, ox.QuerySolutions):
        if form == "ASK":
            return SolutionsResult.of_boolean(quirks.ask_table(results))
        names = [variable.value for variable in results.variables]
        rows, cut = take_rows(
            results, row_cap, deadline, lambda row: solution_json(names, [quirks.term(t) for t in row])
        )
        return SolutionsResult.of_rows(names, rows, truncated or cut)
    triples, cut = take_rows(results, row_cap, deadline, lambda quad: quirks.triple(quad.triple))
    return GraphResult(triples, truncated or cut)


def _parse(response: requests.Response) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Quad]:
    """A parser of the body of `response` as it streams in, in the format its Content-Type names."""
    media_type = response.headers.get("Content-Type", "")
    response.raw.decode_content = True
    if media_type.split(";")[0].strip().lower() in RESULTS_FORMATS.media_types:
        fmt = RESULTS_FORMATS.by_media_type(media_type).oxigraph
        return ox.parse_query_results(quirks.blank_node_labels(response.raw), format=fmt)
    fmt = RDF_FORMATS.by_media_type(media_type).oxigraph
    return ox.parse(response.raw, format=fmt, rename_blank_nodes=True)


@contextmanager
def _readable(response: requests.Response, timeout: float) -> Iterator[None]:
    """Read an answer: transport failures, and an answer that does not parse, are `StoreUnavailable`."""
    url = response.url.split("?")[0]
    with transport_errors(url, timeout):
        try:
            yield
        except (InputError, SyntaxError, ValueError) as exc:
            raise StoreUnavailable(
                f"the SPARQL store at {url} answered in a way we cannot read: {exc}"
            ) from None


@contextmanager
def _abandoned_at(deadline: float, response: requests.Response, timeout: float) -> Iterator[None]:
    """Read an answer until `deadline` at the latest: then its socket is shut, so the thread reading it
    (which may wait for the next bytes of an answer that trickles in) is free at once, and what was read is
    a `QueryTimeout`, never a result cut short. The store may go on evaluating; it stops when it finds
    the connection gone."""
    fired = threading.Event()

    def cut() -> None:
        fired.set()
        with contextlib.suppress(AttributeError, OSError):  # not a socket (a test's body), or closed
            response.raw._fp.fp.raw._sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(deadline - time.monotonic(), 0), cut)
    timer.daemon = True
    timer.start()
    try:
        yield
    except Exception:
        if fired.is_set():
            raise QueryTimeout(f"the store did not answer within {timeout:g} s") from None
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise QueryTimeout(f"the store did not answer within {timeout:g} s")


def _message(response: requests.Response) -> str:
    """The store's error message: the first paragraph of a plain-text body (none of an HTML page)."""
    if "html" in response.headers.get("Content-Type", ""):
        return ""
    return response.text.strip().split("\n\n")[0].strip()[:MESSAGE_LIMIT]


def _query_error(response: requests.Response) -> Exception:
    message = _message(response)
    if response.status_code == 400:
        return QuerySyntaxError(message or "the store refused the query (400 Bad Request)")
    if response.status_code == 500:
        return QueryEvaluationError(message or "the store failed (500 Internal Server Error)")
    return _unexpected(response)


def _unexpected(response: requests.Response) -> StoreUnavailable:
    message = _message(response)
    status = f"{response.status_code} {response.reason}"
    return StoreUnavailable(
        f"the SPARQL store at {response.url.split('?')[0]} answered {status}"
        + (f": {message}" if message else "")
    )


def open_store(settings: Settings, graphs: Iterable[str]) -> RemoteStore:
    """The store `settings.store` names serving `graphs`, its endpoints found as `Endpoints.discover` does,
    written to as `settings.store_user` (if any)."""
    if settings.store is None:
        raise InputError("no store: give --store URL (or NIPA_KG_STORE)")
    client = StoreClient(settings.store_user, settings.store_password)
    urls = (settings.store_query, settings.store_gsp, settings.store_update)
    endpoints = Endpoints.discover(client, settings.store, *urls)
    return RemoteStore(endpoints, graphs, client, settings.query_timeout)


def served_store(settings: Settings) -> tuple[RemoteStore, str]:
    """What `serve --store` serves, and where it is: the knowledge graph's named graphs, the history of
    writes, and every other graph under `{base}graph/` the store holds (ones writes made)."""
    if settings.data or settings.dataset:
        raise InputError("--store serves what the store holds: put files into it with `nipa-kg publish`")
    ours = [graph_iri(settings.base, name) for name in (*GRAPH_NAMES, "history")]
    store = open_store(settings, ours)
    under = ox.Literal(graph_iri(settings.base, ""))
    query = f"SELECT DISTINCT ?g {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {under})) }}"
    held = store.query(KnownQuery(query, names_dataset=True), QueryOptions(settings.query_timeout, NO_CAP))
    rows = held.document["results"]["bindings"]  # type: ignore[union-attr] - every graph of the store's
    store.graphs = tuple(dict.fromkeys([*ours, *sorted(row["g"]["value"] for row in rows)]))
    return store, store.endpoints.describe()
