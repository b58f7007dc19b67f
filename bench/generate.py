"""Deterministic synthetic data in the nipa-kg model, for benchmarks.

    python -m bench.generate --triples 1e4 --out bench/data/1e4.nt      # or .nq, .trig (named graph)

The world is a list of agencies, each shaped like NIPA in `graph/data/`: a plan with its total, counts and
budget shares, divisions with budgets, funding programmes with budgets that never add up to more than their
division's, three strategic goals (SKOS) with initiatives, stated and curated goal links (with
`nipa:GoalLink` nodes), support hubs at home and abroad, a partner, and data-quality notes (every note's
target lists it back). Every resource has `rdfs:label` in Korean and English and cites its own agency's
synthetic source article by paragraph. Agencies are added while that brings the count closer to the
requested number of triples: it is off by at most half an agency (about 1,000 triples).

Agency `k` depends only on the seed and `k`: a smaller file is a prefix of a larger one, and agency 1
(`id:agency/bench-a0001`, which the bench queries name) exists at every size. Terms are written straight
as N-Triples text (no rdflib), about 10^6 triples in a few seconds. `ensure(size, seed, fmt)` generates a
file once per size, seed and format under `bench/data/` and reuses it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

BASE = "https://w3id.org/nipa-kg/"
DATA_GRAPH = f"{BASE}graph/data"
DATA_DIR = Path(__file__).parent / "data"
DEFAULT_SEED = 2025
FORMATS = ("nt", "nq", "trig")

NAMESPACES = {
    "nipa": "https://w3id.org/nipa-kg/ontology#",
    "id": f"{BASE}id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "qb": "http://purl.org/linked-data/cube#",
    "oa": "http://www.w3.org/ns/oa#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "time": "http://www.w3.org/2006/time#",
}

TOPICS = (
    ("AI", "AI"),
    ("클라우드", "Cloud"),
    ("디지털트윈", "Digital twin"),
    ("메타버스", "Metaverse"),
    ("데이터", "Data"),
    ("정보보호", "Cybersecurity"),
    ("블록체인", "Blockchain"),
    ("AI반도체", "AI chip"),
    ("모빌리티", "Mobility"),
    ("오픈소스", "Open source"),
    ("거브테크", "GovTech"),
    ("SW안전", "SW safety"),
)
KINDS = (
    ("실증 지원", "demonstration support"),
    ("사업화 지원", "commercialisation support"),
    ("해외진출 지원", "overseas expansion support"),
    ("인재 양성", "talent development"),
    ("기반 조성", "foundation building"),
    ("선도 프로젝트", "leading project"),
)
DIVISIONS = (
    ("SW미래본부", "SW Future Division"),
    ("AI인프라본부", "AI Infrastructure Division"),
    ("AI융합본부", "AI Convergence Division"),
    ("메타버스본부", "Metaverse Division"),
    ("지역디지털본부", "Regional Digital Division"),
    ("글로벌본부", "Global Division"),
    ("디지털안전본부", "Digital Safety Division"),
    ("데이터경제본부", "Data Economy Division"),
)
GOALS = (
    ("AI 인프라 투자 확대", "Expanding AI infrastructure investment"),
    ("AX 가속화와 AI 일상화 확산", "Accelerating AX and spreading everyday AI"),
    ("ICT 산업 글로벌 경쟁력 확보", "Securing the global competitiveness of the ICT industry"),
)
PURPOSES = (
    ("commercialisation", "사업화(실증)", "Commercialisation (demonstration)"),
    ("overseas-expansion", "해외 진출", "Overseas expansion"),
    ("infrastructure", "인프라 지원", "Infrastructure support"),
)
COUNTRIES = (
    ("south-korea", "대한민국", "South Korea"),
    ("united-states", "미국", "United States"),
    ("vietnam", "베트남", "Vietnam"),
    ("germany", "독일", "Germany"),
)
# slug, Korean, English, country slug
DOMESTIC_CITIES = (
    ("seoul", "서울", "Seoul", "south-korea"),
    ("busan", "부산", "Busan", "south-korea"),
    ("daegu", "대구", "Daegu", "south-korea"),
    ("gwangju", "광주", "Gwangju", "south-korea"),
    ("daejeon", "대전", "Daejeon", "south-korea"),
)
OVERSEAS_CITIES = (
    ("new-york-city", "뉴욕", "New York City", "united-states"),
    ("san-jose", "새너제이", "San Jose", "united-states"),
    ("hanoi", "하노이", "Hanoi", "vietnam"),
    ("berlin", "베를린", "Berlin", "germany"),
)
PARAGRAPHS = 12  # per synthetic article


@cache
def term(curie: str) -> str:
    """`prefix:local` as an N-Triples IRI."""
    prefix, local = curie.split(":", 1)
    return f"<{NAMESPACES[prefix]}{local}>"


def node(kind: str, slug: str) -> str:
    """A resource IRI `id:{kind}/{slug}`."""
    return f"<{BASE}id/{kind}/{slug}>"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def text(value: str, lang: str) -> str:
    return f'"{_escape(value)}"@{lang}'


def string(value: str) -> str:
    return f'"{_escape(value)}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^{term("xsd:" + datatype)}'


def integer(value: int) -> str:
    return typed(value, "integer")


TRUE = typed("true", "boolean")


def won(value: int) -> str:
    """A KRW amount as the article writes figures: 1401억9000만원, 34억원, 9500만원."""
    eok, man = divmod(value // 10_000, 10_000)
    return f"{eok}억{man}만원" if eok and man else f"{eok}억원" if eok else f"{man}만원"


@dataclass(frozen=True)
class Programme:
    iri: str
    value: int  # KRW
    new: bool


@dataclass
class Triples:
    """N-Triples lines of one block; `add` takes one subject and (predicate, object or objects) pairs."""

    lines: list[str] = field(default_factory=list)

    def add(self, subject: str, *pairs: tuple[str, str | list[str]]) -> None:
        for predicate, objects in pairs:
            pred = term(predicate)
            for obj in objects if isinstance(objects, list) else [objects]:
                self.lines.append(f"{subject} {pred} {obj} .\n")


def labels(ko: str, en: str, *, pref: bool = False) -> tuple[tuple[str, list[str]], ...]:
    both = [text(ko, "ko"), text(en, "en")]
    return (("rdfs:label", both), ("skos:prefLabel", both)) if pref else (("rdfs:label", both),)


def shared_block() -> list[str]:
    """What every agency refers to: fiscal year, Data Cube datasets, budget purposes, places, publisher.
    Their provenance cites agency 1's article, present at every size."""
    out = Triples()
    cite = provenance(1, [1])
    out.add(
        node("org", "bench-publisher"),
        ("rdf:type", term("schema:Organization")),
        *labels("벤치마크 통신", "Benchmark Wire"),
    )
    out.add(
        node("year", "bench-2025"),
        ("rdf:type", term("time:ProperInterval")),
        *labels("2025 회계연도 (벤치마크)", "Fiscal year 2025 (benchmark)"),
    )
    for slug, ko, en in (
        ("bench-budget-2025", "예산 금액", "budget amounts"),
        ("bench-budget-shares-2025", "예산 비중", "budget shares"),
    ):
        out.add(
            node("dataset", slug),
            ("rdf:type", term("qb:DataSet")),
            *labels(f"벤치마크 2025 {ko}", f"Benchmark {en} 2025"),
        )
    scheme = node("concept", "bench-budget-purposes")
    out.add(
        scheme,
        ("rdf:type", term("skos:ConceptScheme")),
        *labels("예산 용도 구분 (벤치마크)", "Budget purposes (benchmark)", pref=True),
        ("skos:hasTopConcept", [node("concept", f"bench-purpose-{p[0]}") for p in PURPOSES]),
    )
    for slug, ko, en in PURPOSES:
        out.add(
            node("concept", f"bench-purpose-{slug}"),
            ("rdf:type", term("nipa:BudgetPurpose")),
            *labels(ko, en, pref=True),
            ("skos:notation", string(slug)),
            ("skos:inScheme", scheme),
            ("skos:topConceptOf", scheme),
            *cite,
        )
    for slug, ko, en in COUNTRIES:
        out.add(node("place", f"bench-{slug}"), ("rdf:type", term("nipa:Country")), *labels(ko, en), *cite)
    for slug, ko, en, country in DOMESTIC_CITIES + OVERSEAS_CITIES:
        out.add(
            node("place", f"bench-{slug}"),
            ("rdf:type", term("nipa:City")),
            *labels(ko, en),
            ("nipa:locatedIn", node("place", f"bench-{country}")),
            *cite,
        )
    return out.lines


