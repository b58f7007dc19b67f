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
| `query_limits`    | `--query-limits`    | `NIPA_KG_QUERY_LIMITS`    | the guard's (`NAME=N,...`)  |
| `evaluator_memory` | `--evaluator-memory` | `NIPA_KG_EVALUATOR_MEMORY` | `0`: automatic (MiB) |
| `dataset`         | `--dataset`         |                           | see `nipa_kg.server.store.dataset` |
| `data`            | `--data` (repeated) |                           | none                        |
| `only_data`       | `--only-data`       |                           | off: `--data` adds to ours  |
| `store`           | `--store`           | `NIPA_KG_STORE`           | none: an embedded store     |
| `store_query`     | `--store-query`     | `NIPA_KG_STORE_QUERY`     | from `--store`              |
| `store_gsp`       | `--store-gsp`       | `NIPA_KG_STORE_GSP`       | from `--store`              |
| `store_update`    | `--store-update`    | `NIPA_KG_STORE_UPDATE`    | from `--store`              |
| `store_user`      | `--user`            | `NIPA_KG_STORE_USER`      | none: no authentication     |
| `store_password`  | `--password`        | `NIPA_KG_STORE_PASSWORD`  | none                        |
| `cache_bytes`     | `--cache-size`      | `NIPA_KG_CACHE_BYTES`     | `67108864` (64 MiB); 0: off |
| `access_log`      | `--no-access-log`   |                           | on: one line per request    |
| `allow_service`   | `--allow-service`   | `NIPA_KG_ALLOW_SERVICE`   | none beyond the defaults    |
| `service_aliases` | `--service-alias`   | `NIPA_KG_SERVICE_ALIAS`   | none                        |
| `service_timeout` | `--service-timeout` | `NIPA_KG_SERVICE_TIMEOUT` | `10` seconds per call       |
| `tokens`          | `--token-file`      | `NIPA_KG_TOKEN`           | none: writes are off        |
| `state_dir`       | `--data-dir`        | `NIPA_KG_STATE_DIR`       | none: writes are refused    |
| `write_timeout`   | `--write-timeout`   | `NIPA_KG_WRITE_TIMEOUT`   | `120` seconds per write     |

`store` is the URL of an external SPARQL 1.1 store to serve from (`nipa_kg.server.store.remote`);
`store_query`, `store_gsp` and `store_update` its query, Graph Store Protocol and update endpoints when they
are not where `nipa_kg.server.store.client` looks for them; `store_user` and `store_password` the account
that writes to it (`publish`, and writes through `serve --store`). The password is left out of the `repr`.

`threads` should be more than `max_queries` plus `RESERVE` (4): the threads beyond answer cached queries
at once while that many queries run (`nipa_kg.server.middleware.admission`).

`allow_service` (flag repeated, or comma-separated in the environment) adds SPARQL endpoints a query's
SERVICE may call to those always allowed (Wikidata's and this server's own,
`nipa_kg.server.query.federation`);
`tokens` are `(name, token)` pairs: `--token-file FILE` holds one `name token` pair a line (blank lines and
`#` comments skipped; read once, at start: `read_token_file`), `NIPA_KG_TOKEN` one token named `default`. A
token turns writes on (`nipa_kg.server.write`); `state_dir` is where accepted writes are kept
(`NIPA_KG_DATA_DIR` is the build's sources, so the server's is `NIPA_KG_STATE_DIR`). Tokens are never
shown: the field is left out of the settings' `repr`.

`service_aliases` (`IRI=URL`, likewise) sends the SERVICE calls naming an IRI to another URL instead (a
local mirror), and allows that IRI.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from nipa_kg.core.config import flag_env_values
from nipa_kg.core.errors import InputError
from nipa_kg.core.namespaces import DEFAULT_BASE
from nipa_kg.graph.settings import Settings as BuildSettings
from nipa_kg.server.query.guard import Limits

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
    "store_update": "NIPA_KG_STORE_UPDATE",
    "store_user": "NIPA_KG_STORE_USER",
    "store_password": "NIPA_KG_STORE_PASSWORD",
    "cache_bytes": "NIPA_KG_CACHE_BYTES",
    "allow_service": "NIPA_KG_ALLOW_SERVICE",
    "service_aliases": "NIPA_KG_SERVICE_ALIAS",
    "service_timeout": "NIPA_KG_SERVICE_TIMEOUT",
    "isolation": "NIPA_KG_ISOLATION",
    "max_queries": "NIPA_KG_MAX_QUERIES",
    "max_client_queries": "NIPA_KG_MAX_CLIENT_QUERIES",
    "tokens": "NIPA_KG_TOKEN",
    "state_dir": "NIPA_KG_STATE_DIR",
    "write_timeout": "NIPA_KG_WRITE_TIMEOUT",
    "query_limits": "NIPA_KG_QUERY_LIMITS",
    "evaluator_memory": "NIPA_KG_EVALUATOR_MEMORY",
}
STORE_URLS = ("store", "store_query", "store_gsp", "store_update")
ISOLATIONS = ("process", "none")
LIMIT_NAMES = ", ".join(field.name for field in fields(Limits))
RESERVE = 4  # requests admitted beyond max_queries for clients with none in flight (middleware.admission)


def _origins(value: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in value.split(",") if origin.strip())


def parse_alias(value: str) -> tuple[str, str]:
    """`IRI=URL` (a SERVICE IRI and the URL to call instead) as a pair."""
    iri, equals, url = value.partition("=")
    if not equals or not iri.strip() or not url.strip():
        raise ValueError(f"a service alias is IRI=URL, not {value!r}")
    return iri.strip(), url.strip()


