"""What the app factory hands to the blueprints of the protocol and the site: the settings, the store and
the query service every query goes through, no globals."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from nipa_kg.server.query.service import QueryService
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.base import Store
from nipa_kg.server.write.service import WriteService

EXTENSION = "nipa_kg"


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    queries: QueryService
    writes: WriteService | None = None  # None: the server is read-only (no token)


def services() -> Services:
    """The settings, store and query service of the app handling the current request."""
    return current_app.extensions[EXTENSION]
