"""The annual plan's figures for the agency's summary (`story.agency_story`): the total as written and in
won, the counts the plan states (programmes, new programmes, hubs, divisions, goals), the budget split by
purpose with the shares' sum (computed: the article's do not reach 100), the change against the year
before (each voice's figure) and the supplementary budget, which the article gives no exact figure for."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from nipa_kg.core import namespaces as ns
from nipa_kg.server.site.data import iri_list
from nipa_kg.server.site.formatting import format_number
from nipa_kg.server.site.i18n import translate
from nipa_kg.server.site.present import Presenter, Text

if TYPE_CHECKING:
    from nipa_kg.server.site.story import Cell, Teller

XSD_INTEGER = str(ns.XSD.integer)


@dataclass
class PlanFigures:
    plan: str | None = None
    total: tuple[Decimal | None, list[str]] = (None, [])
    counts: list[tuple[str, int]] = field(default_factory=list)  # property → count
    shares: list[tuple[str, Decimal, str | None]] = field(default_factory=list)  # purpose, %, as written
    changes: list[str] = field(default_factory=list)
    supplementary: list[tuple[str, str | None]] = field(default_factory=list)  # amount, as written

    def rows(self, show: Presenter) -> list[tuple[str, list[Cell]]]:
        if self.plan is None:
            return []
        value, written = self.total
        money: list[Cell] = [Text(w, "ko") for w in written]
        if value is not None:
            money.append(f"₩{int(value):,}")
        rows: list[tuple[str, list[Cell]]] = [(translate("story_plan"), [show.show_iri(self.plan)])]
        rows.append((translate("story_total"), money or [translate("budget_not_given")]))
        rows += [(show.name(prop).value, [format_number(n)]) for prop, n in self.counts]
        if self.shares:
            parts: list[Cell] = [f"{show.name(p).value} {format_number(v)}%" for p, v, _ in self.shares]
            total = sum((v for _, v, _ in self.shares), Decimal(0))
            parts.append(translate("story_shares_sum") % format_number(total))
            rows.append((translate("story_shares"), parts))
        if self.changes:
            rows.append((translate("story_change"), [show.show_iri(c) for c in self.changes]))
        for amount, text in self.supplementary:
            cells: list[Cell] = [Text(text, "ko")] if text else []
            rows.append((translate("story_supplementary"), [*cells, show.show_iri(amount)]))
        return rows


def plan_figures(teller: Teller) -> PlanFigures:
    """The figures of the agency's plan (its first, if it had several)."""
    plans = teller.select(f"SELECT ?plan WHERE {{ {teller.me} nipa:hasPlan ?plan }} ORDER BY ?plan LIMIT 1")
    if not plans:
        return PlanFigures()
    plan = plans[0]["plan"].value
    me = iri_list([plan])
    figures = PlanFigures(plan)
    totals = teller.select(
        f"""SELECT ?value ?written WHERE {{ {me} nipa:totalBudget ?amount .
        OPTIONAL {{ ?amount schema:value ?value }} OPTIONAL {{ ?amount nipa:asWritten ?written }} }}"""
    )
    value = next((Decimal(r["value"].value) for r in totals if "value" in r), None)
    figures.total = (value, sorted({r["written"].value for r in totals if "written" in r}))
    counts = teller.select(
        f"""SELECT ?p ?n WHERE {{ {me} ?p ?n FILTER(datatype(?n) = <{XSD_INTEGER}>) }} ORDER BY DESC(?n) ?p"""
    )
    figures.counts = [(r["p"].value, int(r["n"].value)) for r in counts]
    shares = teller.select(
        f"""SELECT ?purpose ?value ?written WHERE {{ {me} nipa:hasShare ?share .
        ?share nipa:budgetPurpose ?purpose ; schema:value ?value .
        OPTIONAL {{ ?share nipa:asWritten ?written }} }}
        ORDER BY DESC(?value)"""
    )
    figures.shares = [
        (r["purpose"].value, Decimal(r["value"].value), r["written"].value if "written" in r else None)
        for r in shares
    ]
    changes = teller.select(f"SELECT ?change WHERE {{ {me} nipa:hasBudgetChange ?change }} ORDER BY ?change")
    figures.changes = [r["change"].value for r in changes]
    extra = teller.select(
        f"""SELECT ?amount ?written WHERE {{ {me} nipa:supplementaryBudget ?amount .
        OPTIONAL {{ ?amount nipa:asWritten ?written }} }} ORDER BY ?amount"""
    )
    figures.supplementary = [
        (r["amount"].value, r["written"].value if "written" in r else None) for r in extra
    ]
    return figures
