"""`SELECT *` projects its variables in the order the query first names them (`projection.star_order`)."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from nipa_kg.core.formats import RESULTS_FORMATS
from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.query.projection import star_order
from nipa_kg.server.store.base import GraphResult, QueryOptions, SolutionsResult
from nipa_kg.server.store.embedded import EmbeddedStore

OPTIONS = QueryOptions(timeout=10, row_cap=1000)


def head(result: SolutionsResult) -> list[str]:
    return result.document["head"]["vars"]


def run(store: EmbeddedStore, text: str) -> SolutionsResult:
    result = star_order(Lexed(text), store.query(Lexed(text), OPTIONS))
    assert isinstance(result, SolutionsResult)
    return result


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", ["s", "p", "o"]),
        ("select distinct * { ?s ?p ?o } LIMIT 1", ["s", "p", "o"]),
        ("SELECT * { ?s ?p $o OPTIONAL { $o ?q ?zz } BIND(1 AS ?a) }", ["s", "p", "o", "q", "zz", "a"]),
        ("# SELECT ?z\nSELECT * { ?s ?p ?o FILTER(?o != '?x') }", ["s", "p", "o"]),
        ("SELECT ?p ?s { ?s ?p ?o }", ["p", "s"]),  # an explicit projection is kept as written
        ("SELECT ?n { { SELECT * { ?s ?p ?o } } BIND(1 AS ?n) }", ["n"]),
    ],
)
def test_select_star_follows_the_query(store: EmbeddedStore, text: str, names: list[str]) -> None:
    assert head(run(store, text)) == names


def test_only_the_head_changes(store: EmbeddedStore) -> None:
    text = "SELECT * { ?s ?p ?o } ORDER BY ?s ?p ?o"
    before = store.query(Lexed(text), OPTIONS)
    after = run(store, text)
    assert isinstance(before, SolutionsResult)
    assert after.json.split(b'"results"', 1)[1] == before.json.split(b'"results"', 1)[1]
    assert after.document["results"] == before.document["results"]
    table = list(csv.reader(io.StringIO(after.serialize(RESULTS_FORMATS.by_name("csv")).decode())))
    assert table[0] == ["s", "p", "o"] and len(table) == len(after.document["results"]["bindings"]) + 1


def test_rows_made_by_the_row_reader_and_a_truncated_result() -> None:
    result = SolutionsResult.of_rows(["o", "s"], ['{"o":{"type":"literal","value":"x"}}'], truncated=True)
    reordered = star_order(Lexed("SELECT * { ?s ?p ?o }"), result)
    assert isinstance(reordered, SolutionsResult)
    assert reordered.document["head"]["vars"] == ["s", "o"] and reordered.truncated
    assert reordered.document["results"]["bindings"] == [{"o": {"type": "literal", "value": "x"}}]


def test_other_results_are_untouched(store: EmbeddedStore) -> None:
    ask = store.query(Lexed("ASK { ?s ?p ?o }"), OPTIONS)
    assert star_order(Lexed("ASK { ?s ?p ?o }"), ask) is ask
    graph = GraphResult([])
    assert star_order(Lexed("CONSTRUCT WHERE { ?s ?p ?o }"), graph) is graph
    odd = SolutionsResult(b'{"results":{"bindings":[]},"head":{"vars":["o","s"]}}')
    assert star_order(Lexed("SELECT * { ?s ?p ?o }"), odd).document == {
        "head": {"vars": ["s", "o"]},
        "results": {"bindings": []},
    }


def test_the_endpoint_answers_select_star_in_query_order(client: FlaskClient) -> None:
    """Regression: pyoxigraph sorted them by name (`o,p,s`)."""
    response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1", "format": "csv"})
    assert response.get_data(as_text=True).splitlines()[0] == "s,p,o"
