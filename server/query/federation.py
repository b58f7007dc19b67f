"""Federated queries: SERVICE to allow-listed endpoints, evaluated by this server (SPARQL 1.1 Federated
Query), so that each remote call has a timeout and its errors reach the client.

pyoxigraph evaluates SERVICE itself, over HTTP, with no timeout and no say over which endpoints it calls;
so no query reaches the store with a SERVICE block in it. For a query whose lexing found SERVICE, the
query service (`nipa_kg.server.query.service`) has `Federation.rewrite` do this instead:

1. finds the outermost SERVICE blocks with rdflib's parser (`service_blocks`); `policy.check_services`
   refuses a variable endpoint or one off the allowlist (400, naming the endpoint and how to allow it);
2. sends each block, in order, as `SELECT * WHERE { block }` with the query's prologue, through our own
   HTTP client (SPARQL protocol form POST, `Accept` JSON or XML results, a timeout per call; a public
   IRI may be aliased to a mirror's URL), or runs it through the query service when it names this
   server's endpoint (`{base}sparql` or the URL the server listens at: configuration, never a request's
   `Host`);
3. puts its solutions in place of the block as an inline `VALUES` (UNDEF for unbound), normalised so that
   joins do not depend on how the remote writes terms: `"x"^^xsd:string` becomes `"x"`, language tags
   are lower-cased, and blank nodes (which VALUES cannot hold) become skolem IRIs under
   `{base}.well-known/genid/`;
4. hands the rewritten query back, for the query service to check (`policy.check_query`) and run.

Evaluating a block on its own and joining its solutions is what the Federation spec says. To keep a block
selective (Wikidata would otherwise return every item with a population), the values of the variables it
shares with the patterns before it in its group go with it as VALUES (a "bound join"): those patterns run
locally first, without the group's FILTERs (so they match a superset of what they match in the query),
and their values are sent only when every solution binds the variable and there are at most
`PUSHDOWN_LIMIT` of them. The join keeps only the block's solutions compatible with one of those values,
so the answer is the same.

Errors: a failing `SERVICE SILENT` is the empty group (one solution without bindings). Otherwise an
endpoint that cannot be reached, answers an HTTP error, or answers something other than SPARQL results
is `ServiceFailed` (502 Bad Gateway, with the remote's status and message), and a call past the timeout
is `ServiceTimeout` (504 Gateway Timeout).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import pyoxigraph as ox
import requests

from nipa_kg.core.terms import XSD_STRING
from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.query.policy import QueryRefused, check_services
from nipa_kg.server.query.service_blocks import FederatedQuery, find_services, group_prefix, variables
from nipa_kg.server.store.base import QueryError, QueryOptions, QueryResult, SolutionsResult

WIKIDATA = "https://query.wikidata.org/sparql"
DEFAULT_SERVICES = (WIKIDATA,)  # besides this server's own endpoint
ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
USER_AGENT = "nipa-kg-federation/0.1 (https://w3id.org/nipa-kg/)"
PUSHDOWN_LIMIT = 1000  # most local solutions sent along with a SERVICE block
MESSAGE_CHARS = 500  # of a remote's error message, quoted in ours
CHUNK_BYTES = 1 << 16

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class ServiceError(QueryError):
    """A SERVICE call failed; the message names the endpoint."""


class ServiceFailed(ServiceError):
    """The endpoint could not be reached, or answered an error or something other than SPARQL results."""


class ServiceTimeout(ServiceError):
    """The endpoint did not answer within the per-call timeout."""


class Runner(Protocol):
    """What runs the queries a federated query needs here (the query service)."""

    def query(self, text: str, options: QueryOptions) -> QueryResult: ...


@dataclass(frozen=True)
class Solutions:
    variables: Sequence[str]
    rows: Sequence[Sequence[Term | None]]


@dataclass(frozen=True)
class Federation:
    """Which endpoints SERVICE may call, and how (see the module docstring)."""

    allowed: frozenset[str]  # endpoint IRIs SERVICE may name, besides `own`
    own: frozenset[str]  # this server's endpoint IRIs: answered in-process
    aliases: Mapping[str, str]  # endpoint IRI -> URL to call instead
    timeout: float  # seconds per remote call
    genid: str  # where the skolem IRIs of remote blank nodes go
    allow_any: bool = False  # SERVICE may name any endpoint (the CLI's `query`, for its own user)

    @classmethod
    def of(
        cls,
        base: str,
        own: Sequence[str] = (),
        allow: Sequence[str] = (),
        aliases: Sequence[tuple[str, str]] = (),
        timeout: float = 10.0,
        allow_any: bool = False,
    ) -> Federation:
        """The federation of a server at `base` (whose endpoint is also at each URL of `own`): Wikidata,
        the endpoints of `allow` and the IRIs of `aliases` allowed, or any endpoint with `allow_any` (the
        CLI's `query`, acting for its own user)."""
        return cls(
            allowed=frozenset((*DEFAULT_SERVICES, *allow, *dict(aliases))),
            own=frozenset((f"{base}sparql", *own)),
            aliases=dict(aliases),
            timeout=timeout,
            genid=f"{base}.well-known/genid/",
            allow_any=allow_any,
        )

    def allows(self, iri: str) -> bool:
        """Whether SERVICE may name the endpoint `iri`."""
        return self.allow_any or iri in self.own or iri in self.allowed

    def rewrite(self, runner: Runner, lexed: Lexed, options: QueryOptions) -> str:
        """The query with each SERVICE block replaced by its solutions (see the module docstring)."""
        return _Run(self, runner, options).rewrite(find_services(lexed.text, options.base_iri))


@dataclass(frozen=True)
class _Run:
    """One federated query being rewritten."""

    federation: Federation
    runner: Runner
    options: QueryOptions

    def rewrite(self, query: FederatedQuery) -> str:
        """The query text with each SERVICE block replaced by its solutions."""
        check_services(query.services, self.federation.allows)
        text, shift = query.text, 0
        for block in query.services:
            start, end = block.start + shift, block.end + shift
            group = text[block.group_start + shift : end]
            try:
                found = self.evaluate(str(block.endpoint), query, text, start, group)
                replacement = values_clause(found, self.federation.genid)
            except QueryError:
                if not block.silent:
                    raise
                replacement = "{}"  # SILENT: one solution without bindings
            text = text[:start] + replacement + text[end:]
            shift += len(replacement) - (end - start)
        return text

    def evaluate(self, endpoint: str, query: FederatedQuery, text: str, start: int, group: str) -> Solutions:
        base = self.options.base_iri
        sent = f"{query.prologue}\nSELECT * WHERE {{\n{self.bindings(query, text, start, group)}{group}\n}}"
        if endpoint in self.federation.own:
            return self.in_process(endpoint, sent)
        return self.remote(endpoint, (f"BASE <{base}>\n" if base else "") + sent)

    def bindings(self, query: FederatedQuery, text: str, start: int, group: str) -> str:
        """The bound join's VALUES for the block at `start` (see the module docstring), or ""."""
        prefix = None if query.names_dataset else group_prefix(text, start)
        shared = sorted(variables(group) & variables(prefix)) if prefix else []
        if not shared:
            return ""
        projection = " ".join(f"?{name}" for name in shared)
        local = (
            f"{query.prologue}\nSELECT DISTINCT {projection} WHERE {{{prefix}}} LIMIT {PUSHDOWN_LIMIT + 1}"
        )
        try:
            found = solutions_of(self.runner.query(local, self.options), "the patterns before SERVICE")
        except (QueryRefused, QueryError):
            return ""  # the block goes alone
        bound = [i for i in range(len(shared)) if all(row[i] is not None for row in found.rows)]
        if not bound or len(found.rows) > PUSHDOWN_LIMIT:
            return ""
        rows = list(dict.fromkeys(tuple(row[i] for i in bound) for row in found.rows))
        return values_clause(Solutions([shared[i] for i in bound], rows), self.federation.genid) + "\n"

    def in_process(self, endpoint: str, sparql: str) -> Solutions:
        own_dataset = replace(self.options, default_graph_uris=None, named_graph_uris=None)
        result = self.runner.query(sparql, own_dataset)
        if isinstance(result, SolutionsResult) and result.truncated:
            raise ServiceFailed(too_many(f"<{endpoint}>", self.options.row_cap))
        return solutions_of(result, f"<{endpoint}>")

    def remote(self, endpoint: str, sparql: str) -> Solutions:
        url = self.federation.aliases.get(endpoint, endpoint)
        where = f"<{endpoint}>" + (f" (at {url})" if url != endpoint else "")
        timeout = self.federation.timeout
        try:
            response, body = fetch(url, sparql, timeout)
        except requests.Timeout as exc:
            raise ServiceTimeout(f"SERVICE {where} did not answer within {timeout:g} s") from exc
        except requests.RequestException as exc:
            raise ServiceFailed(f"SERVICE {where} could not be reached: {exc}") from exc
        if response.status_code != 200:
            message = body.decode("utf-8", "replace").strip()[:MESSAGE_CHARS]
            raise ServiceFailed(
                f"SERVICE {where} answered {response.status_code} {response.reason}: {message}"
            )
        media_type = response.headers.get("Content-Type", "")
        fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
        if fmt is None:
            raise ServiceFailed(
                f"SERVICE {where} answered {media_type or 'no media type'}, not SPARQL results"
            )
        try:
            results = ox.parse_query_results(body, format=fmt)
            found = Solutions([v.value for v in results.variables], [list(row) for row in results])
        except (SyntaxError, ValueError, AttributeError) as exc:
            raise ServiceFailed(f"SERVICE {where} answered malformed SPARQL results: {exc}") from exc
        if len(found.rows) > self.options.row_cap:
            raise ServiceFailed(too_many(where, self.options.row_cap))
        return found


def fetch(url: str, sparql: str, timeout: float) -> tuple[requests.Response, bytes]:
    """POST `sparql` to `url` as a SPARQL protocol form; the response and its body, read within `timeout`
    seconds in all (`requests.Timeout` otherwise). A redirect is not followed (it could lead anywhere): it
    is an answer other than 200, reported as such."""
    deadline = time.monotonic() + timeout
    headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
    form = {"query": sparql}
    with requests.post(
        url, data=form, headers=headers, timeout=timeout, stream=True, allow_redirects=False
    ) as response:
        chunks = []
        for chunk in response.iter_content(CHUNK_BYTES):
            if time.monotonic() > deadline:
                raise requests.Timeout(f"the answer took longer than {timeout:g} s")
            chunks.append(chunk)
    return response, b"".join(chunks)


def too_many(where: str, cap: int) -> str:
    return f"SERVICE {where} returned more than {cap} solutions (the row cap): make the block more selective"


def solutions_of(result: QueryResult, what: str) -> Solutions:
    """The solutions of a SELECT result of our store."""
    if not isinstance(result, SolutionsResult) or result.boolean is not None:
        raise ServiceFailed(f"{what} did not answer solutions")
    parsed = ox.parse_query_results(result.json, format=ox.QueryResultsFormat.JSON)
    return Solutions([v.value for v in parsed.variables], [list(row) for row in parsed])  # type: ignore[union-attr]


def normalised(term: Term) -> Term:
    """`"x"^^xsd:string` as `"x"`, and language tags in lower case (RDF compares them case-insensitively)."""
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(term.value, language=term.language.lower(), direction=term.direction)
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_STRING:
        return ox.Literal(term.value)
    return term


def values_clause(solutions: Solutions, genid: str) -> str:
    """`VALUES (?a ?b) { (... ...) }` holding `solutions`; blank nodes as skolem IRIs under `genid`."""
    skolem: dict[str, str] = {}

    def sparql(term: Term | None) -> str:
        if term is None:
            return "UNDEF"
        if isinstance(term, ox.BlankNode):
            return f"<{skolem.setdefault(term.value, genid + uuid.uuid4().hex)}>"
        if isinstance(term, ox.Triple):
            return f"<<( {sparql(term.subject)} {sparql(term.predicate)} {sparql(term.object)} )>>"
        return str(normalised(term))

    head = " ".join(f"?{name}" for name in solutions.variables)
    rows = "\n  ".join(f"({' '.join(sparql(term) for term in row)})" for row in solutions.rows)
    return f"VALUES ({head}) {{\n  {rows}\n}}"
