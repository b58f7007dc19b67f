"""`/history` for a browser: the accepted writes, oldest first (the JSON, and the route, are the
protocol's: `nipa_kg.server.protocol.update`)."""

from __future__ import annotations

from flask import Blueprint, render_template

from nipa_kg.server.protocol.context import services

bp = Blueprint("history", __name__)


@bp.route("/history.html")
def page() -> str:
    writes = services().writes
    return render_template(
        "history.html", entries=writes.history() if writes is not None else [], alternates=[]
    )
