"""Federation between processes over HTTP: a real `nipa-kg serve` calling an Oxigraph server with SERVICE,
and the Oxigraph server calling ours (it POSTs `application/sparql-query` to our /sparql)."""

from __future__ import annotations

from importlib.resources import files

import requests

from nipa_kg.core.namespaces import DEFAULT_BASE
from tests.server.query.federation.federation_endpoints import Oxigraph, Server

ID = DEFAULT_BASE + "id/"
PREFIXES = """PREFIX nipa: <https://w3id.org/nipa-kg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX ex: <https://data.example.org/kr/>
"""


def served_select(server: Server, query: str) -> list[dict[str, str]]:
    response = requests.post(
        server.endpoint, data={"query": PREFIXES + query}, headers={"Accept": "application/json"}, timeout=30
    )
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return [{name: value["value"] for name, value in row.items()} for row in rows]


def test_our_server_calls_the_other_endpoint(nipa_serve: Server, other_lod: Oxigraph) -> None:
    rows = served_select(
        nipa_serve,
        f"""SELECT ?place ?region WHERE {{
              ?place nipa:legalDongCode ?code ; owl:sameAs ?item .
              SERVICE <{other_lod.query}> {{ ?region dct:identifier ?code ; owl:sameAs ?item }}
            }} ORDER BY ?place""",
    )
    assert rows == [
        {"place": ID + "place/gwangju", "region": "https://data.example.org/kr/region-2900000000"},
        {"place": ID + "place/seoul", "region": "https://data.example.org/kr/region-1100000000"},
    ]


def test_the_other_endpoint_calls_ours(nipa_serve: Server, other_lod: Oxigraph) -> None:
    rows = other_lod.select(
        PREFIXES
        + f"""SELECT ?ministry ?division WHERE {{
              ?body schema:subOrganization ?agency ; rdfs:label ?ministry FILTER(lang(?ministry) = "en")
              SERVICE <{nipa_serve.endpoint}> {{
                ?agency nipa:hasDivision ?unit . ?unit rdfs:label ?division FILTER(lang(?division) = "en")
              }}
            }} ORDER BY ?division"""
    )
    assert len(rows) == 6
    assert {row["ministry"] for row in rows} == {"Ministry of Science and ICT"}
    assert rows[0]["division"] == "AI Convergence Division"


def test_a_round_trip_through_both(nipa_serve: Server, other_lod: Oxigraph) -> None:
    """Oxigraph sends us a block that calls Oxigraph back: codes from there, places from us."""
    rows = other_lod.select(
        PREFIXES
        + f"""SELECT ?place WHERE {{
              SERVICE <{nipa_serve.endpoint}> {{
                ?place nipa:legalDongCode ?code .
                SERVICE <{other_lod.query}> {{ ?region dct:identifier ?code ; a ex:Sido }}
              }}
            }} ORDER BY ?place"""
    )
    assert [row["place"].removeprefix(ID) for row in rows] == ["place/daegu", "place/gwangju", "place/seoul"]


def test_the_served_wikidata_example_reaches_the_alias(nipa_serve: Server) -> None:
    query = files("nipa_kg.graph.queries").joinpath("12-country-capitals.rq").read_text(encoding="utf-8")
    response = requests.get(nipa_serve.endpoint, params={"query": query, "format": "csv"}, timeout=30)
    assert response.status_code == 200, response.text
    assert f"{ID}place/south-korea,South Korea,http://www.wikidata.org/entity/Q8684,Seoul" in response.text
