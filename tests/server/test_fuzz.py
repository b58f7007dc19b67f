"""Property-based fuzzing of the endpoint (hypothesis) over an app with isolated evaluation: whatever the
query string, parameters and headers, the answer is never a 500, and the evaluator process stays whole.

The queries come from a grammar-aware generator (nested groups, OPTIONAL, UNION chains, operator chains,
long groups, subqueries) mixed with random text, escapes and bytes; the other parameters and headers from
plausible and hostile values alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.isolated import IsolatedStore
from tests.server.conftest import DATASET


def header_value(text: str) -> str:
    """What HTTP can carry in a header (the test client refuses the rest before any server sees it)."""
    return text.encode("latin-1", "replace").decode("latin-1").replace("\r", " ").replace("\n", " ")


VARIABLES = st.sampled_from(["?s", "?p", "?o", "?x", "$y"])
TERMS = st.one_of(
    VARIABLES,
    st.sampled_from(["<http://a/b>", "<rel>", "nipa:x", "_:b", '"x"@ko', '"1"^^xsd:integer', "1", "true"]),
    st.text(max_size=12).map(lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)
OPERATORS = st.sampled_from(["+", "-", "*", "/", "||", "&&", "=", "!=", "<", ">", "<=", ">="])


def chain(parts: list[str], operators: list[str]) -> str:
    return (
        "".join(f"{part} {operator} " for part, operator in zip(parts, operators, strict=False)) + parts[-1]
    )


EXPRESSIONS = st.recursive(
    TERMS,
    lambda inner: st.one_of(
        st.tuples(st.lists(inner, min_size=2, max_size=6), st.lists(OPERATORS, min_size=5, max_size=5)).map(
            lambda pair: chain(*pair)
        ),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"!{e}"),
        inner.map(lambda e: f"STR({e})"),
    ),
    max_leaves=20,
)
TRIPLES = st.tuples(TERMS, TERMS, TERMS).map(lambda t: " ".join(t) + " .")
GROUPS = st.recursive(
    st.one_of(TRIPLES, EXPRESSIONS.map(lambda e: f"FILTER({e})")),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(" ".join),
        inner.map(lambda g: "{ " + g + " }"),
        inner.map(lambda g: "OPTIONAL { " + g + " }"),
        st.lists(inner, min_size=2, max_size=5).map(lambda gs: " UNION ".join("{ " + g + " }" for g in gs)),
        inner.map(lambda g: "{ SELECT * WHERE { " + g + " } }"),
        inner.map(lambda g: "MINUS { " + g + " }"),
    ),
    max_leaves=25,
)
DEEP = st.tuples(st.sampled_from(["{", "(", "OPTIONAL {", "{ SELECT * {"]), st.integers(1, 4000)).map(
    lambda shape: (
        "SELECT * WHERE { "
        + (shape[0] + " ") * shape[1]
        + ("?s ?p ?o" if shape[0] != "(" else "FILTER(1")
        + (")" if shape[0] == "(" else "")
        + " }" * shape[1]
        + " }"
    )
)
WIDE = st.tuples(st.sampled_from([" UNION ", " . ", " + ", " || ", "/"]), st.integers(1, 20000)).map(
    lambda shape: (
        "SELECT * WHERE { " + ("{ ?s ?p ?o }" + shape[0]) * shape[1] + "{ ?s ?p ?o } }"
        if shape[0] in (" UNION ", " . ")
        else f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o{shape[0]}?o{(shape[0] + '?o') * shape[1]}) }}"
    )
)
QUERIES = st.one_of(
    GROUPS.map(lambda g: "PREFIX nipa: <http://n/> PREFIX xsd: <http://x/> SELECT * WHERE { " + g + " }"),
    GROUPS.map(lambda g: "ASK { " + g + " }"),
    GROUPS.map(lambda g: "CONSTRUCT WHERE { " + g + " } LIMIT 3"),
    DEEP,
    WIDE,
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
    st.sampled_from(["\\u0053ERVICE <http://x/> {}", "SELECT * { SERVICE ?x { ?s ?p ?o } }", "", "\x00"]),
)
HEADERS = st.dictionaries(
    st.sampled_from(["Accept", "Accept-Language", "Cache-Control", "If-None-Match", "Origin"]),
    st.one_of(st.sampled_from(["*/*", "text/html", "application/x-bogus;q=x", "no-cache", '"x"']), st.text()),
    max_size=3,
).map(lambda headers: {name: header_value(value) for name, value in headers.items()})
PARAMETERS = st.dictionaries(
    st.sampled_from(["default-graph-uri", "named-graph-uri", "format", "update"]),
    st.one_of(
        st.sampled_from([DEFAULT_BASE + "graph/data", "json", "not an iri", "<>"]), st.text(max_size=20)
    ),
    max_size=2,
)


@pytest.fixture(scope="module")
def isolated() -> Iterator[IsolatedStore]:
    store = IsolatedStore(threads=4, timeout=5)
    store.load(DATASET, RDF_FORMATS.by_extension(DATASET))
    store.start()
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(isolated: IsolatedStore) -> FlaskClient:
    return create_app(Settings(query_timeout=3, max_client_queries=1000), isolated).test_client()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=QUERIES, parameters=PARAMETERS, headers=HEADERS, method=st.sampled_from(["GET", "POST", "DIRECT"])
)
def test_no_request_is_a_500(
    client: FlaskClient, query: str, parameters: dict[str, str], headers: dict[str, str], method: str
) -> None:
    if method == "GET":
        response = client.get("/sparql", query_string={"query": query, **parameters}, headers=headers)
    elif method == "POST":
        response = client.post("/sparql", data={"query": query, **parameters}, headers=headers)
    else:
        headers = {**headers, "Content-Type": "application/sparql-query"}
        response = client.post("/sparql", data=query.encode(), query_string=parameters, headers=headers)
    assert response.status_code < 500 or response.status_code in (502, 503, 504), response.get_data()


def test_the_evaluator_is_whole_after_the_fuzzing(client: FlaskClient, isolated: IsolatedStore) -> None:
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.get_json()["boolean"] is True
