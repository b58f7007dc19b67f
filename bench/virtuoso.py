"""Virtuoso 7.2 (Debian's `virtuoso-opensource`: `virtuoso-t`, `isql-vt`) as a peer in the bench: what
public-sector data portals run today.

Started as the external-store tests start it (`tests/server/store/external/conftest.py`; the bench does not
import the tests): its own ini file and database in a temporary folder, SQL and HTTP ports on loopback,
`+foreground`. Then the generated N-Triples are loaded into the bench's named graph with isql-vt,
`DB.DBA.TTLP_MT(file_to_string_output(FILE), '', GRAPH)` (timed as "load"), the file's folder listed in
`DirsAllowed`. Its `/sparql` endpoint queries every graph when the request names none, as the other
servers' union default graph.

Settings, kept from the tests unless said:

- `ThreadsPerQuery = 1`: with parallel evaluation Virtuoso 7.2.5 now and then answers a GROUP BY over
  several named graphs with wrong counts (seen under load in the tests);
- `ResultSetMaxRows` high, so that no answer of the mix is cut;
- `NumberOfBuffers` (8 KiB pages of its buffer pool) sized to the data, as Virtuoso's guide asks, rather
  than the tests' 10000: a million triples then stay in memory (pages are touched only as used, so the
  resident set grows with the data, not with the setting);
- `ServerThreads` 10 for HTTP (the bench's 8 clients each get a thread);
- `MaxQueryExecutionTime` 30 s, as nipa-kg's default query timeout.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.generate import DATA_GRAPH
from bench.servers import Server, free_port, spawn, wait_ready

VIRTUOSO, ISQL = "virtuoso-t", "isql-vt"
ACCOUNT = ("dba", "dba")  # a new Virtuoso database's administrator
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}, {data_dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
ThreadsPerQuery = 1
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
"""


def missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    absent = [name for name in (VIRTUOSO, ISQL) if shutil.which(name) is None]
    if absent:
        return (
            f"{' and '.join(absent)} not found: install Debian's virtuoso-opensource "
            "(`apt-get install virtuoso-opensource`) to add Virtuoso to the bench"
        )
    return None


def buffers_for(triples: int) -> int:
    """8 KiB buffers for `triples`: about 250 bytes a triple over its indexes and dictionaries, doubled,
    and never fewer than the tests' 10000."""
    return max(10_000, triples * 500 // 8192)


def isql(sql_port: int, statements: str, timeout: float) -> str:
    """Run SQL statements through isql-vt; their output, or RuntimeError with it."""
    command = [ISQL, f"127.0.0.1:{sql_port}", *ACCOUNT, f"exec={statements}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed ({done.returncode}): {(done.stdout + done.stderr)[-2000:]}")
    return done.stdout


def start_virtuoso(data: Path, triples: int, log: Path, limit: float = 600) -> Server:
    """Virtuoso on free loopback ports with `data` (N-Triples) loaded into the bench's graph."""
    if data.suffix != ".nt":
        raise ValueError(f"{data}: Virtuoso loads the N-Triples file")
    folder = Path(tempfile.mkdtemp(prefix="nipa-bench-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    buffers = buffers_for(triples)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(
            dir=folder,
            data_dir=data.resolve().parent,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            max_rows=1_000_000,
            max_seconds=30,
        )
    )
    started = time.monotonic()
    command = [VIRTUOSO, "+foreground", "+configfile", str(ini)]
    server = spawn("Virtuoso 7.2", command, http_port, "/sparql", log, cwd=folder)
    server.cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)
    try:
        wait_ready(server, started, limit)
        loading = time.monotonic()
        statement = f"DB.DBA.TTLP_MT(file_to_string_output('{data.resolve()}'), '', '{DATA_GRAPH}');"
        isql(sql_port, statement, limit)
    except BaseException:
        server.stop()
        raise
    server.load_s = time.monotonic() - loading
    server.ready_s = time.monotonic() - started
    return server
