"""The real graph: the packaged ontology, data and shapes, built once per session (tests/conftest.py)."""

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, VOID

from nipa_kg.core.namespaces import GRAPH_NAMES
from nipa_kg.graph.export import union
from nipa_kg.graph.load import load_rdf_files
from nipa_kg.graph.validate import render, validate

BASE = "https://w3id.org/nipa-kg/"


def test_the_real_graph_conforms(built):
    assert built.report.conforms
    assert all(len(built.graphs[name]) for name in GRAPH_NAMES)


def test_the_published_union_conforms_too(built_dataset, built):
    """The metadata graph (and everything else in a dump) passes the shapes, not only the data."""
    report = validate([union(built_dataset, BASE)], built.graphs["shapes"])
    assert report.conforms, render(report, "text", BASE)


def test_the_real_inferences_are_clean(built):
    inferred = built.graphs["inferred"]
    assert not [
        t for t in inferred if t[0] == t[2] and t[1] in (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf)
    ]
    assert not [t for t in inferred if isinstance(t[0], (Literal, BNode)) or not str(t[0]).startswith(BASE)]
    assert not [t for t in inferred if t[2] in (OWL.Thing, RDFS.Resource)]


def test_the_real_inferences_type_the_instances_with_the_aligned_vocabularies(built):
    types = set(built.graphs["inferred"].objects(URIRef(BASE + "id/agency/nipa"), RDF.type))
    assert URIRef("http://schema.org/GovernmentOrganization") in types


def test_the_metadata_counts_the_published_graphs(built):
    meta = built.graphs["metadata"]
    dataset = URIRef(BASE + "id/dataset/nipa-kg")
    described = {t for name in GRAPH_NAMES if name != "metadata" for t in built.graphs[name]}
    assert meta.value(dataset, VOID.triples).toPython() == len(described)


def test_the_trig_dump_reads_back_as_the_built_graphs(built_dir, built_dataset, same_graph):
    loaded = load_rdf_files([built_dir / "nipa-kg.trig"])
    for name in GRAPH_NAMES:
        iri = URIRef(f"{BASE}graph/{name}")
        assert same_graph(loaded.graph(iri), built_dataset.graph(iri))
