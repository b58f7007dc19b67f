import csv
import io
import json

import pyoxigraph
import pytest

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.graph.export import serialize
from nipa_kg.server.query.local import render_result, run_query, store_from_file, store_of, table, width

BASE = "https://w3id.org/nipa-kg/"
LABELS = "SELECT ?label WHERE { id:agency\\/nipa rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def store(mini_build):
    return store_of(mini_build.dataset)


def run(store, sparql, fmt="table"):
    return render_result(run_query(store, sparql, BASE), fmt, BASE).decode("utf-8")


def test_the_default_graph_is_the_union_and_named_graphs_stay(store):
    assert run(store, "ASK { ?s a nipa:Agency }") == "true\n"
    assert run(store, "ASK { GRAPH graph:inferred { id:agency\\/nipa a schema:Organization } }") == "true\n"
    assert run(store, "ASK { GRAPH graph:data { id:agency\\/nipa a schema:Organization } }") == "false\n"


def test_table_is_aligned_with_compact_terms(store):
    lines = run(store, LABELS).splitlines()
    assert lines == [
        "?label",
        "-" * width('"정보통신산업진흥원"@ko'),
        '"NIPA"@en',
        '"정보통신산업진흥원"@ko',
        "(2 rows)",
    ]


def test_table_aligns_wide_characters_and_blanks_unbound():
    store = pyoxigraph.Store()
    text = table(store.query('SELECT ?a ?b WHERE { VALUES (?a ?b) { ("한국" UNDEF) ("ab" "c") } }'), {})
    assert text.splitlines() == ["?a      ?b", "------  ---", '"한국"', '"ab"    "c"', "(2 rows)"]


def test_json(store):
    results = json.loads(run(store, LABELS, "json"))
    assert [b["label"]["xml:lang"] for b in results["results"]["bindings"]] == ["en", "ko"]


def test_csv_and_tsv(store):
    assert list(csv.reader(io.StringIO(run(store, LABELS, "csv")))) == [
        ["label"],
        ["NIPA"],
        ["정보통신산업진흥원"],
    ]
    assert run(store, LABELS, "tsv").splitlines() == ["?label", '"NIPA"@en', '"정보통신산업진흥원"@ko']


def test_xml(store):
    assert "<sparql" in run(store, LABELS, "xml")


def test_construct_is_turtle_with_the_prefixes_it_uses(store):
    turtle = run(store, "CONSTRUCT { ?d a nipa:Division } WHERE { ?d a nipa:Division }", "json")
    assert "@prefix nipa: <https://w3id.org/nipa-kg/ontology#> ." in turtle
    assert "@prefix schema:" not in turtle


@pytest.mark.parametrize(
    ("sparql", "source", "message"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", None, "line 1: SPARQL syntax error at column 1: a query starts with"),
        ("SELECT *\nWHERE {\n ?s ?p }", "q.rq", "q.rq:3: SPARQL syntax error at column 2: this triple"),
        (
            "SELECT * { ?s foo:p ?o }",
            None,
            'line 1: SPARQL syntax error at column 15: the prefix "foo:" is not',
        ),
        ("INSERT DATA { nipa:a nipa:b nipa:c }", "u.rq", "u.rq: INSERT is SPARQL Update, not a query"),
        ("", None, "the query is empty"),
    ],
)
def test_a_syntax_error_is_one_line_with_its_place(store, sparql, source, message):
    with pytest.raises(InputError) as caught:
        run_query(store, sparql, BASE, source)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_store_from_a_dump(mini_build, tmp_path):
    path = tmp_path / "nipa-kg.trig"
    path.write_bytes(serialize(mini_build.dataset, RDF_FORMATS.by_name("trig"), BASE))
    assert run(store_from_file(path), "ASK { GRAPH graph:metadata { ?d a void:Dataset } }") == "true\n"


def test_store_from_a_broken_or_missing_file(fixtures, tmp_path):
    with pytest.raises(InputError, match=r"unterminated.ttl:5: "):
        store_from_file(fixtures / "broken" / "unterminated.ttl")
    with pytest.raises(InputError, match="nothere.nq"):
        store_from_file(tmp_path / "nothere.nq")
