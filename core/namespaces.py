"""Namespaces and well-known IRIs used across nipa-kg, defined once (nothing else writes them out).

schema.org is always `http://schema.org/` (rdflib's own `SDO` is the https form; we never mix the two).
rdflib's `Namespace`s are `str`s: `ox.NamedNode(RDFS.label)` and `f"<{RDFS.label}>"` work as they are.
"""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, VOID, XSD

DEFAULT_BASE = "https://w3id.org/nipa-kg/"

NIPA = Namespace(DEFAULT_BASE + "ontology#")
ID = Namespace(DEFAULT_BASE + "id/")
GRAPH = Namespace(DEFAULT_BASE + "graph/")
SHAPES = Namespace(DEFAULT_BASE + "shapes#")

SCHEMA = Namespace("http://schema.org/")
CV = Namespace("http://data.europa.eu/m8g/")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
WD = Namespace("http://www.wikidata.org/entity/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")  # the W3C registry of format IRIs
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
GRAPH_NAMES = ("ontology", "data", "inferred", "shapes", "metadata")  # our named graphs, in build order
DBR = Namespace("http://dbpedia.org/resource/")

PREFIXES: dict[str, Namespace] = {
    "nipa": NIPA,
    "id": ID,
    "graph": GRAPH,
    "nipash": SHAPES,
    "schema": SCHEMA,
    "org": ORG,
    "skos": SKOS,
    "prov": PROV,
    "dcat": DCAT,
    "dct": DCTERMS,
    "void": VOID,
    "qb": QB,
    "dqv": DQV,
    "oa": OA,
    "frapo": FRAPO,
    "cv": CV,
    "foaf": FOAF,
    "time": TIME,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "sd": SD,
    "wd": WD,
    "dbr": DBR,
}


def namespaces_for(base: str) -> dict[str, str]:
    """PREFIXES as prefix → IRI, with those under DEFAULT_BASE (`nipa:`, `id:`, ...) moved to `base`."""
    iris = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return {
        prefix: base + iri.removeprefix(DEFAULT_BASE) if iri.startswith(DEFAULT_BASE) else iri
        for prefix, iri in iris.items()
    }


def graph_iri(base: str, name: str) -> str:
    """The IRI of one of our named graphs (GRAPH_NAMES) under `base`: `{base}graph/{name}`."""
    return f"{base}graph/{name}"
