"""Charts drawn with reportlab.graphics, in the house style (readable in black and white)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.axes import ValueAxis
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from rrn_desktop.reports.fonts import REGULAR, register_fonts
from rrn_desktop.reports.house_style import ACCENT, CONTENT_WIDTH, INK, MUTED, SMALL_SIZE, plain

# Dark and light fills with a dark outline: the two series stay apart in black and white.
CURRENT_FILL = ACCENT
PREVIOUS_FILL = colors.HexColor("#BFBFBF")
GRID = colors.HexColor("#D9D9D9")

LABEL_WIDTH = 52 * mm
VALUE_ROOM = 18 * mm  # space right of a 100% bar for its label
LEGEND_ROW = 5.5 * mm
AXIS_HEIGHT = 9 * mm
BAR_HEIGHT = 4.6 * mm


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _percent_label(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.0f}%"


def _wrap(label: str, width: float) -> str:
    lines = simpleSplit(plain(label), REGULAR, SMALL_SIZE, width)
    if len(lines) > 3:
        lines = [*lines[:2], lines[2].rstrip() + "…"]
    return "\n".join(lines)


def section_score_chart(
    categories: Sequence[str],
    current: Series,
    previous: Series | None = None,
    *,
    width: float = CONTENT_WIDTH,
) -> Drawing:
    """Horizontal bars of each section's score (0-100%), this benchmark against the previous
    one when there is one, each bar labelled with its value and "not scored" where empty."""
    register_fonts()
    series = [previous, current] if previous is not None else [current]
    fills = [PREVIOUS_FILL, CURRENT_FILL] if previous is not None else [CURRENT_FILL]
    bars_per_group = len(series)
    group_height = BAR_HEIGHT * bars_per_group + 5 * mm
    plot_height = group_height * max(len(categories), 1)
    legend_height = LEGEND_ROW * len(series) + 4 * mm
    height = plot_height + AXIS_HEIGHT + legend_height

    drawing = Drawing(width, height)
    # Otherwise the drawing starts in Helvetica, which is not embedded.
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = SMALL_SIZE
    chart = HorizontalBarChart()
    chart.x = LABEL_WIDTH
    chart.y = AXIS_HEIGHT
    chart.width = width - LABEL_WIDTH - VALUE_ROOM
    chart.height = plot_height
    chart.data = [[0.0 if value is None else value for value in s.values] for s in series]
    chart.barLabelArray = [[_percent_label(value) for value in s.values] for s in series]
    chart.barLabelFormat = "values"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = SMALL_SIZE
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barSpacing = 0.6 * mm
    chart.groupSpacing = 5 * mm
    chart.barWidth = BAR_HEIGHT
    for index, fill in enumerate(fills):
        chart.bars[index].fillColor = fill
        chart.bars[index].strokeColor = INK
        chart.bars[index].strokeWidth = 0.5

    style_value_axis(chart.valueAxis, top=100, step=20, label_format="%d%%")

    categories_axis = chart.categoryAxis
    # Section 1 at the top, as in the table above the chart.
    categories_axis.reverseDirection = 1
    categories_axis.categoryNames = [_wrap(name, LABEL_WIDTH - 6 * mm) for name in categories]
    categories_axis.labels.fontName = REGULAR
    categories_axis.labels.fontSize = SMALL_SIZE
    categories_axis.labels.leading = SMALL_SIZE + 2
    categories_axis.labels.fillColor = INK
    categories_axis.labels.boxAnchor = "e"
    categories_axis.labels.textAnchor = "end"
    categories_axis.labels.dx = -4
    categories_axis.strokeColor = MUTED
    categories_axis.tickLeft = 0
    drawing.add(chart)

    legend = Legend()
    legend.fontName = REGULAR
    legend.fontSize = SMALL_SIZE
    legend.fillColor = INK
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.x = LABEL_WIDTH
    legend.y = height - 2 * mm
    legend.dx = 3.5 * mm
    legend.dy = 3.5 * mm
    legend.deltay = LEGEND_ROW
    legend.columnMaximum = len(series)
    legend.strokeColor = INK
    legend.strokeWidth = 0.5
    legend.colorNamePairs = list(
        zip(list(reversed(fills)), [plain(s.name) for s in reversed(series)], strict=True)
    )
    drawing.add(legend)
    return drawing


def style_value_axis(axis: ValueAxis, *, top: float, step: float, label_format: str) -> None:
    """The house look for a chart's value axis: 0 to top, muted labels, a light grid."""
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labelTextFormat = label_format
    axis.labels.fontName = REGULAR
    axis.labels.fontSize = SMALL_SIZE
    axis.labels.fillColor = MUTED
    axis.strokeColor = MUTED
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID
    axis.gridStrokeWidth = 0.5
