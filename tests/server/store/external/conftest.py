"""Fixtures of the external-store tests: real store servers, started once per session on free loopback
ports and stopped by PID (helpers in `external_stores`).

- `oxigraph_url`: `oxigraph serve` (the `oxigraph` command of the venv), in memory;
- `virtuoso_url`: Debian's `virtuoso-t +foreground` with its own ini and database in a temporary folder
  (a few seconds to start). Without `virtuoso-t` the tests that need it fail, saying how to install it;
- `backend`: each of them in turn (the tests using it run once per store), with the knowledge graph
  published into it by `nipa-kg publish`;
- `embedded` and `remote`: the same dataset in an `EmbeddedStore`, and the store of `backend` as a
  `RemoteStore`; `clients` are Flask test clients over each, to compare answers;
- `fake_store`: a loopback HTTP server answering what a test sets (`Reply`), for what real stores do not
  do on demand (answer slowly, cut results, ask for basic authentication, answer nonsense).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore
from nipa_kg.server.store.remote import RemoteStore, open_store
from tests.processes import stop
from tests.server.store.external.external_stores import (
    GRAPHS,
    Backend,
    FakeStore,
    publish,
    start_oxigraph,
    start_virtuoso,
)


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield url
    stop(process)


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield url
    stop(process)


@pytest.fixture(scope="session")
def dataset_path(built_dir: Path) -> Path:
    return built_dir / "nipa-kg.trig"


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def backend(request: pytest.FixtureRequest, dataset_path: Path) -> Backend:
    url = request.getfixturevalue(f"{request.param}_url")
    code, report = publish(url, dataset_path, *Backend(request.param, url, "").account)
    assert code == 0, report
    return Backend(request.param, url, report)


@pytest.fixture(scope="session")
def embedded(dataset_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(workers=4)
    store.load(dataset_path, RDF_FORMATS.by_extension(dataset_path))
    return store


@pytest.fixture(scope="session")
def remote(backend: Backend) -> RemoteStore:
    return open_store(Settings(store=backend.url, query_timeout=20), GRAPHS)


@pytest.fixture(scope="session")
def clients(embedded: EmbeddedStore, remote: RemoteStore) -> tuple[FlaskClient, FlaskClient]:
    """Test clients of the app over the embedded store and over the remote one."""
    settings = Settings(query_timeout=20)
    return create_app(settings, embedded).test_client(), create_app(settings, remote).test_client()


@pytest.fixture
def fake_store() -> Iterator[FakeStore]:
    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            store.requests.append((self.command, self.path, dict(self.headers)))
            reply = store.answer(self)
            time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in {"Content-Length": str(len(reply.body)), **reply.headers}.items():
                self.send_header(name, value)
            self.end_headers()
            if not reply.trickle:
                self.wfile.write(reply.body)
            for byte in reply.body if reply.trickle else b"":
                time.sleep(reply.trickle)
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:  # the client hung up
                    return

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    store = FakeStore(f"http://127.0.0.1:{server.server_address[1]}")
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield store
    server.shutdown()
    server.server_close()
