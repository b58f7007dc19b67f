"""Fixtures of the server tests: an in-memory store loaded from tests/server/fixtures, and apps over it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"
DATASET = FIXTURES / "dataset.trig"


def load_store(*paths: Path) -> EmbeddedStore:
    store = EmbeddedStore(workers=4)
    for path in paths:
        store.load(path, RDF_FORMATS.by_extension(path))
    return store


@pytest.fixture(scope="session")
def store() -> EmbeddedStore:
    """The fixture dataset; the store is read-only, so one serves the whole session."""
    return load_store(DATASET)


@pytest.fixture
def settings() -> Settings:
    return Settings(base=DEFAULT_BASE, query_timeout=10)


@pytest.fixture
def make_client(store: EmbeddedStore, settings: Settings) -> Callable[..., FlaskClient]:
    """A test client of an app over `store` (or another store), with settings changed as asked."""

    def make(store_: EmbeddedStore | None = None, **changes: object) -> FlaskClient:
        app: Flask = create_app(replace(settings, **changes), store_ or store)
        return app.test_client()

    return make


@pytest.fixture
def client(make_client: Callable[..., FlaskClient]) -> FlaskClient:
    return make_client()
