"""The SPARQL 1.1 Service Description of the endpoint (what `GET /sparql` without a query returns).

It claims SPARQL 1.1 Query, every result format the endpoint writes, `sd:UnionDefaultGraph` (the default
graph is the union of the named graphs plus any default-graph data, see `nipa_kg.server.store.embedded`)
and simple entailment (the OWL RL conclusions are stored in their own graph, not derived at query time),
and `sd:BasicFederatedQuery` (SERVICE to the endpoints on its allowlist, `nipa_kg.server.query.federation`).
It does not claim `sd:DereferencesURIs` (FROM only selects stored graphs). The default dataset lists the
default graph and every named graph with `void:triples`.
"""

from __future__ import annotations

import pyoxigraph as ox

from nipa_kg.core import namespaces as ns
from nipa_kg.core.formats import RDF_FORMATS, RESULTS_FORMATS, Format
from nipa_kg.server.store.base import Store

SD = str(ns.SD)
VOID = str(ns.VOID)
RDF_TYPE = ox.NamedNode(ns.RDF.type)
FORMATS = str(ns.FORMATS)
SIMPLE_ENTAILMENT = str(ns.ENTAILMENT.Simple)
XSD_INTEGER = ox.NamedNode(ns.XSD.integer)

PREFIXES = {"sd": SD, "void": VOID, "formats": FORMATS}


def format_iri(fmt: Format) -> str:
    """The W3C IRI of a format (pyoxigraph names JSON-LD `https://www.w3.org/ns/formats/data/JSON-LD`;
    the registry at http://www.w3.org/ns/formats/ says `http://www.w3.org/ns/formats/JSON-LD`)."""
    return FORMATS + fmt.oxigraph.iri.rsplit("/", 1)[1]


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _graph(node: ox.BlankNode, size: int) -> list[ox.Triple]:
    return [
        ox.Triple(node, RDF_TYPE, _sd("Graph")),
        ox.Triple(node, ox.NamedNode(VOID + "triples"), ox.Literal(str(size), datatype=XSD_INTEGER)),
    ]


def describe(endpoint: str, store: Store) -> list[ox.Triple]:
    """The service description of the endpoint at `endpoint` serving `store` (blank nodes labelled
    deterministically, so the same store always gets the same bytes)."""
    service, dataset, default_graph = (
        ox.BlankNode("service"),
        ox.BlankNode("dataset"),
        ox.BlankNode("default"),
    )
    triples = _graph(default_graph, store.default_graph_size())
    triples += [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")),
        ox.Triple(service, _sd("defaultEntailmentRegime"), ox.NamedNode(SIMPLE_ENTAILMENT)),
        *(
            ox.Triple(service, _sd("resultFormat"), ox.NamedNode(format_iri(fmt)))
            for fmt in (*RESULTS_FORMATS, *RDF_FORMATS)
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
    ]
    for number, (iri, size) in enumerate(store.named_graphs().items(), start=1):
        named, graph = ox.BlankNode(f"named{number}"), ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(iri)),
            ox.Triple(named, _sd("graph"), graph),
            *_graph(graph, size),
        ]
    return triples
