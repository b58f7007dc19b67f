"""Tests of the nipa-kg ontology (ontology/*.ttl); its class diagram is tested in tests/graph/test_diagram.py.

The ontology must match docs/model.md, describe every term in Korean and English, stay inside OWL 2 RL, and,
after OWL RL reasoning, put the graph's resources under the standard classes and properties named in the
model (ORG, schema.org, SKOS, PROV-O, DQV, Web Annotation).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import owlrl
import pytest
import rdflib.namespace as rns
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from nipa_kg.core.namespaces import CV, DQV, ID, NIPA, OA, PREFIXES, SCHEMA
from tests.ontology.sources import ontology, read, reused

ONTOLOGY_IRI = URIRef("https://w3id.org/nipa-kg/ontology")
VANN = "http://purl.org/vocab/vann/"
ORG = PREFIXES["org"]
PROV = PREFIXES["prov"]
QB = PREFIXES["qb"]
ROOT = Path(__file__).resolve().parents[2]
MODEL_MD = ROOT / "docs" / "model.md"

TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
CODE_LISTS = ["QualityIssueType", "LinkBasis", "FigurePrecision", "ChangeDirection", "ApprovalStatus"]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology()


def _nipa_terms(graph: Graph) -> list[URIRef]:
    return sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(NIPA))}, key=str
    )


def _curie_to_iri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    if not local:
        return NIPA[curie]
    return URIRef(str(PREFIXES[prefix]) + local)


# --------------------------------------------------------------------------------------------------------
# Parsing and metadata
# --------------------------------------------------------------------------------------------------------


def test_both_files_parse_as_turtle() -> None:
    assert len(ontology()) > 500
    assert len(reused()) > 50


def test_ontology_metadata(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert (ONTOLOGY_IRI, OWL.versionIRI, URIRef("https://w3id.org/nipa-kg/ontology/0.1.0")) in onto
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in onto
    assert (ONTOLOGY_IRI, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in onto
    assert (ONTOLOGY_IRI, DCTERMS.creator, Literal("nipa-kg contributors")) in onto
    for prop in (DCTERMS.created, DCTERMS.modified):
        assert set(onto.objects(ONTOLOGY_IRI, prop)) == {Literal("2026-11-24", datatype=rns.XSD.date)}
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = {o.language for o in onto.objects(ONTOLOGY_IRI, prop) if isinstance(o, Literal)}
        assert {"ko", "en"} <= langs, prop
    assert (ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix"), Literal("nipa")) in onto
    assert (ONTOLOGY_IRI, URIRef(VANN + "preferredNamespaceUri"), Literal(str(NIPA))) in onto


# --------------------------------------------------------------------------------------------------------
# Every term is declared, labelled and defined in Korean and English
# --------------------------------------------------------------------------------------------------------


def test_every_nipa_term_is_declared(onto: Graph) -> None:
    code_list_classes = {NIPA[c] for c in CODE_LISTS}
    for term in _nipa_terms(onto):
        types = set(onto.objects(term, RDF.type))
        assert types & (TERM_TYPES | code_list_classes | {SKOS.ConceptScheme}), term


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition], ids=["label", "definition"])
def test_every_nipa_term_has_korean_and_english(onto: Graph, prop: URIRef) -> None:
    missing = []
    for term in _nipa_terms(onto):
        langs = [o.language for o in onto.objects(term, prop) if isinstance(o, Literal)]
        if sorted(set(langs)) != ["en", "ko"] or len(langs) != 2:
            missing.append(f"{term} {prop} {langs}")
    assert not missing, "\n".join(missing)


def test_every_nipa_term_is_defined_by_the_ontology(onto: Graph) -> None:
    for term in _nipa_terms(onto):
        assert set(onto.objects(term, RDFS.isDefinedBy)) == {ONTOLOGY_IRI}, term


def test_code_lists_are_skos_schemes(onto: Graph) -> None:
    for name in CODE_LISTS:
        cls, scheme = NIPA[name], NIPA[name + "Scheme"]
        assert (cls, RDFS.subClassOf, SKOS.Concept) in onto
        assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
        members = set(onto.subjects(RDF.type, cls))
        assert members, name
        assert set(onto.objects(scheme, SKOS.hasTopConcept)) == members
        for concept in members:
            assert (concept, SKOS.inScheme, scheme) in onto
            assert (concept, SKOS.topConceptOf, scheme) in onto
            assert len(list(onto.objects(concept, SKOS.notation))) == 1, concept
            langs = {o.language for o in onto.objects(concept, SKOS.prefLabel) if isinstance(o, Literal)}
            assert langs == {"ko", "en"}, concept
        langs = {o.language for o in onto.objects(scheme, SKOS.prefLabel) if isinstance(o, Literal)}
        assert langs == {"ko", "en"}, scheme


# --------------------------------------------------------------------------------------------------------
# The ontology implements docs/model.md
# --------------------------------------------------------------------------------------------------------


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def _table_rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[1:]  # without the header


def _ticks(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _is_name(token: str) -> bool:
    return re.fullmatch(r"(?:[a-z]+:)?[A-Za-z][A-Za-z0-9]*", token) is not None


@cache
def _model_md() -> str:
    return MODEL_MD.read_text(encoding="utf-8")


def _model_classes() -> list[tuple[str, list[str]]]:
    """(class, superclasses in the 'subclass of' column) for each row of the classes table."""
    rows = _table_rows(_section(_model_md(), "## Classes", "Code lists"))
    return [(_ticks(row[0])[0], [t for t in _ticks(row[1]) if _is_name(t)]) for row in rows]


def test_model_md_classes_exist_with_their_alignment(onto: Graph) -> None:
    rows = _table_rows(_section(_model_md(), "## Classes", "Code lists"))
    assert len(rows) >= 25
    for name, supers in _model_classes():
        cls = NIPA[name]
        assert (cls, RDF.type, OWL.Class) in onto, name
        for sup in supers:
            assert (cls, RDFS.subClassOf, _curie_to_iri(sup)) in onto, f"{name} ⊑ {sup}"
    # classes named in the 'what' column (subclasses such as DomesticHub, Country)
    for row in rows:
        for token in _ticks(row[2]):
            if re.fullmatch(r"[A-Z][A-Za-z]+", token):
                assert (NIPA[token], RDF.type, OWL.Class) in onto, token


def test_model_md_code_lists_exist(onto: Graph) -> None:
    section = _section(_model_md(), "Code lists", "## Properties")
    bullets = [line for line in section.split("\n- ")[1:]]
    assert len(bullets) == len(CODE_LISTS)
    for bullet in bullets:
        names = [t.removeprefix("nipa:") for t in _ticks(bullet)]
        cls, scheme, members = names[0], names[1], names[2:]
        assert cls in CODE_LISTS
        assert scheme == cls + "Scheme"
        assert set(onto.subjects(RDF.type, NIPA[cls])) == {NIPA[m] for m in members}, cls


def test_model_md_properties_exist_with_their_alignment(onto: Graph) -> None:
    rows = _table_rows(_section(_model_md(), "## Properties", "## Patterns"))
    assert len(rows) >= 35
    for row in rows:
        names = [t for t in _ticks(row[0]) if _is_name(t)]
        assert names, row
        props = [NIPA[n] for n in names]
        for prop in props:
            types = set(onto.objects(prop, RDF.type))
            assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, prop
        related = set()
        for prop in props:
            related |= set(onto.objects(prop, RDFS.subPropertyOf)) | set(onto.objects(prop, RDF.type))
        for token in _ticks(row[2]):
            if _is_name(token) and token not in names:
                assert _curie_to_iri(token) in related, f"{names}: {token}"


def test_inverse_pairs_of_model_md(onto: Graph) -> None:
    pairs = [
        ("hasDivision", "divisionOf"),
        ("hasTaskForce", "taskForceOf"),
        ("hasHub", "hubOf"),
        ("hasBudget", "budgetOf"),
        ("hasPlan", "planOf"),
        ("funds", "fundedBy"),
        ("administeredBy", "administers"),
        ("contributesToGoal", "goalServedBy"),
        ("hasQualityNote", "qualityNoteOf"),
    ]
    for a, b in pairs:
        assert (NIPA[a], OWL.inverseOf, NIPA[b]) in onto, a
    assert (NIPA.hasShare, OWL.inverseOf, NIPA.shareOf) not in onto  # different signatures in the model


# --------------------------------------------------------------------------------------------------------
# Consistency and the OWL 2 RL profile
# --------------------------------------------------------------------------------------------------------


def test_inverse_properties_are_declared_symmetrically(onto: Graph) -> None:
    pairs = list(onto.subject_objects(OWL.inverseOf))
    assert pairs
    for p, q in pairs:
        assert p != q
        assert (q, OWL.inverseOf, p) in onto, f"{q} should also be declared inverse of {p}"
        for prop in (p, q):
            assert (prop, RDF.type, OWL.ObjectProperty) in onto, prop
            assert len(set(onto.objects(prop, OWL.inverseOf))) == 1, prop
        assert set(onto.objects(p, RDFS.domain)) == set(onto.objects(q, RDFS.range)), (p, q)
        assert set(onto.objects(p, RDFS.range)) == set(onto.objects(q, RDFS.domain)), (p, q)


def test_domains_and_ranges_are_declared_terms(onto: Graph) -> None:
    for prop in _nipa_terms(onto):
        for axis in (RDFS.domain, RDFS.range):
            values = list(onto.objects(prop, axis))
            assert len(values) <= 1, (prop, axis)
            for value in values:
                assert isinstance(value, URIRef), (prop, axis)
                if str(value).startswith(str(NIPA)):
                    assert (value, RDF.type, OWL.Class) in onto, value
        if (prop, RDF.type, OWL.DatatypeProperty) in onto:
            for value in onto.objects(prop, RDFS.range):
                assert str(value).startswith((str(rns.XSD), str(RDFS))), prop


@pytest.mark.parametrize("graph_name", ["nipa-kg.ttl", "reused-vocabularies.ttl"])
def test_only_rl_safe_constructs(graph_name: str) -> None:
    graph = Graph()
    graph.parse(data=read(graph_name), format="turtle")
    forbidden = [
        OWL.unionOf,
        OWL.someValuesFrom,
        OWL.minCardinality,
        OWL.cardinality,
        OWL.minQualifiedCardinality,
        OWL.qualifiedCardinality,
        OWL.complementOf,
        OWL.oneOf,
        OWL.hasSelf,
        OWL.disjointUnionOf,
    ]
    for predicate in forbidden:
        assert not list(graph.triples((None, predicate, None))), predicate
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf):
        for s, o in graph.subject_objects(predicate):
            assert isinstance(s, URIRef) and isinstance(o, URIRef), (predicate, s, o)
    assert not [t for t in graph if isinstance(t[0], BNode) or isinstance(t[2], BNode)]


def test_reused_vocabularies_define_no_nipa_terms() -> None:
    graph = reused()
    assert not [s for s in graph.subjects() if str(s).startswith(str(NIPA))]
    for o in graph.objects(None, RDFS.subClassOf):
        assert not str(o).startswith(str(NIPA))


# --------------------------------------------------------------------------------------------------------
# Reasoning reaches the standard vocabularies
# --------------------------------------------------------------------------------------------------------

SAMPLE = """
@base <https://w3id.org/nipa-kg/id/> .
@prefix nipa: <https://w3id.org/nipa-kg/ontology#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
<agency/a> a nipa:Agency ;
    nipa:hasDivision <division/d> ;
    nipa:hasTaskForce <unit/t> ;
    nipa:hasHub <hub/h> ;
    nipa:hasQualityNote <note/n> .
