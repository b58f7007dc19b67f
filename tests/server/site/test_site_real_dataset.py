"""The site over the real NIPA graph (built once per session by the `built` fixture of tests/conftest.py):
every resource IRI resolves, every format parses back, notes sit beside their property, links work."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.graph.build import Build
from nipa_kg.graph.export import serialize
from nipa_kg.server.app import create_app
from nipa_kg.server.query.federation import WIKIDATA
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

NIPA = BASE + "ontology#"
FORMATS = [f for f in RDF_FORMATS if not f.named_graphs]


@pytest.fixture(scope="module")
def real_client(built: Build) -> FlaskClient:
    store = EmbeddedStore(workers=4)
    nquads = RDF_FORMATS.by_name("nq")
    store.load(serialize(built.dataset, nquads, BASE), nquads)
    # The canned queries that call Wikidata (SERVICE SILENT) reach a closed loopback port, not the internet.
    offline = ((WIKIDATA, "http://127.0.0.1:9/sparql"),)
    return create_app(Settings(base=BASE, service_aliases=offline), store).test_client()


@pytest.fixture(scope="module")
def resource_iris(built: Build) -> list[str]:
    """Every IRI under `{base}id/` the graph names, as subject or object."""
    terms = {t for s, _, o, _ in built.dataset.quads() for t in (s, o)}
    return sorted(str(t) for t in terms if isinstance(t, URIRef) and t.startswith(BASE + "id/"))


@pytest.fixture
def real_get(real_client: FlaskClient, page_getter: Callable) -> Callable:
    """GET and parse a page of the real site, in English unless `lang` says otherwise."""
    get = page_getter(real_client)
    return lambda path, lang="en": get(path, headers={"Accept-Language": lang})


def path_of(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


def test_every_resource_iri_resolves_to_html_with_a_title(real_get, resource_iris):
    assert len(resource_iris) > 150
    for iri in resource_iris:
        page = real_get(path_of(iri))
        assert page.doc.find("h1").text, iri
        assert page.doc.find("p", class_="iri").text.endswith(iri)


def test_every_resource_parses_back_in_every_format(real_client, resource_iris):
    for iri in resource_iris:
        for fmt in FORMATS:
            response = real_client.get(f"{path_of(iri)}.{fmt.extension}")
            assert response.status_code == 200, (iri, fmt.name)
            graph = Graph().parse(data=response.data, format=fmt.rdflib)
            assert (URIRef(iri), None, None) in graph or (None, None, URIRef(iri)) in graph, (iri, fmt.name)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_conneg_on_the_agency(real_client, fmt):
    response = real_client.get("/id/agency/nipa", headers={"Accept": fmt.media_type})
    assert response.mimetype == fmt.media_type
    assert response.headers["Content-Location"] == f"/id/agency/nipa.{fmt.extension}"
    graph = Graph().parse(data=response.data, format=fmt.rdflib)
    assert (
        URIRef(BASE + "id/agency/nipa"),
        URIRef(NIPA + "hasDivision"),
        URIRef(BASE + "id/division/sw-future"),
    ) in graph


def test_metaverse_budget_note_sits_in_the_has_budget_row(real_get):
    page = real_get("/id/division/metaverse")
    rows = page.doc.find("table", id="statements").find("tbody").find_all("tr")
    budget = next(r for r in rows if r.find("th").find("a").attrs["href"] == "/ontology#hasBudget")
    assert budget.find("p", class_="not-given")
    assert budget.find("aside", class_="quality-note")
    label = next(r for r in rows if r.find("th").find("a").attrs["href"] == str(RDFS.label))
    assert "메터버스" in label.find("aside", class_="quality-note").text


def test_every_note_in_the_data_is_shown_beside_its_property(real_client, real_get, built: Build):
    data = built.graphs["data"]
    for note, prop in data.subject_objects(URIRef(NIPA + "affectsProperty")):
        for target in data.objects(note, URIRef(NIPA + "qualityNoteOf")):
            rows = real_get(path_of(str(target))).doc.find("table", id="statements").find_all("tr")
            holding = [r for r in rows if r.find_all("a", href=path_of(str(note)))]
            assert holding, (note, target)
            assert holding[0].find("th").find("a").attrs["href"] in (
                str(prop),
                "/" + str(prop).removeprefix(BASE),
            )


def test_same_as_links_go_out_to_wikidata(real_get, built: Build):
    for subject, other in built.graphs["data"].subject_objects(OWL.sameAs):
        page = real_get(path_of(str(subject)))
        assert page.doc.find("p", class_="same-as").find("a", href=str(other))


def test_home_charts_show_six_divisions_one_without_budget(real_get):
    svg = real_get("/").doc.find("svg", class_="chart")
    assert len(svg.find_all("text", class_="label")) == 6
    assert [t.text for t in svg.find_all("text", class_="not-given")] == ["not given"]
    assert svg.find_all("text", class_="label")[-1].text == "Metaverse Division"
    korean = real_get("/", lang="ko").doc.find("svg", class_="chart")
    assert "461억4400만원" in [t.text for t in korean.find_all("text", class_="value")]


def test_every_canned_query_runs_from_the_query_page(real_get):
    page = real_get("/query")
    for link in page.doc.find_all("a", class_="canned-query"):
        results = real_get(link.attrs["href"].split("#")[0]).doc.find("div", id="results")
        assert not results.find_all("p", class_="error"), link.text
        assert results.find("table", class_="results-table").find("tbody").find_all("tr"), link.text


def test_local_links_of_the_main_pages_resolve(real_client, real_get):
    checked: set[str] = set()
    for path in ("/", "/id/agency/nipa", "/id/division/sw-future", "/ontology", "/shapes", "/dumps/"):
        for anchor in real_get(path).doc.find_all("a"):
            href = anchor.attrs.get("href", "")
            target = urlsplit(href)
            if target.scheme or target.netloc or not target.path or href in checked:
                continue
            checked.add(href)
            response = real_client.get(href, headers={"Accept": "text/html"}, follow_redirects=True)
            assert response.status_code == 200, (path, href)
    assert len(checked) > 100


@pytest.mark.parametrize(
    ("q", "wanted"),
    [
        (
            "디지털트윈",
            ["program/digital-twin-innovation-service", "program/digital-twin-overseas-foundation"],
        ),
        ("뉴욕", ["place/new-york-city", "hub/new-york", "org/nyu"]),
        ("sandbox", ["program/ict-regulatory-sandbox", "initiative/ict-regulatory-sandbox"]),
    ],
)
def test_search_finds_the_resources_by_korean_and_english_words(real_client, real_get, q, wanted):
    response = real_client.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
    results = [r for g in response.json["groups"] for r in g["results"]]
    iris = [r["iri"].removeprefix(BASE + "id/") for r in results]
    assert set(wanted) <= set(iris), iris
    assert iris.index(wanted[0]) < 3  # the main resources come before the figures and links about them
    for result in results:
        assert set(result["label"]) == {"ko", "en"}, result
    links = {a.attrs["href"] for a in real_get(f"/search?q={q}").doc.find("main").find_all("a")}
    assert {"/id/" + w for w in wanted} <= links
