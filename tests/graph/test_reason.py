import owlrl
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import ORG, OWL, PROV, RDF, RDFS, XSD

from nipa_kg.core.namespaces import ID, NIPA, SCHEMA, WD
from nipa_kg.graph.load import load_data, load_ontology, new_graph
from nipa_kg.graph.reason import NOISE, Classifier, Kind, infer, same_as_aliases

BUILTINS = (str(RDF), str(RDFS), str(OWL), str(XSD))


@pytest.fixture(scope="module")
def inferred(mini_settings):
    settings = mini_settings()
    return infer(load_ontology(settings), load_data(settings), settings.base).inferred


@pytest.mark.parametrize(
    "triple",
    [
        (ID["agency/nipa"], RDF.type, SCHEMA.Organization),  # via subclass chain
        (ID["agency/nipa"], RDF.type, ORG.FormalOrganization),
        (ID["amount/supplementary-2025"], RDF.type, NIPA.BudgetAmount),
        (ID["agency/nipa"], ORG.hasUnit, ID["division/ai"]),  # super-property
        (ID["division/ai"], NIPA.divisionOf, ID["agency/nipa"]),  # inverse
        (ID["division/ai"], ORG.unitOf, ID["agency/nipa"]),  # super-property of the inverse
        (ID["agency/nipa"], NIPA.hasBudget, ID["amount/total-2025"]),
        (ID["division/ai"], PROV.wasDerivedFrom, ID["source/zdnet-2025-02-06/p1"]),
        (NIPA.Agency, RDFS.subClassOf, SCHEMA.Organization),  # transitive subclass
    ],
)
def test_keeps_meaningful_inferences(inferred, triple):
    assert triple in inferred


def test_inferred_holds_no_asserted_triple(mini_settings, inferred):
    settings = mini_settings()
    asserted = set(load_ontology(settings)) | set(load_data(settings))
    assert not asserted & set(inferred)


def test_no_reflexive_axioms(inferred):
    reflexive = (OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty)
    assert not [t for t in inferred if t[1] in reflexive and t[0] == t[2]]


def test_no_builtin_literal_or_blank_subjects(inferred):
    assert not [t for t in inferred if isinstance(t[0], (Literal, BNode)) or str(t[0]).startswith(BUILTINS)]


def test_no_datatype_or_top_level_noise(inferred):
    trivial = {OWL.Thing, RDFS.Resource, OWL.topObjectProperty, OWL.topDataProperty, OWL.AllDifferent}
    assert not [t for t in inferred if t[2] in trivial or isinstance(t[2], Literal) and t[1] == RDF.type]
    assert not [t for t in inferred if t[1] in (OWL.differentFrom, RDFS.domain, RDFS.range)]
    assert (XSD.string, RDF.type, RDFS.Datatype) not in inferred


def test_no_copies_onto_same_as_aliases(inferred):
    assert not [t for t in inferred if WD.Q16178836 in (t[0], t[2])]


def test_every_subject_is_ours(inferred):
    assert all(str(s).startswith("https://w3id.org/nipa-kg/") for s in inferred.subjects())


def test_every_noise_rule_says_why():
    assert all(rule.why and (rule.subject or rule.predicate or rule.object) for rule in NOISE)


def test_classifier_kinds():
    classifier = Classifier("https://w3id.org/nipa-kg/", {WD.Q1})
    assert classifier.kind(ID["x"]) is Kind.OURS
    assert classifier.kind(XSD.string) is Kind.BUILTIN
    assert classifier.kind(WD.Q1) is Kind.ALIAS
    assert classifier.kind(SCHEMA.Thing) is Kind.EXTERNAL
    assert classifier.kind(Literal(1)) is Kind.LITERAL
    assert classifier.kind(BNode()) is Kind.BLANK


def test_aliases_are_external_same_as_partners_of_ours():
    graph = new_graph()
    graph.add((ID["a"], OWL.sameAs, WD.Q1))
    graph.add((WD.Q2, OWL.sameAs, ID["b"]))
    graph.add((WD.Q3, OWL.sameAs, WD.Q4))
    assert same_as_aliases(graph, "https://w3id.org/nipa-kg/") == {WD.Q1, WD.Q2}


def test_rebased_inference_follows_the_base(mini_settings):
    settings = mini_settings(base="http://localhost/kg/")
    inferred = infer(load_ontology(settings), load_data(settings), settings.base).inferred
    assert (URIRef("http://localhost/kg/id/agency/nipa"), RDF.type, SCHEMA.Organization) in inferred


def test_inconsistencies_are_reported(mini_settings):
    settings = mini_settings()
    data = load_data(settings)
    data.add((ID["amount/total-2025"], SCHEMA.value, Literal("lots", datatype=XSD.decimal)))
    assert infer(load_ontology(settings), data, settings.base).inconsistencies


def full_closure_inferences(ontology, data, base):
    """What infer() returns, but with owlrl run on every asserted triple (no inert pre-filter)."""
    closure = new_graph(base)
    for triple in (*ontology, *data):
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    classifier = Classifier(base, same_as_aliases(data, base))
    return {t for t in closure if t not in ontology and t not in data and not classifier.is_noise(t)}


def test_the_inert_prefilter_changes_nothing_on_the_fixtures(mini_settings, inferred):
    settings = mini_settings()
    assert full_closure_inferences(load_ontology(settings), load_data(settings), settings.base) == set(
        inferred
    )


def test_the_inert_prefilter_changes_nothing_on_the_real_graph(built):
    ontology, data = built.graphs["ontology"], built.graphs["data"]
    base = "https://w3id.org/nipa-kg/"
    assert full_closure_inferences(ontology, data, base) == set(built.graphs["inferred"])
