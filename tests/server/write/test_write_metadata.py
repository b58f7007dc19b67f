"""After a write to the knowledge graph, its `metadata` graph describes the new dataset as the build would
(VoID counts and partitions, `dct:modified` the day of the write); a revert brings the counts back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore
from tests.server.write.conftest import AUTH, DATA, TOKEN

METADATA = f"{BASE}graph/metadata"
VOID = "http://rdfs.org/ns/void#"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DESCRIBED = f"""SELECT ?triples ?entities ?modified ?comments {{ GRAPH <{METADATA}> {{
  ?d a <{VOID}Dataset> ; <{VOID}triples> ?triples ; <{VOID}entities> ?entities ;
     <http://purl.org/dc/terms/modified> ?modified .
  OPTIONAL {{ ?d <{VOID}propertyPartition> [ <{VOID}property> <{COMMENT}> ; <{VOID}triples> ?comments ] }}
}} }}"""


def described(client: FlaskClient) -> dict[str, str]:
    answer = client.get("/sparql", query_string={"query": DESCRIBED}, headers={"Accept": "application/json"})
    [row] = answer.get_json()["results"]["bindings"]
    return {name: term["value"] for name, term in row.items()}


def test_the_void_counts_follow_a_write_and_its_revert(built_dir: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(workers=4)
    store.load(built_dir / "nipa-kg.trig", RDF_FORMATS.by_name("trig"))
    settings = Settings(tokens=(("alice", TOKEN),), state_dir=tmp_path / "state", query_timeout=20)
    client = create_app(settings, store).test_client()
    before = described(client)
    resource = f"<{BASE}id/testbed/unlisted-thing>"  # a new entity under the URI space: labels and a comment
    triples = f'{resource} <{LABEL}> "시험"@ko , "test"@en ; <{COMMENT}> "한 줄"'
    text = f"INSERT DATA {{ GRAPH <{DATA}> {{ {triples} }} }}"
    written = client.post("/update", data=text, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert written.status_code == 200, written.get_data(as_text=True)
    after = described(client)
    assert int(after["triples"]) == int(before["triples"]) + 3
    assert int(after["entities"]) == int(before["entities"]) + 1
    assert int(after.get("comments", 0)) == int(before.get("comments", 0)) + 1
    assert after["modified"] == datetime.now(UTC).date().isoformat()
    reverted = client.post(f"/history/{written.get_json()['id']}/revert", headers=AUTH)
    assert reverted.status_code == 200, reverted.get_data(as_text=True)
    again = described(client)
    assert (again["triples"], again["entities"], again.get("comments")) == (
        before["triples"],
        before["entities"],
        before.get("comments"),
    )
