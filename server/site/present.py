"""RDF terms as a page shows them: a label in the page language, a link (ours to this site, others out),
and the literal's language for the `lang` attribute."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from flask import request
from pyoxigraph import BlankNode, Literal, NamedNode

from nipa_kg.core import namespaces as ns
from nipa_kg.core.namespaces import namespaces_for
from nipa_kg.core.terms import compact
from nipa_kg.server.site.formatting import format_krw, format_number

XSD = str(ns.XSD)
NUMERIC = frozenset(XSD + name for name in ("decimal", "integer", "double", "float", "int", "long"))
PLAIN = frozenset((XSD + "string", str(ns.RDF.langString)))

Term = NamedNode | Literal | BlankNode

# Datasets outside ours whose IRIs are named after them when we have no label (`wd:Q60` → `Wikidata Q60`,
# `dbr:Seoul` → `DBpedia Seoul`).
DATASETS = {str(ns.WD): "Wikidata", str(ns.DBR): "DBpedia"}


@dataclass(frozen=True)
class Text:
    """Some text and its language (None when untagged or unknown)."""

    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Shown:
    """A term on a page: its text, a link if it has one, and a small note (a compact IRI or datatype)."""

    text: Text
    href: str | None = None
    external: bool = False
    note: str | None = None
    detail: str | None = None  # what the term stands for, in short (an amount's sum in won)


def pick(texts: Iterable[Text], lang: str) -> Text | None:
    """The text in `lang`, else one in another language (Korean and English first), else untagged."""
    texts = list(texts)

    def rank(text: Text) -> int:
        if text.lang == lang:
            return 0
        return 1 if text.lang in ("ko", "en") else 2 if text.lang is None else 3

    return min(texts, key=rank, default=None)


HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def literal_text(literal: Literal) -> Text:
    """A literal's text and language; an untagged one written in Hangul (a figure as the article writes
    it) is Korean, so that screen readers read it as such."""
    if literal.language:
        return Text(literal.value, literal.language)
    return Text(literal.value, "ko" if HANGUL.search(literal.value) else None)


class Presenter:
    """Shows terms for one page: the base (which IRIs are ours), the labels known, the page language."""

    def __init__(
        self,
        base: str,
        labels: Mapping[str, list[Text]],
        lang: str,
        amounts: Mapping[str, Decimal] | None = None,
    ) -> None:
        self.base = base
        self.labels = labels
        self.lang = lang
        self.amounts = amounts or {}
        self.prefixes = namespaces_for(base)

    def href(self, iri: str) -> tuple[str, bool]:
        """Where a link to `iri` goes on this site (ours) or outside (theirs): (href, external)."""
        local = local_path(iri, self.base)
        return (local, False) if local is not None else (iri, True)

    def curie(self, iri: str) -> str:
        return compact(iri, self.prefixes)

    def label(self, iri: str) -> Text | None:
        return pick(self.labels.get(iri, ()), self.lang)

    def name(self, iri: str) -> Text:
        """The label of `iri` in the page language, else its dataset and local name, else its compact form."""
        if label := self.label(iri):
            return label
        for namespace, dataset in DATASETS.items():
            if iri.startswith(namespace):
                return Text(f"{dataset} {iri.removeprefix(namespace)}", "en")
        return Text(self.curie(iri))

    def show_iri(self, iri: str) -> Shown:
        return self.show(NamedNode(iri))

    def show(self, term: Term) -> Shown:
        if isinstance(term, NamedNode):
            label = self.label(term.value)
            href, external = self.href(term.value)
            amount = self.amounts.get(term.value)
            return Shown(
                self.name(term.value),
                href,
                external,
                self.curie(term.value) if label else None,
                format_krw(amount, self.lang) if amount is not None else None,
            )
        if isinstance(term, Literal):
            datatype = term.datatype.value
            if datatype in NUMERIC:
                return Shown(Text(format_number(term.value)), note=self.curie(datatype))
            return Shown(literal_text(term), note=None if datatype in PLAIN else self.curie(datatype))
        return Shown(Text(f"_:{term.value}"))


def local_path(iri: str, base: str) -> str | None:
    """The path on this site of an IRI under the base (`{base}id/x` → `/id/x`), or None for others."""
    if not iri.startswith(base):
        return None
    return f"{request.script_root}/{iri[len(base) :]}"
