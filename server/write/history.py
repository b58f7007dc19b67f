"""The history of writes: one PROV activity per accepted write, in the named graph `{base}graph/history`
of the dataset itself (so it is queried like any other graph, kept in the snapshot, and restored with it).

    <{base}history/{id}> a prov:Activity ;
        rdfs:label "SPARQL Update" ;                      # or "PUT <graph>", "revert of {id}" ...
        prov:startedAtTime "..."^^xsd:dateTime ; prov:endedAtTime "..."^^xsd:dateTime ;
        prov:wasAssociatedWith <{base}agent/{token name}> ;
        prov:generated <{base}history/{id}/added> ;        # a prov:Entity: rdf:value the quads added
        prov:invalidated <{base}history/{id}/removed> ;    # ... and the quads removed, as N-Quads
        prov:wasInformedBy <{base}history/{reverted id}> . # a revert only
    <{base}agent/{name}> a prov:Agent ; rdfs:label "{name}" .

PROV has the terms for all of this; the change is kept as N-Quads literals (`rdf:value`), which a revert
applies the other way round. The `inferred` graph's changes are not in it: they follow from the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from nipa_kg.core.namespaces import graph_iri

PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def prov(name: str) -> ox.NamedNode:
    return ox.NamedNode(PROV + name)


def history_graph(base: str) -> str:
    return graph_iri(base, "history")


def activity_iri(base: str, activity: str) -> str:
    return f"{base}history/{activity}"


def new_id(now: datetime) -> str:
    """Sortable by time, unique: `20250102T030405.123456Z-1a2b`."""
    return now.strftime("%Y%m%dT%H%M%S.%fZ") + "-" + secrets.token_hex(2)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Activity:
    """One accepted write, to be recorded."""

    id: str
    label: str
    agent: str
    started: datetime
    ended: datetime
    added: bytes  # N-Quads
    removed: bytes
    reverts: str | None = None  # the id of the activity this one undoes


def record(base: str, activity: Activity) -> bytes:
    """The activity as N-Quads in the history graph."""
    graph = ox.NamedNode(history_graph(base))
    node = ox.NamedNode(activity_iri(base, activity.id))
    agent = ox.NamedNode(f"{base}agent/{activity.agent}")
    added, removed = ox.NamedNode(f"{node.value}/added"), ox.NamedNode(f"{node.value}/removed")

    def time(moment: datetime) -> ox.Literal:
        return ox.Literal(moment.isoformat().replace("+00:00", "Z"), datatype=DATE_TIME)

    triples = [
        (node, RDF_TYPE, prov("Activity")),
        (node, RDFS_LABEL, ox.Literal(activity.label)),
        (node, prov("startedAtTime"), time(activity.started)),
        (node, prov("endedAtTime"), time(activity.ended)),
        (node, prov("wasAssociatedWith"), agent),
        (agent, RDF_TYPE, prov("Agent")),
        (agent, RDFS_LABEL, ox.Literal(activity.agent)),
        (node, prov("generated"), added),
        (added, RDF_TYPE, prov("Entity")),
        (added, RDF_VALUE, ox.Literal(activity.added.decode())),
        (node, prov("invalidated"), removed),
        (removed, RDF_TYPE, prov("Entity")),
        (removed, RDF_VALUE, ox.Literal(activity.removed.decode())),
    ]
    if activity.reverts:
        triples.append((node, prov("wasInformedBy"), ox.NamedNode(activity_iri(base, activity.reverts))))
    return ox.serialize([ox.Quad(s, p, o, graph) for s, p, o in triples], format=ox.RdfFormat.N_QUADS)


def listing_query(base: str, activity: str | None = None) -> str:
    """SELECT every recorded activity (or the one `activity`), oldest first."""
    only = f"FILTER(?a = <{activity_iri(base, activity)}>)" if activity else ""
    return f"""PREFIX prov: <{PROV}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?a ?label ?started ?ended ?agent ?added ?removed ?reverts WHERE {{
  GRAPH <{history_graph(base)}> {{
    ?a a prov:Activity ; rdfs:label ?label ; prov:startedAtTime ?started ; prov:endedAtTime ?ended ;
       prov:wasAssociatedWith/rdfs:label ?agent ;
       prov:generated/rdf:value ?added ; prov:invalidated/rdf:value ?removed .
    OPTIONAL {{ ?a prov:wasInformedBy ?reverts }}
    {only}
  }}
}} ORDER BY ?started ?a"""


def entries(base: str, bindings: list[dict]) -> list[dict]:
    """The rows of `listing_query` (SPARQL JSON bindings) as plain dicts."""
    prefix = activity_iri(base, "")
    found = []
    for row in bindings:
        value = {name: term["value"] for name, term in row.items()}
        added, removed = value["added"], value["removed"]
        found.append(
            {
                "id": value["a"].removeprefix(prefix),
                "iri": value["a"],
                "label": value["label"],
                "agent": value["agent"],
                "started": value["started"],
                "ended": value["ended"],
                "added": added.count("\n"),
                "removed": removed.count("\n"),
                "reverts": value["reverts"].removeprefix(prefix) if "reverts" in value else None,
                "change": {"added": added, "removed": removed},
            }
        )
    return found
