"""The Flask app factory: one blueprint per protocol surface, the settings and store handed in.

Surfaces (`SURFACES`): `sparql` (the SPARQL 1.1 query endpoint and service description at `/sparql`),
`graph_store` (Graph Store HTTP Protocol, read side) and `site` (the human pages). Errors are answered as
text/plain (status, reason, message) unless a surface handles its own; every response carries CORS headers.
In front of Flask, as WSGI middleware: admission (`admission`: 429 past the limits on requests in flight),
the result cache of `/sparql` (`cache`, in front of admission: a cached answer is never refused) and,
outermost, the request counters served at `/metrics` (`metrics`).
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import BadGateway, HTTPException, ServiceUnavailable

from nipa_kg.server import site
from nipa_kg.server.middleware.admission import AdmissionMiddleware
from nipa_kg.server.middleware.cache import init_cache
from nipa_kg.server.middleware.cors import init_cors
from nipa_kg.server.middleware.metrics import init_metrics
from nipa_kg.server.protocol import graph_store, sparql, update
from nipa_kg.server.protocol.context import EXTENSION, Services
from nipa_kg.server.protocol.sparql import BODY_FACTOR
from nipa_kg.server.query.federation import Federation
from nipa_kg.server.query.guard import Limits
from nipa_kg.server.query.service import QueryService
from nipa_kg.server.settings import RESERVE, Settings
from nipa_kg.server.site import not_found_page
from nipa_kg.server.store.base import QueryInterrupted, QueryTimeout, Store, StoreUnavailable
from nipa_kg.server.write.service import WriteService

SURFACES = (sparql.bp, graph_store.bp, update.bp, site.bp)
READ_ONLY_NOTE = "this server is read-only"


def create_app(settings: Settings, store: Store) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = BODY_FACTOR * settings.max_query_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = BODY_FACTOR * settings.max_query_bytes
    queries = query_service(settings, store)
    app.extensions[EXTENSION] = Services(settings, store, queries, write_service(settings, store, queries))
    for blueprint in SURFACES:
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, plain_error)
    app.register_error_handler(StoreUnavailable, store_unavailable)
    app.register_error_handler(QueryTimeout, query_unavailable)
    app.register_error_handler(QueryInterrupted, query_unavailable)
    init_cors(app, settings.cors_origins)
    app.wsgi_app = AdmissionMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, settings.max_queries, settings.max_client_queries, RESERVE
    )
    init_cache(app, store, settings.cache_bytes)
    init_metrics(app)
    return app


def plain_error(error: HTTPException) -> Response | tuple[str, int, dict[str, str]]:
    """An HTTP error as text/plain, keeping its headers (`Allow` of a 405); a 404 asked for by a browser
    (HTML before plain text in `Accept`) is the site's page instead."""
    if error.code == 404 and request.accept_mimetypes.best_match(("text/plain", "text/html")) == "text/html":
        return not_found_page()
    message = error.description or ""
    if error.code == 405:
        allowed = getattr(error, "valid_methods", None) or []
        message = f"{request.method} is not allowed here ({READ_ONLY_NOTE}); allowed: {', '.join(allowed)}"
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if error.code == 404:
        headers.append(("Vary", "Accept"))
    return Response(f"{error.code} {error.name}: {message}\n", error.code, headers, mimetype="text/plain")


def query_unavailable(error: QueryTimeout | QueryInterrupted) -> Response:
    """A page's query ran out of time or was stopped (the endpoint says so itself): 503, retry later."""
    return plain_error(ServiceUnavailable(str(error), retry_after=1))


def store_unavailable(error: StoreUnavailable) -> Response:
    """The external store failed (unreachable, or answered out of protocol): 502 with what went wrong."""
    return plain_error(BadGateway(str(error)))


def write_service(settings: Settings, store: Store, queries: QueryService) -> WriteService | None:
    """The write service when a token switches writes on (`nipa_kg.server.write`); `LOAD` follows the
    SERVICE allowlist."""
    if not settings.tokens:
        return None
    federation = queries.federation
    limits = Limits(**dict(settings.query_limits))
    return WriteService(
        store, settings.base, settings.state_dir, federation.allows, settings.write_timeout, limits=limits
    )


def query_service(settings: Settings, store: Store) -> QueryService:
    """The query service of a server with `settings` over `store`; SERVICE calls to its own endpoint (at
    `{base}sparql` or where it listens) are answered in-process."""
    federation = Federation.of(
        settings.base,
        own=(f"{settings.url}sparql",),
        allow=settings.allow_service,
        aliases=settings.service_aliases,
        timeout=settings.service_timeout,
    )
    return QueryService(store, federation, Limits(**dict(settings.query_limits)))
