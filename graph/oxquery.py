"""Answering a SPARQL SELECT over an rdflib graph with Oxigraph: for the queries rdflib is slowest at, those
that walk the whole graph (a SHACL-SPARQL target such as "every IRI under id:"), in milliseconds.

The answer is an rdflib Result whose terms are the graph's own (a blank node is the graph's blank node).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph
from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Node

from nipa_kg.core.terms import OxTerm, Terms, to_rdflib


class OxigraphCopy:
    """An Oxigraph store holding a copy of `graph`, which must not change afterwards."""

    def __init__(self, graph: Graph) -> None:
        terms = Terms()
        self.store = pyoxigraph.Store()
        self.store.extend(pyoxigraph.Quad(terms(s), terms(p), terms(o)) for s, p, o in graph)
        self.ours = terms.ours()

    def select(self, sparql: str, prefixes: Mapping[str, str]) -> Result:
        solutions = self.store.query(sparql, prefixes=dict(prefixes))
        result = Result("SELECT")
        result.vars = [Variable(variable.value) for variable in solutions.variables]
        result.bindings = [
            {var: self.rdflib(term) for var, term in zip(result.vars, row, strict=True) if term is not None}
            for row in solutions
        ]
        return result

    def rdflib(self, term: OxTerm) -> Node:
        """The graph's own term, or one the query made (a string, a number) as rdflib writes it."""
        return self.ours[term] if term in self.ours else to_rdflib(term)
