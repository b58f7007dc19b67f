"""The SHACL shapes in shapes/: each top-level shape is broken by its own fixture and by nothing else, every
constraint is exercised, the shapes describe themselves, and the real instance data conforms.

A fixture is tests/shapes/fixtures/<local name of the shape>.ttl. It is validated together with
fixtures/_base.ttl (a small graph that conforms) and the ontology, reasoned with OWL RL the way the build
does it (nipa_kg.graph.reason.infer), then validated the way the build does it (nipa_kg.graph.validate).
The real data is checked through the session build (tests/conftest.py: `built`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from nipa_kg.core.namespaces import DEFAULT_BASE, NIPA, SH, SHAPES
from nipa_kg.graph.build import Build
from nipa_kg.graph.load import load_turtle, turtle_sources
from nipa_kg.graph.reason import infer
from nipa_kg.graph.validate import ValidationReport, validate

FIXTURES = Path(__file__).parent / "fixtures"
BASE_FIXTURE = FIXTURES / "_base.ttl"
SHAPES_GRAPH_IRI = URIRef(DEFAULT_BASE + "shapes")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# Classes whose instances carry no facts read from the article: checked by labels, not by provenance.
NOT_FACT_BEARING = {NIPA.SourceArticle, NIPA.SourceParagraph}


# ---------------------------------------------------------------------------------------------------------
# Loading, reasoning, validating


@cache
def shapes_graph(base: str = DEFAULT_BASE) -> Graph:
    return load_turtle(turtle_sources("nipa_kg.shapes", None), base)


@cache
def ontology_graph(base: str = DEFAULT_BASE) -> Graph:
    return load_turtle(turtle_sources("nipa_kg.ontology", None), base)


def reasoned_report(data: Graph, base: str = DEFAULT_BASE) -> ValidationReport:
    """Validate data + ontology + OWL-RL inferred triples, as the build does."""
    ontology = ontology_graph(base)
    inference = infer(ontology, data, base)
    return validate([ontology, data, inference.inferred], shapes_graph(base))


@cache
def fixture_report(name: str, base: str = DEFAULT_BASE) -> ValidationReport:
    return reasoned_report(load_turtle([BASE_FIXTURE, FIXTURES / f"{name}.ttl"], base), base)


def describe(report: ValidationReport) -> str:
    """One line per violation: focus node, shape, message (for assertion messages)."""
    return "\n".join(f"  {r.focus} [{r.source_shape}] {r.message}" for r in report.violations) or "  (none)"


# ---------------------------------------------------------------------------------------------------------
# What is in the shapes graph


def local_name(iri: Node) -> str:
    return str(iri).removeprefix(str(SHAPES))


def top_level_shapes() -> list[URIRef]:
    """Shapes with a target: each has a fixture."""
    shapes = shapes_graph()
    found = {s for p in TARGET_PREDICATES for s in shapes.subjects(p, None)}
    return sorted(s for s in found if isinstance(s, URIRef))


def named_property_shapes() -> list[URIRef]:
    shapes = shapes_graph()
    return sorted(s for s in set(shapes.objects(None, SH.property)) if isinstance(s, URIRef))


def sparql_constraints() -> list[URIRef]:
    shapes = shapes_graph()
    return sorted(s for s in set(shapes.objects(None, SH.sparql)) if isinstance(s, URIRef))


def owning_shape(shape: Node, base: str = DEFAULT_BASE) -> Node:
    """The top-level shape a result's sh:sourceShape belongs to (itself, or the shape holding it)."""
    shapes = shapes_graph(base)
    if any(shapes.value(shape, p) is not None for p in TARGET_PREDICATES):
        return shape
    return next(shapes.subjects(SH.property, shape), shape)


