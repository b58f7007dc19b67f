"""SERVICE from our endpoint (Flask test client over the real graph) to real second endpoints: joins
through shared IRIs and literals, the allowlist, SILENT, errors and the per-call timeout."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.server.query.federation import normalised
from tests.server.query.federation.federation_endpoints import Oxigraph, Stub

ID = DEFAULT_BASE + "id/"
OTHER = "https://data.example.org/kr/"
WD = "http://www.wikidata.org/entity/"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PREFIXES = """PREFIX nipa: <https://w3id.org/nipa-kg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
"""
MakeClient = Callable[..., FlaskClient]


def answer(client: FlaskClient, query: str, status: int = 200) -> str:
    """The body of the endpoint's answer to `query` (our prefixes declared), which must have `status`."""
    headers = {"Accept": "application/json"}
    response = client.post("/sparql", data={"query": PREFIXES + query}, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def select(client: FlaskClient, query: str) -> list[dict[str, str]]:
    """The solutions, as variable -> value, our IRIs shortened to what follows `id/`."""
    rows = ox.parse_query_results(answer(client, query).encode(), format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in rows.variables]  # type: ignore[union-attr]
    return [
        {name: term.value.removeprefix(ID) for name, term in zip(names, row, strict=True) if term is not None}
        for row in rows  # type: ignore[union-attr]
    ]


def iri(value: str) -> dict[str, str]:
    return {"type": "uri", "value": value}


def literal(value: str, **more: str) -> dict[str, str]:
    return {"type": "literal", "value": value, **more}


# Joins through shared IRIs and literals, against a real Oxigraph


def test_join_through_shared_wikidata_iris(client: FlaskClient, other_lod: Oxigraph) -> None:
    rows = select(
        client,
        f"""SELECT ?place ?region ?name WHERE {{
              ?place a nipa:Region ; owl:sameAs ?item .
              SERVICE <{other_lod.query}> {{
                ?region owl:sameAs ?item ; rdfs:label ?name FILTER(lang(?name) = "ko")
              }}
            }} ORDER BY ?place ?region""",
    )
    assert rows == [
        {"place": "place/gwangju", "region": OTHER + "region-2900000000", "name": "광주광역시"},
        {"place": "place/seoul", "region": OTHER + "city-seoul", "name": "서울"},
        {"place": "place/seoul", "region": OTHER + "region-1100000000", "name": "서울특별시"},
    ]


def test_join_through_our_iri_in_the_other_dataset(client: FlaskClient, other_lod: Oxigraph) -> None:
    rows = select(
        client,
        f"""SELECT ?ministry (COUNT(?division) AS ?divisions) WHERE {{
              SERVICE <{other_lod.query}> {{
                ?body schema:subOrganization ?agency ; rdfs:label ?ministry FILTER(lang(?ministry) = "en")
              }}
              ?agency nipa:hasDivision ?division .
            }} GROUP BY ?ministry""",
    )
    assert rows == [{"ministry": "Ministry of Science and ICT", "divisions": "6"}]


def test_join_on_the_legal_dong_code_literal(client: FlaskClient, other_lod: Oxigraph) -> None:
    """The other dataset writes its codes "..."^^xsd:string, ours are plain: the same literal."""
    rows = select(
        client,
        f"""SELECT ?place ?name WHERE {{
              ?place nipa:legalDongCode ?code .
              SERVICE <{other_lod.query}> {{
                ?region dct:identifier ?code ; rdfs:label ?name FILTER(lang(?name) = "ko")
              }}
            }} ORDER BY ?place""",
    )
    assert rows == [
        {"place": "place/daegu", "name": "대구광역시"},
        {"place": "place/gwangju", "name": "광주광역시"},
        {"place": "place/seoul", "name": "서울특별시"},
        {"place": "place/yangjae-dong", "name": "양재동"},
    ]


def test_a_block_holding_another_service_goes_whole(
    client: FlaskClient, other_lod: Oxigraph, wikidata: Oxigraph
) -> None:
    """The outer block goes to the other endpoint, which evaluates the inner SERVICE itself."""
    rows = select(
        client,
        f"""SELECT ?place ?name WHERE {{
              ?place owl:sameAs ?item .
              SERVICE <{other_lod.query}> {{
                ?region a schema:AdministrativeArea ; owl:sameAs ?item .
                SERVICE <{wikidata.query}> {{ ?item rdfs:label ?name FILTER(lang(?name) = "en") }}
              }}
            }}""",
    )
    assert rows == [{"place": "place/seoul", "name": "Seoul"}]


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8000/sparql", "https://w3id.org/nipa-kg/sparql"])
def test_service_to_this_server_is_answered_in_process(client: FlaskClient, endpoint: str) -> None:
    """This server's endpoints come from its settings: the base, and where it listens (127.0.0.1:8000)."""
    rows = select(client, f"SELECT ?agency WHERE {{ SERVICE <{endpoint}> {{ ?agency a nipa:Agency }} }}")
    assert rows == [{"agency": "agency/nipa"}]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:9"])
def test_the_host_header_does_not_make_an_endpoint_this_servers(client: FlaskClient, host: str) -> None:
    """Regression: `Host: 127.0.0.1:9` made `SERVICE <http://127.0.0.1:9/sparql>` an in-process call."""
    query = f"SELECT ?agency WHERE {{ SERVICE <http://{host}/sparql> {{ ?agency a nipa:Agency }} }}"
    response = client.post("/sparql", data={"query": PREFIXES + query}, headers={"Host": host})
    assert response.status_code == 400
    assert f"SERVICE is not allowed for <http://{host}/sparql>" in response.get_data(as_text=True)


def test_the_block_goes_with_the_local_values_it_joins_on(make_client: MakeClient, stub: Stub) -> None:
    """A bound join: the values of ?item the patterns before the block give go with it as VALUES (their
    group's FILTER left out), and the answer is still the join of the block's solutions."""
    url = stub.results("/sparql", ["item", "n"], {"item": iri(WD + "Q60"), "n": literal("1")})
    rows = select(
        make_client(allow_service=(url,)),
        f"""SELECT ?hub ?n WHERE {{
              ?hub a nipa:OverseasHub ; nipa:locatedIn/owl:sameAs ?item . FILTER(isIRI(?item))
              SERVICE <{url}> {{ ?item <urn:x:n> ?n }}
            }}""",
    )
    assert rows == [{"hub": "hub/new-york", "n": "1"}]
    ((method, _, body),) = stub.requests
    sent = parse_qs(body.decode())["query"][0]
    assert method == "POST"
    assert "VALUES (?item)" in sent and f"<{WD}Q60>" in sent
    assert "<http://dbpedia.org/resource/New_York_City>" in sent and "OverseasHub" not in sent


# Literals written differently by another engine


@pytest.mark.parametrize(
    "remote", [literal("1100000000", datatype=XSD_STRING), literal("1100000000")], ids=["xsd:string", "plain"]
)
def test_a_string_literal_joins_however_the_remote_writes_it(
    make_client: MakeClient, stub: Stub, remote: dict[str, str]
) -> None:
    url = stub.results("/sparql", ["code"], {"code": remote})
    query = f"SELECT ?place {{ ?place nipa:legalDongCode ?code SERVICE <{url}> {{ ?r <urn:x:code> ?code }} }}"
    assert select(make_client(allow_service=(url,)), query) == [{"place": "place/seoul"}]


@pytest.mark.parametrize("tag", ["KO", "ko", "Ko"])
def test_a_label_joins_whatever_the_case_of_its_language_tag(
    make_client: MakeClient, stub: Stub, tag: str
) -> None:
    url = stub.results("/sparql", ["name"], {"name": literal("서울", **{"xml:lang": tag})})
    query = f"SELECT ?place {{ ?place rdfs:label ?name SERVICE <{url}> {{ ?r <urn:x:name> ?name }} }}"
    assert select(make_client(allow_service=(url,)), query) == [{"place": "place/seoul"}]


def test_remote_terms_are_normalised() -> None:
    assert str(normalised(ox.Literal("x", datatype=ox.NamedNode(XSD_STRING)))) == '"x"'
    assert normalised(ox.Literal("서울", language="KO")).language == "ko"  # type: ignore[union-attr]
    assert normalised(ox.NamedNode("http://a")) == ox.NamedNode("http://a")


def test_remote_blank_nodes_become_skolem_iris(make_client: MakeClient, stub: Stub) -> None:
    blank = {"type": "bnode", "value": "b0"}
    url = stub.results("/sparql", ["b"], {"b": blank}, {"b": blank})
    rows = select(make_client(allow_service=(url,)), f"SELECT ?b {{ SERVICE <{url}> {{ ?b ?p ?o }} }}")
    assert len(rows) == 2 and rows[0] == rows[1]
    assert rows[0]["b"].startswith(DEFAULT_BASE + ".well-known/genid/")


# The allowlist


def test_an_endpoint_off_the_allowlist_is_refused_and_never_called(client: FlaskClient, stub: Stub) -> None:
    url = stub.reply("/sparql")
    message = answer(client, f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", status=400)
    assert f"SERVICE is not allowed for <{url}>" in message
    assert f"--allow-service {url}" in message and "NIPA_KG_ALLOW_SERVICE" in message
    assert stub.requests == []


def test_a_variable_endpoint_is_refused(client: FlaskClient, other_lod: Oxigraph) -> None:
    query = f"SELECT * {{ VALUES ?e {{ <{other_lod.query}> }} SERVICE ?e {{ ?s ?p ?o }} }}"
    assert "variable endpoint (SERVICE ?e)" in answer(client, query, status=400)


def test_an_alias_sends_the_call_to_its_url(make_client: MakeClient, stub: Stub) -> None:
    public = "http://example.org/public/sparql"
    client = make_client(service_aliases=((public, stub.reply("/mirror")),))
    assert json.loads(answer(client, f"ASK {{ SERVICE <{public}> {{ ?s ?p ?o }} }}"))["boolean"] is True
    assert [path for _, path, _ in stub.requests] == ["/mirror"]


# Failures: SILENT, errors, the timeout


def test_silent_service_to_a_dead_port_is_the_empty_solution(
    make_client: MakeClient, dead_endpoint: str
) -> None:
    client = make_client(allow_service=(dead_endpoint,))
    query = f"SELECT ?agency ?x {{ ?agency a nipa:Agency SERVICE SILENT <{dead_endpoint}> {{ ?x ?p ?o }} }}"
    assert select(client, query) == [{"agency": "agency/nipa"}]
    message = answer(client, f"SELECT * {{ SERVICE <{dead_endpoint}> {{ ?x ?p ?o }} }}", status=502)
    assert f"SERVICE <{dead_endpoint}> could not be reached" in message


def test_a_remote_error_is_502_with_its_status_and_message(make_client: MakeClient, stub: Stub) -> None:
    url = stub.reply("/sparql", b"Parse error: unexpected '}' at line 3", 400, content_type="text/plain")
    message = answer(make_client(allow_service=(url,)), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 502)
    assert message.startswith("502 Bad Gateway")
    assert f"SERVICE <{url}> answered 400 Bad Request: Parse error: unexpected '}}' at line 3" in message


def test_a_real_endpoint_s_error_is_502(make_client: MakeClient, other_lod: Oxigraph) -> None:
    url = other_lod.url + "nowhere"
    message = answer(make_client(allow_service=(url,)), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 502)
    assert f"SERVICE <{url}> answered 404" in message


def test_an_answer_that_is_not_sparql_results_is_502(make_client: MakeClient, stub: Stub) -> None:
    url = stub.reply("/sparql", b"<html>maintenance</html>", content_type="text/html")
    message = answer(make_client(allow_service=(url,)), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 502)
    assert "answered text/html, not SPARQL results" in message


def test_a_call_past_the_timeout_is_504_within_it(make_client: MakeClient, stub: Stub) -> None:
    url = stub.reply("/sparql", hang=True)
    client = make_client(allow_service=(url,), service_timeout=1.0)
    started = time.monotonic()
    message = answer(client, f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", status=504)
    assert time.monotonic() - started < 3
    assert f"SERVICE <{url}> did not answer within 1 s" in message
    query = f"SELECT ?a {{ ?a a nipa:Agency SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"
    assert select(client, query) == [{"a": "agency/nipa"}]
    assert time.monotonic() - started < 5


def test_a_federated_answer_is_not_cached(client: FlaskClient, other_lod: Oxigraph) -> None:
    query = f"ASK {{ SERVICE <{other_lod.query}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200 and "ETag" not in response.headers
