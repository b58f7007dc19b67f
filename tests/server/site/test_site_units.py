"""The site's small pure helpers: money and numbers, chart geometry, canned-query headers, labels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pyoxigraph import Literal

from nipa_kg.server.site.canned import canned_queries, parse
from nipa_kg.server.site.charts import LABEL_WIDTH, Item, bar_chart, fit, text_width
from nipa_kg.server.site.formatting import format_krw, format_number
from nipa_kg.server.site.present import Text, literal_text, pick


@pytest.mark.parametrize(
    ("value", "ko", "en"),
    [
        (Decimal("46144000000"), "461억4400만원", "KRW 46.14 billion"),
        (Decimal("563400000000.0"), "5634억원", "KRW 563.4 billion"),
        (Decimal("393000000"), "3억9300만원", "KRW 393,000,000"),
        (Decimal("12345"), "1만2345원", "KRW 12,345"),
    ],
)
def test_format_krw(value, ko, en):
    assert format_krw(value, "ko") == ko
    assert format_krw(value, "en") == en


def test_format_number():
    assert format_number("563400000000.0") == "563,400,000,000"
    assert format_number("98.50") == "98.5"
    assert format_number(7) == "7"


def test_bar_chart_scales_to_the_largest_and_leaves_missing_values_without_bars():
    chart = bar_chart(
        "c",
        "title",
        "desc",
        (),
        [
            Item("big", "en", (200.0,), "200"),
            Item("half", "en", (100.0,), "100"),
            Item("none", "en", None, "-"),
        ],
    )
    big, half, none = chart.rows
    assert big.segments[0].width == pytest.approx(2 * half.segments[0].width)
    assert big.segments[0].x == LABEL_WIDTH
    assert not none.given and none.end == LABEL_WIDTH
    assert [row.y for row in chart.rows] == sorted(row.y for row in chart.rows)


def test_stacked_segments_follow_each_other():
    (row,) = bar_chart("c", "t", "d", ("a", "b"), [Item("x", None, (3.0, 1.0), "3 + 1")]).rows
    first, second = row.segments
    assert second.x == pytest.approx(first.x + first.width)
    assert (first.series, second.series) == (0, 1)


def test_fit_cuts_wide_text_with_an_ellipsis():
    assert fit("short", 200) == "short"
    cut = fit("가" * 40, 100)
    assert cut.endswith("…") and text_width(cut) <= 100


def test_canned_query_headers():
    query = parse("q", "# title@en: Hello\n# title@ko: 안녕\n# description@en: Greets.\nSELECT * {}")
    assert query.title("ko") == ("안녕", "ko")
    assert query.description("ko") == ("Greets.", "en")  # falls back to another language
    assert query.title("fr") == ("Hello", "en")


def test_every_packaged_query_has_both_titles():
    queries = canned_queries()
    assert queries
    for query in queries:
        assert set(query.titles) == {"en", "ko"}, query.name


def test_pick_prefers_the_page_language_then_korean_or_english():
    texts = [Text("x", "fr"), Text("서울", "ko"), Text("Seoul", "en")]
    assert pick(texts, "en") == Text("Seoul", "en")
    assert pick(texts, "ko") == Text("서울", "ko")
    assert pick([Text("x", "fr"), Text("y")], "en") == Text("y")
    assert pick([], "en") is None


def test_untagged_hangul_is_korean():
    assert literal_text(Literal("5634억원")) == Text("5634억원", "ko")
    assert literal_text(Literal("KRW")) == Text("KRW", None)
