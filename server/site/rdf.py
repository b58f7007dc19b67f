"""The RDF of the site's pages, read from the store and written with the build's serialiser
(`nipa_kg.graph.export.serialize`), so a page's Turtle or JSON-LD looks like the dumps the build writes:
our prefixes, JSON-LD compacted with the published context.

**The RDF of a resource** R (what `/id/...` answers with in an RDF format) is:

1. every triple with R as subject in the `data`, `inferred` and `metadata` graphs;
2. the triples of each blank node object of (1), one level deep (as a concise bounded description would);
3. the `rdfs:label`s of every IRI object of (1), so a client can name what R links to;
4. every triple with R as object in the `data` and `metadata` graphs (its incoming links: a symmetric
   description), with the `rdfs:label`s of their subjects.

Ontology terms and shapes are not resources of this kind: they are documented as a whole at `/ontology` and
`/shapes`, which serve their named graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset

from nipa_kg.core.namespaces import RDFS
from nipa_kg.core.terms import to_rdflib
from nipa_kg.server.site.data import Reader, iri_list

RDFS_LABEL = f"<{RDFS.label}>"


def triples_dataset(triples: Iterable[ox.Triple]) -> Dataset:
    """Triples as the default graph of a Dataset (what `serialize` takes)."""
    dataset = Dataset()
    for t in triples:
        dataset.default_graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return dataset


def resource_description(reader: Reader, iri: str) -> Dataset:
    """The RDF of the resource `iri`, as the module docstring defines it."""
    r = iri_list([iri])
    out_graphs = iri_list(reader.graph(n) for n in ("data", "inferred", "metadata"))
    in_graphs = iri_list(reader.graph(n) for n in ("data", "metadata"))
    triples = reader.construct(
        f"""CONSTRUCT {{
          {r} ?p ?o . ?o {RDFS_LABEL} ?label . ?o ?bp ?bo . ?s ?q {r} . ?s {RDFS_LABEL} ?slabel }}
        WHERE {{
          {{ VALUES ?g {{ {out_graphs} }} GRAPH ?g {{ {r} ?p ?o }}
             OPTIONAL {{ ?o {RDFS_LABEL} ?label FILTER(isIRI(?o)) }}
             OPTIONAL {{ FILTER(isBlank(?o)) GRAPH ?g {{ ?o ?bp ?bo }} }} }}
          UNION
          {{ VALUES ?g {{ {in_graphs} }} GRAPH ?g {{ ?s ?q {r} }}
             OPTIONAL {{ ?s {RDFS_LABEL} ?slabel }} }}
        }}"""
    )
    return triples_dataset(triples)


def named_graph(reader: Reader, name: str) -> Dataset:
    """One of the named graphs (`ontology`, `shapes`, `metadata`...), as triples."""
    graph = iri_list([reader.graph(name)])
    return triples_dataset(
        reader.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    )


def dataset_iri(reader: Reader) -> str | None:
    """The dataset the `metadata` graph describes (its `void:Dataset`)."""
    graph = iri_list([reader.graph("metadata")])
    rows = reader.select(
        f"SELECT ?d WHERE {{ GRAPH {graph} {{ ?d a void:Dataset , dcat:Dataset }} }} ORDER BY ?d"
    )
    return rows[0]["d"].value if rows else None
