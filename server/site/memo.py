"""What a page computes from the whole store (the dumps' sizes, the model diagram), kept per app until the
data changes: keyed by the store's `data_version`, or for `TTL_SECONDS` when the store has none (a remote
store). Two requests racing to fill an entry both compute it; either answer is right."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from nipa_kg.server.protocol.context import services

T = TypeVar("T")

EXTENSION = "nipa_kg_site_memo"
TTL_SECONDS = 60.0


def memo(key: str, compute: Callable[[], T], clock: Callable[[], float] = time.monotonic) -> T:
    """`compute()`, once per version of the data."""
    entries: dict[str, tuple[str | None, float, object]] = current_app.extensions.setdefault(EXTENSION, {})
    version, now = services().store.data_version, clock()
    found = entries.get(key)
    if found is not None:
        kept_version, kept_at, value = found
        if kept_version == version and (version is not None or now - kept_at < TTL_SECONDS):
            return value  # type: ignore[return-value]
    value = compute()
    entries[key] = (version, now, value)
    return value
