"""The README's example questions: each SPARQL block is the canned query it names, and each answer is what
`nipa-kg query` prints for it today. When the data changes, this fails with the new answer to paste in."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import Dataset

from nipa_kg.server.query.local import TABLE, render_result, run_query, store_of

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLE = re.compile(r"<!-- query: (\S+) -->\n```sparql\n(.*?)```\n\n```text\n(.*?)```", re.DOTALL)
BASE = "https://w3id.org/nipa-kg/"


def examples() -> list[tuple[str, str, str]]:
    return EXAMPLE.findall(README.read_text(encoding="utf-8"))


def test_readme_has_five_example_questions() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize(("name", "sparql", "answer"), examples(), ids=[e[0] for e in examples()])
def test_readme_example_matches_canned_query_and_live_answer(
    built_dataset: Dataset, name: str, sparql: str, answer: str
) -> None:
    canned = files("nipa_kg.graph.queries").joinpath(name).read_text(encoding="utf-8")
    assert sparql == canned
    live = render_result(run_query(store_of(built_dataset), canned, BASE), TABLE, BASE).decode("utf-8")
    assert answer == live, f"README answer for {name} is stale; it is now:\n{live}"
