"""The "metadata" named graph: a DCAT + VoID description of the dataset.

The text (titles, descriptions, licence, rights, publisher, linksets, notes on partitions and service)
lives in metadata-template.ttl; here we add what has to be computed from the graphs and the settings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from hashlib import sha1
from importlib.resources import files
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD
from rdflib.term import Node

from nipa_kg.core.errors import InputError
from nipa_kg.core.formats import RDF_FORMATS
from nipa_kg.core.namespaces import namespaces_for
from nipa_kg.core.terms import compact
from nipa_kg.graph.load import load_turtle
from nipa_kg.graph.settings import Settings

TEMPLATE = "metadata-template.ttl"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def build_metadata(graphs: Iterable[Graph], settings: Settings) -> Graph:
    """The metadata graph describing the union of `graphs` (all named graphs but the metadata itself)."""
    meta = load_turtle([files("nipa_kg.graph") / TEMPLATE], settings.base)
    dataset = single(meta, VOID.Dataset, DCAT.Dataset)
    triples = {triple for graph in graphs for triple in graph}
    uri_space = f"{settings.base}id/"

    meta.add((dataset, DCTERMS.modified, Literal(settings.build_date.isoformat(), datatype=XSD.date)))
    meta.add((dataset, VOID.uriSpace, Literal(uri_space)))
    meta.add((dataset, VOID.triples, count(len(triples))))
    entities = {s for s, _, _ in triples if isinstance(s, URIRef) and s.startswith(uri_space)}
    meta.add((dataset, VOID.entities, count(len(entities))))
    add_partitions(meta, dataset, triples, settings)
    for vocabulary in sorted(vocabularies(triples)):
        meta.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    add_distributions(meta, dataset, settings)
    for linkset in sorted(meta.subjects(RDF.type, VOID.Linkset)):
        add_linkset_count(meta, linkset, triples, settings.base)
    return meta


def single(graph: Graph, *types: URIRef) -> Node:
    """The one node of the template with all `types`."""
    nodes = set.intersection(*(set(graph.subjects(RDF.type, t)) for t in types))
    if len(nodes) != 1:
        raise InputError(f"expected one {' and '.join(t.n3() for t in types)}, found {len(nodes)}", TEMPLATE)
    return nodes.pop()


def count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def part(settings: Settings, name: str) -> URIRef:
    """A node of the description itself (a partition, a distribution): a fragment of the metadata graph's IRI,
    named so it can be linked to, and outside id: where every resource is a labelled thing of the plan."""
    return URIRef(f"{settings.graph_iri('metadata')}#{name}")


def add_partitions(
    meta: Graph, dataset: Node, triples: set[tuple[Node, Node, Node]], settings: Settings
) -> None:
    """void:classPartition (instances per class) and void:propertyPartition (triples per property)."""
    instances: defaultdict[Node, set[Node]] = defaultdict(set)
    for s, _, o in (t for t in triples if t[1] == RDF.type):
        instances[o].add(s)
    properties = Counter(p for _, p, _ in triples)
    meta.add((dataset, VOID.classes, count(len(instances))))
    meta.add((dataset, VOID.properties, count(len(properties))))
    prefixes = namespaces_for(settings.base)
    for cls in sorted(instances):
        partition = part(settings, f"class-{slug(cls, prefixes)}")
        meta.add((dataset, VOID.classPartition, partition))
        meta.add((partition, VOID["class"], cls))
        meta.add((partition, VOID.entities, count(len(instances[cls]))))
    for prop in sorted(properties):
        partition = part(settings, f"property-{slug(prop, prefixes)}")
        meta.add((dataset, VOID.propertyPartition, partition))
        meta.add((partition, VOID.property, prop))
        meta.add((partition, VOID.triples, count(properties[prop])))


def slug(iri: Node, prefixes: Mapping[str, str]) -> str:
    """`schema-Organization` for schema:Organization; a digest of the IRI when no prefix fits."""
    name = compact(str(iri), prefixes)
    if name.startswith("<"):
        return sha1(str(iri).encode("utf-8")).hexdigest()[:12]
    return quote(name.replace(":", "-", 1), safe="")


def vocabularies(triples: set[tuple[Node, Node, Node]]) -> set[str]:
    """The namespaces of every predicate and class used."""
    terms = {p for _, p, _ in triples} | {o for _, p, o in triples if p == RDF.type and isinstance(o, URIRef)}
    return {namespace_of(term) for term in terms}


def namespace_of(iri: str) -> str:
    cut = iri.rfind("#") if "#" in iri else iri.rfind("/")
    return iri[: cut + 1]


def add_distributions(meta: Graph, dataset: Node, settings: Settings) -> None:
    for fmt in RDF_FORMATS:
        url = URIRef(settings.dump_url(fmt.extension))
        distribution = part(settings, f"dump-{fmt.name}")
        meta.add((dataset, VOID.dataDump, url))
        meta.add((dataset, DCAT.distribution, distribution))
        meta.add((distribution, RDF.type, DCAT.Distribution))
        meta.add((distribution, DCTERMS.title, Literal(fmt.label)))
        meta.add((distribution, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + fmt.media_type)))
        meta.add((distribution, DCAT.downloadURL, url))
        meta.add((distribution, DCAT.accessURL, url))


def add_linkset_count(meta: Graph, linkset: Node, triples: set[tuple[Node, Node, Node]], base: str) -> None:
    """Count the owl:sameAs links from our resources into the linkset's objects target (its void:uriSpace)."""
    target = meta.value(linkset, VOID.objectsTarget)
    target_space = str(meta.value(target, VOID.uriSpace))
    links = [
        (s, o)
        for s, p, o in triples
        if p == OWL.sameAs and s.startswith(base) and isinstance(o, URIRef) and o.startswith(target_space)
    ]
    meta.add((linkset, VOID.triples, count(len(links))))
