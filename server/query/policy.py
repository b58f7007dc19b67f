"""What a query may ask of this server: the one place that refuses queries before they reach the store.

The server never fetches anything a query names. With pyoxigraph, `FROM`/`FROM NAMED` only select graphs
already in the store and `LOAD` is an update (refused by the endpoint), but `SERVICE` makes pyoxigraph send
an HTTP request, so every query in which the lexer (`nipa_kg.server.query.lexer`) finds a SERVICE clause
is refused (`check_query`).

Federated queries (`nipa_kg.server.query.federation`) are the exception: their SERVICE blocks, found by a
real parser, are checked here against the allowlist (`check_services`), evaluated by our own HTTP client and
replaced by VALUES; the rewritten query must then pass `check_query` like any other before pyoxigraph
sees it, so pyoxigraph never sends a request itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from nipa_kg.server.query.lexer import Lexed


class QueryRefused(Exception):
    """A query this server does not run; the message says why."""


def check_query(lexed: Lexed) -> None:
    """Raise `QueryRefused` if this server must not hand the query to its store: if pyoxigraph might read a
    SERVICE clause in it (a federated query reaches the store only with its SERVICE blocks replaced)."""
    targets = lexed.service_targets
    if targets:
        raise QueryRefused(
            f"SERVICE is not allowed: this endpoint does not run federated queries (SERVICE {targets[0]})"
        )


class ServiceCall(Protocol):
    """A SERVICE block as the federation found it: its endpoint (None for a variable) as written and
    resolved against the query's prologue."""

    @property
    def written(self) -> str: ...

    @property
    def endpoint(self) -> str | None: ...


ALLOW_HOW = "start the server with --allow-service {iri} (repeatable), or list it in NIPA_KG_ALLOW_SERVICE"


def check_services(services: Iterable[ServiceCall], allowed: Callable[[str], bool]) -> None:
    """Raise `QueryRefused` unless every SERVICE names, by IRI, an endpoint `allowed` accepts."""
    for service in services:
        if service.endpoint is None:
            raise QueryRefused(
                f"SERVICE is not allowed with a variable endpoint (SERVICE {service.written}): "
                "name the endpoint by its IRI"
            )
        if not allowed(service.endpoint):
            raise QueryRefused(
                f"SERVICE is not allowed for <{service.endpoint}>: this endpoint calls only the endpoints "
                f"on its allowlist; to allow this one, {ALLOW_HOW.format(iri=service.endpoint)}"
            )
