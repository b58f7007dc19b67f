"""Running the app under gunicorn (gthread workers), not Flask's development server."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from nipa_kg.server.settings import Settings


class GunicornServer(BaseApplication):
    """A gunicorn application serving an app object built in this process (before the workers fork)."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)
        if "control_socket_disable" in self.cfg.settings:  # gunicorn 25+: one socket path per user
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Flask:
        return self.application


def gunicorn_options(settings: Settings, source: str) -> dict[str, Any]:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host

    def when_ready(server: Arbiter) -> None:
        server.log.info("nipa-kg: serving %s", source)
        server.log.info("nipa-kg: SPARQL endpoint at %ssparql", settings.url)

    return {
        "bind": f"{host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "gthread",
        "threads": settings.threads,
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": 5,
        "limit_request_line": 0,  # long GET queries: the endpoint answers 413 past max_query_bytes
        "preload_app": True,
        "accesslog": "-" if settings.access_log else None,
        "errorlog": "-",
        "when_ready": when_ready,
    }


def serve(app: Flask, settings: Settings, source: str) -> None:
    """Serve until stopped (SIGINT/SIGTERM); gunicorn exits the process."""
    GunicornServer(app, gunicorn_options(settings, source)).run()
