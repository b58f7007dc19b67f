"""Namespaces and well-known IRIs used across nipa-kg, defined once (nothing else writes them out).

schema.org is always `http://schema.org/` (rdflib's own `SDO` is the https form; we never mix the two).
rdflib's `Namespace`s are `str`s: `ox.NamedNode(RDFS.label)` and `f"<{RDFS.label}>"` work as they are.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping

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

# One prefix per kind of resource (`{base}id/{kind}/`), named as the Turtle sources name them, so a name
# needs no escaping (`division:sw-future`, not `id:division\/sw-future`); `para:` is the source article's
# paragraphs (`para:3`), `id:` any other resource.
ID_KINDS = {
    "agency": "agency/",
    "amount": "amount/",
    "change": "change/",
    "concept": "concept/",
    "dataset": "dataset/",
    "division": "division/",
    "event": "event/",
    "goal": "goal/",
    "hub": "hub/",
    "initiative": "initiative/",
    "legislation": "legislation/",
    "link": "link/",
    "loan": "loan/",
    "note": "note/",
    "organization": "org/",  # org: is W3C ORG
    "para": "source/zdnet-2025-02-06/p",
    "person": "person/",
    "place": "place/",
    "plan": "plan/",
    "program": "program/",
    "share": "share/",
    "src": "source/",
    "statement": "statement/",
    "unit": "unit/",
    "year": "year/",
}

PREFIXES: dict[str, Namespace] = {
    "nipa": NIPA,
    "id": ID,
    **{prefix: Namespace(ID + path) for prefix, path in ID_KINDS.items()},
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


def used(prefixes: Mapping[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The `prefixes` whose namespace starts one of `iris` (pyoxigraph declares every prefix it is given;
    a Turtle document reads better declaring only those it uses). Sorted once, then one search a prefix."""
    ordered = sorted(set(iris))
    found = {}
    for prefix, namespace in prefixes.items():
        at = bisect_left(ordered, namespace)
        if at < len(ordered) and ordered[at].startswith(namespace):
            found[prefix] = namespace
    return found


def graph_iri(base: str, name: str) -> str:
    """The IRI of one of our named graphs (GRAPH_NAMES) under `base`: `{base}graph/{name}`."""
    return f"{base}graph/{name}"


_DECLARATION = re.compile(rb"@prefix ([A-Za-z][\w.-]*|): <[^>\n]*> \.\n")
_PREFIXED_NAME = re.compile(rb"(?<![\w.:%-])([A-Za-z][\w-]*|):")


def only_used_prefixes(document: bytes) -> bytes:
    """A Turtle or TriG document as pyoxigraph writes it (every prefix it was given declared first) with
    the declarations its statements do not use left out. A prefix seen in a literal counts as used."""
    position, declarations = 0, []
    while match := _DECLARATION.match(document, position):
        declarations.append((match.group(1), match.group(0)))
        position = match.end()
    body = document[position:]
    used = set(_PREFIXED_NAME.findall(body))
    return b"".join(line for name, line in declarations if name in used) + body
