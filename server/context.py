"""What the app factory hands to the blueprints: the settings and the store, no globals."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from nipa_kg.server.settings import Settings
from nipa_kg.server.store import Store

EXTENSION = "nipa_kg"


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store


def services() -> Services:
    """The settings and store of the app handling the current request."""
    return current_app.extensions[EXTENSION]
