"""Queries sent straight to a store, as the query service hands them on: lexed, with their options."""

from __future__ import annotations

from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.store.base import QueryOptions, QueryResult, Store


def run(store: Store, text: str, **options: object) -> QueryResult:
    return store.query(Lexed(text), QueryOptions(**options))  # type: ignore[arg-type]
