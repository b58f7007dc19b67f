"""The SPARQL 1.1 Protocol query operation at `/sparql` (read-only), and its service description.

Requests: `GET ?query=`, `POST` `application/x-www-form-urlencoded` (`query=` in the body; parameters in
the URL count too), `POST` `application/sparql-query` (the query as the UTF-8 body, parameters in the URL).
`default-graph-uri`/`named-graph-uri` (repeatable) give the dataset; when either is present they replace
the query's `FROM`/`FROM NAMED` entirely (a dataset with only default graphs has no named graphs). The
service's base IRI for relative IRIs in a query is the endpoint URL. `GET` without a query answers the
service description (RDF, Turtle for `*/*`) or, for `Accept: text/html`, the query page.

Status codes:

- 400 (text/plain): a syntax error (what is wrong, at which line and column, and the line with a caret
  under it, `nipa_kg.server.query.messages`; an update sent as a query says where updates go), no query,
  several queries, `query` with `update`, an invalid graph IRI, a body that is not UTF-8, a SERVICE to an
  endpoint off the allowlist or named by a variable (`nipa_kg.server.query.federation`);
- 403: any update (`update=` or `application/sparql-update`) when writes are off (no token): the request
  is understood, but this endpoint is read-only (not 405, which says the method is wrong: POST is allowed
  here, for queries). With a token, a POSTed update is a write (`nipa_kg.server.protocol.update`);
- 405 (with `Allow`): methods other than GET, HEAD, POST, OPTIONS;
- 406: no acceptable result format (`format=` or `Accept`);
- 413: a query longer than `max_query_bytes` (UTF-8), or a body over four times that (percent-encoding);
- 415: a POST body that is neither form-encoded nor `application/sparql-query`, or not UTF-8 by its charset;
- 502: a SERVICE (not SILENT) failed: its endpoint could not be reached, or answered an error (quoted) or
  something other than SPARQL results; 504: a SERVICE call ran past `service_timeout`;
- 503: the query ran past `query_timeout`, as Fuseki answers (the client may retry a simpler query), or
  was stopped with the process evaluating it (`nipa_kg.server.store.isolated`), saying why;
- 429 with `Retry-After`: too many requests in flight, overall or from this client
  (`nipa_kg.server.middleware.admission`);
- 200 with `X-SPARQL-MaxRows: N` when the result was cut at the row cap of N solutions or triples, as
  Virtuoso does (`ResultSetMaxRows`): the first N rows are a valid result; page with LIMIT/OFFSET;
- every answer has an `ETag` and `Cache-Control`; 304 for a GET/HEAD whose `If-None-Match` names the ETag.
  Repeated GETs are answered from the result cache (`nipa_kg.server.middleware.cache`). Not a federated
  query's answer: what the remote endpoints say may change, so it has no ETag and is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Request, Response, current_app, request
from werkzeug.exceptions import (
    BadGateway,
    BadRequest,
    Forbidden,
    GatewayTimeout,
    InternalServerError,
    RequestEntityTooLarge,
    ServiceUnavailable,
    UnsupportedMediaType,
)

from nipa_kg.core.formats import RDF_FORMATS, GraphFormat, ResultsFormat
from nipa_kg.core.terms import prefixes_for
from nipa_kg.server.middleware.cache import validate
from nipa_kg.server.protocol.context import services
from nipa_kg.server.protocol.negotiation import HTML, choose, content_type, vary_on_accept
from nipa_kg.server.protocol.service_description import PREFIXES, describe
from nipa_kg.server.protocol.update import carries_update, update_response
from nipa_kg.server.query.federation import ServiceFailed, ServiceTimeout
from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.query.messages import explain
from nipa_kg.server.query.policy import QueryRefused
from nipa_kg.server.store.base import (
    GraphResult,
    QueryEvaluationError,
    QueryInterrupted,
    QueryOptions,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
)

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = "this SPARQL endpoint is read-only: SPARQL Update is not accepted"
PREFIXED = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)  # the graph formats whose readers see the prefixes
BODY_FACTOR = 4  # a percent-encoded form body may be up to 3x the query, plus the other parameters

QUERY_PAGE = "site.query.page"  # what a browser gets at /sparql without a query (the site's, not ours)

bp = Blueprint("sparql", __name__)
bp.after_request(vary_on_accept)


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graph_uris: list[str] | None = None
    named_graph_uris: list[str] | None = None


def read_query_request(req: Request, max_query_bytes: int) -> QueryRequest | None:
    """The query operation a request asks for, None for a GET without a query; HTTP errors otherwise."""
    params = req.args
    body_query: list[str] = []
    if req.method == "POST":
        if req.mimetype == FORM:
            params = req.values
        elif req.mimetype == QUERY:
            body_query = [_utf8_body(req)]
            if "query" in req.args:
                raise BadRequest("the query is given twice: as the request body and as a URL parameter")
        elif req.mimetype == UPDATE:
            raise Forbidden(READ_ONLY)
        else:
            raise UnsupportedMediaType(
                f"a SPARQL query is POSTed as {FORM} or {QUERY}, not {req.mimetype or 'no media type'}"
            )
    queries = params.getlist("query") + body_query
    if "update" in params and queries:
        raise BadRequest("a request carries a query or an update, not both")
    if "update" in params:
        raise Forbidden(READ_ONLY)
    if len(queries) > 1:
        raise BadRequest(f"a request carries one query, not {len(queries)}")
    if not queries:
        if req.method == "POST":
            raise BadRequest("no query: send it as the 'query' parameter or as the request body")
        return None
    if len(queries[0].encode()) > max_query_bytes:
        raise RequestEntityTooLarge(f"the query is longer than the {max_query_bytes} bytes allowed")
    default, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    return QueryRequest(queries[0], default, named) if default or named else QueryRequest(queries[0])


def _utf8_body(req: Request) -> str:
    charset = req.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"a SPARQL query is sent in UTF-8, not {charset}")
    try:
        return req.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the query is not valid UTF-8: {exc}") from exc


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | str:
    settings = services().settings
    if settings.tokens and carries_update(request):  # writes on: an update POSTed here is one
        return update_response()
    operation = read_query_request(request, settings.max_query_bytes)
    if operation is None:
        return service_description()
    options = QueryOptions(
        timeout=settings.query_timeout,
        row_cap=settings.row_cap,
        default_graph_uris=operation.default_graph_uris,
        named_graph_uris=operation.named_graph_uris,
        base_iri=request.base_url,
    )
    try:
        result = services().queries.run(lexed := Lexed(operation.query), options)
    except QuerySyntaxError as exc:
        raise BadRequest(str(explain(str(exc), operation.query))) from exc
    except QueryRefused as exc:
        raise BadRequest(str(exc)) from exc
    except ServiceFailed as exc:
        raise BadGateway(str(exc)) from exc
    except ServiceTimeout as exc:
        raise GatewayTimeout(str(exc)) from exc
    except QueryTimeout as exc:
        raise ServiceUnavailable(f"{exc}; the limit is {settings.query_timeout:g} s") from exc
    except QueryInterrupted as exc:
        raise ServiceUnavailable(str(exc), retry_after=1) from exc
    except QueryEvaluationError as exc:
        raise InternalServerError(f"the query failed: {exc}") from exc
    fmt = choose(result.formats.rows, request.headers.get("Accept"), request.values.getlist("format"))
    response = Response(answer(result, fmt, settings.base), content_type=content_type(fmt))
    if result.truncated:
        response.headers["X-SPARQL-MaxRows"] = str(settings.row_cap)
    if lexed.service_targets:
        return response
    dataset = (operation.default_graph_uris, operation.named_graph_uris, request.base_url)
    return validate(response, request, services().store, operation.query, *dataset, fmt.media_type)


def answer(result: QueryResult, fmt: GraphFormat | ResultsFormat, base: str) -> bytes:
    """The result in `fmt`; CONSTRUCT and DESCRIBE in Turtle or TriG with the prefixes they use (ours name
    every kind of resource, so no name needs escaping)."""
    if isinstance(result, GraphResult) and isinstance(fmt, GraphFormat) and fmt.oxigraph in PREFIXED:
        return ox.serialize(result.triples, format=fmt.oxigraph, prefixes=prefixes_for(result.triples, base))
    return result.serialize(fmt)  # type: ignore[arg-type]  # chosen among the result's own formats


def service_description() -> Response | str:
    fmt = choose((*RDF_FORMATS, HTML), request.headers.get("Accept"), request.args.getlist("format"))
    if fmt is HTML:
        return current_app.view_functions[QUERY_PAGE]()
    triples = describe(request.base_url, services().store)
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=PREFIXES)
    return Response(body, content_type=content_type(fmt))
