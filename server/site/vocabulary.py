"""`/ontology` and `/shapes`: the vocabulary and the SHACL shapes, as HTML documentation or as their named
graph in RDF (by `Accept`, or by extension: `/ontology.ttl`, `/shapes.jsonld`, ...); the class model
diagram at `/ontology/model.svg`."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from nipa_kg.graph.diagram import render_svg
from nipa_kg.server.site.data import Reader, reader
from nipa_kg.server.site.i18n import page_language
from nipa_kg.server.site.memo import memo
from nipa_kg.server.site.ontology_doc import document_ontology
from nipa_kg.server.site.rdf import named_graph
from nipa_kg.server.site.serve import Alternate, negotiated
from nipa_kg.server.site.shapes_doc import document_shapes

bp = Blueprint("vocabulary", __name__)


def document(
    name: str, extension: str | None, template: str, build: Callable[[Reader, str], object]
) -> Response:
    """The named graph `name`: HTML (`template`, filled with `build(reader, page language)`) or RDF."""
    source = reader()

    def html(links: list[Alternate]) -> str:
        return render_template(template, doc=build(source, page_language()), formats=links, alternates=links)

    url = f"{request.script_root}/{name}"
    return negotiated(url, extension, html, lambda: named_graph(source, name), source.base)


@bp.route("/ontology", defaults={"extension": None})
@bp.route("/ontology.<extension>")
def ontology(extension: str | None) -> Response:
    return document("ontology", extension, "ontology.html", document_ontology)


@bp.route("/ontology/model.svg")
def model_diagram() -> Response:
    """The class model drawn from the ontology graph as served (graph/diagram.py, what `nipa-kg diagram`
    writes to docs/model.svg), drawn once per version of the data."""
    source = reader()
    svg = memo("model.svg", lambda: render_svg(named_graph(source, "ontology").default_graph))
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


@bp.route("/ontology/<path:version>")
def ontology_version(version: str) -> BaseResponse:
    """The ontology's version IRI (`{base}ontology/0.1.0`): this server has the current version only."""
    return redirect(url_for(".ontology"), 303)


@bp.route("/shapes", defaults={"extension": None})
@bp.route("/shapes.<extension>")
def shapes(extension: str | None) -> Response:
    return document("shapes", extension, "shapes.html", document_shapes)
