import pyoxigraph
import pytest

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS


def test_rdf_formats_cover_the_dumps():
    assert RDF_FORMATS.names == ("ttl", "nt", "jsonld", "trig", "nq", "xml")
    assert {f.name for f in RDF_FORMATS if f.named_graphs} == {"trig", "nq"}


@pytest.mark.parametrize("fmt", list(RDF_FORMATS) + list(RESULTS_FORMATS), ids=lambda f: f.name)
def test_every_format_maps_to_oxigraph(fmt):
    assert fmt.oxigraph.media_type.split(";")[0] == fmt.media_type


def test_every_rdf_format_is_an_rdflib_plugin():
    from rdflib.plugin import Parser, Serializer, get

    for fmt in RDF_FORMATS:
        assert get(fmt.rdflib, Parser) and get(fmt.rdflib, Serializer)


@pytest.mark.parametrize(
    ("path", "name"),
    [("a.ttl", "ttl"), ("dir/x.TRIG", "trig"), ("x.rdf", "xml"), ("x.owl", "xml"), ("x.json", "jsonld")],
)
def test_by_extension(path, name):
    assert RDF_FORMATS.by_extension(path).name == name


def test_by_media_type_ignores_parameters_and_case():
    assert RDF_FORMATS.by_media_type("Text/Turtle; charset=utf-8").name == "ttl"
    assert RESULTS_FORMATS.by_media_type("application/sparql-results+json").name == "json"
    assert RESULTS_FORMATS.by_media_type("text/tab-separated-values").name == "tsv"


def test_by_name():
    assert RDF_FORMATS.by_name("NQ").media_type == "application/n-quads"
    assert RESULTS_FORMATS.by_name("csv").extension == "csv"


@pytest.mark.parametrize(
    ("lookup", "message"),
    [
        (lambda: RDF_FORMATS.by_extension("data.docx"), "data.docx: unknown RDF format (extension '.docx')"),
        (lambda: RDF_FORMATS.by_extension("README"), "README: no file extension"),
        (lambda: RDF_FORMATS.by_name("n3"), "unknown RDF format 'n3'"),
        (lambda: RESULTS_FORMATS.by_media_type("text/html"), "unknown SPARQL results media type 'text/html'"),
    ],
)
def test_misses_are_input_errors_listing_the_known_formats(lookup, message):
    with pytest.raises(InputError, match="known: ") as caught:
        lookup()
    assert str(caught.value).startswith(message)


def test_media_types_lists_every_accepted_type():
    assert "application/x-turtle" in RDF_FORMATS.media_types
    assert pyoxigraph.RdfFormat.TURTLE.media_type in RDF_FORMATS.media_types
