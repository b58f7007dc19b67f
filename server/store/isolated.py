"""`IsolatedStore`: the `Store` interface over an evaluator process (`nipa_kg.server.store.evaluator`) that
holds the data in an `EmbeddedStore`, so that no query can take the serving process down or outlive its
deadline.

pyoxigraph has no timeout and no cancellation, and a deeply nested query overflows its native stack: only
ending the process that evaluates stops either. So:

- **Deadlines.** A caller waits for its answer until its deadline, then gets `QueryTimeout` (503). If the
  evaluation has still not ended `grace` seconds later (pyoxigraph stops a query itself when it writes
  results past its deadline, not when it computes for long without writing), the evaluator is killed and
  a new one started: the CPU it held is free within `grace` (plus the supervisor's tick) of the deadline.
- **Crashes.** An evaluator that dies (a signal, the kernel's OOM killer, `kill -9`) is replaced the same
  way. Either way, the calls in flight on it end with `QueryInterrupted` (503), saying why.
- **Replacement.** The new evaluator loads the same files (each `load` is kept as a file: data given as
  bytes is written to a private temporary folder first), so it answers with the same data version. Until
  it is ready, calls wait for it up to their deadline.
- **One supervisor thread** starts every evaluator (the kernel kills an evaluator when the thread that
  started it ends: `PR_SET_PDEATHSIG`), and checks every `TICK` seconds for overdue calls.
- **Shutdown.** `close` kills the evaluator and fails the calls in flight at once, so that a server told
  to stop (SIGTERM) is not held by queries that would run on (`nipa_kg.server.runner`).
- **Forks.** A process forked from one that has an evaluator (granian's `--workers`) starts its own on
  first use; the parent's is not shared.

Why a process of its own and not workers forked from a loaded parent: pyoxigraph writes to the pages it
reads, so forked workers copy the data as they query (measured in bench/README.md); an evaluator that
loads its own copy holds the data once, beside a serving process that holds none.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import GraphFormat
from nipa_kg.server.store.base import Query, QueryInterrupted, QueryOptions, QueryResult, QueryTimeout

KILL_GRACE = 0.5  # seconds past its deadline before the evaluator of a query still running is ended
TICK = 0.1  # how often the supervisor looks for overdue calls
START_TIMEOUT = 300.0  # longest load of an evaluator before it counts as failed
RESTART_PAUSE = 1.0  # between two failed starts
EVALUATOR = "nipa_kg.server.store.evaluator"
OVERDUE = "a query ran past its deadline: its evaluator was stopped, and with it the queries in flight"
OVERGROWN = (
    "the query evaluator grew past its memory bound and was stopped, and with it the queries in flight"
)
MEMORY_HEADROOM = 0.5  # the bound: the evaluator's memory once loaded, plus this share of it ...
MEMORY_FLOOR = 256 * 1024 * 1024  # ... or plus this many bytes, whichever is more
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class _Call:
    future: Future[Any]
    deadline: float


@dataclass
class _Evaluator:
    """One evaluator process and the calls in flight to it."""

    process: subprocess.Popen[bytes]
    connection: Connection
    version: str
    calls: dict[int, _Call] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ended: str | None = None  # why it ended (or is being ended)
    ids: itertools.count[int] = field(default_factory=itertools.count)
    gone: threading.Event = field(default_factory=threading.Event)  # its answers' reader has finished
    memory_bound: int = 0  # bytes of resident memory past which it is stopped (0: none)

    def submit(self, operation: str, arguments: tuple, deadline: float) -> Future[Any]:
        future: Future[Any] = Future()
        with self.lock:
            if self.ended:
                raise QueryInterrupted(self.ended)
            request_id = next(self.ids)
            self.calls[request_id] = _Call(future, deadline)
            try:
                self.connection.send((request_id, operation, arguments))
            except OSError:
                self.calls.pop(request_id)
                raise QueryInterrupted("the query evaluator is gone; try again") from None
        return future

    def read(self) -> None:
        """Hand each answer to its caller until the process ends; then fail the calls left (own thread)."""
        while True:
            try:
                request_id, ok, value = self.connection.recv()
            except (EOFError, OSError):
                break
            with self.lock:
                call = self.calls.pop(request_id, None)
            if call is not None:
                (call.future.set_result if ok else call.future.set_exception)(value)
        self.fail_calls(self.why_ended())
        self.connection.close()
        self.gone.set()

    def why_ended(self) -> str:
        if self.ended:
            return self.ended
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "the query evaluator stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            return f"the query evaluator process died ({name}); it is being restarted"
        return f"the query evaluator process ended (exit code {code}); it is being restarted"

    def fail_calls(self, reason: str) -> None:
        with self.lock:
            self.ended = self.ended or reason
            calls, self.calls = self.calls, {}
        for call in calls.values():
            if not call.future.done():
                call.future.set_exception(QueryInterrupted(reason))

    def resident(self) -> int:
        """Its resident memory in bytes (0 once it is gone)."""
        try:
            return int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def overgrown(self) -> bool:
        return bool(self.memory_bound) and self.resident() > self.memory_bound

    def overdue(self, now: float, grace: float) -> bool:
        with self.lock:
            return any(call.deadline + grace < now for call in self.calls.values())

    def kill(self, reason: str) -> None:
        with self.lock:
            self.ended = self.ended or reason
        self.process.kill()  # its reader then sees the socket close, and fails the calls left
        self.process.wait()


class IsolatedStore:
    """A `Store` whose queries run in an evaluator process; see the module docstring."""

    def __init__(
        self, threads: int = 16, timeout: float = 30.0, grace: float = KILL_GRACE, memory_bound: int = 0
    ) -> None:
        """`memory_bound`: bytes of resident memory past which an evaluator is ended (0: its memory once
        loaded, plus half of that or 256 MiB, whichever is more)."""
        self.threads, self.timeout, self.grace, self.memory_bound = threads, timeout, grace, memory_bound
        self._files: list[tuple[str, str, str | None]] = []
        self._spill_dir: Path | None = None  # mkdtemp's: a TemporaryDirectory would go with a worker
        self._spill_owner = os.getpid()
        self._version = ""
        self._sizes: tuple[dict[str, int], int] | None = None
        self._report = False
        self._reset()
        atexit.register(self.close)

    def _reset(self) -> None:
        """Fresh state for this process (also in a forked child, whose parent's evaluator is not its own)."""
        self._pid = os.getpid()
        self._changed = threading.Condition()
        self._current: _Evaluator | None = None
        self._trouble: str | None = None  # why no evaluator answers now
        self._failure: InputError | None = None  # the data cannot be loaded
        self._closing = False
        self._wake = threading.Event()
        self._supervisor: threading.Thread | None = None

    # ---- the Store interface -------------------------------------------------------------------------

    @property
    def data_version(self) -> str:
        return self._version

    def query(self, query: Query, options: QueryOptions) -> QueryResult:
        deadline = time.monotonic() + options.timeout
        arguments = (query.text, query.names_dataset, options, deadline)
        try:
            return self._call("query", arguments, deadline)
        except FutureTimeout:
            raise QueryTimeout(f"the query did not finish within {options.timeout:g} s") from None

    def named_graphs(self) -> Mapping[str, int]:
        return self._counts()[0]

    def default_graph_size(self) -> int:
        return self._counts()[1]

    def _counts(self) -> tuple[dict[str, int], int]:
        """The graph sizes: the same for every evaluator (the same files), so asked once."""
        if self._sizes is None:
            self._sizes = (self._ask("named_graphs"), self._ask("default_graph_size"))
        return self._sizes

    def serialize_graph(
        self, iri: str | None, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None
    ) -> bytes:
        return self._ask("serialize_graph", iri, fmt.name, dict(prefixes or {}))

    def serialize_dataset(self, fmt: GraphFormat, prefixes: Mapping[str, str] | None = None) -> bytes:
        return self._ask("serialize_dataset", fmt.name, dict(prefixes or {}))

    def load(self, data: bytes | Path, fmt: GraphFormat, graph: str | None = None) -> None:
        """Note a file (or bytes, kept as one) for every evaluator to load; `start` loads them."""
        if isinstance(data, bytes):
            if self._spill_dir is None:
                self._spill_dir = Path(tempfile.mkdtemp(prefix="nipa-kg-data-"))
                self._spill_owner = os.getpid()
            spilled = self._spill_dir / f"{len(self._files)}.{fmt.extension}"
            spilled.write_bytes(data)
            data = spilled
        self._files.append((str(data.resolve()), fmt.name, graph))

    def replace(self, snapshot: Path) -> None:
        """Serve `snapshot` (N-Quads: an accepted write's state, `nipa_kg.server.write`) from now on: every
        later evaluator loads it (so one started after a crash serves the latest state), and the one
        answering now swaps it in (queries in flight finish on the old data)."""
        self._files = [(str(snapshot.resolve()), "nq", None)]
        deadline = time.monotonic() + max(self.timeout, START_TIMEOUT)
        try:
            version = self._call("replace", (str(snapshot.resolve()),), deadline)
        except QueryInterrupted:  # the evaluator ended meanwhile: its replacement loads the snapshot
            version = None
        with self._changed:
            self._version, self._sizes = version or self._version, None

    # ---- the evaluator's life ------------------------------------------------------------------------

    def start(self, report: bool = False) -> None:
        """Start the supervisor and wait for the first evaluator: `InputError` if the data does not load;
        `report`: the evaluator says each file it loads on stderr (later ones, replacements, do not)."""
        self._report = report
        self._ensure_supervisor()
        with self._changed:
            self._changed.wait_for(lambda: self._current is not None or self._failure is not None)
        if self._failure is not None:
            raise self._failure

    def stop(self) -> None:
        """End the evaluator and the supervisor (the store may start again)."""
        supervisor = self._supervisor
        with self._changed:
            self._closing = True
            current, self._current = self._current, None
            self._changed.notify_all()
        self._wake.set()
        if current is not None:
            current.kill("the server is stopping")
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join(timeout=5)
        self._reset()

    def close(self) -> None:
        """Stop, and remove the temporary files (at exit, or when the server is told to stop)."""
        if self._pid == os.getpid():
            self.stop()
        if self._spill_dir is not None and self._spill_owner == os.getpid():  # not a forked worker
            shutil.rmtree(self._spill_dir, ignore_errors=True)

    def _ensure_supervisor(self) -> None:
        if self._pid != os.getpid():
            self._reset()
        with self._changed:
            if self._supervisor is None:
                self._supervisor = threading.Thread(target=self._supervise, name="evaluator", daemon=True)
                self._supervisor.start()

    def _supervise(self) -> None:
        while not self._closing:
            evaluator = self._spawn()
            if evaluator is None:
                if self._failure is not None:
                    return
                time.sleep(RESTART_PAUSE)
                continue
            while not self._closing and not evaluator.gone.wait(TICK):
                why = self._why_stop(evaluator)
                if why:
                    self._retire(evaluator)
                    evaluator.kill(why)
                    break
            self._retire(evaluator)

    def _why_stop(self, evaluator: _Evaluator) -> str | None:
        """Why the evaluator must be ended now: a query past its deadline and grace, or its memory past
        its bound (a runaway query's own tables: a cross product grows by hundreds of MB a second)."""
        if evaluator.overdue(time.monotonic(), self.grace):
            return OVERDUE
        return OVERGROWN if evaluator.overgrown() else None

    def _retire(self, evaluator: _Evaluator) -> None:
        """Send new calls to the next evaluator (they wait for it) rather than to this one."""
        with self._changed:
            if self._current is evaluator:
                self._current, self._trouble = None, "the query evaluator is restarting"

    def _spawn(self) -> _Evaluator | None:
        """A new evaluator, ready; None if it failed (then `_failure` is set if the data cannot load)."""
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", EVALUATOR, str(theirs.fileno()), str(self._pid)]
        process = subprocess.Popen(command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        connection = Connection(ours.detach())
        try:
            connection.send((self._files, self.threads, self._report))
            self._report = False
            if not connection.poll(START_TIMEOUT):
                raise EOFError("the evaluator did not load the data in time")
            status, value = connection.recv()
        except (EOFError, OSError) as exc:
            process.kill()
            process.wait()
            connection.close()
            self._note_trouble(f"the query evaluator did not start ({exc or process.returncode})")
            return None
        if status == "failed":
            process.wait()
            connection.close()
            with self._changed:
                self._failure, self._trouble = value, f"the data cannot be loaded: {value}"
                self._changed.notify_all()
            return None
        evaluator = _Evaluator(process, connection, value)
        loaded = evaluator.resident()
        evaluator.memory_bound = self.memory_bound or (
            loaded + max(int(loaded * MEMORY_HEADROOM), MEMORY_FLOOR)
        )
        threading.Thread(target=evaluator.read, name="evaluator-answers", daemon=True).start()
        with self._changed:
            self._version, self._current, self._trouble = value, evaluator, None
            self._changed.notify_all()
        return evaluator

    def _note_trouble(self, trouble: str) -> None:
        with self._changed:
            self._trouble = trouble
            self._changed.notify_all()

    def _evaluator(self, deadline: float) -> _Evaluator:
        """The evaluator answering now, waited for (while one starts) until `deadline`."""
        self._ensure_supervisor()
        with self._changed:
            ready = self._changed.wait_for(
                lambda: self._current is not None or self._failure is not None or self._closing,
                timeout=max(deadline - time.monotonic(), 0),
            )
            if ready and self._current is not None:
                return self._current
            reason = self._trouble or "the server is stopping"
        raise QueryInterrupted(f"{reason}; try again in a moment")

    def _call(self, operation: str, arguments: tuple, deadline: float) -> Any:
        evaluator = self._evaluator(deadline)
        future = evaluator.submit(operation, arguments, deadline)
        return future.result(timeout=max(deadline - time.monotonic(), 0))

    def _ask(self, operation: str, *arguments: object) -> Any:
        deadline = time.monotonic() + self.timeout
        try:
            return self._call(operation, arguments, deadline)
        except FutureTimeout:
            raise QueryTimeout(f"the store did not answer within {self.timeout:g} s") from None
