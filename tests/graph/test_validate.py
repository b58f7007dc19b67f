import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from nipa_kg.core.errors import InputError
from nipa_kg.core.namespaces import ID, NIPA, SCHEMA, SH
from nipa_kg.graph.load import load_data, load_ontology, load_shapes, load_turtle, new_graph
from nipa_kg.graph.reason import infer
from nipa_kg.graph.validate import path_text, render, validate

BASE = "https://w3id.org/nipa-kg/"


def report_for(settings):
    ontology, data = load_ontology(settings), load_data(settings)
    return validate((ontology, data, infer(ontology, data, settings.base).inferred), load_shapes(settings))


@pytest.fixture(scope="module")
def invalid_report(mini_settings):
    return report_for(mini_settings(data="invalid"))


def test_valid_data_conforms(mini_settings):
    report = report_for(mini_settings())
    assert report.conforms
    assert not report.results


def test_invalid_data_lists_every_result(invalid_report):
    assert not invalid_report.conforms
    found = {(r.severity_name, r.focus, r.path) for r in invalid_report.results}
    assert found == {
        ("Violation", ID["amount/bad"], None),  # SHACL-SPARQL: no English label
        ("Violation", ID["amount/bad"], f"<{SCHEMA.value}>"),
        ("Violation", ID["amount/bad"], f"<{NIPA.asWritten}>"),
        ("Violation", ID["division/orphan"], f"^<{NIPA.hasDivision}>"),
        ("Warning", ID["amount/bad"], f"<{NIPA.budgetOf}>"),
    }
    assert len(invalid_report.violations) == 4


def test_results_carry_value_message_and_named_shape(invalid_report):
    datatype = next(r for r in invalid_report.results if r.path == f"<{SCHEMA.value}>")
    assert datatype.value == Literal("일조")
    assert datatype.message == "schema:value is one xsd:decimal in KRW"
    assert datatype.source_shape == URIRef(BASE + "shapes#BudgetAmountShape")  # not the blank property shape
    assert datatype.constraint == SH.DatatypeConstraintComponent


def test_warnings_alone_conform(invalid_report):
    assert invalid_report.count(SH.Warning) == 1
    assert not type(invalid_report)(invalid_report.results[-1:], invalid_report.graph).violations


def test_text_report_is_one_line_per_result(invalid_report):
    text = render(invalid_report, "text", BASE)
    lines = text.splitlines()
    assert lines[0] == "does not conform: 4 violations, 1 warning, 0 infos"
    assert len(lines) == 6
    assert (
        "Violation: division:orphan ^nipa:hasDivision: a division belongs to an agency "
        "[nipash:DivisionShape, sh:MinCountConstraintComponent]"
    ) in lines
    assert 'Violation: amount:bad schema:value = "일조": schema:value is one xsd:decimal in KRW' in text


def test_json_report(invalid_report):
    report = json.loads(render(invalid_report, "json", BASE))
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 4, "Warning": 1, "Info": 0}
    orphan = next(r for r in report["results"] if r["focus"]["value"].endswith("orphan"))
    assert orphan["path"] == f"^<{NIPA.hasDivision}>"
    assert orphan["sourceShape"] == {"type": "uri", "value": BASE + "shapes#DivisionShape"}
    assert orphan["value"] is None


def test_turtle_report_is_the_shacl_report_graph(invalid_report):
    graph = Graph().parse(data=render(invalid_report, "turtle", BASE), format="turtle")
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == 5
    assert "sh:sourceShape nipash:BilingualLabelShape" in render(invalid_report, "turtle", BASE)


def test_complex_paths_render_as_sparql_paths():
    graph = new_graph()
    sequence, inverse, alternatives, star = BNode(), BNode(), BNode(), BNode()
    Collection(graph, sequence, [NIPA.hasPlan, inverse])
    graph.add((inverse, SH.inversePath, NIPA.hasDivision))
    graph.add((alternatives, SH.alternativePath, Collection(graph, BNode(), [NIPA.funds, star]).uri))
    graph.add((star, SH.zeroOrMorePath, NIPA.locatedIn))
    name = lambda iri: iri.n3(graph.namespace_manager)  # noqa: E731
    assert path_text(graph, sequence, name) == "nipa:hasPlan/^nipa:hasDivision"
    assert path_text(graph, alternatives, name) == "(nipa:funds|(nipa:locatedIn)*)"


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ('sh:sparql [ sh:select "SELEC $this WHERE { $this ?p ?o }" ]', "SPARQL syntax error"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }" ]', "pre-bound"),
        ("sh:path ex:p ; sh:minCount 1", "cannot be the subject of a 'sh:path'"),
    ],
)
def test_broken_shapes_are_an_input_error(mini_settings, tmp_path, shape, message):
    (tmp_path / "bad.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        f"ex:S a sh:NodeShape ; sh:targetNode ex:x ; {shape} .\n"
    )
    with pytest.raises(InputError, match=f"^invalid SHACL shapes: .*{message}"):
        validate([load_data(mini_settings())], load_turtle([tmp_path / "bad.ttl"], BASE))
