"""Writes over HTTP: the SPARQL 1.1 Update operation at `/update` (and at `/sparql`, which takes updates by
POST as the protocol allows), the history of writes at `/history` and reverting one.

Requests: `POST` `application/x-www-form-urlencoded` (`update=`, with `using-graph-uri` and
`using-named-graph-uri`, repeatable, in the body or the URL) or `POST` `application/sparql-update` (the
update as the UTF-8 body, the parameters in the URL). Every write needs `Authorization: Bearer <token>`
(`nipa_kg.server.protocol.auth`) and goes through the write service (`nipa_kg.server.write`).

Answers: 200 with JSON (`id` in the history, quads `added` and `removed`, the `seconds` each step took);
400 malformed (syntax, several updates, an update with a query, a LOAD off the allowlist); 401/403 (auth);
403 a graph of the build or the history; 405 GET (an update is POSTed); 415 another media type or charset;
422 the data would violate the shapes or be inconsistent: the SHACL report as Turtle or JSON (`Accept`);
503 no data directory, or a write past its time; 501 a store that cannot be written (an external store
with no update endpoint known); 502 an external store that refused the write or did not apply it as sent.
"""

from __future__ import annotations

import json

from flask import Blueprint, Request, Response, current_app, request
from werkzeug.exceptions import BadRequest, NotFound, RequestEntityTooLarge, UnsupportedMediaType

from nipa_kg.core.formats import Format
from nipa_kg.server.protocol.auth import writer
from nipa_kg.server.protocol.context import services
from nipa_kg.server.protocol.negotiation import HTML, choose
from nipa_kg.server.write.service import Accepted, WriteRefused, WriteService
from nipa_kg.server.write.stage import Operation
from nipa_kg.server.write.using import DatasetConflict, with_dataset

FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"
JSON = "application/json"
REPORT_TYPES = {"turtle": "text/turtle", "json": JSON}
HISTORY_PAGE = "site.history.page"
JSON_FORMAT = Format("json", "JSON", (JSON,), ("json",))

bp = Blueprint("update", __name__)


def carries_update(req: Request) -> bool:
    """Whether a POST to /sparql is an update (the rest of /sparql is queries)."""
    return req.method == "POST" and (
        req.mimetype == UPDATE or (req.mimetype == FORM and "update" in req.values)
    )


def read_update(req: Request, max_bytes: int) -> str:
    """The update text of a POST, the protocol's dataset written in; HTTP errors otherwise."""
    params = req.values if req.mimetype == FORM else req.args
    updates = params.getlist("update")
    if req.mimetype == UPDATE:
        charset = req.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"an update is sent in UTF-8, not {charset}")
        if updates:
            raise BadRequest("the update is given twice: as the request body and as a URL parameter")
        try:
            updates = [req.get_data().decode("utf-8")]
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the update is not valid UTF-8: {exc}") from exc
    elif req.mimetype != FORM:
        raise UnsupportedMediaType(f"an update is POSTed as {FORM} or {UPDATE}, not {req.mimetype or 'none'}")
    if "query" in params:
        raise BadRequest("a request carries a query or an update, not both")
    if len(updates) != 1:
        raise BadRequest(f"a request carries one update, not {len(updates)}")
    if len(updates[0].encode()) > max_bytes:
        raise RequestEntityTooLarge(f"the update is longer than the {max_bytes} bytes allowed")
    try:
        return with_dataset(
            updates[0], params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
        )
    except DatasetConflict as exc:
        raise BadRequest(str(exc)) from exc


def write_service() -> WriteService:
    """The write service, once the request's token is checked (`writer` first: 403 when writes are off)."""
    writes = services().writes
    if writes is None:
        writer()  # raises: no token configured
        raise AssertionError("writes are configured without a write service")
    return writes


def perform(operation: Operation, label: str) -> Accepted | Response:
    """Run one write for the request's token holder; the refusal as a response if it is refused."""
    agent = writer()
    try:
        return write_service().write(operation, agent, label)
    except WriteRefused as refused:
        return refusal(refused)


def refusal(refused: WriteRefused) -> Response:
    """A refused write: the SHACL report (Turtle or JSON by `Accept`) for a 422 that has one, else text."""
    if refused.report:
        fmt = request.accept_mimetypes.best_match(list(REPORT_TYPES.values()), default="text/turtle")
        name = "json" if fmt == JSON else "turtle"
        response = Response(
            refused.report[name], refused.status, content_type=f"{REPORT_TYPES[name]}; charset=utf-8"
        )
        response.headers["Vary"] = "Accept"
        return response
    return Response(f"{refused.status} {refused.message}\n", refused.status, mimetype="text/plain")


def accepted(result: Accepted | Response) -> Response:
    if isinstance(result, Response):
        return result
    return Response(json.dumps(result.json()), 200, content_type=JSON)


def update_response() -> Response:
    """The update of the current request, applied (or refused)."""
    writer()
    text = read_update(request, services().settings.max_query_bytes)
    return accepted(perform(Operation("update", text=text, base_iri=request.base_url), "SPARQL Update"))


@bp.route("/update", methods=["POST"])
def update() -> Response:
    return update_response()


@bp.route("/history")
def history() -> Response | str:
    """The recorded writes, oldest first: JSON, or the site's page for a browser."""
    fmt = choose((JSON_FORMAT, HTML), request.headers.get("Accept"), request.args.getlist("format"))
    if fmt is HTML:
        return current_app.view_functions[HISTORY_PAGE]()
    writes = services().writes
    listed = writes.history() if writes is not None else []
    return Response(json.dumps(listed, ensure_ascii=False, indent=1), content_type=JSON)


@bp.route("/history/<activity>/revert", methods=["POST"])
def revert(activity: str) -> Response:
    agent = writer()
    try:
        return accepted(write_service().revert(activity, agent))
    except WriteRefused as refused:
        if refused.status == 404:
            raise NotFound(refused.message) from None
        return refusal(refused)
