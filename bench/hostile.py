"""Hostile query shapes against each server: which of them survive.

    python -m bench.hostile [--servers nipa-kg,in-process,oxigraph,virtuoso] [--readme PATH]

Each shape is one anonymous request of 12 to 220 KB of query text, deep or wide enough to overflow a
recursive parser or evaluator (every one of them crashes pyoxigraph's parser on its main thread: a
segmentation fault). Each server (default settings; the bench's generated data at 10^4 triples) gets
each shape as a GET, then as a POST form: a GET's request line over 64 KiB is past granian's limit (414),
Oxigraph's server takes 8 KiB of headers at most (400) and Virtuoso cuts long query strings, so a client
refused would send the form, and only the form shows what each engine does with the shape. After each
request: the status (or what went wrong with the connection) and the start of a refusal's text, whether
the server's process is still alive, and whether `ASK {}` (`Cache-Control: no-cache`) is answered within
1 s; if not, when it is answered again (polled up to `--recover` seconds). A server that died or does not
recover is started afresh before the next request.

The table goes into `bench/README.md` between the `bench:hostile` markers (`--readme ''`: printed only).
"""

from __future__ import annotations

import argparse
import http.client
import re
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import generate, virtuoso
from bench.report import table, write_between
from bench.servers import Server, descendants, start_nipa, start_oxigraph

README = Path(__file__).parent / "README.md"
BEGIN, END = "<!-- bench:hostile -->", "<!-- /bench:hostile -->"
ACCEPT = {"Accept": "application/sparql-results+json"}
ASK_WITHIN = 1.0

SHAPES: dict[str, tuple[str, Callable[[], str]]] = {
    "groups": (
        "3000 nested `{ }` groups",
        lambda: "SELECT * WHERE { " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000 + " }",
    ),
    "parentheses": (
        "10000 nested parentheses",
        lambda: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 10000 + "?o" + ")" * 10000 + ") }",
    ),
    "optionals": (
        "3000 nested OPTIONALs",
        lambda: "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + " }" * 3000 + " }",
    ),
    "plus": (
        "10000 chained `+`",
        lambda: "SELECT * WHERE { ?s ?p ?o FILTER(?o" + " + ?o" * 10000 + ") }",
    ),
    "not": ("10000 chained `!`", lambda: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 10000 + "?o) }"),
    "unions": (
        "10000 UNIONs",
        lambda: "SELECT * WHERE { " + "{ ?s ?p ?o } UNION " * 10000 + "{ ?s ?p ?o } }",
    ),
    "triples": (
        "20000 triple patterns in one group",
        lambda: "SELECT * WHERE { " + "?s ?p ?o . " * 20000 + "}",
    ),
}


def shape(name: str) -> str:
    """The query text of one hostile shape."""
    return SHAPES[name][1]()


def get_line(path: str, query: str) -> str:
    """The request target of the shape as a GET (form-encoded, as clients send parameters)."""
    return f"{path}?{urlencode({'query': query})}"


@dataclass(frozen=True)
class Outcome:
    """What one request did to a server."""

    status: str  # HTTP status, or what happened to the connection
    detail: str  # the start of a refusal's body
    seconds: float
    alive: str  # "yes", "yes, evaluator replaced", "no"
    ask_s: float | None  # when `ASK {}` was answered after, None if never (within the recovery time)

    @property
    def survived(self) -> bool:
        return self.alive.startswith("yes") and self.ask_s is not None and self.ask_s <= ASK_WITHIN


@dataclass(frozen=True)
class Probe:
    server: str
    shape: str
    kilobytes: float
    get: Outcome
    post: Outcome


def send(server: Server, method: str, query: str, timeout: float) -> tuple[str, str, float]:
    """One request of `query`: its status (or the connection's fate), the start of the body if it is not
    2xx, and how long it took."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    started = time.monotonic()
    try:
        if method == "GET":
            connection.request("GET", get_line(server.query_path, query), headers=ACCEPT)
        else:
            headers = {**ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", server.query_path, body=urlencode({"query": query}), headers=headers)
        response = connection.getresponse()
        body = response.read()
        detail = "" if response.status < 300 else summary(body)
        return str(response.status), detail, time.monotonic() - started
    except TimeoutError:
        return f"no answer in {timeout:g} s", "", time.monotonic() - started
    except (http.client.HTTPException, OSError) as exc:
        return f"connection error ({type(exc).__name__})", "", time.monotonic() - started
    finally:
        connection.close()


def summary(body: bytes, length: int = 60) -> str:
    """The first line of a body, shortened, without Markdown's table separator."""
    line = body.decode("utf-8", "replace").strip().split("\n")[0].replace("|", "/")
    line = re.sub(r"^\d{3} [A-Za-z ]+: ", "", line)  # nipa-kg's "503 Service Unavailable: ..."
    return line if len(line) <= length else line[: length - 1] + "…"


