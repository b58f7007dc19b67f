"""The SPARQL 1.1 Graph Store HTTP Protocol, read side.

- indirect: `/rdf-graphs/service?graph=IRI` (any named graph) and `/rdf-graphs/service?default` (the
  default graph, which is the union of the named graphs plus any default-graph data, as queries see it);
- direct: `/graph/{name}` is the graph `{base}graph/{name}`, the IRIs our named graphs have.

GET and HEAD, with content negotiation over the RDF formats (a dataset format such as TriG gets the graph
as its default graph); 404 for a graph the store does not have; PUT, POST, DELETE and PATCH are 405 with
`Allow: GET, HEAD, OPTIONS`: the graph store is read-only.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest, NotFound

from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import graph_iri, namespaces_for
from nipa_kg.server.protocol.context import services
from nipa_kg.server.protocol.negotiation import choose, content_type, vary_on_accept

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


@bp.route("/rdf-graphs/service")
def indirect() -> Response:
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if len(graphs) + default != 1:
        raise BadRequest("name one graph: ?graph=IRI or ?default")
    return graph_response(None if default else graphs[0])


@bp.route("/graph/<path:name>")
def direct(name: str) -> Response:
    return graph_response(graph_iri(services().settings.base, name))
