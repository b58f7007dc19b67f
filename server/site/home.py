"""The home page (`/`) and the favicon browsers ask for."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, send_from_directory

from nipa_kg.server.site.data import reader
from nipa_kg.server.site.i18n import page_language
from nipa_kg.server.site.overview import overview
from nipa_kg.server.site.query import editor_context

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> str:
    return render_template("home.html", home=overview(reader(), page_language()), **editor_context())


@bp.route("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(current_app.static_folder or "static", "favicon.svg", mimetype="image/svg+xml")
