"""The JSON-LD @context served at /context.jsonld lets a consumer merge our data with schema.org data: our
dump expanded with it gives our triples, its schema.org terms are http://schema.org/ IRIs, the same as a
schema.org JSON-LD sample expands to, and the merged graph joins through them and our owl:sameAs links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.namespace import RDF

from nipa_kg.core.namespaces import ID, SCHEMA
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

SCHEMA_ORG = {"@vocab": "http://schema.org/"}  # how schema.org JSON-LD maps its terms
SAMPLE = {  # schema.org data about Seoul, as another publisher might write it
    "@id": "http://www.wikidata.org/entity/Q8684",
    "@type": "City",
    "name": "Seoul",
    "containedInPlace": {
        "@id": "http://www.wikidata.org/entity/Q884",
        "@type": "Country",
        "name": "South Korea",
    },
}


def expand(document: dict[str, Any], context: object) -> Graph:
    """The triples of a JSON-LD `document` read with `context`, all graphs merged."""
    dataset = Dataset()
    dataset.parse(data=json.dumps({**document, "@context": context}), format="json-ld")
    merged = Graph()
    for s, p, o, _ in dataset.quads():
        merged.add((s, p, o))
    return merged


@pytest.fixture(scope="module")
def context(real_store: EmbeddedStore) -> object:
    """The context the server publishes."""
    response = create_app(Settings(), real_store).test_client().get("/context.jsonld")
    assert response.status_code == 200
    return response.get_json()["@context"]


@pytest.fixture(scope="module")
def ours(built_dir: Path, context: object) -> Graph:
    """Our JSON-LD dump expanded with the served context."""
    return expand(json.loads((built_dir / "nipa-kg.jsonld").read_text("utf-8")), context)


def test_the_dump_expanded_with_the_served_context_is_the_graph(ours: Graph, built_dir: Path) -> None:
    nquads = Dataset()
    nquads.parse(built_dir / "nipa-kg.nq", format="nquads")
    expected = {(s, p, o) for s, p, o, _ in nquads.quads()}
    assert len(ours) == len(expected)
    assert {t for t in ours if not any(isinstance(term, BNode) for term in t)} == {
        t for t in expected if not any(isinstance(term, BNode) for term in t)
    }


def test_schema_org_terms_expand_to_http_schema_org(ours: Graph) -> None:
    iris = set(ours.predicates()) | set(ours.objects(None, RDF.type))
    assert {SCHEMA.City, SCHEMA.containedInPlace, SCHEMA.MonetaryAmount, SCHEMA.value} <= iris
    assert not [iri for iri in iris if str(iri).startswith("https://schema.org/")]


def test_a_schema_org_sample_means_the_same_with_our_context(context: object) -> None:
    assert set(expand(SAMPLE, context)) == set(expand(SAMPLE, SCHEMA_ORG))


def test_merged_with_schema_org_data_it_joins_on_shared_iris(ours: Graph) -> None:
    merged = ours + expand(SAMPLE, SCHEMA_ORG)
    rows = merged.query(
        """PREFIX schema: <http://schema.org/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?place ?name ?countryName WHERE {
          ?place a schema:City ; owl:sameAs ?city ; schema:containedInPlace/owl:sameAs ?country .
          ?city a schema:City ; schema:name ?name ; schema:containedInPlace ?country .
          ?country schema:name ?countryName .
        }"""
    )
    assert {tuple(row) for row in rows} == {(ID["place/seoul"], Literal("Seoul"), Literal("South Korea"))}
