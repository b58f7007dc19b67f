"""The federation's settings: `serve` flags and NIPA_KG_* variables, and what they allow."""

from __future__ import annotations

import argparse

import pytest

from nipa_kg.core.errors import InputError
from nipa_kg.server.app import query_service
from nipa_kg.server.cli import add_parser, settings_from_args
from nipa_kg.server.query.federation import WIKIDATA
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore


def serve_flags(*argv: str) -> Settings:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    return settings_from_args(parser.parse_args(["serve", *argv]))


def test_flags_are_repeatable() -> None:
    settings = serve_flags(
        "--allow-service", "http://a.example/sparql", "--allow-service", "http://b.example/query",
        "--service-alias", f"{WIKIDATA}=http://127.0.0.1:7001/sparql", "--service-timeout", "3",
    )  # fmt: skip
    assert settings.allow_service == ("http://a.example/sparql", "http://b.example/query")
    assert settings.service_aliases == ((WIKIDATA, "http://127.0.0.1:7001/sparql"),)
    assert settings.service_timeout == 3.0


def test_environment_lists_are_comma_separated() -> None:
    env = {
        "NIPA_KG_ALLOW_SERVICE": "http://a.example/sparql, http://b.example/query",
        "NIPA_KG_SERVICE_ALIAS": "http://c.example/sparql=http://127.0.0.1:1/q",
        "NIPA_KG_SERVICE_TIMEOUT": "2.5",
    }
    settings = Settings.from_sources({}, env)
    assert settings.allow_service == ("http://a.example/sparql", "http://b.example/query")
    assert settings.service_aliases == (("http://c.example/sparql", "http://127.0.0.1:1/q"),)
    assert settings.service_timeout == 2.5


@pytest.mark.parametrize(
    "env",
    [
        {"NIPA_KG_ALLOW_SERVICE": "ftp://a.example/"},
        {"NIPA_KG_SERVICE_ALIAS": "http://a.example/sparql"},
        {"NIPA_KG_SERVICE_ALIAS": "http://a.example/sparql=not-a-url"},
        {"NIPA_KG_SERVICE_TIMEOUT": "0"},
    ],
    ids=["not http", "no URL", "bad URL", "no time"],
)
def test_bad_values_are_input_errors(env: dict[str, str]) -> None:
    with pytest.raises(InputError):
        Settings.from_sources({}, env)


def test_what_a_federation_allows_by_default_and_with_settings() -> None:
    default = query_service(Settings(port=8123), EmbeddedStore()).federation
    assert default.allowed == {WIKIDATA}
    assert default.own == {"https://w3id.org/nipa-kg/sparql", "http://127.0.0.1:8123/sparql"}
    configured = query_service(
        Settings(
            allow_service=("http://a.example/sparql",), service_aliases=(("http://b.example/s", "http://c/"),)
        ),
        EmbeddedStore(),
    ).federation
    assert configured.allowed == {WIKIDATA, "http://a.example/sparql", "http://b.example/s"}
    assert configured.aliases == {"http://b.example/s": "http://c/"}
    assert configured.timeout == 10.0
