"""The W3C SPARQL 1.1 Protocol, Service Description and Graph Store Protocol manifests, run against the app.

The manifests (tests/server/protocol/w3c/) are read at test time. protocol_cases.toml holds, for every
entry, the request and the exact answer we give; these tests check that the table covers every entry,
that each request is the manifest's, that each answer is in the manifest's expected class, and then run
it. Data: data1-3.nt as the named graphs the manifests name (`ut:graphData`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS
from nipa_kg.core.namespaces import SD, VOID
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

W3C = Path(__file__).parent / "w3c"
MANIFESTS = (
    W3C / "protocol" / "manifest.ttl",
    W3C / "service-description" / "manifest.ttl",
    W3C / "graph-store-protocol" / "manifest.ttl",
)
AUTHORITY = "http://www.example"  # the manifests' ht:connectionAuthority
PATHS = (("/sparql/", "/sparql"), ("/gsp/", "/graph/"), ("/gsp", "/rdf-graphs/service"))  # first match

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TEST_TYPES = (MF.ProtocolTest, MF.ServiceDescriptionTest, MF.GraphStoreProtocolTest)
STATUS_NAMES = {"NotFound": 404}
REQUEST_KEYS = ("method", "path", "content_type", "accept", "body", "encoding")


@dataclass(frozen=True)
class Manifests:
    graph: Graph
    tests: frozenset[str]


@cache
def manifests() -> Manifests:
    """Every test of the three manifests: the entries (following mf:include) and any node typed as a test."""
    graph, tests = Graph(), set()
    pending = list(MANIFESTS)
    while pending:
        path = pending.pop()
        manifest = Graph().parse(path, format="turtle")
        graph += manifest
        for node in manifest.subjects(RDF.type, MF.Manifest):
            for entries in manifest.objects(node, MF.entries):
                tests.update(str(entry) for entry in Collection(manifest, entries))
            for included in manifest.objects(node, MF.include):
                pending += [local_path(item) for item in Collection(manifest, included)]
        for test_type in TEST_TYPES:
            tests.update(str(node) for node in manifest.subjects(RDF.type, test_type))
    return Manifests(graph, frozenset(tests))


def local_path(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


@cache
def cases() -> dict[str, dict]:
    return tomllib.loads((W3C / "protocol_cases.toml").read_text("utf-8"))


def run_cases() -> dict[str, dict]:
    return {iri: case for iri, case in cases().items() if iri != "skip"}


def first_request(test: str) -> Node | None:
    graph = manifests().graph
    action = graph.value(URIRef(test), MF.action)
    if action is None:
        return None
    return next(iter(Collection(graph, graph.value(action, HT.requests))))


def header(request: Node, name: str) -> str | None:
    graph = manifests().graph
    for headers in graph.objects(request, HT.headers):
        for item in Collection(graph, headers):
            if str(graph.value(item, HT.fieldName)).lower() == name:
                return str(graph.value(item, HT.fieldValue))
    return None


def manifest_request(request: Node) -> dict[str, str]:
    """The request of a manifest entry, in the table's keys."""
    graph = manifests().graph
    found = {
        "method": str(graph.value(request, HT.methodName)),
        "path": str(graph.value(request, HT.absolutePath)),
    }
    for key in ("content_type", "accept"):
        if value := header(request, key.replace("_", "-")):
            found[key] = value
    if (body := graph.value(request, HT.body)) is not None:
        found["body"] = str(graph.value(body, CNT.chars))
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        if encoding.upper() != "UTF-8":
            found["encoding"] = encoding
    return found


def expected_statuses(request: Node) -> list[range]:
    """The status codes the manifest accepts: classes (hts:StatusCode4xx) or single codes (hts:NotFound)."""
    graph = manifests().graph
    ranges = []
    for status in graph.objects(graph.value(request, HT.resp), MF.expectedStatus):
        name = str(status).rsplit("#", 1)[1]
        if match := re.fullmatch(r"StatusCode(\d)xx", name):
            ranges.append(range(int(match.group(1)) * 100, int(match.group(1)) * 100 + 100))
        else:
            ranges.append(range(STATUS_NAMES[name], STATUS_NAMES[name] + 1))
    return ranges


def send(client: FlaskClient, case: dict) -> object:
    prefix, ours = next((prefix, ours) for prefix, ours in PATHS if case["path"].startswith(prefix))
    path = ours + case["path"].removeprefix(prefix)
    headers = {"Accept": case["accept"]} if "accept" in case else {}
    if "content_type" in case:
        headers["Content-Type"] = case["content_type"]
    body = case.get("body", "").encode(case.get("encoding", "utf-8"))
    return client.open(path, method=case["method"], headers=headers, data=body, base_url=AUTHORITY)


@pytest.fixture(scope="module")
def w3c_client() -> FlaskClient:
    """An app over data1-3.nt, each in the named graph the manifests give it."""
    graph, store = manifests().graph, EmbeddedStore(workers=4)
    sources = {
        str(graph.value(data, RDFS.label)): local_path(graph.value(data, UT.graph))
        for data in graph.objects(None, UT.graphData)
    }
    for iri, file in sources.items():
        store.load(file, RDF_FORMATS.by_extension(file), iri)
    return create_app(Settings(base=f"{AUTHORITY}/"), store).test_client()


