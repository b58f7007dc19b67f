"""The `/ontology` page: documentation generated from the `ontology` named graph — the ontology's own
metadata, then its classes, properties and code lists, each term with its labels and definitions in both
languages and its axioms (super- and sub-classes, domains, ranges, super-properties, inverses).

Each term of ours has an anchor named after its local name, so `{base}ontology#Term` resolves here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from nipa_kg.core import namespaces as ns
from nipa_kg.server.site.data import Index, Reader
from nipa_kg.server.site.describe import labels
from nipa_kg.server.site.present import Presenter, Shown, Text, literal_text

RDF_TYPE = str(ns.RDF.type)
RDFS = str(ns.RDFS)
OWL = str(ns.OWL)
SKOS = str(ns.SKOS)
DCT = str(ns.DCTERMS)

# (section key, rdf:type of its terms)
SECTIONS = (
    ("classes", OWL + "Class"),
    ("object_properties", OWL + "ObjectProperty"),
    ("datatype_properties", OWL + "DatatypeProperty"),
)
# (fact key, predicate, inverse?): what a term's entry lists, in this order.
FACTS = (
    ("subclass_of", RDFS + "subClassOf", False),
    ("subclasses", RDFS + "subClassOf", True),
    ("subproperty_of", RDFS + "subPropertyOf", False),
    ("inverse_of", OWL + "inverseOf", False),
    ("domain", RDFS + "domain", False),
    ("range", RDFS + "range", False),
    ("members", RDF_TYPE, True),
)


@dataclass
class TermDoc:
    anchor: str
    iri: str
    title: Text
    other_labels: list[Text]
    definitions: list[Text]
    notation: str | None = None
    facts: list[tuple[str, list[Shown]]] = field(default_factory=list)


@dataclass
class CodeList:
    scheme: TermDoc
    members: list[TermDoc]


@dataclass
class OntologyDoc:
    iri: str
    title: Text
    descriptions: list[Text]
    version: str | None
    namespace: str
    sections: list[tuple[str, list[TermDoc]]]
    code_lists: list[CodeList]


def in_order(texts: list[Text], lang: str) -> list[Text]:
    """The page language first, then the others."""
    return sorted(texts, key=lambda text: (text.lang != lang, text.lang or ""))


class Documenter:
    """Writes the entries of the terms of one vocabulary graph for a page in one language."""

    def __init__(self, reader: Reader, graph: str, namespace: str, lang: str) -> None:
        self.index = Index.of_graph(reader, graph)
        self.namespace = namespace
        named = {s.value for s in self.index.subjects if isinstance(s, NamedNode)}
        named |= {
            o.value
            for p in self.index.subjects.values()
            for os in p.values()
            for o in os
            if isinstance(o, NamedNode)
        }
        self.show = Presenter(reader.base, labels(reader, named), lang)

    def ours(self, rdf_type: str) -> list[str]:
        """Our terms of one type, by local name."""
        return sorted(
            s.value
            for s in self.index.having(RDF_TYPE, NamedNode(rdf_type))
            if s.value.startswith(self.namespace)
        )

    def texts(self, iri: str, *predicates: str) -> list[Text]:
        found = [literal_text(o) for p in predicates for o in self.index.literals(iri, p)]
        return in_order(list(dict.fromkeys(found)), self.show.lang)

    def entry(self, iri: str) -> TermDoc:
        names = self.texts(iri, RDFS + "label")
        title = names[0] if names else Text(self.show.curie(iri))
        doc = TermDoc(
            anchor=iri.removeprefix(self.namespace),
            iri=iri,
            title=title,
            other_labels=[n for n in names if n != title],
            definitions=self.texts(iri, SKOS + "definition", RDFS + "comment"),
            notation=self.index.literal(iri, SKOS + "notation"),
        )
        for key, predicate, inverse in FACTS:
            if inverse:
                values = sorted(
                    s.value for s in self.index.having(predicate, NamedNode(iri)) if isinstance(s, NamedNode)
                )
            else:
                values = self.index.iris(iri, predicate)
            if values:
                doc.facts.append((key, [self.show.show_iri(v) for v in values]))
        return doc


def document_ontology(reader: Reader, lang: str) -> OntologyDoc:
    namespace = reader.term("nipa", "")
    doc = Documenter(reader, "ontology", namespace, lang)
    ontology = next(iter(doc.index.having(RDF_TYPE, NamedNode(OWL + "Ontology"))), None)
    iri = ontology.value if isinstance(ontology, NamedNode) else namespace
    titles = doc.texts(iri, DCT + "title", RDFS + "label")
    code_lists = [
        CodeList(doc.entry(scheme), [doc.entry(m) for m in members(doc, scheme)])
        for scheme in doc.ours(SKOS + "ConceptScheme")
    ]
    return OntologyDoc(
        iri=iri,
        title=titles[0] if titles else Text(iri),
        descriptions=doc.texts(iri, DCT + "description"),
        version=doc.index.literal(iri, OWL + "versionInfo"),
        namespace=namespace,
        sections=[(key, [doc.entry(term) for term in doc.ours(rdf_type)]) for key, rdf_type in SECTIONS],
        code_lists=code_lists,
    )


def members(doc: Documenter, scheme: str) -> list[str]:
    """The concepts of a scheme, by notation."""
    found = doc.index.having(SKOS + "inScheme", NamedNode(scheme))
    return sorted((m.value for m in found), key=lambda m: (doc.index.literal(m, SKOS + "notation") or "", m))
