"""What the app factory hands to the blueprints: the settings, the store and the federation (which runs
every client query, `nipa_kg.server.federation`), no globals."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from nipa_kg.server.federation import Federation
from nipa_kg.server.settings import Settings
from nipa_kg.server.store import Store

EXTENSION = "nipa_kg"


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    federation: Federation


def services() -> Services:
    """The settings, store and federation of the app handling the current request."""
    return current_app.extensions[EXTENSION]
