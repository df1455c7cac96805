"""The register's trend chart: blanket restrictions in place at the end of each month.

A vertical bar per month, each labelled with its count (zero included, so an empty month reads
as nought rather than as missing), drawn in the registered DejaVu font like every other chart,
dark bars with a black outline so it reads the same printed in black and white. The report
prints :func:`rrn_desktop.core.restrictions.describe_trend` under it as the text equivalent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from rrn_desktop.core.restrictions import MonthCount
from rrn_desktop.reports.charts import style_value_axis
from rrn_desktop.reports.fonts import REGULAR, register_fonts
from rrn_desktop.reports.house_style import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    MUTED,
    SMALL_SIZE,
)

BAR_FILL = ACCENT

VALUE_AXIS_ROOM = 11 * mm  # left of the bars, for the count scale
MONTH_AXIS_ROOM = 11 * mm  # below the bars, for two-line month labels
TOP_ROOM = 11 * mm  # above the tallest bar, for its value label and the axis title
CHART_HEIGHT = 62 * mm


def _nice_top(largest: int) -> tuple[int, int]:
    """A scale maximum and step in whole restrictions, with about four to six gridlines."""
    largest = max(largest, 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if math.ceil(largest / step) <= 6:
            return step * math.ceil(largest / step), step
    step = 10 ** len(str(largest))
    return step * math.ceil(largest / step), step


def _month_labels(counts: Sequence[MonthCount], slot: float) -> list[str]:
    """Month names under as many bars as there is room for, counting back from the latest
    month so it is always labelled; the year is shown under each labelled month."""
    widest = max(stringWidth(f"{c.month:%b}", REGULAR, SMALL_SIZE) for c in counts)
    widest = max(widest, stringWidth("0000", REGULAR, SMALL_SIZE))
    every = max(1, math.ceil((widest + 3) / slot))
    last = len(counts) - 1
    return [
        f"{count.month:%b}\n{count.month:%Y}" if (last - index) % every == 0 else ""
        for index, count in enumerate(counts)
    ]


def active_restrictions_chart(
    counts: Sequence[MonthCount], *, width: float = CONTENT_WIDTH, height: float = CHART_HEIGHT
) -> Drawing:
    """Bars of how many blanket restrictions were in place at the end of each month (the
    latest month as of the day the report was made), each labelled with its number."""
    register_fonts()
    drawing = Drawing(width, height)
    # Otherwise the drawing starts in Helvetica, which is not embedded.
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = SMALL_SIZE
    if not counts:
        return drawing
    values = [count.active for count in counts]
    top, step = _nice_top(max(values))

    chart = VerticalBarChart()
    chart.x = VALUE_AXIS_ROOM
    chart.y = MONTH_AXIS_ROOM
    chart.width = width - VALUE_AXIS_ROOM - 2 * mm
    chart.height = height - MONTH_AXIS_ROOM - TOP_ROOM
    chart.data = [values]
    chart.barLabelArray = [[str(value) for value in values]]
    chart.barLabelFormat = "values"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = SMALL_SIZE
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 1.5
    chart.groupSpacing = 2.2 * mm
    chart.bars[0].fillColor = BAR_FILL
    chart.bars[0].strokeColor = INK
    chart.bars[0].strokeWidth = 0.5

    style_value_axis(chart.valueAxis, top=top, step=step, label_format="%d")

    slot = chart.width / len(counts)
    months = chart.categoryAxis
    months.categoryNames = _month_labels(counts, slot)
    months.labels.fontName = REGULAR
    months.labels.fontSize = SMALL_SIZE
    months.labels.leading = SMALL_SIZE + 1.5
    months.labels.fillColor = INK
    months.labels.boxAnchor = "n"
    months.labels.dy = -2
    months.strokeColor = MUTED
    months.tickDown = 0
    drawing.add(chart)

    drawing.add(
        String(
            0,
            height - 4 * mm,
            "Blanket restrictions in place at the end of each month",
            fontName=REGULAR,
            fontSize=SMALL_SIZE,
            fillColor=MUTED,
        )
    )
    return drawing
