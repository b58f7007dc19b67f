"""Browser tests: Debian's Chromium (through Playwright) against a real `nipa-kg serve` process on a free
loopback port, serving the graph the session built (`built_dir` of tests/conftest.py).

Every page a test opens is watched: console errors, failed requests and any request leaving the server
(there is no internet, and the site must need none) fail the test. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from tests.processes import free_port, stop, wait_until_ready

CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
START_TIMEOUT = 30.0


@pytest.fixture(scope="session")
def server_url(built_dir: Path) -> Iterator[str]:
    """`nipa-kg serve` on a free loopback port; stopped (by its PID) when the session ends."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("nipa-kg")),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--dataset",
        str(built_dir / "nipa-kg.trig"),
        "--threads",
        "4",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, url + "/favicon.ico", START_TIMEOUT)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page and what went wrong on it."""

    page: object
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def note_failure(watched: Watched, request) -> None:
    """A failed request is a problem, unless the browser dropped it because the page navigated away (the
    favicon of a page left at once): requests leaving the server are refused and reported by the route."""
    if request.failure != "net::ERR_ABORTED":
        watched.problems.append(f"failed: {request.url} {request.failure}")


@pytest.fixture
def open_page(browser, server_url: str) -> Iterator:
    """`open_page(locale, **context options)`: a new page in a fresh context (no cookies), watched until the
    test ends; every request it makes is kept in `requests`."""
    contexts = []
    watched: list[Watched] = []

    def open_(locale: str = "en-GB", **options: object) -> Watched:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        result = Watched(page)
        page.on("console", lambda msg: msg.type == "error" and result.problems.append(f"console: {msg.text}"))
        page.on("pageerror", lambda error: result.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda req: note_failure(result, req))

        def only_local(route) -> None:
            result.requests.append(route.request.url)
            if route.request.url.startswith(server_url):
                route.continue_()
            else:
                result.problems.append(f"external request: {route.request.url}")
                route.abort()

        context.route("**/*", only_local)
        watched.append(result)
        return result

    yield open_
    for context in contexts:
        context.close()
    problems = [problem for w in watched for problem in w.problems]
    assert not problems, problems