def raw_results(report: ValidationReport) -> list[tuple[Node, Node, Node | None]]:
    """(focus node, sh:sourceShape, sh:sourceConstraint) of every violation, as pyshacl reports them; the
    nested results pyshacl gives as sh:detail of a sh:node failure are left out (their shape is a helper)."""
    graph = report.graph
    nested = set(graph.objects(None, SH.detail))
    return [
        (graph.value(r, SH.focusNode), graph.value(r, SH.sourceShape), graph.value(r, SH.sourceConstraint))
        for r in graph.subjects(RDF.type, SH.ValidationResult)
        if graph.value(r, SH.resultSeverity) == SH.Violation and r not in nested
    ]


def nipa_classes() -> set[URIRef]:
    ontology = ontology_graph()
    return {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(NIPA)}


def code_list_classes() -> set[URIRef]:
    """nipa: classes with a concept scheme named after them (model: code lists)."""
    ontology = ontology_graph()
    return {c for c in nipa_classes() if (URIRef(c + "Scheme"), RDF.type, None) in ontology}


def list_members(graph: Graph, node: Node) -> set[Node]:
    return set(Collection(graph, node))


# ---------------------------------------------------------------------------------------------------------
# Fixtures


def test_base_fixture_conforms() -> None:
    report = reasoned_report(load_turtle([BASE_FIXTURE], DEFAULT_BASE))
    assert report.conforms, "fixtures/_base.ttl must conform:\n" + describe(report)


@pytest.mark.parametrize("shape", top_level_shapes(), ids=local_name)
def test_fixture_breaks_its_shape_only(shape: URIRef) -> None:
    name = local_name(shape)
    assert (FIXTURES / f"{name}.ttl").is_file(), f"no fixture for nipash:{name}: add fixtures/{name}.ttl"
    report = fixture_report(name)
    broken = {owning_shape(source) for _, source, _ in raw_results(report)}
    assert broken == {shape}, f"fixtures/{name}.ttl should break nipash:{name} only:\n" + describe(report)


def test_every_shape_has_a_fixture() -> None:
    """A new top-level shape cannot be added without its broken fixture."""
    missing = sorted(
        local_name(s) for s in top_level_shapes() if not (FIXTURES / f"{local_name(s)}.ttl").is_file()
    )
    assert not missing, f"top-level shapes without fixtures/<name>.ttl: {missing}"


def test_every_fixture_names_a_shape() -> None:
    names = {local_name(s) for s in top_level_shapes()}
    orphans = sorted(
        p.name for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_") and p.stem not in names
    )
    assert not orphans, f"fixtures for no top-level shape: {orphans}"


def test_every_constraint_is_exercised() -> None:
    """Every named property shape and SPARQL constraint is violated by at least one fixture."""
    hit: set[Node] = set()
    for shape in top_level_shapes():
        if (FIXTURES / f"{local_name(shape)}.ttl").is_file():
            for _, source, constraint in raw_results(fixture_report(local_name(shape))):
                hit.update({source, constraint})
    missed = sorted(local_name(c) for c in [*named_property_shapes(), *sparql_constraints()] if c not in hit)
    assert not missed, f"constraints no fixture violates: {missed}"


# ---------------------------------------------------------------------------------------------------------
# The shapes graph describes itself


def test_shapes_graph_metadata() -> None:
    shapes = shapes_graph()
    assert (SHAPES_GRAPH_IRI, RDF.type, OWL.Ontology) in shapes
    titles = {t.language for t in shapes.objects(SHAPES_GRAPH_IRI, DCTERMS.title) if isinstance(t, Literal)}
    assert {"en", "ko"} <= titles
    assert (SHAPES_GRAPH_IRI, DCTERMS.license, CC_BY_4) in shapes


