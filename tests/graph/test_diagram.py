"""The class diagram drawn from the ontology (`nipa-kg diagram`, graph/diagram.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from nipa_kg.core.namespaces import NIPA
from nipa_kg.graph.diagram import LAYOUT, render_svg
from tests.ontology.sources import ontology, ontology_text, reused

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology()


# --------------------------------------------------------------------------------------------------------
# The class diagram
# --------------------------------------------------------------------------------------------------------


def _classes(graph: Graph) -> list[URIRef]:
    return sorted((c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(NIPA))), key=str)


def test_render_svg_is_deterministic() -> None:
    first = render_svg(ontology())
    second = render_svg(ontology())
    assert first == second
    assert render_svg(ontology() + reused()) == first


def test_render_svg_is_wellformed_and_self_contained() -> None:
    svg = render_svg(ontology())
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<image" not in svg and "@import" not in svg and "href" not in svg
    assert set(re.findall(r"url\(([^)]*)\)", svg)) <= {"#arrow", "#subclass"}


def test_render_svg_mentions_every_class(onto: Graph) -> None:
    svg = render_svg(onto)
    for cls in _classes(onto):
        name = str(cls).removeprefix(str(NIPA))
        assert f'id="class-{name}"' in svg, name
        for label in onto.objects(cls, RDFS.label):
            assert str(label).replace("&", "&amp;") in svg, label


def test_render_svg_draws_object_properties_and_alignment(onto: Graph) -> None:
    svg = render_svg(onto)
    for name in ("hasDivision", "⇆ divisionOf", "administeredBy", "totalBudget", "issueType", "linkGoal"):
        assert f">{name}</text>" in svg, name
    assert "org:FormalOrganization" in svg and "schema:GovernmentOrganization" in svg
    assert "sourceParagraph" in svg  # listed among the properties without a domain


def test_layout_places_every_class(onto: Graph) -> None:
    names = {str(c).removeprefix(str(NIPA)) for c in _classes(onto)}
    assert names == set(LAYOUT)
    cells = [(col, row) for _, col, row in LAYOUT.values()]
    assert len(cells) == len(set(cells))


def test_render_svg_shows_a_class_the_layout_does_not_know(onto: Graph) -> None:
    graph = ontology()
    graph.add((NIPA.Brandnew, RDF.type, OWL.Class))
    graph.add((NIPA.Brandnew, RDFS.label, Literal("Brand-new class", lang="en")))
    svg = render_svg(graph)
    assert 'id="class-Brandnew"' in svg and "Brand-new class" in svg and "Other classes" in svg


def test_render_svg_follows_a_rebased_ontology() -> None:
    text = ontology_text().replace("https://w3id.org/nipa-kg/", "http://example.org/kg/")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    svg = render_svg(graph)
    assert 'id="class-Agency"' in svg and "http://example.org/kg/ontology#" in svg


def test_docs_model_svg_is_current() -> None:
    svg_path = ROOT / "docs" / "model.svg"
    assert svg_path.read_text(encoding="utf-8") == render_svg(ontology()), (
        "docs/model.svg is stale: regenerate it with render_svg (nipa-kg diagram --out docs/model.svg)"
    )
