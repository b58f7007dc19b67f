"""Staging one write, in a short-lived process of its own (`nipa_kg.server.write.service` forks it, with a
deadline): the current dataset (the snapshot's N-Quads) into a fresh pyoxigraph store, the write applied,
the change read off (quads added and removed, compared inside that one store, so that blank nodes keep
their identity), then the build's checks on the result: OWL-RL reasoning over ontology + data
(`nipa_kg.graph.reason.infer`) and SHACL validation of ontology + data + inferred against the shapes
(`nipa_kg.graph.validate.validate`), exactly as `nipa-kg build` does, minus parsing the sources and
writing the dumps. The `inferred` graph is derived: it is recomputed, never written; so is the `metadata`
graph when the dataset has one (its VoID counts and partitions, `dct:modified` the day of the write).

A dataset without our ontology and shapes graphs (the W3C tests' data) has nothing to check: its writes are
staged and applied without reasoning.

`stage` returns a `Staged` or a `Refused` (a value, not an exception: it crosses the process boundary).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import pyoxigraph as ox

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import graph_iri

if TYPE_CHECKING:
    from rdflib import Graph

NQ = ox.RdfFormat.N_QUADS
NT = ox.RdfFormat.N_TRIPLES
PROTECTED = ("ontology", "shapes", "inferred", "metadata", "history")  # come from the build, or are ours
CHECKED = ("ontology", "shapes")  # a dataset with either is reasoned over and validated


@dataclass(frozen=True)
class Operation:
    """One write: `kind` is `update` (SPARQL Update `text`), `put`, `post`, `delete` (Graph Store Protocol on
    `graph`, None the default graph; `body` in the format named `fmt`) or `apply` (remove the N-Quads
    `removed`, add `added`: a revert)."""

    kind: str
    graph: str | None = None
    text: str = ""
    body: bytes = b""
    fmt: str = ""
    base_iri: str | None = None
    added: bytes = b""
    removed: bytes = b""
    parts: tuple[tuple[str, bytes], ...] = ()  # a multipart POST: (format name, body) each, merged


@dataclass(frozen=True)
class Plan:
    snapshot: str  # the current dataset, an N-Quads file
    base: str
    reasoner: str
    operation: Operation


@dataclass(frozen=True)
class Staged:
    dataset: bytes  # the new dataset as N-Quads, its inferred (and metadata) graph recomputed
    added: bytes  # the change the write made, as N-Quads (what the history records)
    removed: bytes
    existed: bool  # whether the graph a Graph Store Protocol write names had triples before
    seconds: dict[str, float] = field(default_factory=dict)
    derived: tuple[bytes, bytes] = (b"", b"")  # the whole change, the recomputed graphs' too: added, removed


@dataclass(frozen=True)
class Refused:
    status: int  # 400 malformed, 403 a protected graph, 404 no such graph, 422 invalid data
    message: str
    report: dict[str, str] = field(default_factory=dict)  # the SHACL report: "turtle" and "json"


def child(plan: Plan, connection: Connection) -> None:
    """The staging process: stage, send the outcome, end."""
    try:
        outcome: Staged | Refused = stage(plan)
    except Exception as exc:  # noqa: BLE001 - the parent reports it
        outcome = Refused(500, f"the write could not be staged: {type(exc).__name__}: {exc}")
    connection.send(outcome)
    connection.close()


def stage(plan: Plan) -> Staged | Refused:
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=plan.snapshot, format=NQ)
    before = set(store)
    target = _target(plan.operation.graph)
    existed = target is None or any(True for _ in store.quads_for_pattern(None, None, None, target))
    refused = apply(store, plan.operation, existed)
    if refused is not None:
        return refused
    after = set(store)
    added, removed = after - before, before - after
    protected = {graph_iri(plan.base, name): name for name in PROTECTED}
    touched = sorted({name for q in added | removed if (name := _graph_name(q)) in protected})
    if touched:
        return Refused(403, f"the graph {touched[0]} is not writable: {_why(protected[touched[0]])}")
    seconds = {"stage": time.perf_counter() - started}
    if added or removed:
        refused = check(store, plan, seconds)
        if refused is not None:
            return refused
    dumped = time.perf_counter()
    dataset = store.dump(format=NQ)
    final = set(store) if added or removed else after
    seconds["dump"] = time.perf_counter() - dumped
    derived = (_nquads(final - before), _nquads(before - final))
    return Staged(dataset, _nquads(added), _nquads(removed), existed, seconds, derived)


def _why(name: str) -> str:
    if name == "history":
        return "it records the writes, and only the server writes it"
    return f"the {name} graph comes from the build (`nipa-kg build`), not from writes"


def _target(graph: str | None) -> ox.NamedNode | ox.DefaultGraph | None:
    return ox.NamedNode(graph) if graph else None


def _nquads(quads: set[ox.Quad]) -> bytes:
    return ox.serialize(sorted(quads, key=str), format=NQ)


def apply(store: ox.Store, operation: Operation, existed: bool) -> Refused | None:
    """Apply `operation` to `store`; a `Refused` if it is malformed or names a graph that is not there."""
    graph: ox.NamedNode | ox.DefaultGraph = _target(operation.graph) or ox.DefaultGraph()
    try:
        if operation.kind == "update":
            store.update(operation.text, base_iri=operation.base_iri)
        elif operation.kind == "delete":
            if not existed:
                return Refused(404, f"no graph {operation.graph} in this store")
            store.clear_graph(graph)
        elif operation.kind in ("put", "post"):
            if operation.kind == "put":
                store.clear_graph(graph)
            for name, body in operation.parts or ((operation.fmt, operation.body),):
                fmt = RDF_FORMATS.by_name(name).oxigraph
                store.load(body, format=fmt, to_graph=graph, base_iri=operation.base_iri)
        elif operation.kind == "apply":
            for quad in ox.parse(operation.removed, format=NQ):
                store.remove(quad)
            store.extend(list(ox.parse(operation.added, format=NQ)))
        else:
            raise ValueError(f"unknown write {operation.kind!r}")
    except SyntaxError as exc:
        what = "update" if operation.kind == "update" else "body"
        return Refused(400, f"the {what} does not parse: {exc}")
    except OSError as exc:  # LOAD of a URL that failed, or a store error
        return Refused(400, f"the update failed: {exc}")
    return None


def check(store: ox.Store, plan: Plan, seconds: dict[str, float]) -> Refused | None:
    """Reason and validate as the build does; on success the store's inferred graph is the new one."""
    names = {name: graph_iri(plan.base, name) for name in ("ontology", "shapes", "inferred")}
    if not any(_has(store, names[name]) for name in CHECKED):
        return None
    from rdflib import Graph  # the checks' libraries, preloaded by the fork server

    from nipa_kg.graph.reason import infer
    from nipa_kg.graph.validate import render, validate

    started = time.perf_counter()
    ontology = Graph().parse(data=_dump(store, names["ontology"]), format="nt")
    shapes = Graph().parse(data=_dump(store, names["shapes"]), format="nt")
    excluded = {graph_iri(plan.base, name) for name in PROTECTED}
    data_triples = {q.triple for q in store if _graph_name(q) not in excluded}
    data = Graph().parse(data=ox.serialize(data_triples, format=NT), format="nt")
    seconds["convert"] = time.perf_counter() - started
    inference = infer(ontology, data, plan.base, plan.reasoner)
    seconds["reason"] = time.perf_counter() - started - seconds["convert"]
    if inference.inconsistencies:
        return Refused(422, "the data would be inconsistent: " + "; ".join(inference.inconsistencies[:20]))
    report = validate((ontology, data, inference.inferred), shapes)
    seconds["validate"] = time.perf_counter() - started - seconds["convert"] - seconds["reason"]
    if not report.conforms:
        first = report.violations[0]
        message = (
            f"the data would violate {len(report.violations)} shape constraint(s), first: {first.message}"
        )
        rendered = {fmt: render(report, fmt, plan.base) for fmt in ("turtle", "json")}
        return Refused(422, message, rendered)
    _replace_graph(store, names["inferred"], inference.inferred)
    if _has(store, graph_iri(plan.base, "metadata")):
        described = time.perf_counter()
        describe(store, plan.base, (ontology, data, inference.inferred, shapes))
        seconds["describe"] = time.perf_counter() - described
    return None


def describe(store: ox.Store, base: str, graphs: tuple[Graph, ...]) -> None:
    """The metadata graph computed again, as the build computes it, over the new graphs."""
    from nipa_kg.graph.metadata import build_metadata
    from nipa_kg.graph.settings import Settings as BuildSettings

    settings = BuildSettings(base=base, build_date=datetime.now(UTC).date())
    _replace_graph(store, graph_iri(base, "metadata"), build_metadata(graphs, settings))


def _replace_graph(store: ox.Store, iri: str, graph: Graph) -> None:
    store.clear_graph(ox.NamedNode(iri))
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=NT, to_graph=ox.NamedNode(iri))


def _graph_name(quad: ox.Quad) -> str | None:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None


def _has(store: ox.Store, iri: str) -> bool:
    return any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))


def _dump(store: ox.Store, iri: str) -> bytes:
    return store.dump(format=NT, from_graph=ox.NamedNode(iri))
