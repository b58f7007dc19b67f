"""The canned example queries (`nipa_kg.graph.queries/*.rq`) with the titles and descriptions in their
header comments (`# title@en: ...`, `# title@ko: ...`, `# description@en: ...`, `# description@ko: ...`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

HEADER = re.compile(r"#\s*(?P<field>\w+)@(?P<lang>[\w-]+):\s*(?P<text>.*\S)")


@dataclass(frozen=True)
class CannedQuery:
    name: str
    sparql: str
    titles: dict[str, str]
    descriptions: dict[str, str]

    def title(self, lang: str) -> tuple[str, str]:
        """The title in `lang`, or in another language: (text, its language)."""
        return _in_language(self.titles, lang) or (self.name, "en")

    def description(self, lang: str) -> tuple[str, str] | None:
        return _in_language(self.descriptions, lang)


def _in_language(texts: dict[str, str], lang: str) -> tuple[str, str] | None:
    if lang in texts:
        return texts[lang], lang
    return next(iter((text, other) for other, text in texts.items()), None)


def parse(name: str, sparql: str) -> CannedQuery:
    fields: dict[str, dict[str, str]] = {"title": {}, "description": {}}
    for line in sparql.splitlines():
        match = HEADER.fullmatch(line.strip())
        if match and match["field"] in fields:
            fields[match["field"]][match["lang"]] = match["text"]
    return CannedQuery(name, sparql, fields["title"], fields["description"])


@cache
def canned_queries() -> tuple[CannedQuery, ...]:
    """The packaged queries in file-name order (the files' numbers give the order)."""
    folder = files("nipa_kg.graph.queries")
    paths = sorted((p for p in folder.iterdir() if p.name.endswith(".rq")), key=lambda p: p.name)
    return tuple(parse(p.name.removesuffix(".rq"), p.read_text(encoding="utf-8")) for p in paths)
