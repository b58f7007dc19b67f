"""Settings from flags over environment variables over defaults: the one reader behind the build's settings
(`nipa_kg.graph.settings`) and the server's (`nipa_kg.server.settings`). Each is read once, at start."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import fields

from nipa_kg.core.errors import InputError


def flag_env_values(
    settings_class: type,
    flags: Mapping[str, object | None] | None,
    env: Mapping[str, str] | None,
    environment: Mapping[str, str],
    converters: Mapping[str, Callable[[str], object]],
) -> dict[str, object]:
    """The values of a settings dataclass's fields: a flag over its environment variable (`environment`:
    field → variable; `env` defaults to os.environ); strings go through `converters`, a repeated flag's list
    becomes a tuple, and a bad value is an InputError naming the field as a flag."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    for name in (f.name for f in fields(settings_class)):
        raw = (flags or {}).get(name)
        if raw is None and name in environment and env.get(environment[name]):
            raw = env[environment[name]]
        if raw is None:
            continue
        if isinstance(raw, list):
            raw = tuple(raw)
        try:
            values[name] = converters[name](raw) if isinstance(raw, str) and name in converters else raw
        except ValueError as exc:
            raise InputError(f"{name.replace('_', '-')}: {exc}") from exc
    return values
