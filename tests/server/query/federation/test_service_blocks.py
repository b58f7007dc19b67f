"""Finding SERVICE blocks with rdflib's parser (`service_blocks`), and the bound join's group prefix."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from nipa_kg.server.query.policy import QueryRefused
from nipa_kg.server.query.service_blocks import find_services, group_prefix

TRICKY = """PREFIX ex: <http://example.org/>
# SERVICE <http://in-a-comment/> { }
SELECT * WHERE {
  ?s ex:p "SERVICE <http://in-a-string/> { }" .
  service   silent ex:sparql { ?s ex:q ?o # }
    FILTER(?o != "}") SERVICE <http://nested/> { SERVICE <http://deeper/> { } } }
  OPTIONAL { ?s ?p ?o.SERVICE <relative> { } }
}"""


def test_outermost_blocks_are_found_with_their_extent_target_and_silence() -> None:
    query = find_services(TRICKY, base_iri="http://us/sparql")
    first, second = query.services
    assert query.text[first.start : first.end].startswith("service   silent ex:sparql {")
    assert query.text[first.start : first.end].endswith("SERVICE <http://deeper/> { } } }")
    assert (first.written, first.endpoint, first.silent) == ("ex:sparql", "http://example.org/sparql", True)
    assert query.text[first.group_start] == "{"
    assert query.text[second.start : second.end] == "SERVICE <relative> { }"
    assert (second.endpoint, second.silent) == ("http://us/relative", False)
    assert query.prologue == "PREFIX ex: <http://example.org/>"
    assert not query.names_dataset


def test_escapes_are_decoded_and_a_dataset_is_noticed() -> None:
    query = find_services("SELECT * FROM <http://g/> { \\u0053ERVICE <http://x/> { } }")
    (block,) = query.services
    assert query.text[block.start : block.end] == "SERVICE <http://x/> { }"
    assert query.names_dataset


def test_a_variable_endpoint_has_none() -> None:
    (block,) = find_services("SELECT * { SERVICE ?e { ?s ?p ?o } }").services
    assert (block.written, block.endpoint) == ("?e", None)


@pytest.mark.parametrize(
    "query",
    ["SELECT * { SERVICE <http://x/> { ?s ?p } }", "PREFIX service: <http://x/> ASK { ?s ?p service:y }"],
    ids=["syntax error", "a prefix named service"],
)
def test_unreadable_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE is not allowed here: the query could not be read"):
        find_services(query)


def test_the_parser_is_safe_across_threads() -> None:
    queries = [f"SELECT * {{ ?s ?p {n} SERVICE <http://x/{n}> {{ ?s ?p ?o }} }}" for n in range(40)]
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda q: find_services(q).services[0].endpoint, queries))
    assert found == [f"http://x/{n}" for n in range(40)]


@pytest.mark.parametrize(
    ("query", "prefix"),
    [
        ("SELECT * { ?a ?b ?c . FILTER(?c) ?c ?d ?e SERVICE <x> { } }", " ?a ?b ?c .  ?c ?d ?e "),
        (
            "SELECT * { ?a ?b ?c OPTIONAL { ?c ?d ?e FILTER(?e) } SERVICE <x> { } }",
            " ?a ?b ?c OPTIONAL { ?c ?d ?e FILTER(?e) } ",
        ),
        ("SELECT * { ?a ?b ?c { ?c ?d ?e SERVICE <x> { } } }", " ?c ?d ?e "),
        ("SELECT * { ?a ?b ?c GRAPH ?g { ?c ?d ?e SERVICE <x> { } } }", None),
    ],
    ids=["group FILTER left out", "nested FILTER kept", "inner group", "GRAPH"],
)
def test_the_group_prefix_of_a_block(query: str, prefix: str | None) -> None:
    assert group_prefix(query, query.index("SERVICE")) == prefix