def ask_again(server: Server, recover: float) -> float | None:
    """Seconds until `ASK {}` is answered 200, trying for `recover` seconds; None if never."""
    started = time.monotonic()
    target = f"{server.query_path}?query={quote('ASK {}')}"
    while (elapsed := time.monotonic() - started) < recover and server.process.poll() is None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=max(recover - elapsed, 0.1))
        try:
            connection.request("GET", target, headers={**ACCEPT, "Cache-Control": "no-cache"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return time.monotonic() - started
        except (http.client.HTTPException, OSError):
            pass
        finally:
            connection.close()
        time.sleep(0.05)
    return None


def attempt(server: Server, method: str, query: str, timeout: float, recover: float) -> Outcome:
    children = set(descendants(server.process.pid)) - {server.process.pid}
    status, detail, seconds = send(server, method, query, timeout)
    ask_s = ask_again(server, recover)
    if server.process.poll() is not None:
        alive = "no"
    elif children and not children & set(descendants(server.process.pid)):
        alive = "yes, evaluator replaced"
    else:
        alive = "yes"
    return Outcome(status, detail, seconds, alive, ask_s)


class Subject:
    """One server under test, started again whenever a shape left it dead or unresponsive."""

    def __init__(self, name: str, start: Callable[[], Server]) -> None:
        self.name, self.start = name, start
        self.server = start()

    def probe(self, name: str, timeout: float, recover: float) -> Probe:
        query = shape(name)
        outcomes = []
        for method in ("GET", "POST"):
            outcome = attempt(self.server, method, query, timeout, recover)
            outcomes.append(outcome)
            if outcome.alive == "no" or outcome.ask_s is None:
                self.restart()
        return Probe(self.name, name, len(query.encode()) / 1000, *outcomes)

    def restart(self) -> None:
        self.server.stop()
        self.server = self.start()

    def stop(self) -> None:
        self.server.stop()


def cell(outcome: Outcome) -> list[str]:
    if outcome.ask_s is None:
        ask = "no (never, restarted)"
    elif outcome.ask_s <= ASK_WITHIN:
        ask = "yes"
    else:
        ask = f"no (after {outcome.ask_s:.1f} s)"
    detail = f' "{outcome.detail}"' if outcome.detail else ""
    return [f"{outcome.status}{detail} ({outcome.seconds:.2g} s)", outcome.alive, ask]


def render(probes: Sequence[Probe], command: str, note: str = "") -> str:
    header = ["server", "shape", "KB", "GET", "alive after", "ASK ≤ 1 s after"]
    header += ["POST form", "alive after", "ASK ≤ 1 s after"]
    rows = [
        [probe.server, SHAPES[probe.shape][0], f"{probe.kilobytes:.0f}", *cell(probe.get), *cell(probe.post)]
        for probe in probes
    ]
    servers = list(dict.fromkeys(probe.server for probe in probes))
    summary = []
    for name, (what, _) in SHAPES.items():
        found = {probe.server: probe for probe in probes if probe.shape == name}
        if found:
            summary.append([what] + [verdict(found.get(server)) for server in servers])
    return "\n".join(
        [
            f"Command: `{command}`\n",
            *([note + "\n"] if note else []),
            "Survives (the process alive, and `ASK {}` answered within 1 s, after both requests of the "
            "shape):\n",
            table(["shape", *servers], summary),
            "Each request (status and seconds to the answer):\n",
            table(header, rows),
        ]
    )


def verdict(probe: Probe | None) -> str:
    if probe is None:
        return "–"
    return "yes" if probe.get.survived and probe.post.survived else "**no**"


def starters(log: Path, size: int) -> dict[str, tuple[str, Callable[[], Server]]]:
    trig = generate.ensure(size, fmt="trig")
    found: dict[str, tuple[str, Callable[[], Server]]] = {
        "nipa-kg": ("nipa-kg, isolated", lambda: start_nipa(trig.path, log)),
        "in-process": ("nipa-kg, in-process", lambda: start_nipa(trig.path, log, isolation="none")),
        "oxigraph": ("Oxigraph server", lambda: start_oxigraph(trig.path, log)),
    }
    if virtuoso.missing() is None:
        nt = generate.ensure(size, fmt="nt")
        found["virtuoso"] = ("Virtuoso 7.2", lambda: virtuoso.start_virtuoso(nt.path, nt.triples, log))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="nipa-kg,in-process,oxigraph,virtuoso", help="which, in order")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="which shapes (default all)")
    parser.add_argument("--size", type=generate.parse_size, default=10**4, help="triples (default 1e4)")
    parser.add_argument("--timeout", type=float, default=40.0, help="longest wait for one answer (s)")
    parser.add_argument("--recover", type=float, default=40.0, help="longest wait for ASK {} after (s)")
    parser.add_argument("--readme", default=str(README), help="file to write the table into ('' for none)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    command = shlex.join(["python", "-m", "bench.hostile", *(sys.argv[1:] if argv is None else argv)])
    probes, notes = [], []
    with tempfile.TemporaryDirectory(prefix="nipa-hostile-") as folder:
        known = starters(Path(folder) / "servers.log", args.size)
        for key in args.servers.split(","):
            if key not in known:
                notes.append(f"{key}: not run ({virtuoso.missing() or 'unknown server'}).")
                continue
            title, start = known[key]
            print(f"{title} ...", file=sys.stderr, flush=True)
            subject = Subject(title, start)
            try:
                for name in args.shapes.split(","):
                    probes.append(subject.probe(name, args.timeout, args.recover))
            finally:
                subject.stop()
    body = render(probes, command, " ".join(notes))
    print(body)
    if args.readme:
        write_between(Path(args.readme), BEGIN, END, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
