"""`nipa-kg publish`: the knowledge graph into a real store, graph by graph (Graph Store Protocol PUT),
with a report; publishing again replaces every graph and leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from nipa_kg.server.store.embedded import EmbeddedStore
from nipa_kg.server.store.remote import RemoteStore
from tests.processes import free_port
from tests.server.store.external.external_stores import GRAPHS, Backend, FakeStore, Reply, publish


def test_publish_reports_every_graph(backend: Backend, embedded: EmbeddedStore) -> None:
    lines = backend.report.splitlines()
    assert lines[0].startswith("published ") and lines[0].endswith(f"({backend.name.capitalize()}):")
    sizes = embedded.named_graphs()
    assert [line.split()[1:3] for line in lines[1:-1]] == [[iri, str(size)] for iri, size in sizes.items()]
    assert lines[-1].startswith(f"5 graphs, {sum(sizes.values())} triples, in ")


def test_publishing_again_replaces_each_graph(
    backend: Backend, dataset_path: Path, remote: RemoteStore, embedded: EmbeddedStore
) -> None:
    code, report = publish(backend.url, dataset_path, *backend.account)
    assert code == 0, report
    assert [line.split()[0] for line in report.splitlines()[1:-1]] == ["replaced"] * 5
    assert remote.named_graphs() == embedded.named_graphs()
    assert remote.default_graph_size() == embedded.default_graph_size()


def test_the_graphs_share_no_triple(dataset_path: Path) -> None:
    """What makes the stores' union default graph (a triple once per graph holding it) a set."""
    quads = list(ox.parse(path=dataset_path))
    assert len({quad.triple for quad in quads}) == len(quads)
    assert {quad.graph_name.value for quad in quads} == set(GRAPHS)


def test_virtuoso_writes_need_an_account(virtuoso_url: str, dataset_path: Path) -> None:
    code, report = publish(virtuoso_url, dataset_path)
    assert code == 2
    assert "(401 Unauthorized): give --user and --password" in report


def test_an_unreachable_store_is_one_line(dataset_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, report = publish(url, dataset_path)
    assert (code, report) == (
        2,
        f"nipa-kg: error: cannot reach the SPARQL store at {url}: Connection refused\n",
    )


def test_bad_datasets_are_input_errors(oxigraph_url: str, tmp_path: Path) -> None:
    triples = tmp_path / "triples.ttl"
    triples.write_text("<urn:a> <urn:b> <urn:c> .\n")
    assert publish(oxigraph_url, triples) == (
        2,
        f"nipa-kg: error: {triples}: publish puts named graphs only, not the default graph (1 triples)\n",
    )
    broken = tmp_path / "broken.trig"
    broken.write_text("<urn:g> {\n<urn:a> <urn:b> .\n}\n")
    code, report = publish(oxigraph_url, broken)
    assert code == 2 and report.startswith(f"nipa-kg: error: {broken}:2:")


def test_a_store_without_a_known_graph_store(fake_store: FakeStore, dataset_path: Path) -> None:
    fake_store.answer = lambda request: Reply(200)
    code, report = publish(fake_store.url + "/sparql", dataset_path)
    assert code == 2 and "no Graph Store Protocol endpoint is known" in report and "--store-gsp" in report


def test_a_store_that_does_not_hold_what_was_sent(fake_store: FakeStore, dataset_path: Path) -> None:
    counts = b'{"head":{"vars":["g","n"]},"results":{"bindings":[]}}'
    answers = {
        "PUT": Reply(204),
        "POST": Reply(200, {"Content-Type": "application/sparql-results+json"}, counts),
    }
    fake_store.answer = lambda request: answers[request.command]
    url = fake_store.url
    code, report = publish(url, dataset_path, "--store-query", url + "/q", "--store-gsp", url + "/g")
    assert code == 1
    assert "nipa-kg: error: the store does not hold the triples sent: <" in report and "0 held" in report
