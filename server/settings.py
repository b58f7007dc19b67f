"""Settings of the server, built once from `serve` flags and environment variables (flag > environment >
default) and passed to the app and the store; nothing reads the environment later.

| field             | flag                | environment               | default                     |
|-------------------|---------------------|---------------------------|-----------------------------|
| `base`            | `--base`            | `NIPA_KG_BASE`            | `https://w3id.org/nipa-kg/` |
| `host`            | `--host`            | `NIPA_KG_HOST`            | `127.0.0.1`                 |
| `port`            | `--port`            | `NIPA_KG_PORT`            | `8000`                      |
| `query_timeout`   | `--timeout`         | `NIPA_KG_QUERY_TIMEOUT`   | `30` seconds                |
| `row_cap`         | `--row-cap`         | `NIPA_KG_ROW_CAP`         | `100000` rows or triples    |
| `cors_origins`    | `--cors-origins`    | `NIPA_KG_CORS_ORIGINS`    | `*` (comma-separated list)  |
| `max_query_bytes` | `--max-query-bytes` | `NIPA_KG_MAX_QUERY_BYTES` | `1048576` (1 MiB)           |
| `workers`         | `--workers`         |                           | `1` process                 |
| `threads`         | `--threads`         |                           | `24` request threads each   |
| `isolation`       | `--isolation`       | `NIPA_KG_ISOLATION`       | `process`; or `none`        |
| `max_queries`     | `--max-queries`     | `NIPA_KG_MAX_QUERIES`     | `16` requests in flight     |
| `max_client_queries` | `--max-client-queries` | `NIPA_KG_MAX_CLIENT_QUERIES` | `4` per client address |
| `dataset`         | `--dataset`         |                           | see `nipa_kg.server.store.dataset` |
| `data`            | `--data` (repeated) |                           | none                        |
| `only_data`       | `--only-data`       |                           | off: `--data` adds to ours  |
| `store`           | `--store`           | `NIPA_KG_STORE`           | none: an embedded store     |
| `store_query`     | `--store-query`     | `NIPA_KG_STORE_QUERY`     | from `--store`              |
| `store_gsp`       | `--store-gsp`       | `NIPA_KG_STORE_GSP`       | from `--store`              |
| `cache_bytes`     | `--cache-size`      | `NIPA_KG_CACHE_BYTES`     | `67108864` (64 MiB); 0: off |
| `access_log`      | `--no-access-log`   |                           | on: one line per request    |
| `allow_service`   | `--allow-service`   | `NIPA_KG_ALLOW_SERVICE`   | none beyond the defaults    |
| `service_aliases` | `--service-alias`   | `NIPA_KG_SERVICE_ALIAS`   | none                        |
| `service_timeout` | `--service-timeout` | `NIPA_KG_SERVICE_TIMEOUT` | `10` seconds per call       |

`store` is the URL of an external SPARQL 1.1 store to serve from (`nipa_kg.server.store.remote`);
`store_query` and `store_gsp` its query and Graph Store Protocol endpoints when they are not where
`nipa_kg.server.store.client` looks for them.

`threads` should be more than `max_queries` plus `RESERVE` (4): the threads beyond answer cached queries
at once while that many queries run (`nipa_kg.server.middleware.admission`).

`allow_service` (flag repeated, or comma-separated in the environment) adds SPARQL endpoints a query's
SERVICE may call to those always allowed (Wikidata's and this server's own,
`nipa_kg.server.query.federation`);
`service_aliases` (`IRI=URL`, likewise) sends the SERVICE calls naming an IRI to another URL instead (a
local mirror), and allows that IRI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from nipa_kg.core.config import flag_env_values
from nipa_kg.core.errors import InputError
from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.graph.settings import Settings as BuildSettings

ENVIRONMENT = {
    "base": "NIPA_KG_BASE",
    "host": "NIPA_KG_HOST",
    "port": "NIPA_KG_PORT",
    "query_timeout": "NIPA_KG_QUERY_TIMEOUT",
    "row_cap": "NIPA_KG_ROW_CAP",
    "cors_origins": "NIPA_KG_CORS_ORIGINS",
    "max_query_bytes": "NIPA_KG_MAX_QUERY_BYTES",
    "store": "NIPA_KG_STORE",
    "store_query": "NIPA_KG_STORE_QUERY",
    "store_gsp": "NIPA_KG_STORE_GSP",
    "cache_bytes": "NIPA_KG_CACHE_BYTES",
    "allow_service": "NIPA_KG_ALLOW_SERVICE",
    "service_aliases": "NIPA_KG_SERVICE_ALIAS",
    "service_timeout": "NIPA_KG_SERVICE_TIMEOUT",
    "isolation": "NIPA_KG_ISOLATION",
    "max_queries": "NIPA_KG_MAX_QUERIES",
    "max_client_queries": "NIPA_KG_MAX_CLIENT_QUERIES",
}
STORE_URLS = ("store", "store_query", "store_gsp")
ISOLATIONS = ("process", "none")
RESERVE = 4  # requests admitted beyond max_queries for clients with none in flight (middleware.admission)


def _origins(value: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in value.split(",") if origin.strip())


def parse_alias(value: str) -> tuple[str, str]:
    """`IRI=URL` (a SERVICE IRI and the URL to call instead) as a pair."""
    iri, equals, url = value.partition("=")
    if not equals or not iri.strip() or not url.strip():
        raise ValueError(f"a service alias is IRI=URL, not {value!r}")
    return iri.strip(), url.strip()


def _is_http_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).netloc)


CONVERTERS: dict[str, Callable[[str], object]] = {
    "port": int,
    "query_timeout": float,
    "row_cap": int,
    "cors_origins": _origins,
    "max_query_bytes": int,
    "workers": int,
    "threads": int,
    "max_queries": int,
    "max_client_queries": int,
    "dataset": Path,
    "cache_bytes": int,
    "allow_service": _origins,
    "service_aliases": lambda value: tuple(parse_alias(item) for item in _origins(value)),
    "service_timeout": float,
}


@dataclass(frozen=True)
class Settings:
    base: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 30.0
    row_cap: int = 100_000
    cors_origins: tuple[str, ...] = ("*",)
    max_query_bytes: int = 1024 * 1024
    workers: int = 1
    threads: int = 24
    isolation: str = "process"  # queries run in an evaluator process (nipa_kg.server.store.isolated)
    max_queries: int = 16  # requests in flight past the result cache, past which 429
    max_client_queries: int = 4  # the same, per client address
    dataset: Path | None = None
    data: tuple[Path, ...] = ()
    only_data: bool = False
    store: str | None = None
    store_query: str | None = None
    store_gsp: str | None = None
    cache_bytes: int = 64 * 1024 * 1024  # the result cache's bound (`nipa_kg.server.middleware.cache`)
    access_log: bool = True  # granian's, on standard error
    allow_service: tuple[str, ...] = ()
    service_aliases: tuple[tuple[str, str], ...] = ()
    service_timeout: float = 10.0

    def __post_init__(self) -> None:
        BuildSettings(base=self.base)  # validates the base
        positive = ("query_timeout", "row_cap", "max_query_bytes", "workers", "threads", "service_timeout")
        for name in (*positive, "max_queries", "max_client_queries"):
            if getattr(self, name) <= 0:
                raise InputError(f"{name.replace('_', '-')} must be positive, not {getattr(self, name)!r}")
        if self.isolation not in ISOLATIONS:
            raise InputError(f"isolation is one of {', '.join(ISOLATIONS)}, not {self.isolation!r}")
        if self.cache_bytes < 0:
            raise InputError(f"cache-size must be 0 (no cache) or a number of bytes, not {self.cache_bytes}")
        if not 0 <= self.port <= 65535:
            raise InputError(f"port must be 0-65535, not {self.port}")
        if not self.cors_origins:
            raise InputError("cors-origins needs at least one origin (or '*')")
        if self.only_data and not self.data:
            raise InputError("--only-data needs at least one --data file")
        self._check_urls()

    def _check_urls(self) -> None:
        for name in STORE_URLS:
            url = getattr(self, name)
            if url is not None and not _is_http_url(url):
                raise InputError(f"{name.replace('_', '-')} must be an http(s) URL, not {url!r}")
        if (self.store_query or self.store_gsp) and not self.store:
            raise InputError("--store-query and --store-gsp go with --store URL")
        for url in (*self.allow_service, *(part for pair in self.service_aliases for part in pair)):
            if not _is_http_url(url):
                raise InputError(f"a SERVICE endpoint is an http(s) URL, not {url!r}")

    @classmethod
    def from_sources(
        cls, flags: Mapping[str, object | None] | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from flags (field name → value, None when not given) over `env` (default os.environ)."""
        return cls(**flag_env_values(cls, flags, env, ENVIRONMENT, CONVERTERS))

    @property
    def url(self) -> str:
        """Where the server listens."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"
