"""The ontology's Turtle files, read from the installed package, for the ontology and diagram tests."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import Graph


def read(name: str) -> str:
    return (files("nipa_kg.ontology") / name).read_text(encoding="utf-8")


@cache
def ontology_text() -> str:
    return read("nipa-kg.ttl")


def ontology() -> Graph:
    graph = Graph()
    graph.parse(data=ontology_text(), format="turtle")
    return graph


def reused() -> Graph:
    graph = Graph()
    graph.parse(data=read("reused-vocabularies.ttl"), format="turtle")
    return graph
