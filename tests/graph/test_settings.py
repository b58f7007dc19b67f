from datetime import date
from pathlib import Path

import pytest

from nipa_kg.core.errors import InputError
from nipa_kg.graph.settings import Settings


def test_defaults():
    settings = Settings.from_sources({}, {})
    assert settings.base == "https://w3id.org/nipa-kg/"
    assert settings.out_dir == Path("dist")
    assert settings.data_dir is None
    assert settings.build_date == date.today()


def test_flag_beats_environment_beats_default():
    env = {"NIPA_KG_BASE": "http://env.example/kg/", "NIPA_KG_OUT": "/tmp/env-out"}
    assert Settings.from_sources({}, env).base == "http://env.example/kg/"
    assert Settings.from_sources({}, env).out_dir == Path("/tmp/env-out")
    flags = {"base": "http://flag.example/", "out_dir": None}
    assert Settings.from_sources(flags, env).base == "http://flag.example/"
    assert Settings.from_sources(flags, env).out_dir == Path("/tmp/env-out")


def test_unrelated_flags_are_ignored():
    assert Settings.from_sources({"func": print, "files": []}, {}).base == "https://w3id.org/nipa-kg/"


def test_source_date_epoch_sets_the_build_date():
    assert Settings.from_sources({}, {"SOURCE_DATE_EPOCH": "1738800000"}).build_date == date(2025, 2, 6)
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        Settings.from_sources({}, {"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.parametrize("base", ["nope", "ftp://x.org/", "https://x.org/kg", "https:///kg/"])
def test_a_bad_base_is_an_input_error(base):
    with pytest.raises(InputError, match="base IRI"):
        Settings(base=base)


def test_derived_iris():
    settings = Settings(base="http://localhost:8000/")
    assert settings.graph_iri("data") == "http://localhost:8000/graph/data"
    assert settings.dump_url("ttl") == "http://localhost:8000/dumps/nipa-kg.ttl"


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().base = "http://x.org/"  # type: ignore[misc]
