"""Server settings: flags over environment over defaults, converted and checked once."""

from __future__ import annotations

from pathlib import Path

import pytest

from nipa_kg.graph.errors import InputError
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
    assert (settings.host, settings.port, settings.workers, settings.threads) == ("127.0.0.1", 8000, 1, 8)
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


def test_build_settings_share_the_base(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NIPA_KG_OUT", str(tmp_path))
    build = Settings(base="http://localhost:8000/").build_settings()
    assert build.base == "http://localhost:8000/" and build.out_dir == tmp_path
