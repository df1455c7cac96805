"""The incident figures chart: incidents each month, each bar divided by type of intervention.

Each type keeps the colour it has on screen (``RESTRAINT_TYPE_COLOURS`` in the shared palette),
and most also carry a pattern of lines, so neighbouring parts of a bar stay apart when the page
is printed in black and white. The key beside the chart lists the types from the top of a bar
down, in the order they are stacked. The number over each bar is the month's incident count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.units import mm
from reportlab.lib.validators import isAnything
from reportlab.pdfbase.pdfmetrics import stringWidth

from rrn_desktop.base.vocabulary import RESTRAINT_TYPE_LABELS, RestraintType
from rrn_desktop.core.incident_figures import MonthFigures
from rrn_desktop.core.palette import RESTRAINT_TYPE_COLOURS
from rrn_desktop.reports.charts import style_value_axis
from rrn_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from rrn_desktop.reports.house_style import CONTENT_WIDTH, INK, MUTED, SMALL_SIZE

CHART_HEIGHT = 78 * mm
KEY_WIDTH = 44 * mm  # right of the bars, for the key
KEY_SWATCH = 4.2 * mm
KEY_ROW = 6.5 * mm
VALUE_AXIS_ROOM = 10 * mm
MONTH_AXIS_ROOM = 10 * mm
TOP_ROOM = 12 * mm  # for the title and the count over the tallest bar
HATCH_SPACING = 2.2

# The pattern over each type's colour: "/" and "\" diagonal lines, "-" across, "|" upright,
# "x" and "+" crossed, "" none. Only the two plainest fills, far apart in grey, have none.
TYPE_HATCHES: dict[RestraintType, str] = {
    RestraintType.PHYSICAL: "",
    RestraintType.MECHANICAL: "/",
    RestraintType.CHEMICAL: "-",
    RestraintType.ENVIRONMENTAL: "",
    RestraintType.PSYCHOLOGICAL: "\\",
    RestraintType.SURVEILLANCE: "|",
    RestraintType.CULTURAL: "x",
    RestraintType.BLANKET: "+",
}


def _line_colour(fill: colors.Color) -> colors.Color:
    """White lines over a dark fill, dark lines over a light one."""
    brightness = 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue
    return colors.white if brightness < 0.55 else INK


def _hatch(x: float, y: float, w: float, h: float, pattern: str) -> list[tuple[float, ...]]:
    """Line segments (x1, y1, x2, y2) filling the rectangle with the pattern."""
    segments: list[tuple[float, ...]] = []
    gap = HATCH_SPACING * (1.5 if pattern in ("x", "+") else 1)  # crossed lines further apart
    if pattern in ("/", "x"):
        for step in range(math.ceil((w + h) / gap)):
            c = step * gap - h  # the line v = u - c, in the rectangle's own coordinates
            start, end = max(0.0, c), min(w, h + c)
            if start < end:
                segments.append((x + start, y + start - c, x + end, y + end - c))
    if pattern in ("\\", "x"):
        for step in range(1, math.ceil((w + h) / gap)):
            c = step * gap  # the line v = c - u
            start, end = max(0.0, c - h), min(w, c)
            if start < end:
                segments.append((x + start, y + c - start, x + end, y + c - end))
    if pattern in ("-", "+"):
        segments += [(x, y + v, x + w, y + v) for v in _steps(h, gap)]
    if pattern in ("|", "+"):
        segments += [(x + u, y, x + u, y + h) for u in _steps(w, gap)]
    return segments


def _steps(length: float, gap: float) -> list[float]:
    return [k * gap for k in range(1, math.ceil(length / gap))]


class _PatternedBars(VerticalBarChart):  # type: ignore[misc]  # reportlab has no type stubs
    """Stacked bars that draw each series' pattern over its colour, in the bars and the key."""

    _attrMap = AttrMap(
        BASE=VerticalBarChart,
        hatches=AttrMapValue(isAnything, desc="the pattern of each series"),
    )

    def _patterned(self, rect: Rect, rowNo: int) -> Group:
        group = Group(rect)
        pattern = self.hatches[rowNo]
        if not pattern or rect.width <= 1 or rect.height <= 1:
            return group
        colour = _line_colour(rect.fillColor)
        weight = 0.6 if colour == colors.white else 0.35  # dark lines show up at less
        for x1, y1, x2, y2 in _hatch(rect.x, rect.y, rect.width, rect.height, pattern):
            group.add(Line(x1, y1, x2, y2, strokeColor=colour, strokeWidth=weight))
        # The outline again, over the ends of the lines.
        group.add(
            Rect(
                rect.x,
                rect.y,
                rect.width,
                rect.height,
                fillColor=None,
                strokeColor=rect.strokeColor,
                strokeWidth=rect.strokeWidth,
            )
        )
        return group

    # reportlab's own hooks, drawing one bar and one swatch of the key; ``style`` is the
    # series' entry in ``self.bars``.
    def _makeBar(
        self,
        g: Group,
        x: float,
        y: float,
        width: float,
        height: float,
        rowNo: int,
        style: Any,
    ) -> None:
        bar = Rect(x, y, width, height)
        bar.fillColor, bar.strokeColor = style.fillColor, style.strokeColor
        bar.strokeWidth = style.strokeWidth
        g.add(self._patterned(bar, rowNo))

    def makeSwatchSample(
        self, rowNo: int, x: float, y: float, width: float, height: float
    ) -> Group:
        swatch = Rect(x, y, width, height)
        style = self.bars[rowNo]
        swatch.fillColor, swatch.strokeColor = style.fillColor, style.strokeColor
        swatch.strokeWidth = style.strokeWidth
        return self._patterned(swatch, rowNo)


