"""The whole dataset: `/dumps/` (a listing) and `/dumps/nipa-kg.{ext}` (serialised by the store; TriG and
N-Quads keep the named graphs), the VoID description at `/.well-known/void` (the `metadata` graph), and the
JSON-LD `@context` at `/context.jsonld` (the build's `graph/context.jsonld`, moved to the base)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.graph.build import DUMP_NAME
from nipa_kg.graph.export import context_bytes
from nipa_kg.server.protocol.context import services
from nipa_kg.server.protocol.negotiation import HTML, choose, content_type
from nipa_kg.server.site.data import reader
from nipa_kg.server.site.present import local_path
from nipa_kg.server.site.rdf import dataset_iri, named_graph
from nipa_kg.server.site.serve import GRAPH_FORMATS, alternates, rdf_response

bp = Blueprint("downloads", __name__)


@bp.route("/dumps/")
def index() -> str:
    links = alternates(f"{request.script_root}/dumps/{DUMP_NAME}", tuple(RDF_FORMATS))
    return render_template("dumps.html", dumps=list(zip(links, RDF_FORMATS, strict=True)), alternates=[])


@bp.route(f"/dumps/{DUMP_NAME}.<extension>")
def dump(extension: str) -> Response:
    fmt = next((f for f in RDF_FORMATS if extension == f.extension), None)
    if fmt is None:
        abort(404)
    response = Response(services().store.serialize_dataset(fmt), content_type=content_type(fmt))
    response.headers["Content-Disposition"] = f'attachment; filename="{DUMP_NAME}.{fmt.extension}"'
    return response


@bp.route("/.well-known/void")
def void() -> BaseResponse:
    """The metadata graph: Turtle unless asked otherwise; a browser is sent to the dataset's page."""
    offers = (*GRAPH_FORMATS, HTML)
    fmt = choose(offers, request.headers.get("Accept"), request.args.getlist("format"))
    source = reader()
    dataset = dataset_iri(source)
    if fmt is HTML and dataset and (path := local_path(dataset, source.base)):
        response: BaseResponse = redirect(path, 303)
    else:
        response = rdf_response(
            named_graph(source, "metadata"), GRAPH_FORMATS[0] if fmt is HTML else fmt, source.base
        )
    response.vary.add("Accept")
    return response


@bp.route("/context.jsonld")
def context() -> Response:
    return Response(context_bytes(reader().base), content_type="application/ld+json")
