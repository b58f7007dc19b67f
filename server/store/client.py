"""Plain HTTP to a SPARQL 1.1 store: where its endpoints are (`Endpoints`) and requests to them
(`StoreClient`), with timeouts, pooled keep-alive connections and every transport failure raised as
`StoreUnavailable` with a one-line reason.

**Endpoint layout.** `--store URL` names the store; the query and Graph Store Protocol (GSP) URLs are
derived from the product, which the `Server` header of one `GET URL` names:

| product  | `--store` (example)   | queries      | GSP reads               | GSP writes (publish)         |
|----------|-----------------------|--------------|-------------------------|------------------------------|
| Oxigraph | `http://host:7878`    | `URL/query`  | `URL/store`             | `URL/store`                  |
| Virtuoso | `http://host:8890`    | `URL/sparql` | `URL/sparql-graph-crud` | `URL/sparql-graph-crud-auth` |
| Fuseki   | `http://host:3030/ds` | `URL/query`  | `URL/data`              | `URL/data`                   |
| other    | the query endpoint    | `URL`        | none: CONSTRUCT queries | none: give `--store-gsp`     |

SPARQL Update (the writes of `serve --store`, `nipa_kg.server.write.external`): Oxigraph `URL/update`,
Fuseki `URL/update`, Virtuoso `URL/sparql-auth`; another store's with `--store-update`.

`--store-query URL`, `--store-gsp URL` and `--store-update URL` replace the derived URLs (the GSP one for
reads and writes); with the first two given nothing is probed. Updates are form POSTs (`update=`), which
each of the three takes; Virtuoso runs them at `/sparql-auth`, which asks for HTTP digest authentication
as an account with the SPARQL_UPDATE role (`--user`, `--password`): its `/sparql` runs as an account that
may not write. GraphDB, for one, is `--store http://host:7200/repositories/ID
--store-gsp http://host:7200/repositories/ID/rdf-graphs/service` (and, for writes, `--store-update
http://host:7200/repositories/ID/statements`).

**Sessions.** One `requests.Session` per thread and process (a session is not shared across threads,
and connections opened before the server forks its workers are not reused after it); credentials, when
given, answer whichever challenge the store sends (Virtuoso's `-auth` endpoints ask for HTTP digest,
others for basic).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests
import urllib3.exceptions
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from nipa_kg.server.store.base import StoreUnavailable

CONNECT_TIMEOUT = 5.0
PROBE_TIMEOUT = 10.0
TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)

# product (as its Server header names it) → paths of (queries, GSP reads, GSP writes, updates) under --store
LAYOUTS = {
    "Oxigraph": ("query", "store", "store", "update"),
    "Virtuoso": ("sparql", "sparql-graph-crud", "sparql-graph-crud-auth", "sparql-auth"),
    "Fuseki": ("query", "data", "data", "update"),
}
GENERIC = "SPARQL store"


class StoreTimeout(StoreUnavailable):
    """The store took longer to answer than we wait."""


@dataclass(frozen=True)
class Endpoints:
    """Where a store answers: queries, GSP reads and writes, updates (None: the store has none we know of)."""

    product: str
    query: str
    graph_store: str | None
    graph_store_writes: str | None
    update: str | None = None

    @classmethod
    def discover(
        cls,
        client: StoreClient,
        url: str,
        query: str | None = None,
        gsp: str | None = None,
        update: str | None = None,
    ) -> Endpoints:
        """The endpoints of the store at `url`, as the module docstring lays them out."""
        product = GENERIC if query and gsp else client.product(url)
        paths = LAYOUTS.get(product)
        root = url.rstrip("/")
        derived = [f"{root}/{path}" for path in paths] if paths else [url, None, None, None]
        return cls(product, query or derived[0], gsp or derived[1], gsp or derived[2], update or derived[3])

    def describe(self) -> str:
        reads = self.graph_store or "CONSTRUCT queries"
        return f"the {self.product} at {self.query} (graphs read from {reads})"


class AnyAuth(AuthBase):
    """HTTP digest or basic authentication, whichever the server's challenge asks for."""

    def __init__(self, user: str, password: str) -> None:
        self.digest = HTTPDigestAuth(user, password)
        self.basic = HTTPBasicAuth(user, password)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.register_hook("response", self._basic_challenge)
        return self.digest(request)  # answers a digest challenge itself

    def _basic_challenge(self, response: requests.Response, **kwargs: object) -> requests.Response:
        challenge = response.headers.get("WWW-Authenticate", "").lower()
        if response.status_code != 401 or not challenge.startswith("basic") or response.request is None:
            return response
        response.content  # noqa: B018 - read the body so the connection can be reused
        retry = self.basic(response.request.copy())
        sent = response.connection.send(retry, **kwargs)
        sent.history.append(response)
        return sent


class StoreClient:
    """HTTP requests to one store (see the module docstring); failures raise `StoreUnavailable`."""

    def __init__(self, user: str | None = None, password: str | None = None) -> None:
        self.auth = AnyAuth(user, password or "") if user else None
        self._local = threading.local()

    def session(self) -> requests.Session:
        if getattr(self._local, "pid", None) != os.getpid():
            session = requests.Session()
            session.auth = self.auth
            session.headers["User-Agent"] = "nipa-kg"
            self._local.session, self._local.pid = session, os.getpid()
        return self._local.session

    def request(self, method: str, url: str, *, timeout: float, **options: object) -> requests.Response:
        """Send one request (`options` as `requests` takes them) waiting at most `timeout` seconds for
        each read; the response body is left to read (`stream=True` in `options`) or read in full."""
        with transport_errors(url, timeout):
            return self.session().request(
                method, url, timeout=(min(CONNECT_TIMEOUT, timeout), timeout), **options
            )

    def product(self, url: str) -> str:
        """The product serving `url` as its `Server` header names it (GENERIC if it names none we know)."""
        server = self.request("GET", url, timeout=PROBE_TIMEOUT).headers.get("Server", "")
        return next((name for name in LAYOUTS if name.lower() in server.lower()), GENERIC)


@contextmanager
def transport_errors(url: str, timeout: float) -> Iterator[None]:
    """Raise what fails on the way to `url` or back (also while a body is read) as `StoreUnavailable`."""
    try:
        yield
    except (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError) as exc:
        if isinstance(exc, requests.ConnectTimeout):
            raise StoreUnavailable(f"cannot reach the SPARQL store at {url}: {reason(exc)}") from None
        raise StoreTimeout(f"the SPARQL store at {url} did not answer within {timeout:g} s") from None
    except TRANSPORT_ERRORS as exc:
        raise StoreUnavailable(f"cannot reach the SPARQL store at {url}: {reason(exc)}") from None


def reason(exc: BaseException) -> str:
    """The root cause of a transport error in a few words ("Connection refused"), not urllib3's retelling."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        wrapped = getattr(seen.args[0], "reason", None) if seen.args else None
        seen = seen.__cause__ or seen.__context__ or (wrapped if isinstance(wrapped, BaseException) else None)
    return str(exc) or type(exc).__name__
