"""`messages.explain`: pyoxigraph's syntax errors said for a person, on pyoxigraph's real messages."""

from __future__ import annotations

import pyoxigraph
import pytest

from nipa_kg.server.query.messages import Explained, explain


def parser_message(text: str) -> str:
    with pytest.raises(SyntaxError) as caught:
        pyoxigraph.Store().query(text)
    return str(caught.value)


def explained(text: str) -> Explained:
    return explain(parser_message(text), text)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "the query is empty"),
        ("  # only a comment\n\n", "the query is empty"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT is SPARQL Update, not a query"),
        ("PREFIX ex: <http://x/>\n# note\ndelete where { ?s ?p ?o }", "DELETE is SPARQL Update"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH is SPARQL Update"),
        ("LOAD <http://example.org/data.ttl>", "LOAD is SPARQL Update"),
    ],
)
def test_what_has_no_place(text: str, sentence: str) -> None:
    result = explained(text)
    assert result.sentence.startswith(sentence)
    assert result.line is None and result.caret == ""
    assert str(result) == result.sentence


def test_an_update_says_where_updates_go() -> None:
    assert "/update" in explained("INSERT DATA { <http://a> <http://b> <http://c> }").sentence


@pytest.mark.parametrize(
    ("text", "line", "column", "sentence"),
    [
        (
            "SELEC * WHERE { ?s ?p ?o }",
            1,
            1,
            'a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE, not "SELEC"',
        ),
        ("SELECT * { ?s foo:bar ?o }", 1, 15, 'the prefix "foo:" is not declared (PREFIX foo: <...>)'),
        ('SELECT * WHERE { "한국" ?p 이름:x }', 1, 26, 'the prefix "이름:" is not declared'),
        ("SELECT *\nWHERE {\n ?s ?p ?o", 2, 7, '"{" is never closed'),
        ("SELECT * { ?s ?p ?o } }", 1, 23, '"}" closes nothing'),
        ("SELECT (COUNT(*) AS ?n { ?s ?p ?o }", 1, 8, '"(" is never closed'),
        ('SELECT * WHERE { ?s ?p "abc }', 1, 24, "this string is never closed"),
        ("SELECT ?x { ?s <a b> ?o }", 1, 16, '"<a b>" is not a valid IRI'),
        ("SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p\n}", 3, 3, "this triple pattern is incomplete"),
        ("SELECT * WHERE { ?s ?p ?o\n  ?x ?y ?z }", 2, 3, 'a "." is missing before "?x"'),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o > ) }", 1, 39, 'unexpected ")": expected an expression'),
        ("SELECT * WHERE { ?s ?p ?o } LIMT 5", 1, 29, 'unexpected "LIMT"'),
        ("SELECT * WHERE { ?s ?p ?o } ORDER ?s", 1, 35, 'unexpected "?s": expected BY'),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT x", 1, 35, 'unexpected "x": expected a number'),
        ("DESCRIBE", 1, 9, "the query ends too early: expected a variable, an IRI, a prefixed name"),
        ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", 1, 41, "the SELECT contains a variable that is unbound"),
    ],
)
def test_a_syntax_error_names_its_place_and_what_was_expected(
    text: str, line: int, column: int, sentence: str
) -> None:
    result = explained(text)
    assert (result.line, result.column) == (line, column)
    assert result.sentence.startswith(sentence)
    assert "expected one of" not in result.sentence and len(result.sentence) < 120
    assert result.headline == f"SPARQL syntax error at line {line}, column {column}: {result.sentence}"


def test_valid_rows_of_values_and_a_dot_in_a_run_are_not_taken_for_bad_triples() -> None:
    text = "PREFIX ex: <http://x/> SELECT * { VALUES ?v { 1 2 3 4 } ex:a ex:b ex:c. ex:d ex:e ex:f } }"
    assert explained(text).sentence == '"}" closes nothing'


def test_the_caret_is_under_the_column_counting_wide_characters() -> None:
    result = explained('SELECT * WHERE { "한국" ?p foo:x }')
    assert str(result).splitlines() == [
        'SPARQL syntax error at line 1, column 26: the prefix "foo:" is not declared (PREFIX foo: <...>)',
        '  SELECT * WHERE { "한국" ?p foo:x }',
        "  " + " " * 27 + "^",  # 25 characters before the column, two of them two columns wide
    ]


def test_a_long_line_is_shown_around_the_column() -> None:
    text = "SELECT * WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(30)) + " ?s ?p foo:x }"
    result = explained(text)
    shown, caret = result.caret.splitlines()
    assert len(shown) < 110 and shown.strip().startswith("…")
    assert shown[caret.index("^") :].startswith("foo:x")


def test_hidden_lines_are_not_counted() -> None:
    prologue = "PREFIX ex: <http://example.org/>\n"
    result = explain(
        parser_message(prologue + "SELECT * {\n ?s foo:p ?o }"), prologue + "SELECT * {\n ?s foo:p ?o }", 1
    )
    assert (result.line, result.column, result.line_text) == (2, 5, " ?s foo:p ?o }")
    assert (
        result.in_line
        == 'SPARQL syntax error at column 5: the prefix "foo:" is not declared (PREFIX foo: <...>)'
    )


def test_another_stores_message_is_kept() -> None:
    assert str(explain('Encountered " "}" "} "" at line 1', "SELECT * { }}")) == (
        'Encountered " "}" "} "" at line 1'
    )
    assert explain("Lexical error", "insert data {}").sentence.startswith("INSERT is SPARQL Update")