def test_the_table_covers_every_manifest_entry() -> None:
    tests = manifests().tests
    assert len(tests) == 3 + 34 + 14
    assert set(run_cases()) | set(cases()["skip"]) == tests
    assert not set(run_cases()) & set(cases()["skip"])


@pytest.mark.parametrize(
    "test",
    sorted(test for test in run_cases() if first_request(test) is not None),  # SD entries have no request
    ids=lambda iri: iri.rsplit("#", 1)[1],
)
def test_each_request_is_the_manifests(test: str) -> None:
    request = first_request(test)
    case = run_cases()[test]
    assert {key: value for key, value in case.items() if key in REQUEST_KEYS} == manifest_request(request)
    assert any(case["status"] in codes for codes in expected_statuses(request))


@pytest.mark.parametrize("test", sorted(run_cases()), ids=lambda iri: iri.rsplit("#", 1)[1])
def test_w3c_entry(test: str, w3c_client: FlaskClient) -> None:
    case = run_cases()[test]
    response = send(w3c_client, case)
    assert response.status_code == case["status"], response.get_data(as_text=True)
    if "media_type" in case:
        assert response.mimetype == case["media_type"]
    if (request := first_request(test)) is not None:
        check_expected_result(request, response)
    if "check" in case:
        SD_CHECKS[case["check"]](w3c_client, response)


def check_expected_result(request: Node, response: object) -> None:
    """The manifest's mf:expectedFormat and mf:expectedBoolean, when it states them."""
    graph = manifests().graph
    expected = graph.value(request, HT.resp)
    kind = str(graph.value(expected, MF.expectedFormat) or "")
    boolean = graph.value(expected, MF.expectedBoolean)
    body = response.get_data()
    if kind == "RDF":
        assert list(ox.parse(body, format=RDF_FORMATS.by_media_type(response.mimetype).oxigraph)) is not None
    elif kind:
        fmt = RESULTS_FORMATS.by_media_type(response.mimetype)
        results = ox.parse_query_results(body, format=fmt.oxigraph)
        assert isinstance(results, {"boolean": ox.QueryBoolean, "tabular": ox.QuerySolutions}[kind])
        if boolean is not None:
            assert bool(results) is boolean.toPython()


def description(response: object) -> Graph:
    fmt = RDF_FORMATS.by_media_type(response.mimetype)
    return Graph().parse(data=response.get_data(), format=fmt.rdflib)


def endpoint_triple(client: FlaskClient, response: object) -> None:
    graph = description(response)
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    assert (services[0], SD.endpoint, URIRef(f"{AUTHORITY}/sparql")) in graph


def rdf_in_every_format(client: FlaskClient, response: object) -> None:
    for fmt in RDF_FORMATS:
        answer = client.get("/sparql", headers={"Accept": fmt.media_type}, base_url=AUTHORITY)
        assert answer.status_code == 200
        assert answer.mimetype == fmt.media_type
        assert len(Graph().parse(data=answer.get_data(), format=fmt.rdflib))


def conforms_to_schema(client: FlaskClient, response: object) -> None:
    """The service description uses the SD vocabulary as its schema says (domains, ranges, cardinalities)."""
    graph = description(response)
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert SD.DereferencesURIs not in set(graph.objects(service, SD.feature))
    assert set(graph.objects(service, SD.feature)) == {SD.UnionDefaultGraph, SD.BasicFederatedQuery}
    formats = {str(iri) for iri in graph.objects(service, SD.resultFormat)}
    assert formats >= {
        "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "http://www.w3.org/ns/formats/Turtle",
        "http://www.w3.org/ns/formats/JSON-LD",
        "http://www.w3.org/ns/formats/RDF_XML",
    }
    (dataset,) = graph.objects(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    (default_graph,) = graph.objects(dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in graph
    names = set()
    for named in graph.objects(dataset, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in graph
        (name,) = graph.objects(named, SD.name)
        (inner,) = graph.objects(named, SD.graph)
        assert isinstance(name, URIRef)
        assert (inner, RDF.type, SD.Graph) in graph
        assert graph.value(inner, VOID.triples).toPython() == 1
        names.add(str(name))
    assert names == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}
    assert graph.value(default_graph, VOID.triples).toPython() == 3


SD_CHECKS = {f.__name__: f for f in (endpoint_triple, rdf_in_every_format, conforms_to_schema)}


def first_write(test: str) -> Node:
    """The first write request of a skipped entry (an update, or a graph-store PUT/POST/DELETE)."""
    graph = manifests().graph
    requests = Collection(graph, graph.value(graph.value(URIRef(test), MF.action), HT.requests))
    return next(r for r in requests if str(graph.value(r, HT.methodName)) in ("PUT", "POST", "DELETE"))


@pytest.mark.parametrize("test", sorted(cases()["skip"]), ids=lambda iri: iri.rsplit("#", 1)[1])
def test_skipped_writes_are_refused(test: str, w3c_client: FlaskClient) -> None:
    """We skip the update and graph-store write entries, but their writes must be refused, not half-done."""
    case = manifest_request(first_write(test))
    response = send(w3c_client, case)
    assert response.status_code == (405 if case["path"].startswith("/gsp") else 403)
    default = w3c_client.get("/rdf-graphs/service?default", base_url=AUTHORITY).get_data()
    assert len(list(ox.parse(default, format=ox.RdfFormat.TURTLE))) == 3  # as the manifests' data had it
