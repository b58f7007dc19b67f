"""The SPARQL 1.1 Graph Store HTTP Protocol, read side.

- indirect: `/rdf-graphs/service?graph=IRI` (any named graph) and `/rdf-graphs/service?default` (the
  default graph, which is the union of the named graphs plus any default-graph data, as queries see it);
- direct: `/graph/{name}` is the graph `{base}graph/{name}`, the IRIs our named graphs have.

GET and HEAD, with content negotiation over the RDF formats (a dataset format such as TriG gets the graph
as its default graph); 404 for a graph the store does not have.

Writes, when a token switches them on (`nipa_kg.server.protocol.auth`; otherwise 405 with
`Allow: GET, HEAD, OPTIONS`), each one validated, recorded and durable (`nipa_kg.server.write`):

- PUT replaces a graph (201 created, 204 replaced); POST merges into it (201/204), a
  `multipart/form-data` POST merging every part; POST to `/rdf-graphs/service` naming no graph creates
  one, `{base}graph/new/{id}`, given in `Location`; DELETE drops it (204; 404 if absent); PATCH is 405;
- bodies: Turtle, N-Triples, RDF/XML (pyoxigraph's parser, which resolves no external entity), JSON-LD;
  a dataset format (TriG, N-Quads) is 415;
- the default graph written is the store's own default graph (a read of it still sees the union).
"""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotFound, UnsupportedMediaType

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS, GraphFormat
from nipa_kg.core.namespaces import graph_iri, namespaces_for
from nipa_kg.server.protocol.auth import writer
from nipa_kg.server.protocol.context import services
from nipa_kg.server.protocol.negotiation import choose, content_type, vary_on_accept
from nipa_kg.server.protocol.update import accepted, perform
from nipa_kg.server.write.service import Accepted
from nipa_kg.server.write.stage import Operation

bp = Blueprint("graph_store", __name__)
bp.after_request(vary_on_accept)


def graph_response(iri: str | None) -> Response:
    """One graph of the store (`None`: the default graph) in the negotiated RDF format."""
    store = services().store
    if iri is not None and iri not in store.named_graphs():
        raise NotFound(f"no graph {iri} in this store")
    fmt = choose(RDF_FORMATS.rows, request.headers.get("Accept"), request.args.getlist("format"))
    body = store.serialize_graph(iri, fmt, namespaces_for(services().settings.base))
    return Response(body, content_type=content_type(fmt))


READS = ("GET", "HEAD", "OPTIONS")
WRITES = ("PUT", "POST", "DELETE")
MULTIPART = "multipart/form-data"
METHODS = [*READS, *WRITES, "PATCH"]  # PATCH: 405 with the right Allow


@bp.route("/rdf-graphs/service", methods=METHODS)
def indirect() -> Response:
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if request.method == "POST" and not graphs and not default:
        iri = graph_iri(services().settings.base, f"new/{secrets.token_hex(8)}")
        return graph_write(iri)
    if len(graphs) + default != 1:
        raise BadRequest("name one graph: ?graph=IRI or ?default")
    return graph_request(None if default else graphs[0])


@bp.route("/graph/<path:name>", methods=METHODS)
def direct(name: str) -> Response:
    return graph_request(graph_iri(services().settings.base, name))


def graph_request(iri: str | None) -> Response:
    if request.method == "PATCH":
        raise MethodNotAllowed(valid_methods=list(READS + WRITES if services().settings.tokens else READS))
    return graph_write(iri) if request.method in WRITES else graph_response(iri)


def graph_format(media_type: str) -> GraphFormat:
    """The graph format of a body; 415 for a dataset format or none."""
    try:
        fmt: GraphFormat | None = RDF_FORMATS.by_media_type(media_type)
    except InputError:
        fmt = None
    if fmt is None or fmt.named_graphs:
        known = ", ".join(f.media_type for f in RDF_FORMATS if not f.named_graphs)
        raise UnsupportedMediaType(f"a graph is sent as one of {known}, not {media_type or 'no media type'}")
    return fmt


def graph_write(iri: str | None) -> Response:
    """A Graph Store Protocol write of graph `iri` (None: the default graph)."""
    if not services().settings.tokens:
        raise MethodNotAllowed(valid_methods=list(READS))
    writer()
    what = f"<{iri}>" if iri else "the default graph"
    if request.method == "DELETE":
        operation = Operation("delete", graph=iri)
    elif request.method == "POST" and request.mimetype == MULTIPART:  # GSP §5.5: the parts merged
        parts = tuple((graph_format(part.mimetype).name, part.read()) for part in request.files.values())
        operation = Operation("post", iri, parts=parts, base_iri=iri or request.base_url)
    else:
        fmt = graph_format(request.mimetype)
        base_iri = iri or request.base_url
        operation = Operation(
            request.method.lower(), iri, body=request.get_data(), fmt=fmt.name, base_iri=base_iri
        )
    result = perform(operation, f"{request.method} {what}")
    if not isinstance(result, Accepted):
        return accepted(result)
    created = not result.existed and request.method != "DELETE"
    response = Response(status=201 if created else 204)
    response.headers["X-Nipa-Kg-Write"] = result.id
    if created and iri is not None:
        response.headers["Location"] = iri
    return response
