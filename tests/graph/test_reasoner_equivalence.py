"""reasonable, the build's default OWL-RL engine, gives owlrl's closure (after reason.NOISE) and owlrl's
inconsistencies: on the real graph, on generated data, on the shapes' broken fixtures, and on every construct
engines.SUPPORTED lets through; anything else goes to owlrl (graph/engines.py says why)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from nipa_kg.graph.engines import closure, reasonable_literals
from nipa_kg.graph.export import union
from nipa_kg.graph.inert import usable
from nipa_kg.graph.load import load_ontology, load_rdf_files, load_turtle
from nipa_kg.graph.reason import infer
from nipa_kg.graph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SHAPE_FIXTURES = ROOT / "tests" / "shapes" / "fixtures"
BASE = "https://w3id.org/nipa-kg/"
EX = "https://w3id.org/nipa-kg/id/test/"

# Every built-in term in engines.SUPPORTED at work: equivalent classes and properties, sub-property chains
# longer than two (scm-spo), inverses, domains and ranges, sameAs between individuals, owl:Thing and
# rdfs:Resource, and literals reasonable returns in another form (plain, language tags in upper case).
CONSTRUCTS = """
@prefix ex: <https://w3id.org/nipa-kg/id/test/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ext: <http://example.org/ext#> .

ex:onto a owl:Ontology ; owl:versionIRI ex:onto-1 .
ex:A a owl:Class ; rdfs:subClassOf ex:B . ex:B a rdfs:Class ; rdfs:subClassOf ext:C .
ext:C owl:equivalentClass ext:D . ext:D rdfs:subClassOf ext:E , owl:Thing , rdfs:Resource .
ex:p a owl:ObjectProperty ; rdfs:subPropertyOf ex:q ; owl:inverseOf ex:pInverse ; rdfs:domain ex:A .
ex:q rdfs:subPropertyOf ext:r . ext:r owl:equivalentProperty ext:s . ext:s rdfs:subPropertyOf ext:t .
ex:label a owl:DatatypeProperty , owl:AnnotationProperty ; rdfs:subPropertyOf rdfs:label ;
    rdfs:range rdfs:Literal .
ex:kind a rdf:Property ; rdfs:range ex:Kind .
ex:a a ex:A , owl:NamedIndividual ; ex:p ex:b ; ex:kind ex:k ;
    ex:label "plain" , "tagged"@EN-GB , "typed"^^xsd:string , "1.5"^^xsd:decimal , "7"^^xsd:integer .
ex:b owl:sameAs ext:b . ext:b ex:p ex:c .
"""

# One term each that reasonable does not handle as owlrl does.
OUTSIDE = {
    "an unsupported construct": (URIRef(EX + "p"), RDF.type, OWL.TransitiveProperty),
    "an IRI oxrdf rejects": (URIRef(EX + "a b"), RDF.type, URIRef(EX + "A")),
    "a blank node id oxrdf rejects": (BNode("not valid"), RDF.type, URIRef(EX + "A")),
    "a language tag oxrdf rejects": (URIRef(EX + "a"), RDFS.label, Literal("x", lang="no-such-tag-at-all")),
}


def assert_same_inference(ontology: Graph, data: Graph, base: str = BASE) -> None:
    """Both engines give the same inferred graph and inconsistencies, and reasonable did the work."""
    assert reasonable_literals(list(usable((ontology, data)))) is not None, "reasonable would not be used"
    reference, fast = infer(ontology, data, base, "owlrl"), infer(ontology, data, base, "reasonable")
    assert set(fast.inferred) == set(reference.inferred)
    assert fast.inconsistencies == reference.inconsistencies


def test_the_real_graph(built):
    assert_same_inference(built.graphs["ontology"], built.graphs["data"])


def test_generated_data(tmp_path: Path):
    path = tmp_path / "data.nt"
    generator = [sys.executable, "-m", "bench.generate", "--triples", "5000", "--out", str(path)]
    subprocess.run(generator, cwd=ROOT, check=True, capture_output=True)
    assert_same_inference(load_ontology(Settings()), union(load_rdf_files([path]), BASE))


@pytest.mark.parametrize("fixture", sorted(SHAPE_FIXTURES.glob("[!_]*.ttl")), ids=lambda path: path.stem)
def test_the_shape_fixtures(fixture: Path):
    """Small graphs that each break one shape: ill-typed literals, missing links, wrong types, ..."""
    data = load_turtle([SHAPE_FIXTURES / "_base.ttl", fixture], BASE)
    assert_same_inference(load_ontology(Settings()), data)


def test_every_supported_construct():
    data = Graph().parse(data=CONSTRUCTS, format="turtle")
    assert_same_inference(Graph(), data)


def test_a_literal_only_owlrl_rejects_is_the_same_inconsistency():
    data = Graph()
    data.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("en_US", datatype=XSD.language)))  # rdflib takes it
    assert_same_inference(Graph(), data)
    assert infer(Graph(), data, BASE, "reasonable").inconsistencies


@pytest.mark.parametrize("extra", OUTSIDE.values(), ids=OUTSIDE.keys())
def test_inputs_outside_the_profile_go_to_owlrl(extra):
    triples = {*Graph().parse(data=CONSTRUCTS, format="turtle"), extra}
    assert reasonable_literals(triples) is None
    assert set(closure(triples, "reasonable").triples) == set(closure(triples, "owlrl").triples)


def test_literals_reasonable_cannot_tell_apart_go_to_owlrl():
    a, p = URIRef(EX + "a"), URIRef(EX + "p")
    assert reasonable_literals({(a, p, Literal("x")), (a, p, Literal("x", datatype=XSD.string))}) is None
