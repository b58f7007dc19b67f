"""The query service: the one way every caller (the SPARQL endpoint, the site's pages, the CLI's `query`)
runs a query. First the guard (`guard`: nesting and chains deep enough to overflow pyoxigraph's stack are
refused, naming the limit); the text is lexed once (`lexer.Lexed`); then the policy (`policy`) and, for a
query with SERVICE, the federation (`federation`), whose rewritten query is lexed and checked again; then
the store."""

from __future__ import annotations

from dataclasses import dataclass

from nipa_kg.server.query.federation import Federation
from nipa_kg.server.query.guard import DEFAULT_LIMITS, Limits, QueryTooComplex, check
from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.query.policy import QueryRefused, check_query
from nipa_kg.server.query.projection import star_order
from nipa_kg.server.store.base import QueryOptions, QueryResult, Store


@dataclass(frozen=True)
class QueryService:
    store: Store
    federation: Federation
    limits: Limits = DEFAULT_LIMITS

    def query(self, text: str, options: QueryOptions) -> QueryResult:
        """Run one query; `QueryRefused`, `QueryError` (and its federation kinds) say why it was not."""
        return self.run(Lexed(text), options)

    def run(self, lexed: Lexed, options: QueryOptions) -> QueryResult:
        """`query` for a query the caller lexed (to ask it more, as whether it is federated). A `SELECT *`
        projects its variables in the order the query names them (`projection`)."""
        try:
            check(lexed.text, self.limits)
        except QueryTooComplex as exc:
            raise QueryRefused(str(exc)) from exc
        evaluated = lexed
        if lexed.service_targets:
            evaluated = Lexed(self.federation.rewrite(self, lexed, options))
            check_query(evaluated)
        return star_order(lexed, self.store.query(evaluated, options))
