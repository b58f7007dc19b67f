"""A small dataset with an ontology and a shape that writes can violate, and apps that accept writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

TOKEN = "s3cret-token-for-tests"
OTHER = "another-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NIPA = "https://w3id.org/nipa-kg/ontology#"
DATA = f"{DEFAULT_BASE}graph/data"
DATASET = """
@prefix nipa: <https://w3id.org/nipa-kg/ontology#> .
@prefix graph: <https://w3id.org/nipa-kg/graph/> .
@prefix agency: <https://w3id.org/nipa-kg/id/agency/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .

graph:ontology {
  nipa:Organization a owl:Class .
  nipa:Agency a owl:Class ; rdfs:subClassOf nipa:Organization .
}
graph:data {
  agency:nipa a nipa:Agency ; rdfs:label "NIPA"@en .
}
graph:shapes {
  nipa:OrganizationShape a sh:NodeShape ; sh:targetClass nipa:Organization ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "an organization has a label"@en ] .
}
"""


def writable_store(tmp_path: Path) -> EmbeddedStore:
    source = tmp_path / "dataset.trig"
    source.write_text(DATASET, "utf-8")
    store = EmbeddedStore(workers=4)
    store.load(source, RDF_FORMATS.by_name("trig"))
    return store


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def writable(tmp_path: Path, state_dir: Path) -> FlaskClient:
    settings = Settings(tokens=(("alice", TOKEN), ("bob", OTHER)), state_dir=state_dir, query_timeout=10)
    return create_app(settings, writable_store(tmp_path)).test_client()
