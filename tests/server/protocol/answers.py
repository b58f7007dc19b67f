"""What the SPARQL endpoint tests share: queries, and readers of the endpoint's answers."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from nipa_kg.core.formats import RDF_FORMATS

MakeClient = Callable[..., FlaskClient]

AGENCY = "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#> SELECT ?a { ?a a nipa:Agency }"
ALL = "SELECT * { ?s ?p ?o }"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# 22^5 hashes to count: seconds of evaluation that yield nothing, so nothing can stop it early
SLOW = """SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?p ?o
          FILTER(STRLEN(SHA512(CONCAT(STR(?a), STR(?c), STR(?o)))) > 0) }"""


def bindings(response: TestResponse) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/sparql-results+json"
    return response.get_json()["results"]["bindings"]


def ask(client: FlaskClient, query: str, **params: str) -> bool:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["boolean"]


def triples(response: TestResponse) -> list[ox.Triple]:
    assert response.status_code == 200, response.get_data(as_text=True)
    fmt = RDF_FORMATS.by_media_type(response.mimetype)
    return [quad.triple for quad in ox.parse(response.get_data(), format=fmt.oxigraph)]
