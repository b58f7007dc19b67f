"""The five named graphs as one rdflib Dataset, and its serialisations.

Formats that carry named graphs (TriG, N-Quads) get the Dataset; the others get the union of the graphs.
JSON-LD is compacted with our published context (context.jsonld), embedded so the file stands alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from rdflib import Dataset, Graph, URIRef

from nipa_kg.core.formats import GraphFormat
from nipa_kg.core.namespaces import DEFAULT_BASE, GRAPH_NAMES
from nipa_kg.graph import oxwrite
from nipa_kg.graph.load import bind_prefixes, new_graph
from nipa_kg.graph.settings import Settings

CONTEXT = "context.jsonld"


def assemble(graphs: Mapping[str, Graph], settings: Settings) -> Dataset:
    """A Dataset with each graph named {base}graph/NAME, in GRAPH_NAMES order."""
    dataset = Dataset()
    bind_prefixes(dataset, settings.base)
    for name in GRAPH_NAMES:
        named = dataset.graph(URIRef(settings.graph_iri(name)))
        for triple in graphs[name]:
            named.add(triple)
    return dataset


def union(dataset: Dataset, base: str) -> Graph:
    merged = new_graph(base)
    for s, p, o, _ in dataset.quads():
        merged.add((s, p, o))
    return merged


def serialize(dataset: Dataset, fmt: GraphFormat, base: str) -> bytes:
    """The dataset in `fmt`: itself for formats with named graphs, else the union of its graphs."""
    return serialize_graph(dataset if fmt.named_graphs else union(dataset, base), fmt, base)


def serialize_graph(graph: Graph, fmt: GraphFormat, base: str) -> bytes:
    """A Graph (or, for formats with named graphs, a Dataset) in `fmt`; JSON-LD compacted with our context.
    pyoxigraph writes the formats it can (oxwrite.FORMATS: the same RDF, sooner), rdflib the others."""
    if fmt.name == "jsonld":
        return graph.serialize(format=fmt.rdflib, context=context(base)["@context"], encoding="utf-8")
    if fmt.name in oxwrite.FORMATS and (written := oxwrite.write(graph, fmt)) is not None:
        return written
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")


def context(base: str) -> dict[str, Any]:
    """The published JSON-LD context, its IRIs under the default base moved to `base`."""
    return rebase_json(json.loads((files("nipa_kg.graph") / CONTEXT).read_text("utf-8")), base)


def context_bytes(base: str) -> bytes:
    return (json.dumps(context(base), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def rebase_json(value: Any, base: str) -> Any:
    if isinstance(value, dict):
        return {key: rebase_json(item, base) for key, item in value.items()}
    if isinstance(value, str) and value.startswith(DEFAULT_BASE):
        return base + value.removeprefix(DEFAULT_BASE)
    return value
