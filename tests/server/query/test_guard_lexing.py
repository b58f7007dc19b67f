"""The query guard's lexer (server/query/guard_lexer.py): text inside strings, IRIs and comments does not
count, `<` is told as less-than or an IRI, and the `<` that reads two ways with quotes after it is refused.
"""

from __future__ import annotations

import pytest

from nipa_kg.server.query.guard import QueryTooComplex, check, measure

# ---- what is not counted ---------------------------------------------------------------------------------

NOISE = "{{{ ((( [[[ ||| &&& +++ !!! ... ;;; ,,, UNION VALUES }}} ))) ]]]"
PLAIN = "SELECT * WHERE { ?s <http://e/p> ?o . ?s <http://e/q> X . FILTER(?o > 1) }"


@pytest.mark.parametrize(
    "literal",
    [
        f'"{NOISE}"',
        f"'{NOISE}'",
        f'"""{NOISE}\n{NOISE} " "" """',
        f"'''{NOISE}\n{NOISE} ' '' '''",
        f'"\\"{NOISE}\\\\"',
        f"'\\'{NOISE}\\''",
        f'"{NOISE}"@en-GB',
        f'"{NOISE}"^^<http://www.w3.org/2001/XMLSchema#string>',
        "<http://e/a(b)[c]!d*e+f/g?h=i&j#k>",
        "<urn:x:((((((((((((>",
    ],
)
def test_strings_and_iris_are_not_counted(literal: str) -> None:
    assert measure(PLAIN.replace("X", literal)) == measure(PLAIN.replace("X", '"x"'))


def test_comments_are_not_counted() -> None:
    commented = PLAIN.replace(" . ", f" . # {NOISE} \" ' <\n").replace("FILTER", f"#{NOISE}\rFILTER")
    assert measure(commented) == measure(PLAIN)
    assert measure(PLAIN + f"\n# {NOISE}") == measure(PLAIN)


def test_a_hash_in_an_iri_or_a_name_is_no_comment() -> None:
    query = (
        "PREFIX e: <http://e/#> SELECT * WHERE { ?s <http://e/#x> e:a\\#b . " + "{ " * 70 + "}" * 70 + " }"
    )
    assert measure(query).depth == 71


def test_less_than_or_iri() -> None:
    assert measure("SELECT * WHERE { ?s <http://e/p> <http://e/o> }").operators == 1  # the `*`
    assert measure("SELECT ?s WHERE { ?s ?p ?o FILTER(?o < 3 || ?o > 5 && ?o <= 9) }").operators == 5
    assert measure("SELECT ?s WHERE { ?s ?p ?o FILTER(?a<?b && ?c>?d) }").operators >= 3
    # an IRI's shape after a term in parentheses: less-than for Oxigraph in an expression
    chain = "SELECT ?s WHERE { ?s ?p ?o FILTER(?a<?a&&" + "?a&&" * 2000 + "?a>?a) }"
    with pytest.raises(QueryTooComplex, match="operators"):
        check(chain)
    nested = "SELECT ?s WHERE { ?s ?p ?o FILTER(?a<" + "(" * 100 + "?a>?a" + ")" * 100 + ") }"
    assert measure(nested).depth >= 100


@pytest.mark.parametrize(
    "query",
    [
        # Oxigraph: ?a < '>' + ((((?a)))) — the guard would see an IRI, then a string from the second quote
        "SELECT * WHERE { ?s ?p ?o FILTER(?a<'>'+((((?a))))) }",
        # Oxigraph: ?a < <'> … — a less-than then an IRI, or else a triple term
        "SELECT * WHERE { ?s ?p ?o FILTER(?a<<'>+((?a))'+1) }",
        # Oxigraph: ?a < e:x, then a comment to the line's end; the guard: an IRI, then a long string
        "SELECT * WHERE { ?s ?p ?o FILTER(?a<e:x#> ''' \n+(((?a))) ''' ) }",
    ],
)
def test_ambiguous_less_than_with_quotes_is_refused(query: str) -> None:
    check(query)  # short: the character counts bound it, whatever the reading
    padded = query + "\n# " + "x" * 2000
    with pytest.raises(QueryTooComplex) as raised:
        check(padded)
    assert raised.value.limit_name == "ambiguity"
    assert "less-than" in str(raised.value)


def test_iris_with_quotes_or_hashes_in_values_rows_pass() -> None:
    check(
        "SELECT * WHERE { ?s ?p ?o } VALUES (?a ?b) { (<http://e/a#b> <http://e/it's#c>) (1 <http://e/#x>) }"
    )
    check("SELECT * WHERE { ?s ?p (<http://e/a> <http://e/b#c> <http://e/d'e>) }")
