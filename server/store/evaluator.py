"""The evaluator process: an `EmbeddedStore` in a process of its own, answering the serving process over a
socket (`nipa_kg.server.store.isolated`), so that a query can be stopped by ending the process, and a
crash inside pyoxigraph ends only this process.

Run as `python -m nipa_kg.server.store.evaluator FD PARENT_PID`, FD one end of a socket pair. Messages
are pickled (`multiprocessing.connection`):

1. the parent sends `(files, threads, report)`: the RDF files to load, as `(path, format name, graph IRI
   or None)`, and whether to say each load on stderr;
2. the evaluator loads them and answers `("ready", data version)`, or `("failed", InputError)` and ends;
3. then requests `(id, operation, arguments)` (operations: `OPERATIONS`), each run on a pool of `threads`
   threads, are answered `(id, True, value)` or `(id, False, exception)` as each finishes. A query runs
   until it is done or pyoxigraph writes results past its deadline; one that yields nothing for long runs
   on, until the parent ends the process.

The process never outlives its parent: the kernel kills it when the parent's spawning thread ends
(`PR_SET_PDEATHSIG`), and it ends itself when the socket closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from nipa_kg.core import progress
from nipa_kg.core.errors import InputError, input_errors
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.server.store.base import KnownQuery, QueryOptions
from nipa_kg.server.store.embedded import EmbeddedStore

PR_SET_PDEATHSIG = 1
by_name = RDF_FORMATS.by_name
STACK_BYTES = 64 * 1024 * 1024  # each evaluating thread's: pyoxigraph recurses on nested queries

LoadPlan = list[tuple[str, str, str | None]]


def die_with_parent(parent: int) -> None:
    """Be killed when the parent ends (Linux); if it already has, end now."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the closed socket still ends us
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


def load(store: EmbeddedStore, files: LoadPlan, report: bool) -> None:
    """Load the files; `report`: say each as a stage on stderr (the server's first start, from a command
    that says its stages), with a bar on a terminal."""
    with progress.reporting(progress.Progress(sys.stderr if report else None)):
        for path, fmt, graph in files:
            with input_errors(Path(path)), progress.stage(f"load {path} into the evaluator process"):
                store.load(Path(path), RDF_FORMATS.by_name(fmt), graph)


def operations(store: EmbeddedStore) -> dict[str, Callable[..., Any]]:
    """What the parent may ask, by name. `replace` serves a new snapshot (an accepted write,
    `nipa_kg.server.write`): queries in flight finish on the data they started on."""

    def query(text: str, names_dataset: bool, options: QueryOptions, deadline: float) -> Any:
        return store.evaluate(KnownQuery(text, names_dataset=names_dataset), options, deadline)

    def replace(path: str) -> str:
        store.replace(Path(path))
        return store.data_version

    return {
        "query": query,
        "named_graphs": lambda: dict(store.named_graphs()),
        "default_graph_size": store.default_graph_size,
        "serialize_graph": lambda iri, fmt, prefixes: store.serialize_graph(
            iri, RDF_FORMATS.by_name(fmt), prefixes
        ),
        "serialize_dataset": lambda fmt, prefixes: store.serialize_dataset(
            RDF_FORMATS.by_name(fmt), prefixes
        ),
        "replace": replace,
    }


def serve(connection: Connection, store: EmbeddedStore, threads: int) -> None:
    """Answer requests until the socket closes."""
    send_lock = threading.Lock()
    known = operations(store)
    threading.stack_size(STACK_BYTES)  # for the threads the pool starts from now on, not `ulimit -s`

    def answer(request_id: int, operation: str, arguments: tuple) -> None:
        try:
            reply: tuple = (request_id, True, known[operation](*arguments))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller
            reply = (request_id, False, exc)
        with send_lock:
            try:
                connection.send(reply)
            except OSError:  # the parent is gone
                os._exit(0)

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="evaluate") as pool:
        while True:
            try:
                request_id, operation, arguments = connection.recv()
            except (EOFError, OSError):
                os._exit(0)  # the parent closed the socket: nothing to finish
            pool.submit(answer, request_id, operation, arguments)


def main(argv: list[str]) -> None:
    fd, parent = int(argv[0]), int(argv[1])
    die_with_parent(parent)
    connection = Connection(fd)
    files, threads, report = connection.recv()
    store = EmbeddedStore(workers=1)
    try:
        load(store, files, report)
    except InputError as exc:
        connection.send(("failed", exc))
        sys.exit(2)
    connection.send(("ready", store.data_version))
    serve(connection, store, threads)


if __name__ == "__main__":
    main(sys.argv[1:])
