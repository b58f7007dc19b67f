"""Starting and stopping the real server processes the tests talk to (loopback only, stopped by PID)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time

import pytest
import requests


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(
    process: subprocess.Popen, url: str, timeout: float, started: float | None = None
) -> float:
    """Poll `url` until it answers 2xx; the seconds since `started` (default: now). Fails the test if the
    process exits or the time runs out."""
    started = time.monotonic() if started is None else started
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(url, timeout=2).ok:
                return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"{url} did not answer within {timeout:g} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started, by its PID: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
