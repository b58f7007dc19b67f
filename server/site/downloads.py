"""The whole dataset: `/dumps/` (a listing, with each file's size and number of statements) and
`/dumps/nipa-kg.{ext}` (serialised by the store; TriG and N-Quads keep the named graphs), the VoID
description at `/.well-known/void` (the `metadata` graph), and the JSON-LD `@context` at `/context.jsonld`
(the build's `graph/context.jsonld`, moved to the base)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from nipa_kg.core.formats import RDF_FORMATS, GraphFormat
from nipa_kg.core.namespaces import namespaces_for
from nipa_kg.graph.build import DUMP_NAME
from nipa_kg.graph.export import context_bytes
from nipa_kg.server.protocol.context import services
from nipa_kg.server.protocol.negotiation import HTML, choose, content_type
from nipa_kg.server.site.data import reader
from nipa_kg.server.site.i18n import translate
from nipa_kg.server.site.memo import memo
from nipa_kg.server.site.present import local_path
from nipa_kg.server.site.rdf import dataset_iri, named_graph
from nipa_kg.server.site.serve import GRAPH_FORMATS, Alternate, alternates, rdf_response

bp = Blueprint("downloads", __name__)


@dataclass(frozen=True)
class DumpFile:
    link: Alternate
    format: GraphFormat
    size: int  # bytes
    triples: int  # statements it holds: quads for TriG and N-Quads, distinct triples for the others


def dump_sizes() -> dict[str, tuple[int, int]]:
    """Format name → (bytes, statements) of each dump, as the store serialises it now. The triple formats
    hold the same distinct triples, counted once in N-Triples (one a line); the dataset formats the same
    quads, counted in N-Quads."""
    sizes = {fmt.name: len(dump_bytes(fmt)) for fmt in RDF_FORMATS}
    counts = {
        named: dump_bytes(RDF_FORMATS.by_name(name)).count(b"\n")
        for named, name in ((False, "nt"), (True, "nq"))
    }
    return {fmt.name: (sizes[fmt.name], counts[fmt.named_graphs]) for fmt in RDF_FORMATS}


def dump_bytes(fmt: GraphFormat) -> bytes:
    """The whole dataset in `fmt` as the store writes it, with our prefixes."""
    return services().store.serialize_dataset(fmt, namespaces_for(services().settings.base))


def size_text(size: int) -> str:
    """`1.3 MB`, `351 KB`, `812 bytes`."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.0f} KB" if size >= 1000 else translate("bytes") % size


@bp.route("/dumps/")
def index() -> str:
    links = alternates(f"{request.script_root}/dumps/{DUMP_NAME}", tuple(RDF_FORMATS))
    sizes = memo("dump_sizes", dump_sizes)
    dumps = [DumpFile(link, fmt, *sizes[fmt.name]) for link, fmt in zip(links, RDF_FORMATS, strict=True)]
    return render_template("dumps.html", dumps=dumps, size_text=size_text, alternates=[])


@bp.route(f"/dumps/{DUMP_NAME}.<extension>")
def dump(extension: str) -> Response:
    fmt = next((f for f in RDF_FORMATS if extension == f.extension), None)
    if fmt is None:
        abort(404)
    response = Response(dump_bytes(fmt), content_type=content_type(fmt))
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