def article(k: int) -> str:
    return node("source", f"bench-a{k:04d}")


def provenance(k: int, paragraphs: list[int]) -> tuple[tuple[str, str | list[str]], ...]:
    """`prov:wasDerivedFrom` agency k's article and `nipa:sourceParagraph` each of `paragraphs`."""
    base = f"{BASE}id/source/bench-a{k:04d}/p"
    return (
        ("prov:wasDerivedFrom", article(k)),
        ("nipa:sourceParagraph", [f"<{base}{n}>" for n in paragraphs]),
    )


class Agency:
    """One synthetic agency and everything under it; `lines()` writes it."""

    def __init__(self, k: int, seed: int) -> None:
        self.k, self.rng, self.out = k, random.Random(f"{seed}/{k}"), Triples()
        self.tag = f"bench-a{k:04d}"
        self.agency = node("agency", self.tag)
        self.plan = node("plan", f"{self.tag}-2025")
        self.total = node("amount", f"{self.tag}-total-2025")
        self.year, self.notes = node("year", "bench-2025"), 0

    def lines(self) -> list[str]:
        divisions = [self.division(d) for d in range(1, self.rng.randint(4, 8) + 1)]
        programmes = [p for _, _, listed in divisions for p in listed]
        goals = self.goals()
        initiatives = [self.initiative(g, goal, i) for g, goal in enumerate(goals, 1) for i in (1, 2)]
        for index, programme in enumerate(programmes):
            if index % 2 == 0:
                self.goal_link(programme.iri, goals[index % 3], stated=index % 6 == 0, paragraph=9)
        hubs = self.hubs()
        partner = self.partner(initiatives[-1])
        total = sum(budget or 0 for _, budget, _ in divisions) + self.rng.randint(1, 500) * 100_000_000
        self.amount(self.total, total, self.agency, "전체 지원 예산", "total support budget", 1)
        self.agency_and_plan(divisions, programmes, hubs, partner)
        self.article()
        return self.out.lines

    def amount(self, iri: str, value: int, of: str, ko: str, en: str, paragraph: int) -> None:
        name = f"{self.tag} {{}} 2025"
        self.out.add(
            iri,
            ("rdf:type", term("nipa:BudgetAmount")),
            *labels(name.format(ko), name.format(en)),
            ("schema:value", typed(value, "decimal")),
            ("schema:currency", string("KRW")),
            ("nipa:asWritten", string(won(value))),
            ("nipa:budgetOf", of),
            ("nipa:fiscalYear", self.year),
            ("qb:dataSet", node("dataset", "bench-budget-2025")),
            *provenance(self.k, [paragraph]),
        )

    def note(
        self, target: str, issue: str, ko: str, en: str, affects: str, token: str | None, para: int
    ) -> str:
        """A data-quality note on `target`; the caller lists it back with `nipa:hasQualityNote`."""
        self.notes += 1
        iri = node("note", f"{self.tag}-n{self.notes:03d}")
        written = [("nipa:textAsWritten", string(token))] if token else []
        self.out.add(
            iri,
            ("rdf:type", term("nipa:DataQualityNote")),
            *labels(ko, en),
            (
                "rdfs:comment",
                [text(f"{ko}: 합성 데이터의 주석.", "ko"), text(f"{en}: a note in synthetic data.", "en")],
            ),
            ("nipa:issueType", term(f"nipa:{issue}")),
            ("nipa:qualityNoteOf", target),
            ("oa:motivatedBy", term("dqv:qualityAssessment")),
            ("nipa:affectsProperty", term(affects)),
            *written,
            *provenance(self.k, [para]),
        )
        return iri

    def division(self, d: int) -> tuple[str, int | None, list[Programme]]:
        """A division, its programmes, and its budget (None when missing, as the Metaverse Division's)."""
        slug = f"{self.tag}-d{d:02d}"
        iri = node("division", slug)
        ko, en = DIVISIONS[(d - 1) % len(DIVISIONS)]
        programmes = [self.programme(iri, slug, d, p) for p in range(1, self.rng.randint(4, 14) + 1)]
        listed = sum(p.value for p in programmes)
        budget = None if self.rng.random() < 0.12 else listed + self.rng.randint(0, 400) * 100_000_000
        facts: list[tuple[str, str | list[str]]] = []
        if budget is None:
            note = self.note(
                iri,
                "MissingFigure",
                "예산이 나오지 않는 본부",
                "Division budget not given",
                "nipa:hasBudget",
                None,
                3,
            )
            facts.append(("nipa:hasQualityNote", note))
        else:
            amount = node("amount", f"division-{slug}-2025")
            self.amount(amount, budget, iri, f"{ko} 지원액", f"{en} support budget", 3)
            facts.append(("nipa:hasBudget", amount))
            if budget > listed and d % 3 == 1:
                note = self.note(
                    iri,
                    "PartialList",
                    "일부만 나열된 사업 목록",
                    "Partial programme list",
                    "nipa:administers",
                    "등",
                    3 + d % 5,
                )
                facts.append(("nipa:hasQualityNote", note))
        self.out.add(
            iri,
            ("rdf:type", term("nipa:Division")),
            *labels(f"{ko} {self.k}", f"{en} {self.k}"),
            ("nipa:divisionOf", self.agency),
            ("nipa:administers", [p.iri for p in programmes]),
            *facts,
            *provenance(self.k, [3]),
        )
        return iri, budget, programmes

    def programme(self, division: str, division_slug: str, d: int, p: int) -> Programme:
        slug = f"{division_slug}-p{p:02d}"
        iri = node("program", slug)
        (topic_ko, topic_en), (kind_ko, kind_en) = self.rng.choice(TOPICS), self.rng.choice(KINDS)
        ko, en = f"{topic_ko} {kind_ko} {self.k}-{d}-{p}", f"{topic_en} {kind_en} {self.k}-{d}-{p}"
        value = self.rng.randint(2, 600) * 10_000_000
        amount = node("amount", f"program-{slug}-2025")
        self.amount(amount, value, iri, f"{ko} 예산", f"{en} budget", 4 + d % 5)
        new = self.rng.random() < 0.15
        facts: list[tuple[str, str | list[str]]] = [("nipa:isNew", TRUE)] if new else []
        if self.rng.random() < 0.05:
            note = self.note(
                iri,
                "Typo",
                "사업 이름의 오타",
                "Typo in the programme name",
                "rdfs:label",
                topic_ko + topic_ko[-1],
                4 + d % 5,
            )
            facts.append(("nipa:hasQualityNote", note))
        self.out.add(
            iri,
            ("rdf:type", term("nipa:FundingProgram")),
            *labels(ko, en),
            ("nipa:administeredBy", division),
            ("nipa:fundingAgency", self.agency),
            ("nipa:hasBudget", amount),
            *facts,
            *provenance(self.k, [4 + d % 5]),
        )
        return Programme(iri, value, new)

    def goals(self) -> list[str]:
        scheme = node("goal", f"{self.tag}-scheme")
        goals = [node("goal", f"{self.tag}-{g}") for g in (1, 2, 3)]
        self.out.add(
            scheme,
            ("rdf:type", term("skos:ConceptScheme")),
            *labels(f"전략목표 {self.k}", f"Strategic goals {self.k}", pref=True),
            ("skos:hasTopConcept", goals),
            *provenance(self.k, [9]),
        )
        for g, ((ko, en), goal) in enumerate(zip(GOALS, goals, strict=True), 1):
            self.out.add(
                goal,
                ("rdf:type", term("nipa:StrategicGoal")),
                *labels(f"{ko} ({self.k})", f"{en} ({self.k})", pref=True),
                ("skos:notation", string(str(g))),
                ("skos:inScheme", scheme),
                ("skos:topConceptOf", scheme),
                *provenance(self.k, [9]),
            )
        return goals

    def initiative(self, g: int, goal: str, i: int) -> str:
        iri = node("initiative", f"{self.tag}-g{g}-i{i}")
        (topic_ko, topic_en), (kind_ko, kind_en) = self.rng.choice(TOPICS), self.rng.choice(KINDS)
        facts: list[tuple[str, str | list[str]]] = []
        if i == 2:
            facts.append(("nipa:isNew", TRUE))
        self.out.add(
            iri,
            ("rdf:type", term("nipa:StrategicInitiative")),
            *labels(
                f"{topic_ko} {kind_ko} 추진 {self.k}-{g}-{i}",
                f"Pursuing {topic_en.lower()} {kind_en} {self.k}-{g}-{i}",
            ),
            (
                "schema:description",
                [
                    text(f"전략목표 {g} 아래의 합성 추진과제.", "ko"),
                    text(f"A synthetic initiative under goal {g}.", "en"),
                ],
            ),
            *facts,
            *provenance(self.k, [10 + i]),
        )
        self.goal_link(iri, goal, stated=True, paragraph=10 + i)
        return iri

    def goal_link(self, item: str, goal: str, *, stated: bool, paragraph: int) -> None:
        basis, kind = ("Stated", "stated") if stated else ("Curated", "curated")
        item_slug, goal_slug = item.rsplit("/", 1)[1][:-1], goal.rsplit("/", 1)[1][:-1]
        link = node("link", f"{item_slug}-goal-{goal_slug[-1]}")
        self.out.add(item, (f"nipa:{kind}ContributesToGoal", goal))
        rationale = (
            ("기사가 이 목표 아래에 둔다.", "The source places it under this goal.")
            if stated
            else ("사업 내용이 목표와 맞닿는다.", "Its content matches the goal.")
        )
        self.out.add(
            link,
            ("rdf:type", term("nipa:GoalLink")),
            *labels(
                f"{item_slug} → {goal_slug} ({'기사 명시' if stated else '큐레이션'})",
                f"{item_slug} → {goal_slug} ({kind})",
            ),
            ("nipa:linkSubject", item),
            ("nipa:linkGoal", goal),
            ("nipa:linkBasis", term(f"nipa:{basis}")),
            ("nipa:rationale", [text(rationale[0], "ko"), text(rationale[1], "en")]),
            *provenance(self.k, [paragraph]),
        )

    def hubs(self) -> tuple[list[str], int, int]:
        """The hubs, and how many are domestic and overseas."""
        domestic = self.rng.sample(DOMESTIC_CITIES, self.rng.randint(1, 3))
        overseas = self.rng.sample(OVERSEAS_CITIES, self.rng.randint(0, 2))
        hubs = []
        for cities, kind, ko_kind, en_kind in (
            (domestic, "DomesticHub", "지역", "regional"),
            (overseas, "OverseasHub", "해외", "overseas"),
        ):
            for slug, ko, en, _ in cities:
                iri = node("hub", f"{self.tag}-{slug}")
                self.out.add(
                    iri,
                    ("rdf:type", term(f"nipa:{kind}")),
                    *labels(f"{ko} {ko_kind} 거점 {self.k}", f"{en} {en_kind} hub {self.k}"),
                    ("nipa:hubOf", self.agency),
                    ("nipa:locatedIn", node("place", f"bench-{slug}")),
                    *provenance(self.k, [2]),
                )
                hubs.append(iri)
        return hubs, len(domestic), len(overseas)

    def partner(self, initiative: str) -> str:
        slug, ko, en, _ = self.rng.choice(OVERSEAS_CITIES)
        iri = node("org", f"{self.tag}-partner")
        self.out.add(
            iri,
            ("rdf:type", term("nipa:PartnerOrganization")),
            *labels(f"{ko} 협력기관 {self.k}", f"{en} partner {self.k}"),
            ("nipa:locatedIn", node("place", f"bench-{slug}")),
            *provenance(self.k, [12]),
        )
        self.out.add(initiative, ("nipa:involvesPartner", iri))
        return iri

    def agency_and_plan(
        self,
        divisions: list[tuple[str, int | None, list[Programme]]],
        programmes: list[Programme],
        hubs: tuple[list[str], int, int],
        partner: str,
    ) -> None:
        hub_iris, domestic, overseas = hubs
        self.out.add(
            self.agency,
            ("rdf:type", term("nipa:Agency")),
            *labels(f"벤치마크 진흥원 {self.k}", f"Benchmark Promotion Agency {self.k}"),
            ("nipa:hasDivision", [d for d, _, _ in divisions]),
            ("nipa:hasHub", hub_iris),
            ("nipa:hasPlan", self.plan),
            ("nipa:hasBudget", self.total),
            ("nipa:hasPartner", partner),
            *provenance(self.k, [1, 2]),
        )
        first = self.rng.randint(5, 59)
        second = self.rng.randint(5, min(59, 94 - first))  # leaves at least 1 for the third: never over 100
        values = [first, second, min(100 - first - second, self.rng.randint(5, 40))]
        share_iris = [node("share", f"{self.tag}-{slug}-2025") for slug, _, _ in PURPOSES]
        facts: list[tuple[str, str | list[str]]] = []
        if sum(values) != 100:
            note = self.note(
                self.plan,
                "SharesDoNotSum",
                "합이 100%가 아닌 예산 비중",
                "Budget shares that do not add up to 100%",
                "schema:value",
                "/".join(f"{v}%" for v in values),
                2,
            )
            facts.append(("nipa:hasQualityNote", note))
        for iri, value, (slug, ko, en) in zip(share_iris, values, PURPOSES, strict=True):
            self.out.add(
                iri,
                ("rdf:type", term("nipa:BudgetShare")),
                *labels(f"{self.tag} 예산 중 {ko} 비중", f"{self.tag} budget share for {en.lower()}"),
                ("schema:value", typed(value, "decimal")),
                ("schema:unitCode", string("P1")),
                ("schema:unitText", string("%")),
                ("nipa:asWritten", string(f"{value}%")),
                ("nipa:shareOf", self.total),
                ("nipa:budgetPurpose", node("concept", f"bench-purpose-{slug}")),
                ("nipa:fiscalYear", self.year),
                ("qb:dataSet", node("dataset", "bench-budget-shares-2025")),
                *provenance(self.k, [2]),
            )
        new = sum(p.new for p in programmes)
        self.out.add(
            self.plan,
            ("rdf:type", term("nipa:AnnualPlan")),
            *labels(f"벤치마크 진흥원 {self.k} 2025년 사업 계획", f"Benchmark agency {self.k} plan 2025"),
            ("nipa:planOf", self.agency),
            ("nipa:fiscalYear", self.year),
            ("nipa:totalBudget", self.total),
            ("nipa:programCount", integer(len(programmes) + self.rng.randint(0, 20))),
            ("nipa:newProgramCount", integer(new + self.rng.randint(0, 3))),
            ("nipa:hubCount", integer(domestic + overseas + 2)),
            ("nipa:domesticHubCount", integer(domestic + 1)),
            ("nipa:overseasHubCount", integer(overseas + 1)),
            ("nipa:divisionCount", integer(len(divisions))),
            ("nipa:strategicGoalCount", integer(3)),
            ("nipa:hasShare", share_iris),
            ("nipa:hasGoalScheme", node("goal", f"{self.tag}-scheme")),
            *facts,
            *provenance(self.k, [1, 2]),
        )

    def article(self) -> None:
        iri = article(self.k)
        self.out.add(
            iri,
            ("rdf:type", term("nipa:SourceArticle")),
            *labels(f"벤치마크 기사 {self.k}", f"Benchmark article {self.k}"),
            ("schema:publisher", node("org", "bench-publisher")),
            ("schema:datePublished", typed("2025-02-06", "date")),
            ("schema:inLanguage", string("ko")),
        )
        for n in range(1, PARAGRAPHS + 1):
            self.out.add(
                f"<{BASE}id/source/{self.tag}/p{n}>",
                ("rdf:type", term("nipa:SourceParagraph")),
                *labels(f"기사 {self.k}의 {n}문단", f"Article {self.k} paragraph {n}"),
                ("nipa:paragraphNumber", integer(n)),
                ("dct:isPartOf", iri),
            )


