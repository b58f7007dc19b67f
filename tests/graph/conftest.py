"""Fixtures for the graph tests, on the small ontology, data and shapes in fixtures/ (see their comments).

`fixtures/invalid` is data that breaks the fixture shapes (4 violations, 1 warning); `fixtures/broken`
holds one file with a syntax error per RDF format.

- `fixtures`: the fixtures folder.
- `mini_settings(data="data", **overrides)`: Settings on the fixture sources (`data` names the data folder).
- `mini_env(data="data")`: the environment for a `nipa-kg` subprocess on the same sources.
- `mini_build`: the fixture graph built once per session.
- `same_graph(a, b)`: rdflib.compare.isomorphic, fast on big graphs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from nipa_kg.graph.build import Build, build
from nipa_kg.graph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def _settings(data: str = "data", **overrides: object) -> Settings:
    return Settings(
        ontology_dir=FIXTURES / "ontology",
        data_dir=FIXTURES / data,
        shapes_dir=FIXTURES / "shapes",
        **overrides,
    )


def _env(data: str = "data") -> dict[str, str]:
    return {
        **os.environ,
        "NIPA_KG_ONTOLOGY_DIR": str(FIXTURES / "ontology"),
        "NIPA_KG_DATA_DIR": str(FIXTURES / data),
        "NIPA_KG_SHAPES_DIR": str(FIXTURES / "shapes"),
    }


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def mini_settings() -> Callable[..., Settings]:
    return _settings


@pytest.fixture(scope="session")
def mini_env() -> Callable[..., dict[str, str]]:
    return _env


@pytest.fixture(scope="session")
def mini_build() -> Build:
    return build(_settings())


def _same_graph(a: Graph, b: Graph) -> bool:
    """Whether `a` and `b` are isomorphic. Blank nodes only map to blank nodes, so the ground triples must
    be equal as sets and only the triples with a blank node need rdflib's check (slow on big graphs)."""
    ground_a, blank_a = _split(a)
    ground_b, blank_b = _split(b)
    return ground_a == ground_b and isomorphic(blank_a, blank_b)


def _split(graph: Graph) -> tuple[set, Graph]:
    ground, blank = set(), Graph()
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            blank.add(triple)
        else:
            ground.add(triple)
    return ground, blank


@pytest.fixture(scope="session")
def same_graph() -> Callable[[Graph, Graph], bool]:
    return _same_graph
