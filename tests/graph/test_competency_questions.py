"""Competency questions over the built NIPA graph, asked through SPARQL.

Each expected figure below is read off the article (paragraph numbers in the comments), not off the
graph: a wrong conversion, a lost link or a missing inference fails here. The last group asks the same
questions in W3C ORG, schema.org and SKOS terms only, which works only after OWL-RL reasoning.
"""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

import pytest
from rdflib import Dataset

from nipa_kg.server.query.local import run_query, solutions, store_of
from nipa_kg.server.store.base import SolutionsResult
from nipa_kg.server.store.embedded import EmbeddedStore

BASE = "https://w3id.org/nipa-kg/"
ID = BASE + "id/"
NIPA = BASE + "ontology#"


@pytest.fixture(scope="module")
def store(built_dataset: Dataset) -> EmbeddedStore:
    return store_of(built_dataset)


def rows(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    result = run_query(store, sparql, BASE)
    assert isinstance(result, SolutionsResult)
    found = solutions(result)
    names = [v.value for v in found.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in found]


def canned(store: EmbeddedStore, name: str) -> list[dict[str, str]]:
    query = next(p for p in files("nipa_kg.graph.queries").iterdir() if p.name.startswith(name))
    return rows(store, query.read_text(encoding="utf-8"))


def test_total_budget_is_5634_eok_won_with_every_written_form(store: EmbeddedStore) -> None:
    answers = canned(store, "01-")
    assert {Decimal(a["valueKRW"]) for a in answers} == {Decimal("563400000000")}  # 5634억 (paragraphs 2, 3)
    assert {a["currency"] for a in answers} == {"KRW"}
    assert {a["asWritten"] for a in answers} == {"5634억25억원", "5634억", "5634억원"}


def test_divisions_ranked_by_budget(store: EmbeddedStore) -> None:
    ranked = canned(store, "02-")
    assert [r["division"].removeprefix(ID + "division/") for r in ranked] == [
        "ai-infrastructure",  # 1401억9000만원 (paragraph 4)
        "regional-digital",  # 1143억2600만원
        "ai-convergence",  # 1003억
        "global",  # 561억4200만원
        "sw-future",  # 461억4400만원
        "metaverse",  # not given
    ]
    assert [Decimal(r["budgetKRW"]) for r in ranked[:5]] == [
        Decimal(v) for v in ("140190000000", "114326000000", "100300000000", "56142000000", "46144000000")
    ]
    assert "budgetKRW" not in ranked[5]


def test_sw_future_listed_programmes_sum_against_division_budget(store: EmbeddedStore) -> None:
    (answer,) = canned(store, "03-")
    listed = [28_4000, 3_9300, 13_5000, 3_8000, 34_0000, 13_9500, 34_2000, 6_2000]  # 만원, paragraph 5
    assert int(answer["listedPrograms"]) == 8
    assert Decimal(answer["listedSumKRW"]) == Decimal(sum(listed) * 10_000)
    assert Decimal(answer["divisionBudgetKRW"]) == Decimal("46144000000")
    assert Decimal(answer["unlistedRemainderKRW"]) == Decimal(46144000000 - sum(listed) * 10_000)


GOAL_QUERY = """
SELECT ?goal ?item WHERE { ?item nipa:%s ?goal } ORDER BY ?goal ?item
"""


def goal_items(store: EmbeddedStore, prop: str) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for r in rows(store, GOAL_QUERY % prop):
        grouped.setdefault(r["goal"].removeprefix(ID + "goal/"), set()).add(r["item"].removeprefix(ID))
    return grouped


def test_initiatives_per_goal_stated_only(store: EmbeddedStore) -> None:
    stated = goal_items(store, "statedContributesToGoal")
    assert stated["1"] == {
        "initiative/national-ai-computing-infrastructure",
        "initiative/on-device-ai-domestic-chips",
        "initiative/national-ai-computing-center",
        "initiative/data-center-ecosystem",
    }
    assert {"initiative/regional-ai-transformation", "initiative/sdx"} <= stated["2"]
    assert stated["3"] == {
        "initiative/asean-cooperation",
        "initiative/nyu-partnership",
        "initiative/overseas-demonstration-ai-dx",
        "initiative/ict-regulatory-sandbox",
    }
    # The article links no funding programme to a goal: every programme link is curated.
    assert not any(item.startswith("program/") for items in stated.values() for item in items)


def test_programmes_per_goal_with_curated_links_and_money(store: EmbeddedStore) -> None:
    goal3 = canned(store, "04-")
    programmes = {
        r["item"].removeprefix(ID): (r["basis"], Decimal(r["budgetKRW"])) for r in goal3 if "budgetKRW" in r
    }
    assert programmes == {
        "program/ict-regulatory-sandbox": ("curated", Decimal("620000000")),  # 6억2000만원
        "program/digital-twin-overseas-foundation": ("curated", Decimal("3420000000")),  # 34억2000만원
    }
    every = goal_items(store, "contributesToGoal")
    curated = goal_items(store, "curatedContributesToGoal")
    stated = goal_items(store, "statedContributesToGoal")
    for goal in ("1", "2", "3"):
        assert every[goal] == curated.get(goal, set()) | stated[goal]


def test_every_goal_link_says_why(store: EmbeddedStore) -> None:
    links = canned(store, "05-")
    assert links and all(r["basis"] in {"stated", "curated"} and r["rationale"] for r in links)


def test_overseas_hubs(store: EmbeddedStore) -> None:
    (hub,) = canned(store, "06-")
    assert hub["hub"] == ID + "hub/new-york"
    assert hub["isNew"] == "true"
    assert hub["wikidata"] == "http://www.wikidata.org/entity/Q60"
    assert (int(hub["overseasHubCount"]), int(hub["hubCount"])) == (7, 23)  # paragraph 2


def test_data_quality_notes_cover_every_known_defect(store: EmbeddedStore) -> None:
    notes = canned(store, "07-")
    by_issue: dict[str, set[str]] = {}
    for r in notes:
        by_issue.setdefault(r["issue"], set()).add(r.get("asWritten", ""))
    assert "5634억25억원" in by_issue["garbled-figure"]
    assert {"시규", "메터버스", "몰래"} <= by_issue["typo"]
    assert "AI융합인프라" in by_issue["inconsistent-naming"]
    assert {"59%", "13%", "26%"} <= by_issue["shares-do-not-sum"]
    assert "등" in by_issue["partial-list"]
    # the report's and the industry's figures for the decrease agree (paragraph 3)
    assert {"1600억 정도", "1500억 이상", "표면적으로"} <= by_issue["compatible-figures"]
    assert "conflicting-figures" not in by_issue
    assert "missing-figure" in by_issue
    assert "공식 지원 예산" in by_issue["inferred-value"]  # the total's status, read from paragraph 3


def test_shares_are_as_stated_and_their_sum_is_computed_not_stored(store: EmbeddedStore) -> None:
    shares = canned(store, "08-")
    assert [Decimal(r["percent"]) for r in shares] == [59, 26, 13]
    assert {Decimal(r["sumOfStatedShares"]) for r in shares} == {Decimal(98)}
    assert not rows(store, "SELECT ?s WHERE { ?s nipa:sharesSum ?x }")


def test_year_on_year_change_keeps_both_voices(store: EmbeddedStore) -> None:
    changes = rows(
        store,
        """SELECT ?value ?min ?who ?precision WHERE {
             ?plan nipa:hasBudgetChange ?c . ?c nipa:statedBy ?who ; nipa:precision ?precision .
             OPTIONAL { ?c schema:value ?value } OPTIONAL { ?c schema:minValue ?min } }""",
    )
    assert {(c.get("value"), c.get("min"), c["who"].removeprefix(ID)) for c in changes} == {
        ("160000000000", None, "org/zdnet-korea"),
        (None, "150000000000", "org/ict-industry"),
    }


def test_unknown_figures_stay_unknown(store: EmbeddedStore) -> None:
    assert not rows(store, f"SELECT ?v WHERE {{ <{ID}division/metaverse> nipa:hasBudget ?a }}")
    (supplementary,) = rows(
        store,
        """SELECT ?w ?v WHERE { ?p nipa:supplementaryBudget ?a . ?a nipa:asWritten ?w
             OPTIONAL { ?a schema:value ?v } }""",
    )
    assert supplementary == {"w": "수천억"}


def test_both_inferred_approval_statuses_are_marked(store: EmbeddedStore) -> None:
    marked = rows(
        store,
        """SELECT ?amount ?status WHERE { ?amount nipa:approvalStatus ?status ; nipa:hasQualityNote ?note .
             ?note nipa:issueType nipa:InferredValue ; nipa:affectsProperty nipa:approvalStatus }""",
    )
    assert {(r["amount"].removeprefix(ID), r["status"].removeprefix(NIPA)) for r in marked} == {
        ("amount/total-2025", "Adopted"),
        ("amount/supplementary-2025", "Proposed"),
    }


def test_a_funding_programme_query_claims_only_what_the_article_says(store: EmbeddedStore) -> None:
    """The article counts 68 공모사업 but calls none of the eight listed programmes one (paragraphs 2, 5)."""
    assert not rows(store, "SELECT ?p WHERE { ?p a nipa:FundingProgram }")
    listed = rows(
        store,
        f"SELECT ?p WHERE {{ <{ID}division/sw-future> nipa:administers ?p . ?p a nipa:SupportProgram }}",
    )
    assert len(listed) == 8
    schemes = rows(store, "SELECT ?p WHERE { ?p a nipa:RegulatoryScheme }")
    assert [r["p"] for r in schemes] == [ID + "program/ict-regulatory-sandbox"]


def test_no_one_is_said_to_run_the_regional_hubs(store: EmbeddedStore) -> None:
    hubs = rows(store, "SELECT ?hub WHERE { ?hub nipa:hubOf ?agency }")
    assert [r["hub"] for r in hubs] == [ID + "hub/new-york"]
    noted = rows(
        store, f"SELECT ?hub WHERE {{ <{ID}note/regional-hubs-unspecified> nipa:qualityNoteOf ?hub }}"
    )
    assert {r["hub"].removeprefix(ID) for r in noted} == {
        "hub/daegu-regional-ai-sw",
        "hub/gwangju-regional-ai-sw",
    }


def test_asean_cooperation_is_with_the_countries(store: EmbeddedStore) -> None:
    (target,) = rows(store, f"SELECT ?r WHERE {{ <{ID}initiative/asean-cooperation> nipa:targetsRegion ?r }}")
    assert target["r"] == ID + "place/asean-countries"
    partners = rows(
        store, "SELECT DISTINCT ?p WHERE { { ?a nipa:hasPartner ?p } UNION { ?i nipa:involvesPartner ?p } }"
    )
    assert [r["p"] for r in partners] == [ID + "org/nyu"]


def test_the_computing_centre_loans_are_a_resource_with_provenance(store: EmbeddedStore) -> None:
    (loan,) = rows(
        store,
        f"""SELECT ?loan ?n WHERE {{ <{ID}initiative/national-ai-computing-center> nipa:hasFinancing ?loan .
             ?loan a schema:LoanOrCredit ; prov:wasDerivedFrom <{ID}source/zdnet-2025-02-06> ;
                   nipa:sourceParagraph/nipa:paragraphNumber ?n }}""",
    )
    assert loan == {"loan": ID + "loan/national-ai-computing-center-policy-loans", "n": "12"}


def test_division_budgets_leave_part_of_the_total_unassigned(store: EmbeddedStore) -> None:
    (answer,) = canned(store, "13-")
    stated = [140190000000, 114326000000, 100300000000, 56142000000, 46144000000]  # paragraph 4
    assert (int(answer["divisions"]), int(answer["divisionsWithBudget"])) == (6, 5)
    assert Decimal(answer["statedSumKRW"]) == Decimal(sum(stated))
    assert Decimal(answer["unassignedKRW"]) == Decimal(563400000000 - sum(stated))  # computed, not stored
    assert answer["largestExceedsUnassigned"] == "true"  # AI Infrastructure stays the largest
    unassigned = 563400000000 - sum(stated)
    assert not rows(store, f"SELECT ?s WHERE {{ ?s ?p ?v FILTER(isNumeric(?v) && ?v = {unassigned}) }}")
    (note,) = rows(
        store,
        f"""SELECT ?note WHERE {{ ?note nipa:issueType nipa:PartialList ;
             nipa:qualityNoteOf <{ID}agency/nipa> , <{ID}division/metaverse> }}""",
    )
    assert note["note"] == ID + "note/division-budgets-partial"


# The same questions in standard vocabularies only (no nipa: term), answered after OWL-RL reasoning.


def test_divisions_and_budgets_in_org_and_schema_terms(store: EmbeddedStore) -> None:
    ranked = canned(store, "09-")
    assert len(ranked) == 5
    assert Decimal(ranked[0]["valueKRW"]) == Decimal("140190000000")
    assert {r["agencyName"] for r in ranked} == {"National IT Industry Promotion Agency"}


def test_total_in_schema_terms(store: EmbeddedStore) -> None:
    (total,) = rows(
        store,
        """SELECT ?v WHERE { ?agency a schema:GovernmentOrganization ; schema:amount ?m .
             ?m a schema:MonetaryAmount ; schema:value ?v ; schema:currency "KRW" }""",
    )
    assert Decimal(total["v"]) == Decimal("563400000000")


def test_goals_and_their_items_in_skos_and_dcterms(store: EmbeddedStore) -> None:
    answer = rows(
        store,
        """SELECT ?notation (COUNT(DISTINCT ?item) AS ?items) WHERE {
             ?scheme a skos:ConceptScheme ; skos:hasTopConcept ?goal .
             ?goal a skos:Concept ; skos:notation ?notation ; skos:prefLabel ?label .
             ?item dct:subject ?goal } GROUP BY ?notation ORDER BY ?notation""",
    )
    stated_and_curated = goal_items(store, "contributesToGoal")
    assert {r["notation"]: int(r["items"]) for r in answer} == {
        goal: len(items) for goal, items in stated_and_curated.items()
    }


def test_overseas_sites_in_org_and_schema_terms(store: EmbeddedStore) -> None:
    sites = rows(
        store,
        """SELECT DISTINCT ?site ?country WHERE {
             ?agency a org:FormalOrganization ; org:hasSite ?site . ?site org:siteOf ?agency .
             ?site schema:containedInPlace+ ?country . ?country a schema:Country .
             FILTER NOT EXISTS { ?country owl:sameAs wd:Q884 } }""",
    )
    assert {(s["site"].removeprefix(ID), s["country"].removeprefix(ID)) for s in sites} == {
        ("hub/new-york", "place/united-states")
    }


def test_every_fact_bearing_resource_derives_from_the_article(store: EmbeddedStore) -> None:
    missing = rows(
        store,
        f"""SELECT ?r WHERE {{ ?r a ?class . FILTER(STRSTARTS(STR(?class), STR(nipa:)))
             FILTER(?class NOT IN (nipa:SourceArticle, nipa:SourceParagraph))
             FILTER NOT EXISTS {{ ?class a skos:Concept }}
             FILTER(STRSTARTS(STR(?r), STR(id:)))
             FILTER NOT EXISTS {{ ?r prov:wasDerivedFrom <{ID}source/zdnet-2025-02-06> ;
                                    nipa:sourceParagraph/nipa:paragraphNumber ?n }} }}""",
    )
    assert missing == []