<division/d> a nipa:Division .
<hub/h> a nipa:OverseasHub .
<amount/b> a nipa:BudgetAmount ; nipa:budgetOf <program/p> ; qb:dataSet <dataset/budget> .
<plan/y> nipa:supplementaryBudget <amount/x> .
<goal/g> a nipa:StrategicGoal .
<program/p> a nipa:FundingProgram ;
    nipa:statedContributesToGoal <goal/g> ;
    nipa:fundingAgency <agency/a> ;
    nipa:sourceParagraph <source/zdnet-2025-02-06/p2> .
"""


@pytest.fixture(scope="module")
def closure() -> Graph:
    graph = ontology() + reused()
    graph.parse(data=SAMPLE, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


A, D, T, H = ID["agency/a"], ID["division/d"], ID["unit/t"], ID["hub/h"]
B, G, P, N = ID["amount/b"], ID["goal/g"], ID["program/p"], ID["note/n"]
P2 = ID["source/zdnet-2025-02-06/p2"]

ENTAILED = {
    "Agency ⊑ org:FormalOrganization": (A, RDF.type, ORG.FormalOrganization),
    "Agency ⊑ schema:GovernmentOrganization": (A, RDF.type, SCHEMA.GovernmentOrganization),
    "Agency ⊑ cv:PublicOrganisation": (A, RDF.type, CV.PublicOrganisation),
    "Agency ⊑ schema:Organization": (A, RDF.type, SCHEMA.Organization),
    "Agency ⊑ org:Organization": (A, RDF.type, ORG.Organization),
    "Division ⊑ org:OrganizationalUnit": (D, RDF.type, ORG.OrganizationalUnit),
    "hasDivision ⊑ org:hasUnit": (A, ORG.hasUnit, D),
    "org:unitOf from org:hasUnit": (D, ORG.unitOf, A),
    "divisionOf from hasDivision": (D, NIPA.divisionOf, A),
    "hasDivision ⊑ schema:department": (A, SCHEMA.department, D),
    "divisionOf ⊑ schema:parentOrganization": (D, SCHEMA.parentOrganization, A),
    "hasTaskForce ⊑ org:hasUnit": (A, ORG.hasUnit, T),
    "TaskForce from range": (T, RDF.type, ORG.OrganizationalUnit),
    "SupportHub ⊑ org:Site": (H, RDF.type, ORG.Site),
    "OverseasHub ⊑ schema:Place": (H, RDF.type, SCHEMA.Place),
    "hasHub ⊑ org:hasSite": (A, ORG.hasSite, H),
    "org:siteOf from org:hasSite": (H, ORG.siteOf, A),
    "BudgetAmount ⊑ schema:MonetaryAmount": (B, RDF.type, SCHEMA.MonetaryAmount),
    "qb:dataSet makes a qb:Observation": (B, RDF.type, QB.Observation),
    "hasBudget from budgetOf": (P, NIPA.hasBudget, B),
    "hasBudget ⊑ schema:amount": (P, SCHEMA.amount, B),
    "SupplementaryBudget from range": (ID["amount/x"], RDF.type, SCHEMA.MonetaryAmount),
    "StrategicGoal ⊑ skos:Concept": (G, RDF.type, SKOS.Concept),
    "statedContributesToGoal ⊑ contributesToGoal": (P, NIPA.contributesToGoal, G),
    "contributesToGoal ⊑ dct:subject": (P, DCTERMS.subject, G),
    "goalServedBy from contributesToGoal": (G, NIPA.goalServedBy, P),
    "fundingAgency ⊑ schema:funder": (P, SCHEMA.funder, A),
    "sourceParagraph ⊑ prov:wasDerivedFrom": (P, PROV.wasDerivedFrom, P2),
    "SourceParagraph from range": (P2, RDF.type, PROV.Entity),
    "hasQualityNote ⊑ dqv:hasQualityAnnotation": (A, DQV.hasQualityAnnotation, N),
    "qualityNoteOf ⊑ oa:hasTarget": (N, OA.hasTarget, A),
    "DataQualityNote ⊑ oa:Annotation": (N, RDF.type, OA.Annotation),
    "code list concept ⊑ skos:Concept": (NIPA.Typo, RDF.type, SKOS.Concept),
    "skos:topConceptOf ⊑ skos:inScheme": (NIPA.Exact, SKOS.inScheme, NIPA.FigurePrecisionScheme),
    "skos:prefLabel ⊑ rdfs:label": (
        NIPA.QualityIssueTypeScheme,
        RDFS.label,
        Literal("Quality issue types", lang="en"),
    ),
}


@pytest.mark.parametrize("triple", list(ENTAILED.values()), ids=list(ENTAILED))
def test_owl_rl_closure_reaches_standard_terms(closure: Graph, triple: tuple) -> None:
    assert triple in closure


def test_owl_rl_closure_writes_no_blank_node_predicates(closure: Graph) -> None:
    assert not [p for p in closure.predicates() if isinstance(p, BNode)]
