"""Writes through `serve --store URL` into real stores of their own (Oxigraph's server, Virtuoso), the
knowledge graph published into each: validated as in the embedded store, then sent as one SPARQL Update
request to the store's update endpoint, the history's activity in the same request."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.remote import served_store
from tests.processes import free_port, stop
from tests.server.store.external.external_stores import (
    VIRTUOSO_ACCOUNT,
    publish,
    start,
    start_oxigraph,
    start_virtuoso,
)

NIPA_KG = Path(sys.executable).parent / "nipa-kg"
TOKEN = "store-writes-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
DATA, HISTORY, METADATA = (f"{BASE}graph/{name}" for name in ("data", "history", "metadata"))
DIVISION = f"{BASE}id/division/sw-future"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
COMMENT = f'<{DIVISION}> <{RDFS_COMMENT}> "저장소 쓰기 시험"@ko'
VOID = "http://rdfs.org/ns/void#"
VOID_TRIPLES = f"SELECT ?n {{ GRAPH <{METADATA}> {{ ?d a <{VOID}Dataset> ; <{VOID}triples> ?n }} }}"
JSON = {"Accept": "application/sparql-results+json"}
JSON_ONLY = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, dataset_path: Path) -> Iterator[str]:
    """An Oxigraph server of this module's own (the session's is shared by tests that must not see writes)."""
    process, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph-writes"))
    try:
        code, report = publish(url, dataset_path)
        assert code == 0, report
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, dataset_path: Path) -> Iterator[str]:
    process, url = start_virtuoso(tmp_path_factory.mktemp("virtuoso-writes"))
    try:
        code, report = publish(url, dataset_path, *VIRTUOSO_ACCOUNT)
        assert code == 0, report
        yield url
    finally:
        stop(process)


def app_over(url: str, **settings: object) -> FlaskClient:
    """The app of `serve --store url` with writes on (token of `alice`), as `serve` makes it."""
    values = {"store": url, "tokens": (("alice", TOKEN),), "query_timeout": 30.0, **settings}
    config = Settings(**values)  # type: ignore[arg-type]
    return create_app(config, served_store(config)[0]).test_client()


def dump(oxigraph: str) -> bytes:
    """Everything the Oxigraph server holds, as N-Quads."""
    answer = requests.get(f"{oxigraph}/store", headers={"Accept": "application/n-quads"}, timeout=30)
    assert answer.status_code == 200
    return answer.content


def ask(endpoint: str, pattern: str) -> bool:
    """Whether the store matches `pattern` (a SELECT: Virtuoso answers ASK as a table of its own)."""
    text = f"SELECT (1 AS ?found) {{ {pattern} }} LIMIT 1"
    answer = requests.post(endpoint, data={"query": text}, headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["results"]["bindings"])


def void_triples(endpoint: str) -> int:
    answer = requests.post(endpoint, data={"query": VOID_TRIPLES}, headers=JSON, timeout=30)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_a_write_lands_in_the_store_with_its_history_and_reverts(oxigraph: str) -> None:
    client, query = app_over(oxigraph), f"{oxigraph}/query"
    data_before = requests.get(f"{oxigraph}/store", params={"graph": DATA}, timeout=30).content
    counted, earlier = void_triples(query), len(client.get("/history", headers=JSON_ONLY).json)
    answer = client.post("/update", data=f"INSERT DATA {{ GRAPH <{DATA}> {{ {COMMENT} }} }}", headers=AUTH)
    assert answer.status_code == 200, answer.text
    written = answer.json["id"]
    assert ask(query, f"GRAPH <{DATA}> {{ {COMMENT} }}")
    assert ask(
        query, f"GRAPH <{HISTORY}> {{ <{BASE}history/{written}> a <http://www.w3.org/ns/prov#Activity> }}"
    )
    assert void_triples(query) == counted + 1  # the metadata graph's VoID counts follow the write
    [entry] = client.get("/history", headers=JSON_ONLY).json[earlier:]
    assert (entry["id"], entry["agent"], entry["added"], entry["removed"]) == (written, "alice", 1, 0)
    assert entry["started"] <= entry["ended"]

    reverted = client.post(f"/history/{written}/revert", headers=AUTH)
    assert reverted.status_code == 200, reverted.text
    assert not ask(query, f"GRAPH <{DATA}> {{ {COMMENT} }}")
    after = requests.get(f"{oxigraph}/store", params={"graph": DATA}, timeout=30).content
    assert set(after.splitlines()) == set(data_before.splitlines())
    assert void_triples(query) == counted
    listed = client.get("/history", headers=JSON_ONLY).json[earlier:]
    assert [(e["id"], e["reverts"]) for e in listed] == [(written, None), (reverted.json["id"], written)]


def test_a_shacl_refused_write_leaves_the_store_byte_identical(oxigraph: str) -> None:
    before = dump(oxigraph)
    second_agency = f"<{DIVISION}> <https://w3id.org/nipa-kg/ontology#divisionOf> <{BASE}id/agency/nowhere>"
    answer = app_over(oxigraph).post(
        "/update", data=f"INSERT DATA {{ GRAPH <{DATA}> {{ {second_agency} }} }}", headers=AUTH
    )
    assert answer.status_code == 422, answer.text
    assert b"sh:ValidationReport" in answer.data
    assert dump(oxigraph) == before


def test_the_token_rules_hold(oxigraph: str) -> None:
    before, update = dump(oxigraph), f"INSERT DATA {{ GRAPH <{DATA}> {{ {COMMENT} }} }}"
    client = app_over(oxigraph)
    missing = client.post("/update", data=update, headers={"Content-Type": "application/sparql-update"})
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == 'Bearer realm="nipa-kg"'
    wrong = {**AUTH, "Authorization": "Bearer not-the-token-at-all"}
    assert client.post("/update", data=update, headers=wrong).status_code == 401
    assert app_over(oxigraph, tokens=()).post("/update", data=update, headers=AUTH).status_code == 403
    assert dump(oxigraph) == before


def test_what_the_store_could_not_serve_is_refused_before_anything_is_sent(oxigraph: str) -> None:
    before, client = dump(oxigraph), app_over(oxigraph)
    default = client.post("/update", data=f"INSERT DATA {{ {COMMENT} }}", headers=AUTH)
    assert default.status_code == 400 and "the store's default graph is not served" in default.text
    elsewhere = client.put(
        "/rdf-graphs/service?graph=http://example.org/g",
        data=f"{COMMENT} .",
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert elsewhere.status_code == 400 and f"graphs under {BASE}graph/" in elsewhere.text
    assert dump(oxigraph) == before


def test_graph_store_writes_make_graphs_that_a_restart_serves_too(oxigraph: str) -> None:
    client, notes = app_over(oxigraph), f"{BASE}graph/notes"
    turtle = {**AUTH, "Content-Type": "text/turtle"}
    created = client.put(
        "/graph/notes", data='<http://example.org/x> <http://example.org/p> "v" .', headers=turtle
    )
    assert created.status_code == 201, created.text
    assert b"http://example.org/x" in client.get("/graph/notes", headers={"Accept": "text/turtle"}).data
    restarted = app_over(oxigraph)  # finds the graph in the store under {base}graph/
    assert restarted.get("/graph/notes", headers={"Accept": "text/turtle"}).status_code == 200
    assert restarted.delete("/graph/notes", headers=AUTH).status_code == 204
    assert not ask(f"{oxigraph}/query", f"GRAPH <{notes}> {{ ?s ?p ?o }}")
    assert app_over(oxigraph).get("/graph/notes").status_code == 404


def test_a_store_without_a_known_update_endpoint_refuses_writes(oxigraph: str) -> None:
    client = app_over(oxigraph, store_query=f"{oxigraph}/query", store_gsp=f"{oxigraph}/store")
    answer = client.post("/update", data=f"INSERT DATA {{ GRAPH <{DATA}> {{ {COMMENT} }} }}", headers=AUTH)
    assert answer.status_code == 501 and "--store-update" in answer.text


def test_oxigraph_applies_an_update_request_whole(oxigraph: str) -> None:
    """The README's word on Oxigraph: one request is one transaction (a failing operation undoes the rest)."""
    before = dump(oxigraph)
    text = f"INSERT DATA {{ GRAPH <{DATA}> {{ {COMMENT} }} }} ; DROP GRAPH <http://example.org/absent>"
    assert requests.post(f"{oxigraph}/update", data={"update": text}, timeout=30).status_code >= 400
    assert dump(oxigraph) == before


