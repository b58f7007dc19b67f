"""The SERVICE check: every form pyoxigraph reads as a SERVICE clause is found; ordinary names are not."""

from __future__ import annotations

import time

import pytest

from nipa_kg.server.query.lexer import Lexed
from nipa_kg.server.query.policy import QueryRefused, check_query

FOUND = {
    "plain": ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", "<http://x/sparql>"),
    "lower case, SILENT": ("SELECT * { service silent <http://x/> { ?s ?p ?o } }", "<http://x/>"),
    "variable target": ("SELECT * { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }", "?e"),
    "prefixed target": ("PREFIX x: <http://x/> SELECT * { SERVICE x:sparql { ?s ?p ?o } }", "x:sparql"),
    "glued to a number": ("ASK { ?s ?p 1SERVICE <http://x/> {} }", "<http://x/>"),
    "glued to a decimal": ("ASK { ?s ?p 1.5SERVICE <http://x/> {} }", "<http://x/>"),
    "glued to true": ("ASK { ?s ?p trueSERVICE <http://x/> {} }", "<http://x/>"),
    "after a variable and a dot": ("ASK { ?s ?p ?o.SERVICE <http://x/> {} }", "<http://x/>"),
    "after a language tag and a dot": ('ASK { ?s ?p "x"@en.SERVICE <http://x/> {} }', "<http://x/>"),
    "after a string": ('ASK { ?s ?p "x"SERVICE <http://x/> {} }', "<http://x/>"),
    "after an IRI": ("ASK { ?s ?p <http://a>SERVICE<http://x/>{} }", "<http://x/>"),
    "colon target": ("PREFIX : <http://x/> ASK { <a> <b> <c> SERVICE:y {} }", ":y"),
    "a prefix named service": ("PREFIX service: <http://x/> ASK { ?s ?p service:y }", ":y"),
    "in a subquery": ("SELECT * { { SELECT * { SERVICE <http://x/> { ?s ?p ?o } } } }", "<http://x/>"),
    "in FILTER EXISTS": ("ASK { FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }", "<http://x/>"),
    "after a comment line": ("ASK {\n# a comment\nSERVICE <http://x/> {} }", "<http://x/>"),
    "codepoint escape": ("ASK { \\u0053ERVICE <http://x/> {} }", "<http://x/>"),
}

NOT_FOUND = {
    "sd:Service": "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> ASK { ?s a sd:Service }",
    "variable ?service": "SELECT ?service { ?service ?p ?o }",
    "variable glued": "SELECT * { ?s ?p ?oSERVICE }",
    "string": 'SELECT * { ?s ?p "SERVICE <http://x/> {}" }',
    "long string": "SELECT * { ?s ?p '''it's a\nSERVICE <http://x/> {}''' }",
    "escaped quote in a string": r'SELECT * { ?s ?p "a \" SERVICE <http://x/> {}" }',
    "IRI": "SELECT * { <http://x/SERVICE> ?p ?o }",
    "comment": "SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}",
    "local name": "PREFIX schema: <http://schema.org/> SELECT * { ?s schema:serviceType ?t }",
    "blank node label": "SELECT * { _:service ?p ?o }",
    "language tag": 'SELECT * { ?s ?p "x"@en-service }',
}


@pytest.mark.parametrize(("query", "target"), FOUND.values(), ids=FOUND.keys())
def test_service_clause_is_found(query: str, target: str) -> None:
    assert target in Lexed(query).service_targets
    with pytest.raises(QueryRefused, match="SERVICE is not allowed"):
        check_query(Lexed(query))


@pytest.mark.parametrize("query", NOT_FOUND.values(), ids=NOT_FOUND.keys())
def test_ordinary_names_are_not_service_clauses(query: str) -> None:
    assert Lexed(query).service_targets == []
    check_query(Lexed(query))


@pytest.mark.parametrize(
    "text",
    ["a." * 500_000, '"' * 10**6, "'''" + "x" * 10**6, "<a" * 500_000, "?" * 10**6, "\\u" * 500_000],
    ids=["dotted run", "quotes", "open long string", "open IRIs", "question marks", "escapes"],
)
def test_a_megabyte_of_hostile_text_is_scanned_in_linear_time(text: str) -> None:
    start = time.perf_counter()
    assert isinstance(Lexed(text).service_targets, list)
    assert time.perf_counter() - start < 2
