"""The Flask app factory: one blueprint per protocol surface, the settings and store handed in.

Surfaces (`SURFACES`): `sparql` (the SPARQL 1.1 query endpoint and service description at `/sparql`),
`graph_store` (Graph Store HTTP Protocol, read side) and `site` (the human pages). Errors are answered as
text/plain (status, reason, message) unless a surface handles its own; every response carries CORS headers.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from nipa_kg.server import graph_store, site, sparql
from nipa_kg.server.context import EXTENSION, Services
from nipa_kg.server.cors import init_cors
from nipa_kg.server.settings import Settings
from nipa_kg.server.sparql import BODY_FACTOR
from nipa_kg.server.store import Store

SURFACES = (sparql.bp, graph_store.bp, site.bp)
READ_ONLY_NOTE = "this server is read-only"


def create_app(settings: Settings, store: Store) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = BODY_FACTOR * settings.max_query_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = BODY_FACTOR * settings.max_query_bytes
    app.extensions[EXTENSION] = Services(settings, store)
    for blueprint in SURFACES:
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, plain_error)
    init_cors(app, settings.cors_origins)
    return app


def plain_error(error: HTTPException) -> Response:
    """An HTTP error as text/plain, keeping its headers (`Allow` of a 405)."""
    message = error.description or ""
    if error.code == 405:
        allowed = getattr(error, "valid_methods", None) or []
        message = f"{request.method} is not allowed here ({READ_ONLY_NOTE}); allowed: {', '.join(allowed)}"
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return Response(f"{error.code} {error.name}: {message}\n", error.code, headers, mimetype="text/plain")
