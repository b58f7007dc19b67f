"""`WriteService`: every write goes through it, one at a time (a lock), in these steps:

1. **Guard.** A `LOAD` in an update names its document by a full IRI that the SERVICE allowlist allows
   (`nipa_kg.server.query.federation`); `file:` and anything else is refused before staging (400). An
   allowed `LOAD` is fetched by the staging process (pyoxigraph's HTTP client), within its deadline.
2. **Stage and check** (`nipa_kg.server.write.stage`), in a process forked for this write from a fork
   server that has the build's libraries loaded, killed at `write_timeout` (a hostile update can crash or
   hang pyoxigraph, as a query can): the change, refused if it touches a graph of the build or the
   history (403), then reasoning and SHACL validation (422 with the report). Nothing has changed yet.
3. **Record.** The PROV activity (`nipa_kg.server.write.history`) is appended to the new dataset.
4. **Persist** (`nipa_kg.server.write.snapshot`): the new snapshot on disk, fsync'd, renamed over the old.
5. **Swap.** The store serves the new snapshot (`Replaceable.replace`): a reader sees the old data or the
   new, never a mix, and the data version (the result cache's key and the ETags) moves on.

Only then is the write acknowledged. Without a data directory every write is refused (503): an accepted
edit never lives only in memory.

An external store (`serve --store`, `nipa_kg.server.write.external`) is the state itself: step 2 stages
over the dataset read from it, and steps 4 and 5 are one SPARQL Update request to its update endpoint,
carrying the change and the activity; no data directory is needed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.server.query.guard import DEFAULT_LIMITS, Limits, QueryTooComplex, check
from nipa_kg.server.query.lexer import tokens
from nipa_kg.server.store.base import KnownQuery, QueryOptions, Store, StoreUnavailable
from nipa_kg.server.store.remote import RemoteStore
from nipa_kg.server.write import external, history, snapshot
from nipa_kg.server.write.stage import Operation, Plan, Refused, Staged, child

N_QUADS = RDF_FORMATS.by_name("nq")
PRELOAD = [
    "nipa_kg.server.write.stage",
    "rdflib",
    "pyshacl",
    "nipa_kg.graph.reason",
    "nipa_kg.graph.validate",
    "nipa_kg.graph.metadata",
]
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class WriteRefused(Exception):
    """A write not made: `status` and a message for the client (and the SHACL report, for a 422)."""

    def __init__(self, status: int, message: str, report: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.report = status, message, report or {}


class Replaceable(Protocol):
    """A store that can serve a new snapshot in place of its data, atomically for its readers."""

    def replace(self, snapshot: Path) -> None: ...


@dataclass(frozen=True)
class Accepted:
    id: str
    added: int
    removed: int
    existed: bool  # whether a Graph Store Protocol write's graph had triples before
    seconds: dict[str, float]

    def json(self) -> dict[str, object]:
        return {"id": self.id, "added": self.added, "removed": self.removed, "seconds": self.seconds}


class WriteService:
    """See the module docstring. `allows` is the SERVICE allowlist's test, which `LOAD` follows too."""

    def __init__(
        self,
        store: Store,
        base: str,
        state_dir: Path | None,
        allows: Callable[[str], bool],
        timeout: float = 120.0,
        reasoner: str = "reasonable",
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.store, self.base, self.allows, self.timeout, self.reasoner = (
            store,
            base,
            allows,
            timeout,
            reasoner,
        )
        self.limits = limits  # the query guard's, for updates: staging is pyoxigraph's too
        self.snapshot = snapshot.prepare(state_dir) if state_dir is not None else None
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)

    def write(self, operation: Operation, agent: str, label: str, reverts: str | None = None) -> Accepted:
        self._check_writable()
        if operation.kind == "update":
            try:
                check(operation.text, self.limits)
            except QueryTooComplex as exc:
                raise WriteRefused(400, str(exc).replace("query ", "update ", 1)) from exc
            self.check_loads(operation.text)
        with self._lock:
            started, reading = history.now(), time.perf_counter()
            with self._current() as current:
                read = time.perf_counter() - reading
                staged = self._stage(Plan(str(current), self.base, self.reasoner, operation))
            staged.seconds["read"] = read
            ended = history.now()
            activity = history.Activity(
                history.new_id(started), label, agent, started, ended, staged.added, staged.removed, reverts
            )
            self._commit(staged, history.record(self.base, activity))
        seconds = {name: round(value, 4) for name, value in staged.seconds.items()}
        return Accepted(
            activity.id, staged.added.count(b"\n"), staged.removed.count(b"\n"), staged.existed, seconds
        )

    def _check_writable(self) -> None:
        if isinstance(self.store, RemoteStore):
            if self.store.endpoints.update is None:
                where = self.store.endpoints.describe()
                raise WriteRefused(
                    501, f"writes are refused: no update endpoint is known for {where} (--store-update)"
                )
        elif self.snapshot is None:
            raise WriteRefused(
                503,
                "writes are refused: this server has no data directory (--data-dir DIR or "
                "NIPA_KG_STATE_DIR), and an accepted write must survive a restart",
            )
        elif not hasattr(self.store, "replace"):
            raise WriteRefused(501, "writes are refused: this store cannot serve a new snapshot")

    @contextlib.contextmanager
    def _current(self) -> Iterator[Path]:
        """The dataset now, as an N-Quads file: the external store's, read now, or the snapshot."""
        if isinstance(self.store, RemoteStore):
            with external.current(self.store) as path:
                yield path
            return
        assert self.snapshot is not None
        if not self.snapshot.is_file():
            snapshot.write_atomically(self.snapshot, [self.store.serialize_dataset(N_QUADS)])
        yield self.snapshot

    def _commit(self, staged: Staged, recorded: bytes) -> None:
        """Make the staged write, with its activity `recorded`, what the store serves."""
        started = time.perf_counter()
        if isinstance(self.store, RemoteStore):
            added, removed = staged.derived
            try:
                external.send(self.store, self.base, (added + recorded, removed), staged.dataset + recorded)
            except external.Unsendable as exc:
                raise WriteRefused(exc.status, exc.message) from None
            except StoreUnavailable as exc:
                raise WriteRefused(502, f"the store did not take the write: {exc}") from None
            staged.seconds["send"] = time.perf_counter() - started
            return
        assert self.snapshot is not None
        snapshot.write_atomically(self.snapshot, [staged.dataset, recorded])
        staged.seconds["persist"] = time.perf_counter() - started
        swapped = time.perf_counter()
        self.store.replace(self.snapshot)  # type: ignore[attr-defined]
        staged.seconds["swap"] = time.perf_counter() - swapped

    def _stage(self, plan: Plan) -> Staged:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=child, args=(plan, sender), name="nipa-kg-stage")
        process.start()
        sender.close()
        try:
            if not receiver.poll(self.timeout):
                raise WriteRefused(
                    503, f"the write did not finish staging within {self.timeout:g} s; nothing changed"
                )
            outcome = receiver.recv()
        except EOFError:
            raise WriteRefused(
                503, f"the staging process died ({process.exitcode}); nothing changed"
            ) from None
        finally:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join()
        if isinstance(outcome, Refused):
            raise WriteRefused(outcome.status, outcome.message, outcome.report)
        return outcome

    def check_loads(self, text: str) -> None:
        """Refuse a `LOAD` of anything but an allowed http(s) document (see the module docstring)."""
        decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
        for version in {text, decoded}:
            found = tokens(version)
            for index, token in enumerate(found):
                if token.kind != "run" or "load" not in token.text.split(":", 1)[0].lower():
                    continue
                following = [t for t in found[index + 1 : index + 3] if t.text.upper() != "SILENT"]
                target = following[0].text if following else ""
                self._check_load_target(target)

    def _check_load_target(self, target: str) -> None:
        if not (target.startswith("<") and target.endswith(">")):
            raise WriteRefused(400, f"LOAD names its document by a full IRI in <>, not {target or 'nothing'}")
        iri = target[1:-1]
        scheme = urlsplit(iri).scheme.lower()
        if scheme not in ("http", "https"):
            raise WriteRefused(400, f"LOAD <{iri}> is refused: only http(s) documents may be loaded")
        if not self.allows(iri):
            raise WriteRefused(
                400, f"LOAD <{iri}> is refused: it is not on the allowlist (--allow-service) SERVICE follows"
            )

    def history(self, activity: str | None = None) -> list[dict]:
        """The recorded writes (or the one `activity`), oldest first."""
        result = self.store.query(
            KnownQuery(history.listing_query(self.base, activity)),
            QueryOptions(timeout=30, row_cap=1_000_000),
        )
        return history.entries(self.base, result.document["results"]["bindings"])  # type: ignore[union-attr]

    def revert(self, activity: str, agent: str) -> Accepted:
        """Undo one recorded write: its inverse change, itself a validated, recorded write."""
        found = self.history(activity)
        if not found:
            raise WriteRefused(404, f"no write {activity} in the history")
        change = found[0]["change"]
        if "_:" in change["added"] or "_:" in change["removed"]:
            raise WriteRefused(409, f"write {activity} changed blank nodes, which a revert cannot name again")
        inverse = Operation("apply", added=change["removed"].encode(), removed=change["added"].encode())
        return self.write(inverse, agent, f"revert of {activity}", reverts=activity)
