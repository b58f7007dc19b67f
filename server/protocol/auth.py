"""Who may write: `Authorization: Bearer <token>`, compared in constant time (`hmac.compare_digest`) with
every configured token (`nipa_kg.server.settings`: `--token-file`, `NIPA_KG_TOKEN`); reads need none.

- no token configured: writes are off, 403 saying how to switch them on;
- a missing or wrong token: 401 with `WWW-Authenticate: Bearer realm="nipa-kg"`, nothing changed.

No message repeats the `Authorization` header, and tokens are never logged.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import request
from werkzeug.exceptions import Forbidden, Unauthorized

from nipa_kg.server.protocol.context import services

REALM = "nipa-kg"
WRITES_OFF = (
    "this server is read-only: writes are switched on by a token (NIPA_KG_TOKEN, or `nipa-kg serve "
    "--token-file FILE` with one 'name token' pair a line) and kept in a data directory (--data-dir DIR)"
)


def writer() -> str:
    """The name of the token the request carries; 403 if writes are off, 401 if the token is wrong."""
    tokens = services().settings.tokens
    if not tokens:
        raise Forbidden(WRITES_OFF)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    offered = given.strip().encode() if scheme.lower() == "bearer" else b""
    name = None
    for token_name, token in tokens:  # every token compared, whichever matches
        if hmac.compare_digest(offered, token.encode()) and offered:
            name = token_name
    if name is None:
        raise BearerUnauthorized(
            "a write needs 'Authorization: Bearer <token>' with a token this server knows"
        )
    return name


class BearerUnauthorized(Unauthorized):
    """401 with `WWW-Authenticate: Bearer realm="nipa-kg"` (quoted, as RFC 6750 writes it)."""

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("WWW-Authenticate", f'Bearer realm="{REALM}"')]
