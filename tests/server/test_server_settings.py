"""Server settings: flags over environment over defaults, converted and checked once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nipa_kg.core.errors import InputError
from nipa_kg.server.settings import Settings


def test_defaults() -> None:
    settings = Settings.from_sources({}, env={})
    assert settings == Settings()
    assert (settings.query_timeout, settings.row_cap, settings.max_query_bytes) == (
        30.0,
        100_000,
        1024 * 1024,
    )
    assert settings.cors_origins == ("*",)
    assert (settings.host, settings.port, settings.workers, settings.threads) == ("127.0.0.1", 8000, 1, 24)
    assert (settings.isolation, settings.max_queries, settings.max_client_queries) == ("process", 16, 4)
    assert settings.url == "http://127.0.0.1:8000/"


def test_environment() -> None:
    env = {
        "NIPA_KG_BASE": "http://localhost:8000/",
        "NIPA_KG_QUERY_TIMEOUT": "2.5",
        "NIPA_KG_ROW_CAP": "10",
        "NIPA_KG_CORS_ORIGINS": "https://a.example, https://b.example",
        "NIPA_KG_MAX_QUERY_BYTES": "2048",
        "NIPA_KG_HOST": "::1",
        "NIPA_KG_PORT": "9000",
    }
    settings = Settings.from_sources({}, env=env)
    assert settings.base == "http://localhost:8000/"
    assert settings.query_timeout == 2.5 and settings.row_cap == 10 and settings.max_query_bytes == 2048
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.url == "http://[::1]:9000/"


def test_flags_win_over_the_environment() -> None:
    flags = {"row_cap": 7, "cors_origins": "*", "dataset": "x.trig", "data": (Path("a.ttl"),), "port": None}
    settings = Settings.from_sources(flags, env={"NIPA_KG_ROW_CAP": "10", "NIPA_KG_PORT": "9000"})
    assert settings.row_cap == 7 and settings.cors_origins == ("*",) and settings.port == 9000
    assert settings.dataset == Path("x.trig") and settings.data == (Path("a.ttl"),)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NIPA_KG_BASE": "not-an-iri"}, "base IRI"),
        ({"NIPA_KG_ROW_CAP": "many"}, "row-cap"),
        ({"NIPA_KG_ROW_CAP": "0"}, "row-cap must be positive"),
        ({"NIPA_KG_QUERY_TIMEOUT": "-1"}, "query-timeout must be positive"),
        ({"NIPA_KG_PORT": "70000"}, "port"),
        ({"NIPA_KG_CORS_ORIGINS": " , "}, "cors-origins"),
    ],
)
def test_bad_values_are_input_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        Settings.from_sources({}, env=env)


PAGES = ("/", "/query", "/sparql", "/sparql?query=ASK%7B%7D", "/dumps/nipa-kg.ttl", "/ontology", "/shapes")
OURS = ("NIPA_KG_", "SOURCE_DATE_EPOCH")


class WatchedEnviron(dict):
    """os.environ that remembers which of our variables were read."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: list[str] = []

    def _note(self, key: object) -> None:
        if isinstance(key, str) and key.startswith(OURS):
            self.read.append(key)

    def __getitem__(self, key: str) -> str:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self._note(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)


def test_no_request_reads_the_environment(client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a page request built the build's settings again, so a bad SOURCE_DATE_EPOCH set after
    start made every page a 500. Now bad values set after start change nothing, and nothing reads them."""
    before = {page: (r.status_code, r.get_data()) for page in PAGES if (r := client.get(page))}
    bad = {"SOURCE_DATE_EPOCH": "yesterday", "NIPA_KG_BASE": "not a base", "NIPA_KG_QUERY_TIMEOUT": "-1"}
    environ = WatchedEnviron({**os.environ, **bad})
    monkeypatch.setattr(os, "environ", environ)
    after = {page: (r.status_code, r.get_data()) for page in PAGES if (r := client.get(page))}
    assert after == before
    assert {status for status, _ in after.values()} == {200}
    assert environ.read == []


def test_a_bad_value_at_start_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "yesterday"}
    result = subprocess.run(
        [sys.executable, "-m", "nipa_kg.server.cli", "serve", "--port", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "nipa-kg: error: SOURCE_DATE_EPOCH must be seconds since 1970, not 'yesterday'"
    ]
