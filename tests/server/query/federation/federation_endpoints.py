"""The second endpoints of the federation tests: Oxigraph servers, a stub endpoint, loopback ports."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

import requests

START_TIMEOUT = 15.0


@dataclass(frozen=True)
class Oxigraph:
    url: str

    @property
    def query(self) -> str:
        return self.url + "query"

    def select(self, sparql: str) -> list[dict[str, str]]:
        """The solutions of a SELECT sent to this Oxigraph, as variable -> value."""
        response = requests.post(
            self.query,
            data=sparql.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return [
            {name: value["value"] for name, value in row.items()}
            for row in response.json()["results"]["bindings"]
        ]


@dataclass
class Answer:
    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
    hang: bool = False  # never answer


@dataclass
class Stub:
    """A loopback endpoint: `answers` by path, and every request it got as (method, path, body)."""

    url: str
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def reply(self, path: str, body: bytes = Answer.body, status: int = 200, **answer: object) -> str:
        """Answer requests to `path` so (`content_type=`, `hang=True`); its URL."""
        self.answers[path] = Answer(status, body=body, **answer)  # type: ignore[arg-type]
        return self.url + path.lstrip("/")

    def results(self, path: str, variables: list[str], *rows: dict[str, dict[str, str]]) -> str:
        """Answer requests to `path` with these SPARQL JSON results; its URL."""
        document = {"head": {"vars": variables}, "results": {"bindings": list(rows)}}
        return self.reply(path, json.dumps(document).encode())


@dataclass(frozen=True)
class Server:
    """A `nipa-kg serve` process's URLs."""

    url: str

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"
