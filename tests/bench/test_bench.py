"""The bench's generator and runner, fast: determinism and shape conformance of generated data, and one
tiny end-to-end run against real server processes. Nothing here times anything: speed is the bench's
business (bench/README.md), never a unit test's."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench import engine, generate
from bench.load import load_queries
from nipa_kg.graph.export import union
from nipa_kg.graph.load import load_ontology, load_rdf_files, load_shapes
from nipa_kg.graph.reason import infer
from nipa_kg.graph.settings import Settings
from nipa_kg.graph.validate import render, validate

ROOT = Path(__file__).resolve().parents[2]
SIZE = 2000


def quads(path: Path) -> set[ox.Triple]:
    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}[
        path.suffix
    ]
    return {quad.triple for quad in ox.parse(path=path, format=fmt)}


def test_the_generator_is_deterministic_in_every_format(tmp_path: Path) -> None:
    first = generate.write(tmp_path / "a.nt", SIZE)
    second = generate.write(tmp_path / "b.nt", SIZE)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.triples == len(quads(first.path)) and first.agencies >= 1
    assert generate.write(tmp_path / "c.nt", SIZE, seed=7).path.read_bytes() != first.path.read_bytes()
    larger = generate.write(tmp_path / "large.nt", 3 * SIZE)
    assert larger.path.read_bytes().startswith(first.path.read_bytes())  # agency k depends on (seed, k) only
    for fmt in ("nq", "trig"):
        assert quads(generate.write(tmp_path / f"a.{fmt}", SIZE).path) == quads(first.path)
    cached = generate.ensure(SIZE, fmt="trig", folder=tmp_path / "cache")
    assert generate.ensure(SIZE, fmt="trig", folder=tmp_path / "cache") == cached


def test_generated_data_conforms_to_the_shapes(tmp_path: Path) -> None:
    path = generate.write(tmp_path / "data.nt", SIZE).path
    settings = Settings()
    data = union(load_rdf_files([path]), settings.base)
    ontology = load_ontology(settings)
    inference = infer(ontology, data, settings.base)
    assert not inference.inconsistencies
    report = validate([data, ontology, inference.inferred], load_shapes(settings))
    assert report.conforms, render(report, "text", settings.base)


def test_every_query_answers_on_generated_data(tmp_path: Path) -> None:
    store = ox.Store()
    store.load(path=generate.write(tmp_path / "data.nt", SIZE).path, format=ox.RdfFormat.N_TRIPLES)
    for query in load_queries():
        result = store.query(query.text)
        assert bool(result) if isinstance(result, ox.QueryBoolean) else list(result), query.name


def test_the_engine_ceiling_is_cores_over_the_mean_time_per_query() -> None:
    times = engine.EngineTimes({"fast": 0.001, "slow": 0.003})
    assert times.mix_seconds == pytest.approx(0.002)
    assert times.ceiling_rps(cores=2) == pytest.approx(1000)


@pytest.mark.parametrize("bad", ["x", "0", "1.5"])
def test_sizes_are_whole_positive_numbers(bad: str) -> None:
    with pytest.raises((ValueError, argparse.ArgumentTypeError)):
        generate.parse_size(bad)
    assert generate.parse_size("1e4") == 10_000 and generate.size_label(10_000) == "1e4"


def test_the_runner_prints_tables_with_ratios(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bench.run", "--sizes", "2e3", "--duration", "0.5", "--concurrency", "2"]
    command += ["--readme", str(tmp_path / "README.md"), "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "| server | req/s | p50 ms | p99 ms | ratio to Oxigraph (req/s) | errors | cache hits |" in out
    assert "| query | nipa-kg req/s | nipa-kg p99 ms | in-process req/s |" in out
    assert "| ratio | engine ms |" in out
    assert "no server of this engine answers the uncached mix faster than" in out
    assert "(engine ceiling " in out and "The hop to the evaluator process, from one client:" in out
    assert "Forced replacements (`nipa-kg serve --timeout 2`" in out
    assert "| lean (nested FILTER EXISTS: holds no memory) | 503 |" in out
    rows = ["| nipa-kg, isolated (workers ", "| nipa-kg, in-process (`--isolation none`), cache on |"]
    rows += ["| Oxigraph server |", "| rdflib (reference) |"]
    rows += ["| Virtuoso 7.2 |" if shutil.which("virtuoso-t") else "Virtuoso 7.2: not run ("]
    for row in rows:
        assert row in out
    assert "| size | target | measured |" in out and "ready s" in out
    assert "| 2e3 | query mix, no-cache: req/s ≥ in-process's (same run) |" in out
    assert out.strip() in (tmp_path / "README.md").read_text()


def test_generated_shares_never_sum_over_100_at_scale(tmp_path: Path) -> None:
    """Regression: two shares drawn from 5-59 could add up to more than 100 (a plan at 1e5 summed to 105)."""
    path = tmp_path / "1e5.nt"
    generate.write(path, 100_000)
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.N_TRIPLES)
    sums = store.query(
        "PREFIX nipa: <https://w3id.org/nipa-kg/ontology#> PREFIX schema: <http://schema.org/> "
        "SELECT ?plan (SUM(?v) AS ?total) WHERE { ?plan nipa:hasShare/schema:value ?v } GROUP BY ?plan"
    )
    totals = [float(row["total"].value) for row in sums]
    assert len(totals) > 10
    assert max(totals) <= 100
