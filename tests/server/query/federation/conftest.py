"""Fixtures of the federation tests: real second endpoints on loopback ports, stopped by their PIDs.

- `other_lod`: an Oxigraph server (in memory) holding fixtures/other-lod.ttl, another public-sector
  dataset that shares IRIs and codes with ours; `wikidata`: one holding fixtures/wikidata.ttl, a
  Wikidata-shaped stand-in the app reaches through `--service-alias`.
- `stub`: a loopback HTTP endpoint whose answers a test sets per path (or that never answers), and that
  records every request it gets; `dead_endpoint`: a loopback URL nothing listens on.
- `make_client`: a Flask test client over the real graph (built once per session by tests/conftest.py)
  with federation settings: other_lod allowed, Wikidata aliased to the stand-in; `nipa_serve`: a real
  `nipa-kg serve` process with the same settings.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.graph.build import Build
from nipa_kg.graph.export import serialize
from nipa_kg.server.app import create_app
from nipa_kg.server.query.federation import WIKIDATA
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore
from tests.processes import free_port, stop, wait_until_ready
from tests.server.query.federation.federation_endpoints import START_TIMEOUT, Answer, Oxigraph, Server, Stub

FIXTURES = Path(__file__).parent / "fixtures"
BIN = Path(sys.executable).parent


def oxigraph_with(fixture: Path) -> Iterator[Oxigraph]:
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server = Oxigraph(f"http://127.0.0.1:{port}/")
        wait_until_ready(process, server.url, START_TIMEOUT)
        loaded = requests.post(
            server.url + "store?default",
            data=fixture.read_bytes(),
            headers={"Content-Type": "text/turtle"},
            timeout=30,
        )
        assert loaded.status_code in (200, 201, 204), loaded.text
        yield server
    finally:
        stop(process)


@pytest.fixture(scope="session")
def other_lod() -> Iterator[Oxigraph]:
    yield from oxigraph_with(FIXTURES / "other-lod.ttl")


@pytest.fixture(scope="session")
def wikidata() -> Iterator[Oxigraph]:
    yield from oxigraph_with(FIXTURES / "wikidata.ttl")


@pytest.fixture
def stub() -> Iterator[Stub]:
    state: list[Stub] = []

    class Handler(BaseHTTPRequestHandler):
        def do_ANY(self) -> None:  # noqa: N802 - http.server's naming
            endpoint = state[0]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            endpoint.requests.append((self.command, self.path, body))
            answer = endpoint.answers.get(self.path.split("?")[0], Answer(status=404, body=b"no such path"))
            if answer.hang:
                endpoint.released.wait(30)
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_ANY  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.append(Stub(f"http://127.0.0.1:{server.server_address[1]}/"))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield state[0]
    state[0].released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_endpoint() -> str:
    """A loopback URL nothing listens on."""
    return f"http://127.0.0.1:{free_port()}/sparql"


@pytest.fixture(scope="session")
def real_store(built: Build) -> EmbeddedStore:
    store = EmbeddedStore(workers=4)
    nquads = RDF_FORMATS.by_name("nq")
    store.load(serialize(built.dataset, nquads, DEFAULT_BASE), nquads)
    return store


@pytest.fixture(scope="session")
def settings(other_lod: Oxigraph, wikidata: Oxigraph) -> Settings:
    return Settings(
        base=DEFAULT_BASE,
        allow_service=(other_lod.query,),
        service_aliases=((WIKIDATA, wikidata.query),),
        service_timeout=2.0,
        query_timeout=10.0,
    )


@pytest.fixture
def make_client(real_store: EmbeddedStore, settings: Settings) -> Callable[..., FlaskClient]:
    """A test client of an app over the real graph, with the federation settings changed as asked."""
    return lambda **changes: create_app(replace(settings, **changes), real_store).test_client()


@pytest.fixture
def client(make_client: Callable[..., FlaskClient]) -> FlaskClient:
    return make_client()


@pytest.fixture(scope="session")
def nipa_serve(built_dir: Path, other_lod: Oxigraph, wikidata: Oxigraph) -> Iterator[Server]:
    """`nipa-kg serve` over the built graph, allowed to call other_lod, with Wikidata aliased."""
    port = free_port()
    command = [
        str(BIN / "nipa-kg"),
        "serve",
        "--dataset",
        str(built_dir / "nipa-kg.trig"),
        "--port",
        str(port),
    ]
    command += ["--allow-service", other_lod.query, "--service-alias", f"{WIKIDATA}={wikidata.query}"]
    command += ["--threads", "4"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server = Server(f"http://127.0.0.1:{port}/")
        wait_until_ready(process, server.endpoint, START_TIMEOUT)
        yield server
    finally:
        stop(process)
