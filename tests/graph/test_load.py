from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from nipa_kg.core.errors import InputError
from nipa_kg.core.namespaces import ID, NIPA, SH
from nipa_kg.graph.load import load_data, load_ontology, load_rdf_files, load_shapes, load_turtle, rebase

OTHER_BASE = "http://localhost:8080/kg/"


def test_loads_the_fixture_sources(mini_settings):
    settings = mini_settings()
    assert (ID["agency/nipa"], RDF.type, NIPA.Agency) in load_data(settings)
    assert (NIPA.Agency, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in load_ontology(settings)
    assert len(load_shapes(settings)) > 0


def test_prefixes_are_ours_with_http_schema_org(mini_settings):
    namespaces = dict(load_data(mini_settings()).namespaces())
    assert str(namespaces["schema"]) == "http://schema.org/"
    assert str(namespaces["nipa"]) == str(NIPA)


def test_rebase_moves_every_iri_under_the_default_base(mini_settings):
    data = load_data(mini_settings(base=OTHER_BASE))
    iris = {str(term) for triple in data for term in triple if isinstance(term, URIRef)}
    assert not [iri for iri in iris if iri.startswith("https://w3id.org/nipa-kg/")]
    assert (URIRef(OTHER_BASE + "id/agency/nipa"), RDF.type, URIRef(OTHER_BASE + "ontology#Agency")) in data
    assert dict(data.namespaces())["id"] == URIRef(OTHER_BASE + "id/")


def test_rebase_moves_shacl_namespaces_and_sparql_text(mini_settings):
    shapes = load_shapes(mini_settings(base=OTHER_BASE))
    namespaces = set(shapes.objects(None, SH.namespace))
    assert Literal(OTHER_BASE + "ontology#", datatype=XSD.anyURI) in namespaces
    assert Literal("https://w3id.org/nipa-kg/ontology#", datatype=XSD.anyURI) not in namespaces


def test_rebase_keeps_other_literals_and_external_iris(fixtures):
    graph = load_turtle([fixtures / "data" / "mini.ttl"], OTHER_BASE)
    assert (URIRef(OTHER_BASE + "id/agency/nipa"), RDFS.label, Literal("NIPA", lang="en")) in graph
    assert URIRef("http://www.wikidata.org/entity/Q16178836") in set(graph.objects())


def test_rebase_to_the_default_base_is_the_identity(mini_settings):
    graph = load_data(mini_settings())
    assert rebase(graph, "https://w3id.org/nipa-kg/") is graph


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("unterminated.ttl", 5, "newline found in string literal"),
        ("extra-object.trig", 4, "expected '.' or '}' or ']' at end of statement"),
        ("bad-object.nt", 2, "Invalid line"),
        ("missing-dot.nq", 3, "Invalid line"),
        ("mismatched-tag.rdf", 4, "mismatched tag"),
        ("bad-comma.jsonld", 3, "Expecting property name"),
    ],
)
def test_a_syntax_error_names_file_and_line(fixtures, name, line, message):
    path = fixtures / "broken" / name
    with pytest.raises(InputError) as caught:
        load_rdf_files([path])
    error = caught.value
    assert (error.file, error.line) == (str(path), line)
    assert str(error).startswith(f"{path}:{line}: {message}")
    assert "\n" not in str(error)


def test_a_syntax_error_in_a_source_folder_names_it(mini_settings, tmp_path: Path):
    (tmp_path / "a.ttl").write_text("@prefix nipa: <https://w3id.org/nipa-kg/ontology#> .\nnipa:x nipa:y .\n")
    with pytest.raises(InputError, match=rf"^{tmp_path / 'a.ttl'}:2: "):
        load_data(mini_settings(data=str(tmp_path)))


def test_a_missing_file_or_folder_is_an_input_error(mini_settings, tmp_path: Path):
    with pytest.raises(InputError, match="nothere.ttl: No such file"):
        load_rdf_files([tmp_path / "nothere.ttl"])
    with pytest.raises(InputError, match="no such directory"):
        load_data(mini_settings(data=str(tmp_path / "nothere")))


def test_an_unknown_extension_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="unknown RDF format"):
        load_rdf_files([tmp_path / "data.csv"])


def test_rdf_files_keep_their_named_graphs(built_dir: Path):
    dataset = load_rdf_files([built_dir / "nipa-kg.trig"])
    names = {str(graph.identifier) for graph in dataset.graphs() if len(graph)}
    assert names == {
        f"https://w3id.org/nipa-kg/graph/{n}" for n in ("ontology", "data", "inferred", "shapes", "metadata")
    }
