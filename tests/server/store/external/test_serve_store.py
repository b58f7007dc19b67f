"""A real `nipa-kg serve --store URL` process (granian) over each store answers as the embedded store does;
it will not start without its store, saying why."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from tests.processes import free_port, stop
from tests.server.store.external.external_stores import (
    JSON,
    QUERIES,
    VIRTUOSO_DEPARTS,
    Backend,
    canonical,
    start,
)

NIPA_KG = Path(sys.executable).parent / "nipa-kg"


@pytest.fixture(scope="module")
def served(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of `nipa-kg serve --store` over `backend`."""
    folder, port = tmp_path_factory.mktemp("serve-store"), free_port()
    command = [str(NIPA_KG), "serve", "--store", backend.url, "--port", str(port), "--threads", "4"]
    url = f"http://127.0.0.1:{port}/"
    process = start(command, url + "sparql", folder)
    yield url
    stop(process)
    assert f"serving the {backend.name.capitalize()} at {backend.url}/" in (folder / "server.log").read_text()


def rows(document: dict) -> list[list[tuple[str, str]]]:
    return sorted(
        sorted((name, str(term)) for name, term in row.items()) for row in document["results"]["bindings"]
    )


def test_canned_queries_over_http(
    served: str, backend: Backend, clients: tuple[FlaskClient, FlaskClient]
) -> None:
    for path in QUERIES:
        if backend.name == "virtuoso" and path.stem in VIRTUOSO_DEPARTS:
            continue  # test_same_answers.py has them, as expected failures
        query = path.read_text()
        answer = requests.post(served + "sparql", data={"query": query}, headers={"Accept": JSON}, timeout=10)
        assert answer.status_code == 200, answer.text
        embedded = clients[0].get("/sparql", query_string={"query": query}, headers={"Accept": JSON}).json
        assert rows(answer.json()) == rows(embedded), path.name


def test_pages_graphs_and_dumps_over_http(served: str, clients: tuple[FlaskClient, FlaskClient]) -> None:
    assert requests.get(served + "sparql", headers={"Accept": "text/turtle"}, timeout=10).status_code == 200
    page = requests.get(served + "id/division/sw-future", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    for path, media_type in (("id/division/sw-future.ttl", "text/turtle"), ("graph/metadata", "text/turtle")):
        remote = requests.get(served + path, headers={"Accept": media_type}, timeout=10)
        embedded = clients[0].get("/" + path, headers={"Accept": media_type})
        assert canonical(remote.content, media_type) == canonical(embedded.data, media_type), path
    dump = requests.get(served + "dumps/nipa-kg.trig", timeout=10)
    assert dump.status_code == 200 and len(canonical(dump.content, "application/trig")) > 6000


def test_serve_without_its_store_says_why(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    command = [str(NIPA_KG), "serve", "--store", url, "--port", str(free_port())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"nipa-kg: error: cannot reach the SPARQL store at {url}: Connection refused\n"


def test_serve_store_refuses_data_files(tmp_path: Path, oxigraph_url: str) -> None:
    command = [str(NIPA_KG), "serve", "--store", oxigraph_url, "--data", "x.ttl"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode == 2 and "nipa-kg publish" in done.stderr