def test_a_serve_store_process_writes_and_lists_its_history(oxigraph: str, tmp_path: Path) -> None:
    tokens, port = tmp_path / "tokens", free_port()
    tokens.write_text(f"carol {TOKEN}\n")
    command = [str(NIPA_KG), "serve", "--store", oxigraph, "--port", str(port), "--token-file", str(tokens)]
    url = f"http://127.0.0.1:{port}"
    process = start(command, f"{url}/sparql", tmp_path)
    try:
        text = f'INSERT DATA {{ GRAPH <{DATA}> {{ <{DIVISION}> <{RDFS_COMMENT}> "by carol" }} }}'
        answer = requests.post(f"{url}/update", data=text, headers=AUTH, timeout=120)
        assert answer.status_code == 200, answer.text
        listed = subprocess.run(
            [str(NIPA_KG), "history", "--url", url], capture_output=True, text=True, timeout=60, check=True
        )
        assert '"agent": "carol"' in listed.stdout and answer.json()["id"] in listed.stdout
    finally:
        stop(process)
    assert ask(f"{oxigraph}/query", f'GRAPH <{DATA}> {{ <{DIVISION}> ?p "by carol" }}')


def test_virtuoso_writes_and_reverts_korean_text(virtuoso: str) -> None:
    """Through `/sparql-auth` as an account with SPARQL_UPDATE; the revert deletes a Korean literal with a
    language tag, which Virtuoso 7.2 leaves in place when one operation names several graphs."""
    user, password = VIRTUOSO_ACCOUNT[1], VIRTUOSO_ACCOUNT[3]
    client, query = app_over(virtuoso, store_user=user, store_password=password), f"{virtuoso}/sparql"
    counted = void_triples(query)
    answer = client.post("/update", data=f"INSERT DATA {{ GRAPH <{DATA}> {{ {COMMENT} }} }}", headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert ask(query, f"GRAPH <{DATA}> {{ {COMMENT} }}") and void_triples(query) == counted + 1
    reverted = client.post(f"/history/{answer.json['id']}/revert", headers=AUTH)
    assert reverted.status_code == 200, reverted.text
    assert not ask(query, f"GRAPH <{DATA}> {{ {COMMENT} }}") and void_triples(query) == counted
    assert len(client.get("/history", headers=JSON_ONLY).json) == 2


def test_virtuoso_without_an_account_refuses_the_write_saying_why(virtuoso: str) -> None:
    answer = app_over(virtuoso).post(
        "/update", data=f"INSERT DATA {{ GRAPH <{DATA}> {{ {COMMENT} }} }}", headers=AUTH
    )
    assert answer.status_code == 502 and "give --user and --password" in answer.text
    assert not ask(f"{virtuoso}/sparql", f"GRAPH <{DATA}> {{ {COMMENT} }}")


def test_virtuoso_keeps_the_operations_before_a_failed_one(virtuoso: str) -> None:
    """The README's word on Virtuoso: a request is not one transaction (each operation commits itself)."""
    kept = f'<{DIVISION}> <{RDFS_COMMENT}> "kept"'
    text = f"INSERT DATA {{ GRAPH <http://example.org/scratch> {{ {kept} }} }} ; DROP GRAPH <http://ex.org/absent>"
    auth = requests.auth.HTTPDigestAuth(VIRTUOSO_ACCOUNT[1], VIRTUOSO_ACCOUNT[3])
    answer = requests.post(f"{virtuoso}/sparql-auth", data={"update": text}, auth=auth, timeout=30)
    assert answer.status_code >= 400
    assert ask(f"{virtuoso}/sparql", f"GRAPH <http://example.org/scratch> {{ {kept} }}")