def test_every_shape_and_constraint_is_named_labelled_and_explained() -> None:
    shapes = shapes_graph()
    problems = []
    for node in [*top_level_shapes(), *named_property_shapes(), *sparql_constraints()]:
        labels = {lit.language for lit in shapes.objects(node, RDFS.label) if isinstance(lit, Literal)}
        if "en" not in labels:
            problems.append(f"{local_name(node)}: no English rdfs:label")
    for node in [*named_property_shapes(), *sparql_constraints()]:
        messages = {m.language for m in shapes.objects(node, SH.message) if isinstance(m, Literal)}
        if not {"en", "ko"} <= messages:
            problems.append(f"{local_name(node)}: sh:message needs @en and @ko, has {messages}")
    for node in top_level_shapes():
        if shapes.value(node, RDFS.comment) is None:
            problems.append(f"{local_name(node)}: no rdfs:comment")
        own_constraints = {SH["in"], SH["not"], SH["or"], SH["class"], SH.node}
        if (
            any(shapes.value(node, p) is not None for p in own_constraints)
            and shapes.value(node, SH.message) is None
        ):
            problems.append(f"{local_name(node)}: node-level constraint without sh:message")
    anonymous = [s for s in shapes.objects(None, SH.property) if isinstance(s, BNode)]
    anonymous += [s for s in shapes.objects(None, SH.sparql) if isinstance(s, BNode)]
    if anonymous:
        problems.append(f"{len(anonymous)} property shape(s) / SPARQL constraint(s) without an IRI")
    assert not problems, "\n".join(problems)


def test_every_nipa_class_has_a_shape() -> None:
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    class_shapes = {URIRef(str(SHAPES) + c.removeprefix(str(NIPA)) + "Shape") for c in nipa_classes()}
    missing = sorted(local_name(s) for s in class_shapes if (s, SH.targetClass, None) not in shapes_graph())
    assert not missing, f"classes without a nipash:<Class>Shape: {missing}"
    assert nipa_classes() <= targeted


def test_labels_and_provenance_cover_every_class() -> None:
    shapes = shapes_graph()
    labelled = set(shapes.objects(SHAPES.LabelShape, SH.targetClass))
    assert labelled == nipa_classes()
    derived = set(shapes.objects(SHAPES.ProvenanceShape, SH.targetClass))
    assert derived == nipa_classes() - code_list_classes() - NOT_FACT_BEARING


def test_code_list_values_match_the_ontology() -> None:
    """Every sh:in that lists code-list concepts lists exactly the members the ontology gives that list."""
    shapes, ontology = shapes_graph(), ontology_graph()
    members = {c: set(ontology.subjects(RDF.type, c)) for c in code_list_classes()}
    assert all(members.values()), "a code list without members in the ontology"
    checked = set()
    for holder, values in shapes.subject_objects(SH["in"]):
        listed = list_members(shapes, values)
        owners = {c for c, m in members.items() if listed & m}
        if not owners:
            continue
        assert len(owners) == 1, f"{local_name(holder)} mixes code lists"
        (owner,) = owners
        assert listed == members[owner], f"{local_name(holder)}: sh:in differs from the members of {owner}"
        checked.add(owner)
    assert checked == set(members), f"code lists no sh:in checks: {set(members) - checked}"


# ---------------------------------------------------------------------------------------------------------
# The real data, and the shapes under another base


def test_real_data_conforms(built: Build) -> None:
    """graph/data/*.ttl + ontology, reasoned, against shapes/ (the session build fails on a violation)."""
    assert built.report.conforms, "graph/data/*.ttl does not conform:\n" + describe(built.report)
    assert not built.report.results, "graph/data/*.ttl draws warnings:\n" + "\n".join(
        f"  {r.focus} [{r.source_shape}] {r.message}" for r in built.report.results
    )


@pytest.mark.parametrize(
    ("name", "focus"),
    [("DivisionBudgetSumShape", "division-over"), ("LabelShape", "label-none")],
)
def test_shapes_follow_the_base(name: str, focus: str) -> None:
    """Rebased, the SHACL-SPARQL constraints and targets still see the data (their prefixes move with the
    base): a rebased fixture still breaks its shape, and only it, at the node only SPARQL can find."""
    base = "https://example.org/kg/"
    results = raw_results(fixture_report(name, base))
    broken = {str(owning_shape(source, base)).removeprefix(base + "shapes#") for _, source, _ in results}
    assert broken == {name}, describe(fixture_report(name, base))
    assert URIRef(f"{base}id/fixture/{focus}") in {node for node, _, _ in results}
