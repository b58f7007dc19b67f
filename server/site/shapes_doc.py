"""The `/shapes` page: the SHACL shapes of the `shapes` named graph, each node shape with its targets and
its property shapes and SPARQL constraints — path, constraint parameters and the messages a violation
reports, in both languages. Anchors are the shapes' local names, so `{base}shapes#Shape` resolves here."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from nipa_kg.core import namespaces as ns
from nipa_kg.server.site.data import Reader, Term
from nipa_kg.server.site.ontology_doc import DCT, RDFS, Documenter
from nipa_kg.server.site.present import Shown, Text

SH = str(ns.SH)
RDF = str(ns.RDF)
TARGETS = tuple(SH + name for name in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"))
# sh: predicates shown elsewhere in an entry (or not at all), not as constraint parameters
NOT_PARAMETERS = frozenset(
    SH + n for n in ("path", "message", "select", "ask", "prefixes", "property", "sparql")
)
PATH_OPERATORS = {SH + "inversePath": "^{}", SH + "zeroOrMorePath": "{}*", SH + "oneOrMorePath": "{}+"}


@dataclass
class Constraint:
    anchor: str | None
    title: Text
    path: str | None
    parameters: list[tuple[str, list[str | Shown]]]
    messages: list[Text]
    sparql: str | None


@dataclass
class ShapeDoc:
    anchor: str
    title: Text
    comments: list[Text]
    targets: list[tuple[str, list[Shown]]]
    constraints: list[Constraint]


@dataclass
class ShapesDoc:
    iri: str
    title: Text
    shapes: list[ShapeDoc]


class ShapesDocumenter(Documenter):
    def list_items(self, node: Term) -> list[Term]:
        """The members of an RDF list."""
        items = []
        while isinstance(node, BlankNode) and self.index.objects(node, RDF + "first"):
            items.append(self.index.objects(node, RDF + "first")[0])
            node = (self.index.objects(node, RDF + "rest") or [NamedNode(RDF + "nil")])[0]
        return items

    def path(self, node: Term) -> str:
        """A SHACL property path as SPARQL writes it: `nipa:p`, `^nipa:p`, `a/b`, `a|b`, `p*`."""
        if isinstance(node, NamedNode):
            return self.show.curie(node.value)
        if self.index.objects(node, RDF + "first"):
            return "/".join(self.path(item) for item in self.list_items(node))
        for predicate, pattern in PATH_OPERATORS.items():
            if inner := self.index.objects(node, predicate):
                return pattern.format(self.path(inner[0]))
        if alternatives := self.index.objects(node, SH + "alternativePath"):
            return "(" + "|".join(self.path(item) for item in self.list_items(alternatives[0])) + ")"
        return "?"

    def value(self, term: Term) -> list[str | Shown]:
        if isinstance(term, BlankNode) and self.index.objects(term, RDF + "first"):
            return [v for item in self.list_items(term) for v in self.value(item)]
        return [term.value] if isinstance(term, Literal) else [self.show.show(term)]

    def anchor(self, term: Term) -> str | None:
        if isinstance(term, NamedNode) and term.value.startswith(self.namespace):
            return term.value.removeprefix(self.namespace)
        return None

    def constraint(self, node: Term) -> Constraint:
        titles = self.texts_of(node, RDFS + "label")
        path = self.index.objects(node, SH + "path")
        parameters = [
            (self.show.curie(p), [v for o in objects for v in self.value(o)])
            for p, objects in sorted(self.index.subjects.get(node, {}).items())
            if p.startswith(SH) and p not in NOT_PARAMETERS
        ]
        sparql = next(
            (o.value for p in (SH + "select", SH + "ask") for o in self.index.literals(node, p)), None
        )
        return Constraint(
            anchor=self.anchor(node),
            title=titles[0] if titles else Text(self.path(path[0]) if path else "?"),
            path=self.path(path[0]) if path else None,
            parameters=parameters,
            messages=self.texts_of(node, SH + "message"),
            sparql=sparql.strip() if sparql else None,
        )

    def texts_of(self, node: Term, predicate: str) -> list[Text]:
        return (
            self.texts(node.value, predicate)
            if isinstance(node, NamedNode)
            else self.blank_texts(node, predicate)
        )

    def blank_texts(self, node: Term, predicate: str) -> list[Text]:
        found = [Text(o.value, o.language) for o in self.index.literals(node, predicate)]
        return sorted(found, key=lambda text: (text.lang != self.show.lang, text.lang or ""))

    def shape(self, iri: str) -> ShapeDoc:
        node = NamedNode(iri)
        titles = self.texts(iri, RDFS + "label")
        components = [*self.index.objects(node, SH + "property"), *self.index.objects(node, SH + "sparql")]
        return ShapeDoc(
            anchor=iri.removeprefix(self.namespace),
            title=titles[0] if titles else Text(self.show.curie(iri)),
            comments=self.texts(iri, RDFS + "comment"),
            targets=[
                (self.show.curie(t), [self.show.show(o) for o in self.index.objects(node, t)])
                for t in TARGETS
                if self.index.objects(node, t)
            ],
            constraints=[self.constraint(c) for c in sorted(components, key=str)],
        )


def document_shapes(reader: Reader, lang: str) -> ShapesDoc:
    iri = f"{reader.base}shapes"
    doc = ShapesDocumenter(reader, "shapes", iri + "#", lang)
    titles = doc.texts(iri, DCT + "title", RDFS + "label")
    return ShapesDoc(
        iri, titles[0] if titles else Text(iri), [doc.shape(s) for s in doc.ours(SH + "NodeShape")]
    )
