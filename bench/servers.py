"""The servers the bench compares, as child processes on loopback ports, and their memory and CPU.

- `nipa-kg serve --data FILE --only-data --no-access-log` (granian, our endpoint at /sparql; Oxigraph's
  server does not log requests either), with `--isolation process` (the default: queries run in an
  evaluator process, a child of the serving one) or `--isolation none` (in the serving process);
- Oxigraph's own server (`oxigraph serve`, in memory, `--union-default-graph`), the file POSTed to its
  Graph Store endpoint `/store` after start (the load is timed on its own);
- rdflib's SPARQL engine behind `bench.rdflib_endpoint`, for reference;
- Virtuoso 7.2: `bench.virtuoso`.

Time to ready runs from starting the process to the first answered query, data loaded. Memory is the sum
of the resident set sizes (VmRSS) of the process and all its descendants, sampled every 0.1 s while it
runs (peak), and when the runs are over, with the sum of their proportional set sizes then (Pss: a page
shared by n processes counts 1/n in each). Pss is read once, at the end: reading it walks the whole address
space under the process's memory lock, which slows a large server down if done often. CPU time is summed
over the same tree (user and system time of each live process), read before and after each run.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench.load import Outcome, Request, drive

BIN = Path(sys.executable).parent
READY_QUERY = quote("ASK {}")
MEDIA_TYPES = {".nt": "application/n-triples", ".nq": "application/n-quads", ".trig": "application/trig"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it (from /proc/PID/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as children:
                    queue.extend(int(child) for child in children.read().split())
            except OSError:
                pass
    return found


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory(pid: int, key: str = "VmRSS:", table: str = "status") -> int:
    """The sum of one memory figure (`VmRSS:` of status, `Pss:` of smaps_rollup) over a process tree."""
    return 1024 * sum(_kib(f"/proc/{p}/{table}", key) for p in descendants(pid))


def tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) used so far by the live processes of a tree."""
    ticks = 0
    for process in descendants(pid):
        try:
            with open(f"/proc/{process}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class MemorySampler:
    """Samples a process tree's RSS every `interval` seconds in a thread, keeping the peak; its RSS and
    PSS at `stop`."""

    pid: int
    interval: float = 0.1
    peak_rss: int = 0
    rss: int = 0
    pss: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        self.rss = tree_memory(self.pid)
        self.peak_rss = max(self.peak_rss, self.rss)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
        self.pss = tree_memory(self.pid, "Pss:", "smaps_rollup")


@dataclass
class Server:
    """A running server: where to send queries, how long it took to be ready, its memory."""

    name: str
    port: int
    query_path: str
    process: subprocess.Popen
    memory: MemorySampler
    ready_s: float = 0.0
    load_s: float | None = None
    workers: int = 1
    cleanup: Callable[[], None] | None = None  # after the process has ended (its temporary folder)

    def drive(
        self, mix: Sequence[Request], *, concurrency: int, duration: float, max_requests: int
    ) -> Outcome:
        """Send `mix` to this server's query endpoint (see `bench.load.drive`)."""
        return drive(
            self.port,
            self.query_path,
            mix,
            concurrency=concurrency,
            duration=duration,
            max_requests=max_requests,
        )

    def stop(self) -> None:
        self.memory.stop()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.cleanup is not None:
            self.cleanup()


def spawn(
    name: str, command: list[str], port: int, query_path: str, log: Path, cwd: Path | None = None
) -> Server:
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd
        )
    return Server(name, port, query_path, process, MemorySampler(process.pid))


def _answers(server: Server) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", f"{server.query_path}?query={READY_QUERY}")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def wait_ready(server: Server, started: float, limit: float) -> None:
    while not _answers(server):
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        if time.monotonic() - started > limit:
            server.stop()
            raise RuntimeError(f"{server.name} was not ready within {limit:g} s")
        time.sleep(0.02)


def start_nipa(
    data: Path,
    log: Path,
    workers: int = 1,
    threads: int = 4,
    limit: float = 300,
    *,
    isolation: str = "process",
    timeout: float | None = None,
) -> Server:
    """`nipa-kg serve` with `--isolation` (`process`, the default, or `none`) and, if given, `--timeout`."""
    port = free_port()
    command = [str(BIN / "nipa-kg"), "serve", "--data", str(data), "--only-data", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--isolation", isolation]
    command += ["--workers", str(workers), "--threads", str(threads)]
    command += ["--timeout", f"{timeout:g}"] if timeout is not None else []
    started = time.monotonic()
    name = f"nipa-kg (isolation {isolation}, workers {workers}, threads {threads})"
    server = spawn(name, command, port, "/sparql", log)
    server.workers = workers
    wait_ready(server, started, limit)
    server.ready_s = time.monotonic() - started
    return server


def start_oxigraph(data: Path, log: Path, limit: float = 300) -> Server:
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    started = time.monotonic()
    server = spawn("Oxigraph server", command, port, "/query", log)
    wait_ready(server, started, limit)
    loading = time.monotonic()
    target = "/store?default" if data.suffix == ".nt" else "/store"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
    try:
        with data.open("rb") as body:
            headers = {"Content-Type": MEDIA_TYPES[data.suffix], "Content-Length": str(data.stat().st_size)}
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
    finally:
        connection.close()
    if response.status not in (200, 201, 204):
        server.stop()
        raise RuntimeError(f"Oxigraph did not load {data}: HTTP {response.status}")
    server.load_s = time.monotonic() - loading
    server.ready_s = time.monotonic() - started
    return server


def start_rdflib(data: Path, log: Path, limit: float = 600) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "bench.rdflib_endpoint", "--data", str(data), "--port", str(port)]
    started = time.monotonic()
    server = spawn("rdflib (reference)", command, port, "/sparql", log)
    wait_ready(server, started, limit)
    server.ready_s = time.monotonic() - started
    return server
