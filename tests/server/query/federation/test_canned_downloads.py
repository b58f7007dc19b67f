"""Every canned query downloads as CSV with a label column beside each IRI column, and the Wikidata examples
(queries 10-12) join our graph with Wikidata's facts, here a local Wikidata-shaped stand-in."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.server.query.federation import WIKIDATA
from nipa_kg.server.site.canned import CannedQuery, canned_queries

ID = DEFAULT_BASE + "id/"
WD = "http://www.wikidata.org/entity/"
QUERIES = canned_queries()
DOCS = Path(__file__).resolve().parents[4] / "docs" / "federation.md"
EXAMPLE = re.compile(r"<!-- query: (\S+) -->\n```sparql\n(.*?)```", re.DOTALL)


def download(client: FlaskClient, query: CannedQuery, fmt: str) -> bytes:
    response = client.get("/sparql", query_string={"query": query.sparql, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def table(client: FlaskClient, name: str) -> list[dict[str, str]]:
    (query,) = [q for q in QUERIES if q.name == name]
    return list(csv.DictReader(io.StringIO(download(client, query, "csv").decode("utf-8"))))


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_canned_query_downloads_as_csv_with_a_label_beside_each_iri(
    client: FlaskClient, query: CannedQuery
) -> None:
    document = csv.reader(io.StringIO(download(client, query, "csv").decode("utf-8")))
    header, *rows = list(document)
    assert rows, query.name
    solutions = json.loads(download(client, query, "json"))["results"]["bindings"]
    iris = [name for name in header if any(row.get(name, {}).get("type") == "uri" for row in solutions)]
    for name in iris:
        label = f"{name}Label"
        assert label in header and header.index(label) == header.index(name) + 1, (query.name, name)
        for row in solutions:
            if name in row:
                assert row[label].get("xml:lang") == "en", (query.name, name, row)


def test_the_new_york_hub_s_city_in_wikidata(client: FlaskClient) -> None:
    (row,) = table(client, "10-hub-city-in-wikidata")
    assert (row["hub"], row["city"]) == (ID + "hub/new-york", ID + "place/new-york-city")
    assert row["item"] == WD + "Q60"
    assert (row["itemLabel"], row["population"]) == ("New York City", "8804190")
    assert row["coordinates"] == "Point(-74.006 40.7128)"


def test_the_partners_founding_years(client: FlaskClient) -> None:
    rows = table(client, "11-partners-founded")
    assert [(r["partnerLabel"], r["itemLabel"], r["foundedYear"]) for r in rows] == [
        ("New York University", "New York University", "1831"),
    ]  # the article's ASEAN cooperation is with ASEAN countries, not with the organisation


def test_each_country_s_capital_and_our_page_for_it(client: FlaskClient) -> None:
    rows = table(client, "12-country-capitals")
    assert [(r["countryLabel"], r["capitalLabel"], r["place"]) for r in rows] == [
        ("Singapore", "Singapore", ID + "place/singapore"),
        ("South Korea", "Seoul", ID + "place/seoul"),
    ]


def test_without_wikidata_the_examples_keep_our_side(
    make_client: Callable[..., FlaskClient], dead_endpoint: str
) -> None:
    """SERVICE SILENT: Wikidata out of reach leaves its columns empty, our rows stay."""
    client = make_client(service_aliases=((WIKIDATA, dead_endpoint),))
    (row,) = table(client, "10-hub-city-in-wikidata")
    assert (row["hub"], row["item"]) == (ID + "hub/new-york", WD + "Q60")
    assert (row["itemLabel"], row["population"]) == ("", "")


def test_docs_show_the_wikidata_examples_as_they_are() -> None:
    shown = dict(EXAMPLE.findall(DOCS.read_text(encoding="utf-8")))
    federated = {f"{q.name}.rq": q.sparql for q in QUERIES if "SERVICE" in q.sparql}
    assert shown == federated
