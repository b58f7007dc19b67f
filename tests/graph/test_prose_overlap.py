"""Our own words: the prose in the graph is our paraphrase, not the article's.

The article is copyrighted news. Names and figures as written are ours to keep (labels, titles,
nipa:asWritten, nipa:textAsWritten); every other text of 30 characters or more (spaces removed) in the data,
metadata and ontology graphs - descriptions, comments, definitions, notes, rationales, rights - may share at
most 40% of its 6-character runs with the article. The article is not read here: the comparison is with
tests/graph/fixtures/article-shingles.txt, one-way hashes of its runs (prose_overlap.py says how to
regenerate it).
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from nipa_kg.core.namespaces import ID, NIPA, SCHEMA
from nipa_kg.graph.build import Build
from tests.graph.prose_overlap import SHINGLES, hashes, load, overlap, runs

LIMIT = 0.40
MIN_CHARS = 30
GRAPHS = ("data", "metadata", "ontology")
VANN = "http://purl.org/vocab/vann/"
VOID = "http://rdfs.org/ns/void#"
# Names, titles, identifiers and figures or tokens as written: allowed to follow the article.
NOT_PROSE = {
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SKOS.notation,
    DCTERMS.title,
    FOAF.name,
    SCHEMA.name,
    NIPA.asWritten,
    NIPA.textAsWritten,
    URIRef(VOID + "uriSpace"),
    URIRef(VANN + "preferredNamespacePrefix"),
    URIRef(VANN + "preferredNamespaceUri"),
}
# Prose properties the graph is known to use: the check must see each of them.
EXPECTED_PROSE = {
    RDFS.comment,
    SCHEMA.description,
    DCTERMS.description,
    SKOS.definition,
    NIPA.rationale,
    SCHEMA.copyrightNotice,
    DCTERMS.rights,
}


@pytest.fixture(scope="module")
def article() -> set[str]:
    return load()


def is_text(value: object) -> bool:
    return isinstance(value, Literal) and (value.language is not None or value.datatype in (None, XSD.string))


def prose(graph: Graph) -> list[tuple[URIRef, URIRef, Literal]]:
    """(subject, property, literal) of every prose literal of MIN_CHARS or more, spaces removed."""
    return [
        (s, p, o)
        for s, p, o in graph
        if p not in NOT_PROSE and is_text(o) and len("".join(str(o).split())) >= MIN_CHARS
    ]


def too_close(graph: Graph, known: set[str]) -> list[tuple[float, URIRef, URIRef, Literal]]:
    found = [(overlap(str(o), known), s, p, o) for s, p, o in prose(graph)]
    return sorted((f for f in found if f[0] > LIMIT), key=lambda f: -f[0])


def test_the_shingle_file_holds_hashes_only() -> None:
    lines = SHINGLES.read_text(encoding="ascii").splitlines()
    assert len(lines) > 1000
    assert all(re.fullmatch(r"[0-9a-f]{16}", line) for line in lines)
    assert lines == sorted(set(lines))


def test_every_prose_literal_is_our_own_words(built: Build, article: set[str]) -> None:
    checked: list[tuple[URIRef, URIRef, Literal]] = []
    over: list[tuple[float, URIRef, URIRef, Literal]] = []
    for name in GRAPHS:
        checked += prose(built.graphs[name])
        over += too_close(built.graphs[name], article)
    assert len(checked) > 200, "the check saw too little prose to mean anything"
    assert {p for _, p, _ in checked} >= EXPECTED_PROSE
    assert not over, "prose sharing more than 40% of its 6-character runs with the article:\n" + "\n".join(
        f"  {share:.0%} <{s}> <{p}> {o!r}" for share, s, p, o in over
    )


def test_the_measure_counts_shared_runs() -> None:
    sentence = "시험용으로 지어낸 문장이며 기사와는 아무 관련이 없다"
    known = hashes([sentence])
    assert overlap(sentence, known) == 1.0
    assert overlap("전혀 다르게 적은 우리만의 설명 글입니다", known) == 0.0
    half = "시험용으로 지어낸 문장이며" + "전혀 다르게 적은 우리만의"
    assert 0.3 < overlap(half, known) < 0.7
    assert runs("ab c d\nef") == ["abcdef"] and runs("abcde") == []


def test_text_as_the_article_writes_it_is_flagged(built: Build, article: set[str]) -> None:
    """The SW Future Division's programmes with their budgets, names and figures as written, in the
    article's order and form (paragraph 5): allowed as labels, refused as a description."""
    data = built.graphs["data"]
    items = []
    for program in data.objects(ID["division/sw-future"], NIPA.administers):
        (label,) = [o for o in data.objects(program, RDFS.label) if o.language == "ko"]
        figure = data.value(data.value(program, NIPA.hasBudget), NIPA.asWritten)
        items.append(
            (data.value(data.value(program, NIPA.hasBudget), SCHEMA.value).toPython(), label, figure)
        )
    order = ["XaaS", "SW 기술", "신산업", "SW안전", "거브테크", "디지털트윈 혁신", "디지털트윈 해외", "ICT"]
    items.sort(key=lambda item: next(i for i, start in enumerate(order) if str(item[1]).startswith(start)))
    as_written = "".join(f"△{label}({figure}) " for _, label, figure in items)
    assert overlap(as_written, article) > 0.95

    graph = Graph()
    thing = ID["fixture/copied"]
    graph.add((thing, RDF.type, NIPA.StrategicInitiative))
    graph.add((thing, RDFS.label, Literal(as_written, lang="ko")))
    graph.add((thing, SCHEMA.description, Literal(as_written, lang="ko")))
    graph.add(
        (
            thing,
            SCHEMA.description,
            Literal("SW미래본부가 올해 여덟 가지 사업에 예산을 나눠 쓴다.", lang="ko"),
        )
    )
    flagged = too_close(graph, article)
    assert [(p, str(o)) for _, _, p, o in flagged] == [(SCHEMA.description, as_written)]