def _scale(largest: int) -> tuple[int, int]:
    """The top of the count scale and its step: whole numbers, five gridlines or fewer."""
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if largest <= 5 * s), 1000)
    return max(step, step * math.ceil(largest / step)), step


def _month_names(months: Sequence[MonthFigures], slot: float) -> list[str]:
    """Every month's name where there is room (else every second or third, always the
    latest), with the year under the first one named and under each January."""
    room = stringWidth("0000", REGULAR, SMALL_SIZE) + 3
    every = max(1, math.ceil(room / slot))
    names: list[str] = []
    year_shown = False
    for index, figures in enumerate(months):
        if (len(months) - 1 - index) % every:
            names.append("")
            continue
        with_year = not year_shown or figures.month.month == 1
        year_shown = True
        names.append(
            f"{figures.month:%b}\n{figures.month:%Y}" if with_year else f"{figures.month:%b}"
        )
    return names


def _centred(x: float, y: float, words: str, font: str = REGULAR) -> String:
    return String(
        x, y, words, fontName=font, fontSize=SMALL_SIZE, fillColor=INK, textAnchor="middle"
    )


def incidents_by_type_chart(
    months: Sequence[MonthFigures],
    types: Sequence[RestraintType],
    *,
    width: float = CONTENT_WIDTH,
    height: float = CHART_HEIGHT,
) -> Drawing:
    """One bar a month, divided by the types used that month, the incident count over each."""
    register_fonts()
    drawing = Drawing(width, height)
    # Otherwise the drawing starts in Helvetica, which is not embedded.
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = SMALL_SIZE
    if not months or not types:
        return drawing
    stacks = [sum(m.by_type[kind] for kind in types) for m in months]
    top, step = _scale(max(stacks))

    chart = _PatternedBars()
    chart.x = VALUE_AXIS_ROOM
    chart.y = MONTH_AXIS_ROOM
    chart.width = width - VALUE_AXIS_ROOM - KEY_WIDTH - 4 * mm
    chart.height = height - MONTH_AXIS_ROOM - TOP_ROOM
    chart.data = [[m.by_type[kind] for m in months] for kind in types]
    chart.hatches = [TYPE_HATCHES[kind] for kind in types]
    chart.categoryAxis.style = "stacked"
    slot = chart.width / len(months)
    chart.groupSpacing = min(3 * mm, slot * 0.3)
    for index, kind in enumerate(types):
        chart.bars[index].fillColor = colors.HexColor(RESTRAINT_TYPE_COLOURS[kind])
        chart.bars[index].strokeColor = INK
        chart.bars[index].strokeWidth = 0.5
    style_value_axis(chart.valueAxis, top=top, step=step, label_format="%d")

    # The month names are drawn under the bars below, with the counts over them.
    chart.categoryAxis.visibleLabels = 0
    chart.categoryAxis.strokeColor = MUTED
    chart.categoryAxis.tickDown = 0
    drawing.add(chart)

    names = _month_names(months, slot)
    for index, (figures, stack) in enumerate(zip(months, stacks, strict=True)):
        middle = chart.x + slot * (index + 0.5)
        over = chart.y + chart.height * stack / top + 2
        drawing.add(_centred(middle, over, str(figures.incidents), BOLD))
        for line, words in enumerate(names[index].split("\n")):
            drawing.add(_centred(middle, chart.y - (line + 1) * (SMALL_SIZE + 1.5), words))
    drawing.add(
        String(
            0,
            height - 4 * mm,
            "Incidents, counted under each type they used",
            fontName=REGULAR,
            fontSize=SMALL_SIZE,
            fillColor=MUTED,
        )
    )
    _add_key(drawing, chart, types, x=width - KEY_WIDTH, top=chart.y + chart.height)
    return drawing


def _add_key(
    drawing: Drawing, chart: _PatternedBars, types: Sequence[RestraintType], *, x: float, top: float
) -> None:
    """The key, listing the types in the order they are stacked, the top of a bar first."""
    drawing.add(String(x, top + 2, "Type (top of bar first)", fontName=BOLD, fontSize=SMALL_SIZE))
    for row, index in enumerate(reversed(range(len(types)))):
        y = top - (row + 1) * KEY_ROW
        drawing.add(chart.makeSwatchSample(index, x, y, KEY_SWATCH, KEY_SWATCH))
        label = String(x + KEY_SWATCH + 2 * mm, y + 1, RESTRAINT_TYPE_LABELS[types[index]])
        label.fontName, label.fontSize, label.fillColor = REGULAR, SMALL_SIZE, INK
        drawing.add(label)
