"""The query guard (server/query/guard.py) lets legitimate queries through: the canned queries (graph/
and bench/), the W3C protocol tests' queries, and large VALUES blocks, IN lists, triple patterns and UNIONs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from nipa_kg.server.query.guard import check, measure

ROOT = Path(__file__).resolve().parents[3]  # the repository


# ---- legitimate queries ----------------------------------------------------------------------------------


def protocol_queries() -> list[str]:
    """The queries of the W3C protocol tests (tests/server/protocol/w3c/protocol_cases.toml): in the query
    string, a form body or a sparql-query body."""
    cases = tomllib.loads((ROOT / "tests/server/protocol/w3c/protocol_cases.toml").read_text("utf-8"))
    queries = []
    for case in cases.values():
        queries += parse_qs(urlsplit(case.get("path", "")).query).get("query", [])
        body, content_type = case.get("body", ""), case.get("content_type", "")
        if content_type.startswith("application/sparql-query"):
            queries.append(body)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            queries += parse_qs(body).get("query", [])
    return queries


CANNED = sorted((ROOT / "graph/queries").glob("*.rq")) + sorted((ROOT / "bench/queries").glob("*.rq"))


def test_the_query_sets_are_found() -> None:
    assert len(CANNED) >= 20
    assert len(protocol_queries()) >= 10


@pytest.mark.parametrize("path", CANNED, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_canned_queries_pass(path: Path) -> None:
    query = path.read_text("utf-8")
    check(query)
    found = measure(query)
    assert found.depth <= 10 and found.tree_depth < 100, found


def test_protocol_queries_pass() -> None:
    for query in protocol_queries():
        check(query)


def test_legitimate_large_queries_pass() -> None:
    iris = [f"<http://example.org/resource/{i}#x>" for i in range(20_000)]
    check("SELECT * WHERE { ?s ?p ?o } VALUES ?s { " + " ".join(iris) + " }")
    check(
        "SELECT * WHERE { ?s ?p ?o } VALUES (?s ?o) { " + " ".join(f"({iri} -1.5e3)" for iri in iris) + " }"
    )
    check("SELECT * WHERE { ?s ?p ?o FILTER(?s IN (" + ", ".join(iris) + ")) }")
    check("SELECT * WHERE { " + " . ".join(f"?s <http://e/p{i}> ?o{i}" for i in range(500)) + " }")
    check("SELECT * WHERE { " + " UNION ".join(f"{{ ?s <http://e/p{i}> ?o }}" for i in range(400)) + " }")
