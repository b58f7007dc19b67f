"""Admission (429 past the limits on requests in flight), on a WSGI app that holds each request until told."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import pytest

from nipa_kg.server.middleware.admission import AdmissionMiddleware


class HeldApp:
    """Answers 200 once `release` is set; counts the requests inside it."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.inside = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        with self.lock:
            self.inside += 1
        if environ.get("PATH_INFO") == "/boom":
            raise RuntimeError("boom")
        self.release.wait(5)
        start_response("200 OK", [])
        return [b"ok"]


def call(app: AdmissionMiddleware, client: str, path: str = "/sparql") -> tuple[str, dict, bytes]:
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "REMOTE_ADDR": client}, start_response))
    return answer["status"], answer["headers"], body


def fill(app: AdmissionMiddleware, clients: list[str], held: HeldApp) -> list[threading.Thread]:
    """One held request per entry of `clients`, each in its own thread, all inside the app on return."""
    threads = [threading.Thread(target=call, args=(app, client)) for client in clients]
    for thread in threads:
        thread.start()
    for _ in range(500):
        if held.inside == len(clients):
            break
        threading.Event().wait(0.01)
    assert held.inside == len(clients)
    return threads


@pytest.fixture
def held() -> HeldApp:
    return HeldApp()


def test_one_client_past_its_limit_is_429_and_others_go_on(held: HeldApp) -> None:
    app = AdmissionMiddleware(held, overall=8, per_client=2, reserve=1)
    threads = fill(app, ["10.0.0.1", "10.0.0.1"], held)
    status, headers, body = call(app, "10.0.0.1")
    assert status.startswith("429") and headers["Retry-After"] == "1"
    assert b"at most 2 requests at once from one client" in body
    held.release.set()
    assert call(app, "10.0.0.2")[0] == "200 OK"
    for thread in threads:
        thread.join()
    assert call(app, "10.0.0.1")[0] == "200 OK"  # its requests ended: it may come again


def test_overall_limit_keeps_a_reserve_for_clients_with_none_in_flight(held: HeldApp) -> None:
    app = AdmissionMiddleware(held, overall=2, per_client=2, reserve=1)
    threads = fill(app, ["10.0.0.1", "10.0.0.2"], held)
    assert call(app, "10.0.0.1")[0].startswith("429")  # a client already waiting: the overall limit
    newcomer = threading.Thread(target=call, args=(app, "10.0.0.3"))
    newcomer.start()  # a client with none in flight: the reserve
    for _ in range(500):
        if held.inside == 3:
            break
        threading.Event().wait(0.01)
    assert held.inside == 3
    status, _, body = call(app, "10.0.0.4")  # the reserve is used up too
    assert status.startswith("429") and b"at most 2 requests at once" in body
    held.release.set()
    for thread in [*threads, newcomer]:
        thread.join()


def test_a_failing_request_stops_counting(held: HeldApp) -> None:
    app = AdmissionMiddleware(held, overall=1, per_client=1, reserve=0)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            call(app, "10.0.0.1", "/boom")
    held.release.set()
    assert call(app, "10.0.0.1")[0] == "200 OK"


def test_static_files_and_metrics_are_not_counted(held: HeldApp) -> None:
    held.release.set()
    app = AdmissionMiddleware(held, overall=0, per_client=0, reserve=0)
    assert call(app, "10.0.0.1", "/static/site.css")[0] == "200 OK"
    assert call(app, "10.0.0.1", "/metrics")[0] == "200 OK"
    assert call(app, "10.0.0.1", "/sparql")[0].startswith("429")