def blocks(triples: int, seed: int) -> Iterator[list[str]]:
    """The shared block, then agency 1, 2, ... while adding the next brings the count closer to
    `triples` (agency 1 always)."""
    shared = shared_block()
    yield shared
    written, k = len(shared), 1
    while True:
        block = Agency(k, seed).lines()
        if k > 1 and written + len(block) - triples > triples - written:
            return
        yield block
        written, k = written + len(block), k + 1


@dataclass(frozen=True)
class Generated:
    path: Path
    triples: int
    agencies: int


def write(path: Path, triples: int, seed: int = DEFAULT_SEED) -> Generated:
    """Generate into `path` (format from its extension: nt, nq, trig), atomically."""
    fmt = path.suffix.lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path}: the output is .nt, .nq or .trig, not {path.suffix or 'no extension'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    count = agencies = 0
    graph = f"<{DATA_GRAPH}>"
    with staged.open("w", encoding="utf-8") as out:
        if fmt == "trig":
            out.write(f"{graph} {{\n")
        for block in blocks(triples, seed):
            count, agencies = count + len(block), agencies + 1
            out.writelines(f"{line[:-3]} {graph} .\n" for line in block) if fmt == "nq" else out.writelines(
                block
            )
        if fmt == "trig":
            out.write("}\n")
    staged.replace(path)
    return Generated(path, count, agencies - 1)


def size_label(triples: int) -> str:
    """10000 → '1e4', 2000 → '2e3', 12345 → '12345'."""
    mantissa, exponent = f"{triples:e}".split("e")
    value = float(mantissa)
    return f"{value:g}e{int(exponent)}" if value * 10 ** int(exponent) == triples else str(triples)


def parse_size(value: str) -> int:
    """'1e4', '10000', '2.5e5' → an integer count of triples."""
    size = float(value)
    if size < 1 or size != int(size):
        raise argparse.ArgumentTypeError(f"a number of triples, not {value!r}")
    return int(size)


def ensure(triples: int, seed: int = DEFAULT_SEED, fmt: str = "nt", folder: Path = DATA_DIR) -> Generated:
    """The generated file for this size, seed and format, generated on first use (its counts are kept
    beside it in a `.json` file)."""
    path = folder / f"{size_label(triples)}-s{seed}.{fmt}"
    counts = path.with_name(path.name + ".json")
    if path.is_file() and counts.is_file():
        known = json.loads(counts.read_text())
        return Generated(path, known["triples"], known["agencies"])
    generated = write(path, triples, seed)
    counts.write_text(json.dumps({"triples": generated.triples, "agencies": generated.agencies}))
    return generated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="how many triples, e.g. 1e4")
    parser.add_argument("--out", type=Path, required=True, help="output file: .nt, .nq or .trig")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    try:
        generated = write(args.out, args.triples, args.seed)
    except (OSError, ValueError) as exc:
        print(f"bench.generate: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {generated.triples} triples ({generated.agencies} agencies) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
