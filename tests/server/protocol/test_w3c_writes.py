"""The W3C update and Graph Store Protocol entries that a read-only server refuses
(`test_w3c_protocol.test_skipped_writes_are_refused`), run whole with a token: every request of each entry
in order, on a fresh writable app, the status in the manifest's class, booleans as expected, and a graph
read back isomorphic to the manifest's (the default graph less the history graph: it is the union)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore
from tests.server.protocol.test_w3c_protocol import (
    AUTHORITY,
    CNT,
    HT,
    MF,
    PATHS,
    cases,
    check_expected_result,
    header,
    manifest_request,
    manifests,
)

TOKEN = "w3c-write-token-0123"
CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
HISTORY = f"{AUTHORITY}/graph/history"


def statuses(request: object) -> set[int]:
    graph, found = manifests().graph, set()
    for status in graph.objects(graph.value(request, HT.resp), MF.expectedStatus):
        name = str(status).rsplit("#", 1)[1]
        if name.startswith("StatusCode"):
            found |= set(range(int(name[10]) * 100, int(name[10]) * 100 + 100))
        else:
            found.add(CODES[name])
    return found


def expected_graph(request: object) -> Graph | None:
    graph = manifests().graph
    body = graph.value(graph.value(request, HT.resp), HT.body)
    if body is None:
        return None
    return Graph().parse(data=str(graph.value(body, CNT.chars)), format="turtle", publicID=AUTHORITY + "/")


@pytest.mark.parametrize("test", sorted(cases()["skip"]), ids=lambda iri: iri.rsplit("#", 1)[1])
def test_w3c_write_entry_with_a_token(test: str, tmp_path: Path) -> None:
    settings = Settings(base=f"{AUTHORITY}/", tokens=(("w3c", TOKEN),), state_dir=tmp_path)
    client = create_app(settings, EmbeddedStore(workers=2)).test_client()
    graph, location = manifests().graph, None
    for request in Collection(graph, graph.value(graph.value(URIRef(test), MF.action), HT.requests)):
        case = manifest_request(request)
        if location:
            case = {key: value.replace("$LOCATION$", location) for key, value in case.items()}
        prefix, ours = next((prefix, ours) for prefix, ours in PATHS if case["path"].startswith(prefix))
        headers = {"Authorization": f"Bearer {TOKEN}"}
        headers |= {"Accept": case["accept"]} if "accept" in case else {}
        headers |= {"Content-Type": case["content_type"]} if "content_type" in case else {}
        body = case.get("body", "").encode(case.get("encoding", "utf-8"))
        path = ours + case["path"].removeprefix(prefix)
        response = client.open(path, method=case["method"], headers=headers, data=body, base_url=AUTHORITY)
        assert response.status_code in statuses(request), (case, response.get_data(as_text=True))
        location = response.headers.get("Location", location)
        check_expected_result(request, response)
        if (expected := expected_graph(request)) is not None and response.status_code == 200:
            got = Graph().parse(data=response.get_data(as_text=True), format="turtle")
            history = client.get(f"/rdf-graphs/service?graph={HISTORY}", headers={"Accept": "text/turtle"})
            if history.status_code == 200 and "default" in case["path"]:
                got -= Graph().parse(data=history.get_data(as_text=True), format="turtle")
            assert isomorphic(got, expected), got.serialize(format="nt")
    assert header is not None
