"""Incidents per month, stacked by type of restrictive intervention, with a text equivalent."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from rrn_desktop.base.vocabulary import RESTRAINT_TYPE_LABELS, RestraintType
from rrn_desktop.core.dates import month_year
from rrn_desktop.core.incident_figures import MonthFigures
from rrn_desktop.core.palette import RESTRAINT_TYPE_COLOURS
from rrn_desktop.gui.trend_chart import MonthAxis


def _outlined(painter: QPainter, box: QRectF, kind: RestraintType) -> None:
    """A type's colour, edged in the text colour (the pen): some of the eight colours are dark,
    and the edge keeps every bar and swatch visible on a dark or high-contrast background."""
    painter.fillRect(box, QColor(RESTRAINT_TYPE_COLOURS[kind]))
    painter.drawRect(box)


def describe_figures(figures: list[MonthFigures]) -> str:
    """What the chart shows, in words, for the tooltip and screen readers."""
    if not figures:
        return "No incidents recorded."
    months = ", ".join(f"{month_year(f.month)}: {f.incidents}" for f in figures)
    return f"Incidents per month. {months}."


def legend_rows(
    metrics: QFontMetrics, kinds: list[RestraintType], width: float
) -> list[list[tuple[RestraintType, float]]]:
    """Each type's place in the legend: as many to a row as fit, then another row."""
    line = metrics.lineSpacing()
    rows: list[list[tuple[RestraintType, float]]] = [[]]
    x = 4.0
    for kind in kinds:
        needed = line + metrics.horizontalAdvance(RESTRAINT_TYPE_LABELS[kind])
        if rows[-1] and x + needed > width - 4:
            rows.append([])
            x = 4.0
        rows[-1].append((kind, x))
        x += needed + 14
    return rows


class IncidentChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figures: list[MonthFigures] = []
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)  # a narrow chart gives its legend more rows
        self.setSizePolicy(policy)
        self.setAccessibleName("Incidents per month by type")

    def sizeHint(self) -> QSize:
        return QSize(400, self.heightForWidth(400))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = len(legend_rows(self.fontMetrics(), self._types_present(), width))
        return self.fontMetrics().lineSpacing() * (10 + rows)

    def set_figures(self, figures: list[MonthFigures]) -> None:
        self._figures = figures
        text = describe_figures(figures)
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.updateGeometry()
        self.update()

    def _types_present(self) -> list[RestraintType]:
        return [kind for kind in RestraintType if any(f.by_type[kind] for f in self._figures)]

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._figures:
            return
        painter = QPainter(self)
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        kinds = self._types_present()
        legend = legend_rows(metrics, kinds, self.width())
        # The legend takes the first lines, the counts over the bars one more; months the last.
        area = QRectF(self.rect()).adjusted(4, (len(legend) + 1) * line + 6, -4, -line - 6)
        top = max(1, max(sum(f.by_type.values()) for f in self._figures))
        slot = area.width() / len(self._figures)
        months = MonthAxis(metrics, area, slot, len(self._figures))
        text_colour = self.palette().color(self.foregroundRole())
        painter.setPen(text_colour)
        for row, placed in enumerate(legend):
            row_top = row * line
            for kind, x in placed:
                _outlined(painter, QRectF(x, row_top + 4, line * 0.8, line * 0.8), kind)
                label = RESTRAINT_TYPE_LABELS[kind]
                width = metrics.horizontalAdvance(label) + 4
                painter.drawText(
                    QRectF(x + line, row_top, width, line + 4),
                    Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
        for index, month in enumerate(self._figures):
            left = area.left() + index * slot + slot * 0.15
            bottom = area.bottom()
            for kind in kinds:
                height = area.height() * month.by_type[kind] / top
                if height:
                    _outlined(painter, QRectF(left, bottom - height, slot * 0.7, height), kind)
                bottom -= height
            painter.setPen(text_colour)
            if metrics.horizontalAdvance(str(month.incidents)) < slot:
                value_box = QRectF(left - 8, bottom - line - 2, slot * 0.7 + 16, line)
                painter.drawText(value_box, Qt.AlignmentFlag.AlignCenter, str(month.incidents))
            months.label(painter, index, left + slot * 0.35, month.month)
        painter.end()
