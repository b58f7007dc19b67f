"""Running the app under granian (a Rust HTTP server calling the WSGI app on a pool of Python threads).

- **One worker** (the default): the HTTP server runs on a thread of this very process (`InProcessServer`),
  the one that loaded the data, so the data is held once and nothing forks.
- **Several workers**: granian forks them (`MPServer`) after the data is loaded; the embedded store then
  hands its data to the first worker and later ones load it again (`EmbeddedStore.release_on_fork`).

Why granian and not gunicorn (measured in `bench/README.md`): it parses and writes HTTP in Rust, outside
Python's lock. A cached answer costs a quarter of what it cost under gunicorn's gthread worker, and with one
worker there is no master process holding a second copy of the data.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from flask import Flask
from granian import _signals as granian_signals
from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server.common import AbstractServer
from granian.server.mp import MPServer
from granian.server.mt import MTServer

from nipa_kg.core.errors import NipaKgError
from nipa_kg.server.settings import Settings

ACCESS_LOG_FORMAT = '%(addr)s - [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).3f ms'
LOG_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"
TARGET = "nipa_kg.server.app:create_app"  # the name granian shows; the app itself is handed over built


class AddressInUse(NipaKgError):
    """The address to listen on cannot be had (taken, or not this machine's)."""


def check_address(settings: Settings) -> None:
    """Fail early, before the data is loaded, when the server could not listen where it is told to: granian
    would find out only after the load, with a traceback."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as granian does: TIME_WAIT is fine
        try:
            probe.bind((settings.host, settings.port))
        except OSError as exc:
            raise AddressInUse(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None


class InProcessServer(MTServer):
    """granian's threaded server (its workers are threads of this process). granian offers it to
    free-threaded Python only, where it runs several workers in parallel; with one worker, under the GIL,
    it is the same Rust server on one thread, and the WSGI app is called by its pool of Python threads as
    in a forked worker.

    `MTServer` and `_check_gil` are granian internals: granian has no public way to run its threaded server
    inside this process under the GIL (`Granian(workers=1)` forks a process, which would hold a second
    copy of the data). So granian is pinned to one minor version (pyproject.toml), and
    tests/server/test_serve_cli.py fails on the next one until this class is checked against it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stop_hooks: list[Callable[[], None]] = []

    def _check_gil(self) -> None:
        """One worker needs no free threading (see the class docstring)."""

    def signal_handler_interrupt(self, *args: Any, **kwargs: Any) -> None:
        """SIGINT or SIGTERM: first end what would keep request threads busy (the queries in flight), so
        that granian's shutdown, which waits for them, ends at once."""
        for hook in self.stop_hooks:
            hook()
        super().signal_handler_interrupt(*args, **kwargs)

    def serve(self, *args: Any, **kwargs: Any) -> None:
        experimental = logging.getLogger("_granian")
        quiet = _DropMessage("free-threaded Python support is experimental")
        experimental.addFilter(quiet)
        try:
            super().serve(*args, **kwargs)
        finally:
            experimental.removeFilter(quiet)


class _DropMessage(logging.Filter):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()


def stop_forked_workers_with(hook: Callable[[], None]) -> None:
    """Call `hook` in each forked worker (`--workers` above 1) when it is told to stop, before granian waits
    for its requests. A worker sets its signal handlers with `granian._signals.set_sync_signals` on its
    main thread when it starts; wrapped here, before the fork, its handlers run the hook first (granian
    internals: see the pin in `InProcessServer`'s docstring)."""
    original = granian_signals.set_sync_signals

    def with_hook() -> Any:
        event = original()

        def stop(signum: int, frame: object) -> None:
            hook()
            event.set()

        granian_signals.set_main_signals(stop)
        return event

    granian_signals.set_sync_signals = with_hook


def log_config() -> dict[str, Any]:
    """granian's own loggers (start, stop, access lines) on standard error, as the CLI's errors."""
    return {
        "formatters": {
            "line": {"()": "logging.Formatter", "fmt": LOG_FORMAT, "datefmt": "%Y-%m-%d %H:%M:%S %z"},
            "access": {"()": "logging.Formatter", "fmt": "%(message)s"},
        },
        "handlers": {
            "stderr": {"formatter": "line", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
            "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "_granian": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "nipa_kg": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def make_server(settings: Settings) -> AbstractServer:
    """The granian server for `settings`: threaded in this process for one worker, else forked processes."""
    server_class = InProcessServer if settings.workers == 1 else MPServer
    return server_class(
        TARGET,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        blocking_threads=settings.threads,
        websockets=False,
        log_level=LogLevels.info,
        log_dictconfig=log_config(),
        log_access=settings.access_log,
        log_access_format=ACCESS_LOG_FORMAT,
    )


def serve(app: Flask, settings: Settings, source: str, on_stop: Callable[[], None] | None = None) -> None:
    """Serve until stopped (SIGINT/SIGTERM); `on_stop` is called first thing when a signal comes (with one
    worker: the store's `close`, which ends the queries in flight)."""
    server = make_server(settings)
    if isinstance(server, InProcessServer) and on_stop is not None:
        server.stop_hooks.append(on_stop)
    elif on_stop is not None:
        stop_forked_workers_with(on_stop)

    def announce() -> None:
        log = logging.getLogger("nipa_kg.server")
        log.info(
            "nipa-kg: serving %s with %d worker(s) × %d threads", source, settings.workers, settings.threads
        )
        log.info("nipa-kg: SPARQL endpoint at %ssparql", settings.url)

    server.on_startup(announce)
    server.serve(target_loader=lambda: app, wrap_loader=False)