TOKEN_NAME = re.compile(r"[A-Za-z0-9_.\-]+")
MIN_TOKEN_CHARS = 16


def _env_token(value: str) -> tuple[tuple[str, str], ...]:
    """`NIPA_KG_TOKEN`: one token, named `default`."""
    return (("default", value.strip()),)


def read_token_file(path: Path) -> tuple[tuple[str, str], ...]:
    """The `(name, token)` pairs of a token file; one error naming the file and line if a line is not
    `name token`, a name repeats or a token is shorter than `MIN_TOKEN_CHARS` (the token is never shown)."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read the token file: {getattr(exc, 'strerror', None) or exc}", path
        ) from exc
    pairs: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not TOKEN_NAME.fullmatch(parts[0]):
            raise InputError(f"line {number}: expected 'name token' (a name of letters, digits, _ . -)", path)
        if parts[0] in pairs:
            raise InputError(f"line {number}: the name {parts[0]!r} is given twice", path)
        if len(parts[1]) < MIN_TOKEN_CHARS:
            raise InputError(f"line {number}: a token has at least {MIN_TOKEN_CHARS} characters", path)
        pairs[parts[0]] = parts[1]
    if not pairs:
        raise InputError("the token file has no 'name token' line", path)
    return tuple(pairs.items())


def parse_limit(value: str) -> tuple[str, int]:
    """`NAME=N` (a field of the query guard's `Limits`) as a pair."""
    name, equals, number = value.partition("=")
    if not equals or name.strip() not in LIMIT_NAMES or not number.strip().isdigit() or int(number) < 1:
        raise ValueError(f"a query limit is NAME=N with N a positive number and NAME one of {LIMIT_NAMES}")
    return name.strip(), int(number)


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
    "evaluator_memory": int,
    "max_client_queries": int,
    "dataset": Path,
    "cache_bytes": int,
    "allow_service": _origins,
    "service_aliases": lambda value: tuple(parse_alias(item) for item in _origins(value)),
    "query_limits": lambda value: tuple(parse_limit(item) for item in _origins(value)),
    "service_timeout": float,
    "tokens": _env_token,
    "state_dir": Path,
    "write_timeout": float,
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
    query_limits: tuple[tuple[str, int], ...] = ()  # the guard's limits changed from its defaults
    evaluator_memory: int = 0  # MiB of resident memory past which the evaluator is ended; 0: automatic
    dataset: Path | None = None
    data: tuple[Path, ...] = ()
    only_data: bool = False
    store: str | None = None
    store_query: str | None = None
    store_gsp: str | None = None
    store_update: str | None = None
    store_user: str | None = None
    store_password: str | None = field(default=None, repr=False)
    cache_bytes: int = 64 * 1024 * 1024  # the result cache's bound (`nipa_kg.server.middleware.cache`)
    access_log: bool = True  # granian's, on standard error
    allow_service: tuple[str, ...] = ()
    service_aliases: tuple[tuple[str, str], ...] = ()
    service_timeout: float = 10.0
    tokens: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (name, token); none: no writes
    state_dir: Path | None = None  # where accepted writes are kept (`nipa_kg.server.write`)
    write_timeout: float = 120.0

    def __post_init__(self) -> None:
        BuildSettings(base=self.base)  # validates the base
        positive = ("query_timeout", "row_cap", "max_query_bytes", "workers", "threads", "service_timeout")
        positive += ("write_timeout",)
        for name in (*positive, "max_queries", "max_client_queries"):
            if getattr(self, name) <= 0:
                raise InputError(f"{name.replace('_', '-')} must be positive, not {getattr(self, name)!r}")
        if self.isolation not in ISOLATIONS:
            raise InputError(f"isolation is one of {', '.join(ISOLATIONS)}, not {self.isolation!r}")
        if self.evaluator_memory < 0:
            raise InputError(f"evaluator-memory must be 0 (automatic) or MiB, not {self.evaluator_memory}")
        if self.cache_bytes < 0:
            raise InputError(f"cache-size must be 0 (no cache) or a number of bytes, not {self.cache_bytes}")
        if not 0 <= self.port <= 65535:
            raise InputError(f"port must be 0-65535, not {self.port}")
        if not self.cors_origins:
            raise InputError("cors-origins needs at least one origin (or '*')")
        if self.only_data and not self.data:
            raise InputError("--only-data needs at least one --data file")
        self._check_urls()
        self._check_writes()

    def _check_writes(self) -> None:
        if any(len(token) < MIN_TOKEN_CHARS for _, token in self.tokens):
            raise InputError(f"a write token has at least {MIN_TOKEN_CHARS} characters (NIPA_KG_TOKEN)")
        if self.tokens and self.workers > 1:
            raise InputError("writes (a token) need --workers 1: each worker would hold its own data")

    @property
    def writes(self) -> bool:
        """Whether writes are switched on (a token is configured)."""
        return bool(self.tokens)

    def _check_urls(self) -> None:
        for name in STORE_URLS:
            url = getattr(self, name)
            if url is not None and not _is_http_url(url):
                raise InputError(f"{name.replace('_', '-')} must be an http(s) URL, not {url!r}")
        if (self.store_query or self.store_gsp or self.store_update) and not self.store:
            raise InputError("--store-query, --store-gsp and --store-update go with --store URL")
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
