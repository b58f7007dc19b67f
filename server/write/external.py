"""Writes to an external store (`nipa-kg serve --store URL`): staged and checked exactly as in the embedded
store (`nipa_kg.server.write.stage`, over the dataset read from the store with `serialize_dataset`), then
sent to the store's own SPARQL Update endpoint (`nipa_kg.server.store.client`) as one request, which
carries the whole change: the write's quads, the recomputed `inferred` and `metadata` graphs' difference,
and the history's new activity.

The request has one operation per graph touched, `DELETE { GRAPH <g> { ... } } INSERT { GRAPH <g> { ... } }
WHERE {}` (a template, not `DELETE DATA`/`INSERT DATA`: Virtuoso 7.2 takes no blank node in `INSERT DATA`,
and leaves undeleted a literal with a language tag and non-ASCII text when one operation names several
graphs, as NIPA's Korean labels are). How atomic it is, is the store's: see the README's Writes.

What cannot be sent is refused before anything is: a change to the store's default graph (not served: our
default graph is the union of our named graphs), to a graph outside `{base}graph/` (not served after a
restart, which serves the graphs found under it), or removing a statement with a blank node (the store's
blank nodes are renamed when read, so an update cannot name them).

After the request the store's count of each graph touched is compared with the staged one, as `publish`
checks what it sent: a store that did not apply the change as sent is told to the client (502).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import graph_iri

N_QUADS = RDF_FORMATS.by_name("nq")
NQ = ox.RdfFormat.N_QUADS


class Unsendable(Exception):
    """A change the store cannot be sent, or did not apply as sent: `status` and the reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class ExternalStore(Protocol):
    """What of `nipa_kg.server.store.remote.RemoteStore` a write needs."""

    graphs: tuple[str, ...]

    def serialize_dataset(self, fmt: object, prefixes: Mapping[str, str] | None = None) -> bytes: ...

    def named_graphs(self) -> Mapping[str, int]: ...

    def update(self, text: str) -> None: ...


@contextlib.contextmanager
def current(store: ExternalStore) -> Iterator[Path]:
    """The store's dataset now, as an N-Quads file for the staging process; removed afterwards."""
    with tempfile.NamedTemporaryFile(prefix="nipa-kg-store-", suffix=".nq") as file:
        file.write(store.serialize_dataset(N_QUADS))
        file.flush()
        yield Path(file.name)


def send(store: ExternalStore, base: str, change: tuple[bytes, bytes], dataset: bytes) -> None:
    """Send `change` (N-Quads added, removed; the history's activity among the added) as one update
    request, then check the store holds what `dataset` (the staged dataset with the activity) holds."""
    added, removed = (list(ox.parse(quads, format=NQ)) for quads in change)
    touched = check_sendable(base, added, removed)
    store.update(request_text(added, removed))
    store.graphs = tuple(dict.fromkeys([*store.graphs, *sorted(touched)]))
    expected: defaultdict[str, int] = defaultdict(int)
    for quad in set(ox.parse(dataset, format=NQ)):
        expected[_graph(quad)] += 1
    held = store.named_graphs()
    wrong = [
        f"<{g}> holds {held.get(g, 0)}, not {expected[g]}"
        for g in sorted(touched)
        if held.get(g, 0) != expected[g]
    ]
    if wrong:
        raise Unsendable(502, "the store did not apply the write as sent: " + "; ".join(wrong))


def check_sendable(base: str, added: list[ox.Quad], removed: list[ox.Quad]) -> set[str]:
    """The graphs the change touches; `Unsendable` if it cannot be sent (see the module docstring)."""
    if any(isinstance(quad.graph_name, ox.DefaultGraph) for quad in [*added, *removed]):
        raise Unsendable(
            400,
            "with an external store (--store) writes go into named graphs, such as "
            f"<{graph_iri(base, 'data')}>: the store's default graph is not served",
        )
    touched = {_graph(quad) for quad in [*added, *removed]}
    outside = sorted(g for g in touched if not g.startswith(graph_iri(base, "")))
    if outside:
        under = graph_iri(base, "")
        raise Unsendable(
            400, f"with an external store (--store) writes go into graphs under {under}, not <{outside[0]}>"
        )
    if any(_blank(quad) for quad in removed):
        raise Unsendable(
            409,
            "the write removes statements with blank nodes, which an update to the external store cannot "
            "name (its blank nodes are renamed when read)",
        )
    return touched


def request_text(added: Iterable[ox.Quad], removed: Iterable[ox.Quad]) -> str:
    """One SPARQL Update request: `DELETE { GRAPH <g> {...} } INSERT { GRAPH <g> {...} } WHERE {}` a graph."""
    by_graph: defaultdict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for index, quads in enumerate((removed, added)):
        for quad in quads:
            by_graph[_graph(quad)][index].append(f"{quad.subject} {quad.predicate} {quad.object} .")
    operations = []
    for graph, (deleted, inserted) in sorted(by_graph.items()):
        parts = [
            f"{verb} {{ GRAPH <{graph}> {{\n{chr(10).join(sorted(lines))}\n}} }}"
            for verb, lines in (("DELETE", deleted), ("INSERT", inserted))
            if lines
        ]
        operations.append("\n".join(parts) + "\nWHERE {}")
    return " ;\n".join(operations)


def _graph(quad: ox.Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""


def _blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
