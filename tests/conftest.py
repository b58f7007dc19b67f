"""Fixtures shared by the whole test suite: the real graph, built once per session.

- `build_settings`: the Settings of that build (default base `https://w3id.org/nipa-kg/`, the packaged
  ontology, data and shapes, `out_dir` = `built_dir`).
- `built`: the `nipa_kg.graph.build.Build` (`.graphs` by name, `.dataset`, `.report` - conforming, may hold
  warnings).
- `built_dataset`: the rdflib Dataset with the five named graphs `{base}graph/ontology`, `.../data`,
  `.../inferred`, `.../shapes`, `.../metadata`.
- `built_dir`: a folder holding what `nipa-kg build` writes: nipa-kg.trig, .nq, .ttl, .nt, .jsonld, .rdf,
  void.ttl and context.jsonld.

If the sources do not conform, every test using these fails with the validation report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from nipa_kg.core.errors import Inconsistent, ValidationFailed
from nipa_kg.graph.atomic import write_files
from nipa_kg.graph.build import Build, build, dump_files
from nipa_kg.graph.settings import Settings
from nipa_kg.graph.validate import render


@pytest.fixture(scope="session")
def build_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(out_dir=tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def built(build_settings: Settings) -> Build:
    try:
        return build(build_settings)
    except ValidationFailed as exc:
        pytest.fail("the real graph does not conform:\n" + render(exc.report, "text", build_settings.base))
    except Inconsistent as exc:
        pytest.fail(f"the real graph is inconsistent: {exc}")


@pytest.fixture(scope="session")
def built_dataset(built: Build) -> Dataset:
    return built.dataset


@pytest.fixture(scope="session")
def built_dir(built: Build, build_settings: Settings) -> Path:
    write_files(build_settings.out_dir, dump_files(built, build_settings))
    return build_settings.out_dir
