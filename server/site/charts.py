"""Geometry of the horizontal bar charts drawn as inline SVG (the template `_charts.html` draws them).

A chart has one row per item and one or more series stacked along each row; a row whose value the source
does not give has no bar, only its text (such as "not given"). Every chart is shown with a data table too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 150
ROW_HEIGHT = 30
BAR_HEIGHT = 18
LEGEND_HEIGHT = 34  # room above the rows for the legend of a chart with several series
MARGIN = 8
FONT_PX = 13


@dataclass(frozen=True)
class Segment:
    series: int
    value: float
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    label: str
    lang: str | None
    value_text: str
    y: float
    segments: tuple[Segment, ...]

    @property
    def given(self) -> bool:
        return bool(self.segments)

    @property
    def end(self) -> float:
        return self.segments[-1].x + self.segments[-1].width if self.segments else LABEL_WIDTH


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    series: tuple[str, ...]
    rows: tuple[Row, ...]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    row_height: int = ROW_HEIGHT

    @property
    def height(self) -> int:
        return top(self.series) + self.row_height * len(self.rows) + MARGIN


@dataclass(frozen=True)
class Item:
    """One row's data: its label (and the label's language), its values per series, and its value text.

    `values` is None when the source gives no value for the item."""

    label: str
    lang: str | None
    values: tuple[float, ...] | None
    value_text: str


def bar_chart(chart_id: str, title: str, desc: str, series: Sequence[str], items: Sequence[Item]) -> Chart:
    """Lay the items out as stacked horizontal bars scaled to the largest total."""
    largest = max((sum(item.values) for item in items if item.values), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest
    rows = []
    for index, item in enumerate(items):
        x = float(LABEL_WIDTH)
        segments = []
        for number, value in enumerate(item.values or ()):
            if value:
                segments.append(Segment(number, value, x, value * scale))
                x += value * scale
        y = top(series) + index * ROW_HEIGHT
        label = fit(item.label, LABEL_WIDTH - 12)
        rows.append(Row(label, item.lang, item.value_text, y, tuple(segments)))
    return Chart(chart_id, title, desc, tuple(series), tuple(rows))


def top(series: Sequence[str]) -> int:
    """Where the first row starts: below the legend, if the chart has one."""
    return LEGEND_HEIGHT if len(series) > 1 else MARGIN


def text_width(text: str) -> float:
    """Roughly how wide `text` is drawn, in pixels: wide (CJK) characters take a full em."""
    return sum(FONT_PX if unicodedata.east_asian_width(ch) in "WF" else FONT_PX * 0.55 for ch in text)


def fit(text: str, pixels: float) -> str:
    """`text`, cut with an ellipsis so that it fits in `pixels` (the data table has it in full)."""
    if text_width(text) <= pixels:
        return text
    while text and text_width(text + "…") > pixels:
        text = text[:-1]
    return text.rstrip() + "…"
