"""The pipeline: load → reason → validate → describe → assemble, and writing the result to the out dir.

`build` returns the Dataset in memory (the server calls it); `write_build` also writes every dump.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar

from rdflib import Dataset, Graph

from nipa_kg.core import progress
from nipa_kg.core.errors import Inconsistent, ValidationFailed
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.graph.atomic import write_files
from nipa_kg.graph.export import CONTEXT, assemble, context_bytes, serialize_graph, union
from nipa_kg.graph.load import load_data, load_ontology, load_shapes
from nipa_kg.graph.metadata import build_metadata
from nipa_kg.graph.reason import infer
from nipa_kg.graph.settings import Settings
from nipa_kg.graph.validate import ValidationReport, validate

DUMP_NAME = "nipa-kg"
VOID_FILE = "void.ttl"

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function` run with Python's cyclic garbage collector off. A build makes millions of small objects and
    almost no reference cycles, and the collector scanning them over and over took a fifth of a build of
    10^5 triples; reference counting still frees them, and the collector is back on afterwards."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused


@dataclass(frozen=True)
class Build:
    graphs: dict[str, Graph]  # by name: ontology, data, inferred, shapes, metadata
    dataset: Dataset
    report: ValidationReport  # conforms; may hold warnings and infos


@collector_paused
def build(settings: Settings) -> Build:
    """Build the graph in memory, each step a stage (`progress`). Raises Inconsistent or ValidationFailed;
    parse errors raise InputError."""
    with progress.stage("read the ontology, data and shapes"):
        ontology, data, shapes = load_ontology(settings), load_data(settings), load_shapes(settings)
    with progress.stage(f"reason (OWL 2 RL, {settings.reasoner})"):
        inference = infer(ontology, data, settings.base, settings.reasoner)
    if inference.inconsistencies:
        raise Inconsistent(inference.inconsistencies)
    with progress.stage("validate (SHACL)"):
        report = validate((ontology, data, inference.inferred), shapes)
    if not report.conforms:
        raise ValidationFailed(report)
    graphs = {"ontology": ontology, "data": data, "inferred": inference.inferred, "shapes": shapes}
    with progress.stage("describe (DCAT, VoID) and assemble the dataset"):
        graphs["metadata"] = build_metadata(graphs.values(), settings)
        return Build(graphs, assemble(graphs, settings), report)


def build_dataset(settings: Settings) -> Dataset:
    return build(settings).dataset


@collector_paused
def dump_files(built: Build, settings: Settings) -> dict[str, bytes]:
    """Every file of the out dir, by name: nipa-kg.{ext} per format, void.ttl and context.jsonld."""
    merged = union(built.dataset, settings.base)  # once, for all the formats without named graphs
    dumps = {
        f"{DUMP_NAME}.{fmt.extension}": serialize_graph(
            built.dataset if fmt.named_graphs else merged, fmt, settings.base
        )
        for fmt in RDF_FORMATS
    }
    dumps[VOID_FILE] = built.graphs["metadata"].serialize(format="turtle", encoding="utf-8")
    dumps[CONTEXT] = context_bytes(settings.base)
    return dumps


def write_build(settings: Settings) -> Build:
    """Build, and on success write every dump into settings.out_dir (atomically; nothing on failure)."""
    built = build(settings)
    with progress.stage(f"write the dumps to {settings.out_dir}"):
        write_files(settings.out_dir, dump_files(built, settings))
    return built
