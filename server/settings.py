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
| `threads`         | `--threads`         |                           | `8` request threads each    |
| `dataset`         | `--dataset`         |                           | see `nipa_kg.server.dataset` |
| `data`            | `--data` (repeated) |                           | none                        |
| `only_data`       | `--only-data`       |                           | off: `--data` adds to ours  |
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from nipa_kg.graph.errors import InputError
from nipa_kg.graph.namespaces import DEFAULT_BASE
from nipa_kg.graph.settings import Settings as BuildSettings

ENVIRONMENT = {
    "base": "NIPA_KG_BASE",
    "host": "NIPA_KG_HOST",
    "port": "NIPA_KG_PORT",
    "query_timeout": "NIPA_KG_QUERY_TIMEOUT",
    "row_cap": "NIPA_KG_ROW_CAP",
    "cors_origins": "NIPA_KG_CORS_ORIGINS",
    "max_query_bytes": "NIPA_KG_MAX_QUERY_BYTES",
}


def _origins(value: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in value.split(",") if origin.strip())


CONVERTERS: dict[str, Callable[[str], object]] = {
    "port": int,
    "query_timeout": float,
    "row_cap": int,
    "cors_origins": _origins,
    "max_query_bytes": int,
    "workers": int,
    "threads": int,
    "dataset": Path,
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
    threads: int = 8
    dataset: Path | None = None
    data: tuple[Path, ...] = ()
    only_data: bool = False

    def __post_init__(self) -> None:
        BuildSettings(base=self.base)  # validates the base
        for name in ("query_timeout", "row_cap", "max_query_bytes", "workers", "threads"):
            if getattr(self, name) <= 0:
                raise InputError(f"{name.replace('_', '-')} must be positive, not {getattr(self, name)!r}")
        if not 0 <= self.port <= 65535:
            raise InputError(f"port must be 0-65535, not {self.port}")
        if not self.cors_origins:
            raise InputError("cors-origins needs at least one origin (or '*')")
        if self.only_data and not self.data:
            raise InputError("--only-data needs at least one --data file")

    @classmethod
    def from_sources(
        cls, flags: Mapping[str, object | None] | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from flags (field name → value, None when not given) over `env` (default os.environ)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for name in (f.name for f in fields(cls)):
            raw = (flags or {}).get(name)
            if raw is None and name in ENVIRONMENT and env.get(ENVIRONMENT[name]):
                raw = env[ENVIRONMENT[name]]
            if raw is None:
                continue
            try:
                values[name] = CONVERTERS[name](raw) if isinstance(raw, str) and name in CONVERTERS else raw
            except ValueError as exc:
                raise InputError(f"{name.replace('_', '-')}: {exc}") from exc
        return cls(**values)

    def build_settings(self) -> BuildSettings:
        """The build's settings for this base (out dir and sources from their own environment variables)."""
        return BuildSettings.from_sources({"base": self.base})

    @property
    def url(self) -> str:
        """Where the server listens."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"
