"""Every Turtle and TriG output names resources with our prefixes, one per kind (`division:sw-future`),
so no name needs escaping: not one `\\/` (`id:division\\/sw-future` was written 903 times in the dump)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Dataset

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.server.app import create_app
from nipa_kg.server.cli import main
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

ESCAPED = "\\/"
TURTLE = "text/turtle"


@pytest.fixture(scope="module")
def real_client(built_dir: Path) -> FlaskClient:
    store = EmbeddedStore(workers=2)
    store.load(built_dir / "nipa-kg.trig", RDF_FORMATS.by_name("trig"))
    return create_app(Settings(), store).test_client()


def clean(turtle: str) -> str:
    assert turtle.count(ESCAPED) == 0
    return turtle


@pytest.mark.parametrize("name", ["nipa-kg.ttl", "nipa-kg.trig", "void.ttl"])
def test_the_builds_dumps(built_dir: Path, name: str) -> None:
    text = clean((built_dir / name).read_text("utf-8"))
    assert "division:sw-future" in text or name == "void.ttl"


def test_a_resource_page(real_client: FlaskClient) -> None:
    text = clean(real_client.get("/id/division/sw-future.ttl").get_data(as_text=True))
    assert "division:sw-future" in text and "program:" in text
    assert "@prefix wd:" not in text  # only the prefixes it uses


@pytest.mark.parametrize("accept", [TURTLE, "application/trig"])
def test_construct_results_at_the_endpoint(real_client: FlaskClient, accept: str) -> None:
    query = "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#> CONSTRUCT WHERE { ?d a nipa:Division ; ?p ?o }"
    response = real_client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    text = clean(response.get_data(as_text=True))
    assert "@prefix division: <https://w3id.org/nipa-kg/id/division/> ." in text


def test_the_cli(built_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--data", str(built_dir), "CONSTRUCT WHERE { ?s ?p ?o }"]) == 0
    text = clean(capsys.readouterr().out)
    assert "division:sw-future" in text
    assert len(Dataset().parse(data=text, format="turtle")) > 1000


@pytest.mark.parametrize("path", ["/graph/data", "/rdf-graphs/service?default", "/dumps/nipa-kg.trig"])
def test_the_stores_graphs_and_dumps(real_client: FlaskClient, path: str) -> None:
    text = clean(
        real_client.get(path, headers={"Accept": f"{TURTLE}, application/trig"}).get_data(as_text=True)
    )
    assert "division:sw-future" in text
