"""Fixtures of the site tests: an app over an in-memory store loaded from fixtures/mini.trig, and `get`,
which fetches a page and parses its HTML into a small tree (`Node`) the tests can search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import DEFAULT_BASE as BASE
from nipa_kg.server.app import create_app
from nipa_kg.server.settings import Settings
from nipa_kg.server.store.embedded import EmbeddedStore

MINI = Path(__file__).parent / "fixtures" / "mini.trig"
VOID_ELEMENTS = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)


@dataclass
class Node:
    """An HTML element: tag, attributes, children (elements and text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Elements with `tag` whose attributes contain `attrs` (`class_` for `class`, word match)."""
        found = []
        for node in self.walk():
            if tag and node.tag != tag:
                continue
            if all(
                _matches(node.attrs.get(name.rstrip("_").replace("_", "-")), value)
                for name, value in attrs.items()
            ):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'} {attrs}>"
        return found[0]

    @property
    def text(self) -> str:
        return " ".join(self.raw_text.split())

    @property
    def raw_text(self) -> str:
        return "".join(child if isinstance(child, str) else child.raw_text for child in self.children)


def _matches(actual: str | None, wanted: str) -> bool:
    if actual is None:
        return False
    return actual == wanted or wanted in actual.split()


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


@dataclass
class Page:
    response: TestResponse
    doc: Node


def load_store(path: Path) -> EmbeddedStore:
    store = EmbeddedStore(workers=4)
    store.load(path, RDF_FORMATS.by_extension(path))
    return store


@pytest.fixture(scope="session")
def mini_store() -> EmbeddedStore:
    return load_store(MINI)


@pytest.fixture(scope="session")
def mini_trig() -> Path:
    return MINI


@pytest.fixture(scope="session")
def client_for() -> Callable[[Path, str], FlaskClient]:
    """A test client of an app over a store loaded from another file, with another base."""
    return lambda path, base: create_app(Settings(base=base), load_store(path)).test_client()


@pytest.fixture
def app(mini_store: EmbeddedStore) -> Flask:
    return create_app(Settings(base=BASE, query_timeout=10), mini_store)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def getter(client: FlaskClient) -> Callable[..., Page]:
    """GET a page as a browser would (Accept: text/html, other headers as given), check and parse it."""

    def fetch(url: str, status: int = 200, headers: dict[str, str] | None = None) -> Page:
        response = client.get(url, headers={"Accept": "text/html", **(headers or {})})
        assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
        assert response.mimetype == "text/html"
        return Page(response, parse_html(response.get_data(as_text=True)))

    return fetch


@pytest.fixture
def get(client: FlaskClient) -> Callable[..., Page]:
    return getter(client)


@pytest.fixture(scope="session")
def page_getter() -> Callable[[FlaskClient], Callable[..., Page]]:
    """`getter` for another client (the real dataset's)."""
    return getter
