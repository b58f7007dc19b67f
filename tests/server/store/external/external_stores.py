"""Helpers of the external-store tests (a module with a name of its own, so the test modules import it
whatever other `conftest` is loaded): starting and stopping servers, publishing, comparing RDF, and the
fake store's replies."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pyoxigraph as ox
import pytest

import nipa_kg.graph.queries
from bench.virtuoso import INI as VIRTUOSO_INI  # the bench's: ThreadsPerQuery = 1, and why
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.core.namespaces import GRAPH_NAMES
from nipa_kg.server import cli
from tests.processes import free_port, stop, wait_until_ready

START_TIMEOUT = 60.0
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = "virtuoso-t"
GRAPHS = tuple(f"{BASE}graph/{name}" for name in GRAPH_NAMES)
QUERIES = sorted(Path(nipa_kg.graph.queries.__file__).parent.glob("*.rq"))
JSON = "application/sparql-results+json"
# Canned queries whose answers Virtuoso gets wrong by its own evaluation, not the protocol: offline, their
# SERVICE SILENT block gives nothing and leaves variables unbound, which Virtuoso does not handle as SPARQL
# 1.1 says. Expected failures, strictly: one that passes has been fixed and leaves this list.
VIRTUOSO_DEPARTS = {
    "12-country-capitals": "Virtuoso binds ?capital from FILTER(sameTerm(?same, ?capital)) inside an "
    "OPTIONAL, where a FILTER binds nothing",
    "13-division-budgets-against-total": "Virtuoso answers a projected comparison (?a > ?b) with "
    '"1"^^xsd:integer, not "true"^^xsd:boolean',
}
VIRTUOSO_ACCOUNT = ("--user", "dba", "--password", "dba")  # a new Virtuoso database's administrator


@dataclass(frozen=True)
class Backend:
    name: str
    url: str
    report: str  # what publishing into it printed

    @property
    def account(self) -> tuple[str, ...]:
        """The `publish` flags that let it write."""
        return VIRTUOSO_ACCOUNT if self.name == "virtuoso" else ()


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time


@dataclass
class FakeStore:
    """What the fake store answers (`answer` sees the request handler), and the requests it had."""

    url: str
    answer: Callable[[BaseHTTPRequestHandler], Reply] = lambda request: Reply(404)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


def start(command: list[str], url: str, folder: Path) -> subprocess.Popen:
    """Start a server in `folder` (its output in `server.log`) and wait until `url` answers 2xx."""
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=folder)
    try:
        wait_until_ready(process, url, START_TIMEOUT)
    except BaseException:
        stop(process)
        print(log.read_text()[-2000:])
        raise
    return process


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` (the `oxigraph` command of the venv), in memory, on a free loopback port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}"]
    return start(command, url + "/query?query=ASK%7B%7D", folder), url


def start_virtuoso(folder: Path) -> tuple[subprocess.Popen, str]:
    """Debian's `virtuoso-t +foreground` with its own ini and database in `folder` (a few seconds to start);
    without `virtuoso-t` the test fails, saying how to install it."""
    if shutil.which(VIRTUOSO) is None:
        pytest.fail(
            f"{VIRTUOSO} is not installed, so the Virtuoso tests cannot run: install Debian's "
            "virtuoso-opensource (`apt-get install virtuoso-opensource`; bash .ci/run does)"
        )
    ini, http_port = folder / "virtuoso.ini", free_port()
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=folder,
            data_dir=folder,
            sql_port=free_port(),
            http_port=http_port,
            buffers=10000,
            dirty=6000,
            max_rows=100_000,
            max_seconds=60,
        )
    )
    url = f"http://127.0.0.1:{http_port}"
    command = [VIRTUOSO, "+foreground", "+configfile", str(ini)]
    return start(command, url + "/sparql?query=ASK%7B%7D", folder), url


def publish(url: str, dataset: Path, *extra: str) -> tuple[int, str]:
    """`nipa-kg publish` in this process: its exit code and what it printed (stdout and stderr)."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = cli.main(["publish", "--store", url, "--dataset", str(dataset), *extra])
    return code, output.getvalue()


def canonical(data: bytes, media_type: str) -> set[ox.Quad]:
    """RDF as a set of quads with blank nodes canonically labelled, to compare graphs."""
    dataset = ox.Dataset(ox.parse(data, format=RDF_FORMATS.by_media_type(media_type).oxigraph))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)
