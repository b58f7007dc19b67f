"""CORS headers on every response, and the answer to preflight requests.

With `cors_origins` `*` every response allows any origin; with a list, a request's `Origin` is echoed
back when listed (and `Vary: Origin` is set). Preflights (`OPTIONS` with `Access-Control-Request-Method`)
get the route's methods and the headers the browser asked for: the endpoint is public, read-only and
never uses credentials, so there is nothing to protect by refusing a header.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, Response, request

EXPOSED = "X-SPARQL-MaxRows"
MAX_AGE = "86400"


def add_cors_headers(response: Response, origins: Sequence[str]) -> Response:
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.vary.add("Origin")
        if request.headers.get("Origin") not in origins:
            return response
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = response.headers.get("Allow", "GET, HEAD, OPTIONS")
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type"
        )
        response.headers["Access-Control-Max-Age"] = MAX_AGE
    return response


def init_cors(app: Flask, origins: Sequence[str]) -> None:
    app.after_request(lambda response: add_cors_headers(response, origins))
