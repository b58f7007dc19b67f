from datetime import date

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import ID, NIPA, SCHEMA
from nipa_kg.graph.build import build

DATASET = ID["dataset/nipa-kg"]
LINKSET = ID["dataset/nipa-kg-wikidata-links"]


@pytest.fixture(scope="module")
def meta(mini_build):
    return mini_build.graphs["metadata"]


def integer(meta, subject, predicate):
    value = meta.value(subject, predicate)
    assert value is not None and value.datatype == XSD.integer
    return value.toPython()


def described(mini_build):
    return {t for name in ("ontology", "data", "inferred", "shapes") for t in mini_build.graphs[name]}


def test_dataset_is_dcat_and_void_with_text_from_the_template(meta):
    assert {DCAT.Dataset, VOID.Dataset} <= set(meta.objects(DATASET, RDF.type))
    assert {t.language for t in meta.objects(DATASET, DCTERMS.title)} == {"ko", "en"}
    assert {d.language for d in meta.objects(DATASET, DCTERMS.description)} == {"ko", "en"}
    assert meta.value(DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert any("copyrighted" in rights for rights in meta.objects(DATASET, DCTERMS.rights))
    assert meta.value(DATASET, DCTERMS.source) == ID["source/zdnet-2025-02-06"]
    assert meta.value(DATASET, DCTERMS.publisher) is not None
    assert meta.value(DATASET, DCTERMS.issued).datatype == XSD.date


def test_counts(mini_build, meta):
    triples = described(mini_build)
    assert integer(meta, DATASET, VOID.triples) == len(triples)
    entities = {s for s, _, _ in triples if str(s).startswith(str(ID))}
    assert integer(meta, DATASET, VOID.entities) == len(entities)
    assert meta.value(DATASET, VOID.uriSpace) == Literal(str(ID))


def test_partitions(mini_build, meta):
    classes = {
        meta.value(p, VOID["class"]): integer(meta, p, VOID.entities)
        for p in meta.objects(DATASET, VOID.classPartition)
    }
    assert classes[NIPA.Agency] == 1
    assert classes[SCHEMA.Organization] == 2  # the agency and its division, inferred
    properties = {
        meta.value(p, VOID.property): integer(meta, p, VOID.triples)
        for p in meta.objects(DATASET, VOID.propertyPartition)
    }
    assert properties[RDF.type] == sum(1 for t in described(mini_build) if t[1] == RDF.type)
    assert integer(meta, DATASET, VOID.classes) == len(classes)
    assert integer(meta, DATASET, VOID.properties) == len(properties)


def test_vocabularies(meta):
    vocabularies = {str(v) for v in meta.objects(DATASET, VOID.vocabulary)}
    assert {
        str(NIPA),
        "http://schema.org/",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/shacl#",
    } <= vocabularies


def test_dumps_and_distributions(meta):
    dumps = set(meta.objects(DATASET, VOID.dataDump))
    assert dumps == {URIRef(f"https://w3id.org/nipa-kg/dumps/nipa-kg.{f.extension}") for f in RDF_FORMATS}
    distributions = list(meta.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(RDF_FORMATS)
    media = {
        str(meta.value(d, DCAT.mediaType)).rsplit("media-types/")[1]: meta.value(d, DCAT.downloadURL)
        for d in distributions
    }
    assert media["text/turtle"] == URIRef("https://w3id.org/nipa-kg/dumps/nipa-kg.ttl")
    assert media["application/trig"] == URIRef("https://w3id.org/nipa-kg/dumps/nipa-kg.trig")


def test_endpoint_and_service(meta):
    assert meta.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/nipa-kg/sparql")
    service = meta.value(None, DCAT.servesDataset, DATASET)
    assert meta.value(service, DCAT.endpointURL) == URIRef("https://w3id.org/nipa-kg/sparql")
    assert (service, RDF.type, DCAT.DataService) in meta


def test_wikidata_linkset(meta):
    assert (LINKSET, RDF.type, VOID.Linkset) in meta
    assert meta.value(LINKSET, VOID.linkPredicate) == OWL.sameAs
    assert DATASET in set(meta.objects(LINKSET, VOID.target))
    assert integer(meta, LINKSET, VOID.triples) == 1


def test_build_date_and_base_come_from_the_settings(mini_settings):
    meta = build(mini_settings(base="http://localhost/kg/", build_date=date(2025, 2, 6))).graphs["metadata"]
    dataset = URIRef("http://localhost/kg/id/dataset/nipa-kg")
    assert meta.value(dataset, DCTERMS.modified) == Literal("2025-02-06", datatype=XSD.date)
    assert meta.value(dataset, VOID.sparqlEndpoint) == URIRef("http://localhost/kg/sparql")
    assert meta.value(dataset, VOID.uriSpace) == Literal("http://localhost/kg/id/")
    assert not [t for t in meta if any(str(term).startswith("https://w3id.org/nipa-kg/") for term in t)]
