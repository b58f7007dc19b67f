"""Writes through the app: the token, validation that leaves the data byte for byte unchanged when it
refuses, the history and its reverts, LOAD and RDF/XML guards, and a server without a data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from nipa_kg.core.errors import InputError
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings, read_token_file
from tests.server.write.conftest import AUTH, DATA, NIPA, OTHER, TOKEN, writable_store

UPDATE = "application/sparql-update"
INFERRED = "https://w3id.org/nipa-kg/graph/inferred"
AGENCY = "https://w3id.org/nipa-kg/id/agency/"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
LABELLED = f'INSERT DATA {{ GRAPH <{DATA}> {{ <{AGENCY}kisa> a <{NIPA}Agency> ; {LABEL} "KISA" }} }}'
UNLABELLED = f"INSERT DATA {{ GRAPH <{DATA}> {{ <{AGENCY}nolabel> a <{NIPA}Agency> }} }}"


def dump(client: FlaskClient) -> bytes:
    return client.get("/dumps/nipa-kg.nq").get_data()


def update(client: FlaskClient, text: str, headers: dict[str, str] | None = None) -> object:
    return client.post(
        "/update", data=text, headers={"Content-Type": UPDATE, **(AUTH if headers is None else headers)}
    )


def ask(client: FlaskClient, query: str) -> bool:
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
    return answer.get_json()["boolean"]


def history(client: FlaskClient) -> list[dict]:
    return json.loads(client.get("/history", headers={"Accept": "application/json"}).get_data())


@pytest.mark.parametrize("header", [None, "Bearer wrong-token-wrong-token", f"Basic {TOKEN}", "Bearer "])
def test_a_write_without_the_right_token_is_401_and_changes_nothing(
    writable: FlaskClient, header: str | None
) -> None:
    before = dump(writable)
    response = update(writable, LABELLED, {"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert 'realm="nipa-kg"' in response.headers["WWW-Authenticate"]
    assert TOKEN not in response.get_data(as_text=True)
    assert writable.put("/graph/data", data=b"", content_type="text/turtle").status_code == 401
    assert dump(writable) == before


def test_the_right_token_writes_and_reads_need_none(writable: FlaskClient, state_dir: Path) -> None:
    assert not ask(writable, f"ASK {{ <{AGENCY}kisa> ?p ?o }}")
    etag = writable.get("/sparql", query_string={"query": "ASK {?s ?p ?o}"}).headers["ETag"]
    response = update(writable, LABELLED)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["added"] == 2
    assert ask(writable, f"ASK {{ <{AGENCY}kisa> ?p ?o }}")  # no token needed to read
    assert ask(
        writable,
        f"ASK {{ GRAPH <{INFERRED}> {{ <{AGENCY}kisa> a <{NIPA}Organization> }} }}",
    )
    assert writable.get("/sparql", query_string={"query": "ASK {?s ?p ?o}"}).headers["ETag"] != etag
    assert (state_dir / "snapshot.nq").read_bytes() == dump(writable) or (state_dir / "snapshot.nq").is_file()
    second = update(writable, LABELLED.replace("kisa", "nia"), {"Authorization": f"Bearer {OTHER}"})
    assert second.status_code == 200
    assert [entry["agent"] for entry in history(writable)] == ["alice", "bob"]


def test_writes_are_off_without_a_token(tmp_path: Path) -> None:
    client = create_app(Settings(), writable_store(tmp_path)).test_client()
    assert update(client, LABELLED).status_code == 403
    assert client.post("/sparql", data={"update": LABELLED}, headers=AUTH).status_code == 403
    assert client.put("/graph/data", data=b"", content_type="text/turtle", headers=AUTH).status_code == 405


def test_without_a_data_directory_writes_are_refused_saying_why(tmp_path: Path) -> None:
    client = create_app(Settings(tokens=(("alice", TOKEN),)), writable_store(tmp_path)).test_client()
    before = dump(client)
    response = update(client, LABELLED)
    assert response.status_code == 503
    assert "--data-dir" in response.get_data(as_text=True)
    assert dump(client) == before


def test_a_shacl_refused_update_leaves_the_store_byte_for_byte_unchanged(
    writable: FlaskClient, state_dir: Path
) -> None:
    before = dump(writable)
    response = update(writable, UNLABELLED, AUTH | {"Accept": "application/json"})
    assert response.status_code == 422
    report = json.loads(response.get_data())
    assert any(result["message"] == "an organization has a label" for result in report["results"])
    turtle = update(writable, UNLABELLED, AUTH | {"Accept": "text/turtle"})
    assert turtle.status_code == 422 and turtle.mimetype == "text/turtle"
    assert len(Graph().parse(data=turtle.get_data(as_text=True), format="turtle"))
    assert dump(writable) == before
    assert history(writable) == []


def test_a_shacl_refused_put_leaves_the_store_byte_for_byte_unchanged(writable: FlaskClient) -> None:
    before = dump(writable)
    body = f"<{AGENCY}nipa> a <{NIPA}Agency> .".encode()  # the label dropped
    response = writable.put("/graph/data", data=body, content_type="text/turtle", headers=AUTH)
    assert response.status_code == 422
    assert dump(writable) == before


def test_the_build_s_graphs_and_the_history_are_not_writable(writable: FlaskClient) -> None:
    before = dump(writable)
    for graph in ("ontology", "shapes", "inferred", "history"):
        iri = f"https://w3id.org/nipa-kg/graph/{graph}"
        response = update(writable, f"INSERT DATA {{ GRAPH <{iri}> {{ <http://x/s> <http://x/p> 1 }} }}")
        assert response.status_code == 403
        assert iri in response.get_data(as_text=True)
    assert update(writable, "CLEAR ALL").status_code == 403
    assert dump(writable) == before


def test_history_and_revert_round_trip_and_a_revert_of_a_revert(writable: FlaskClient) -> None:
    original = dump(writable)
    kisa = f"ASK {{ <{AGENCY}kisa> ?p ?o }}"
    assert update(writable, LABELLED).status_code == 200
    (first,) = history(writable)
    assert (first["label"], first["added"], first["removed"]) == ("SPARQL Update", 2, 0)
    undone = writable.post(f"/history/{first['id']}/revert", headers=AUTH)
    assert undone.status_code == 200, undone.get_data(as_text=True)
    assert not ask(writable, kisa)
    assert dump(writable).count(b"\n") > original.count(b"\n")  # the same data, plus the history
    entries = history(writable)
    assert entries[1]["reverts"] == first["id"] and entries[1]["removed"] == 2
    again = writable.post(f"/history/{entries[1]['id']}/revert", headers=AUTH)
    assert again.status_code == 200
    assert ask(writable, kisa)
    assert [entry["reverts"] for entry in history(writable)] == [None, first["id"], entries[1]["id"]]
    assert ask(
        writable,
        "ASK { GRAPH <https://w3id.org/nipa-kg/graph/history> { ?a a <http://www.w3.org/ns/prov#Activity> ; "
        "<http://www.w3.org/ns/prov#wasAssociatedWith> ?who } }",
    )
    assert writable.post("/history/nope/revert", headers=AUTH).status_code == 404
    assert writable.post(f"/history/{first['id']}/revert").status_code == 401


def test_graph_store_writes(writable: FlaskClient) -> None:
    iri = "http://example.org/g"
    target = f"/rdf-graphs/service?graph={iri}"
    body = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    assert writable.put(target, data=body, content_type="text/turtle", headers=AUTH).status_code == 201
    assert writable.put(target, data=body, content_type="text/turtle", headers=AUTH).status_code == 204
    assert (
        writable.post(
            target, data=body.replace(b"/c>", b"/d>"), content_type="application/n-triples", headers=AUTH
        ).status_code
        == 204
    )
    assert (
        len(
            Graph().parse(
                data=writable.get(target, headers={"Accept": "text/turtle"}).get_data(), format="turtle"
            )
        )
        == 2
    )
    assert writable.put(target, data=body, content_type="application/trig", headers=AUTH).status_code == 415
    assert writable.delete(target, headers=AUTH).status_code == 204
    assert writable.delete(target, headers=AUTH).status_code == 404
    created = writable.post("/rdf-graphs/service", data=body, content_type="text/turtle", headers=AUTH)
    assert created.status_code == 201 and created.headers["Location"].startswith(
        "https://w3id.org/nipa-kg/graph/new/"
    )


def test_load_of_a_file_or_an_endpoint_off_the_allowlist_is_refused_before_staging(
    writable: FlaskClient,
) -> None:
    before = dump(writable)
    for text in (
        "LOAD <file:///etc/passwd>",
        "LOAD SILENT <http://127.0.0.1:1/x.ttl>",
        "LOAD ex:x",
        "lo\\u0061d <file:///etc/hosts>",
    ):
        response = update(writable, text)
        assert response.status_code == 400, text
        assert "LOAD" in response.get_data(as_text=True)
    assert dump(writable) == before


def test_an_update_nested_deep_enough_to_crash_pyoxigraph_is_refused_by_the_guard(
    writable: FlaskClient,
) -> None:
    before = dump(writable)
    text = "DELETE WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    response = update(writable, text)
    assert response.status_code == 400
    assert "update nests groups and parentheses" in response.get_data(as_text=True)
    assert dump(writable) == before


def test_an_rdf_xml_body_pulls_no_external_entity(writable: FlaskClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:b>&xxe;</ex:b></rdf:Description>
</rdf:RDF>"""
    target = "/rdf-graphs/service?graph=http://example.org/xxe"
    response = writable.put(target, data=body.encode(), content_type="application/rdf+xml", headers=AUTH)
    assert response.status_code in (201, 400)
    assert b"TOP-SECRET" not in dump(writable)


def test_a_token_file(tmp_path: Path) -> None:
    good = tmp_path / "tokens"
    good.write_text(f"# writers\nalice {TOKEN}\n\nbob {OTHER}\n", "utf-8")
    assert read_token_file(good) == (("alice", TOKEN), ("bob", OTHER))
    bad = tmp_path / "bad"
    bad.write_text(f"alice {TOKEN}\nbob\n", "utf-8")
    with pytest.raises(InputError, match="line 2") as raised:
        read_token_file(bad)
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(Settings(tokens=(("alice", TOKEN),)))
