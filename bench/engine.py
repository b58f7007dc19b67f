"""What the query engine alone costs: each bench query evaluated by pyoxigraph in this process, no HTTP.

Both servers evaluate with the same engine (Oxigraph, in Rust; nipa-kg through pyoxigraph), so the time
one query takes here, result serialised as the endpoint sends it, is a floor under what either server
spends on it. On a machine of `cores` cores no server of this engine can answer the uncached mix faster
than `cores / mean time per query` requests per second, whatever its HTTP layer: the bench prints that
ceiling beside the measured throughputs.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.load import Query


@dataclass(frozen=True)
class EngineTimes:
    """Mean seconds per evaluation of each query (a random agency each time), by query name."""

    seconds: dict[str, float]

    @property
    def mix_seconds(self) -> float:
        """Mean seconds per request of the mix, which sends every query equally often."""
        return sum(self.seconds.values()) / len(self.seconds)

    def ceiling_rps(self, cores: int | None = None) -> float:
        """Most requests per second of the mix that `cores` cores can evaluate, doing nothing else."""
        return (cores or os.cpu_count() or 1) / self.mix_seconds


def evaluate(store: ox.Store, query: Query, agency: int) -> bytes:
    """One evaluation, serialised as the endpoint answers the bench (SPARQL JSON or N-Triples)."""
    results = store.query(query.for_agency(agency), use_default_graph_as_union=True)
    if isinstance(results, ox.QueryBoolean):
        return b"true" if results else b"false"
    if isinstance(results, ox.QuerySolutions):
        return results.serialize(format=ox.QueryResultsFormat.JSON)
    return results.serialize(format=ox.RdfFormat.N_TRIPLES)


def measure(
    data: Path, queries: Sequence[Query], agencies: int, *, seconds: float = 0.3, seed: int = 1
) -> EngineTimes:
    """Load `data` (TriG) and time each query for about `seconds` (at least three evaluations)."""
    store = ox.Store()
    store.load(path=data, format=ox.RdfFormat.TRIG)
    rng = random.Random(seed)
    times = {}
    for query in queries:
        evaluate(store, query, 1)  # warm-up
        count, started = 0, time.perf_counter()
        while count < 3 or time.perf_counter() - started < seconds:
            evaluate(store, query, rng.randint(1, agencies))
            count += 1
        times[query.name] = (time.perf_counter() - started) / count
    return EngineTimes(times)
