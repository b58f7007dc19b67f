import json

import pytest
from rdflib import Dataset, Graph, URIRef

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import GRAPH_NAMES
from nipa_kg.graph import oxwrite
from nipa_kg.graph.export import assemble, context, serialize, serialize_graph, union

BASE = "https://w3id.org/nipa-kg/"
TRIPLE_FORMATS = [f for f in RDF_FORMATS if not f.named_graphs]
DATASET_FORMATS = [f for f in RDF_FORMATS if f.named_graphs]


@pytest.fixture(scope="module")
def merged(built_dataset):
    return union(built_dataset, BASE)


def test_the_dataset_has_the_five_named_graphs(built_dataset):
    names = {str(g.identifier): len(g) for g in built_dataset.graphs() if len(g)}
    assert set(names) == {f"{BASE}graph/{name}" for name in GRAPH_NAMES}


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS, ids=lambda f: f.name)
def test_union_dumps_round_trip(built_dir, merged, same_graph, fmt):
    parsed = Graph().parse(built_dir / f"nipa-kg.{fmt.extension}", format=fmt.rdflib)
    assert same_graph(parsed, merged)


@pytest.mark.parametrize("fmt", DATASET_FORMATS, ids=lambda f: f.name)
def test_dataset_dumps_round_trip_per_named_graph(built_dir, built_dataset, same_graph, fmt):
    parsed = Dataset().parse(built_dir / f"nipa-kg.{fmt.extension}", format=fmt.rdflib)
    for name in GRAPH_NAMES:
        iri = URIRef(f"{BASE}graph/{name}")
        assert same_graph(parsed.graph(iri), built_dataset.graph(iri)), name


def test_jsonld_is_compacted_with_our_context(built_dir):
    document = json.loads((built_dir / "nipa-kg.jsonld").read_text("utf-8"))
    assert document["@context"] == context(BASE)["@context"]
    agency = next(node for node in document["@graph"] if node["@id"] == f"{BASE}id/agency/nipa")
    assert set(agency["label"]) == {"ko", "en"}  # a language map
    amount = next(node for node in document["@graph"] if node["@id"] == f"{BASE}id/amount/total-2025")
    assert isinstance(amount["value"], str)  # xsd:decimal by the term's @type, not a JSON float


def test_the_published_context_is_valid_and_written(built_dir):
    published = json.loads((built_dir / "context.jsonld").read_text("utf-8"))
    assert published == context(BASE)
    terms = published["@context"]
    assert terms["schema"] == "http://schema.org/" and terms["@vocab"] == "http://schema.org/"
    assert terms["value"] == {"@id": "schema:value", "@type": "xsd:decimal"}
    Graph().parse(
        data=json.dumps({**published, "@id": f"{BASE}id/x", "label": {"en": "x"}}), format="json-ld"
    )


def test_the_context_follows_the_base():
    terms = context("http://localhost/kg/")["@context"]
    assert terms["nipa"] == "http://localhost/kg/ontology#"
    assert terms["id"] == "http://localhost/kg/id/"
    assert terms["schema"] == "http://schema.org/"


def test_void_file_is_the_metadata_graph(built_dir, built_dataset, same_graph):
    void = Graph().parse(built_dir / "void.ttl", format="turtle")
    assert same_graph(void, built_dataset.graph(URIRef(f"{BASE}graph/metadata")))


@pytest.mark.parametrize("fmt", list(RDF_FORMATS), ids=lambda f: f.name)
def test_serialize_round_trips_on_the_fixtures(mini_build, same_graph, fmt):
    text = serialize(mini_build.dataset, fmt, BASE)
    if fmt.named_graphs:
        parsed = Dataset().parse(data=text, format=fmt.rdflib)
        for name, graph in mini_build.graphs.items():
            assert same_graph(parsed.graph(URIRef(f"{BASE}graph/{name}")), graph)
    else:
        assert same_graph(Graph().parse(data=text, format=fmt.rdflib), union(mini_build.dataset, BASE))


def test_assemble_names_graphs_under_the_base(mini_build, mini_settings):
    dataset = assemble(mini_build.graphs, mini_settings(base="http://localhost/kg/"))
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {
        f"http://localhost/kg/graph/{name}" for name in GRAPH_NAMES
    }


def test_a_term_oxigraph_rejects_is_written_by_rdflib_instead():
    """The fallback of `serialize_graph`: an IRI rdflib writes but Oxigraph refuses (a relative one) makes
    pyoxigraph's writer step aside, and the dump still holds every triple."""
    a, p = URIRef("https://example.org/a"), URIRef("https://example.org/p")
    graph = Graph()
    graph.add((a, p, URIRef("relative/b")))
    graph.add((a, p, URIRef("https://example.org/d")))
    fmt = RDF_FORMATS.by_name("ttl")
    assert oxwrite.write(graph, fmt) is None
    written = serialize_graph(graph, fmt, BASE)
    assert (
        len(Graph().parse(data=written, format="turtle", publicID="https://example.org/")) == 2
        and b"<relative/b>" in written
    )
