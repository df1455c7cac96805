"""Incidents per month, stacked by type of restrictive intervention, with a text equivalent."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from rrn_desktop.content.checklist_models import RESTRAINT_TYPE_LABELS, RestraintType
from rrn_desktop.core.incident_figures import MonthFigures
from rrn_desktop.core.palette import RESTRAINT_TYPE_COLOURS
from rrn_desktop.gui.trend_chart import MonthAxis


def describe_figures(figures: list[MonthFigures]) -> str:
    """What the chart shows, in words, for the tooltip and screen readers."""
    if not figures:
        return "No incidents recorded."
    months = ", ".join(f"{f.month:%B %Y}: {f.incidents}" for f in figures)
    return f"Incidents per month. {months}."


class IncidentChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figures: list[MonthFigures] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Incidents per month by type")

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().lineSpacing() * 11)

    def set_figures(self, figures: list[MonthFigures]) -> None:
        self._figures = figures
        text = describe_figures(figures)
        self.setToolTip(text)
        self.setAccessibleDescription(text)
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
        # The legend takes the first line; month labels the last.
        area = QRectF(self.rect()).adjusted(4, 2 * line + 6, -4, -line - 6)
        top = max(1, max(sum(f.by_type.values()) for f in self._figures))
        slot = area.width() / len(self._figures)
        months = MonthAxis(metrics, area, slot, len(self._figures))
        text_colour = self.palette().color(self.foregroundRole())
        x = 4.0
        for kind in kinds:
            painter.fillRect(
                QRectF(x, 4, line * 0.8, line * 0.8), QColor(RESTRAINT_TYPE_COLOURS[kind])
            )
            label = RESTRAINT_TYPE_LABELS[kind]
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + line, 0, 400, line + 4), Qt.AlignmentFlag.AlignVCenter, label
            )
            x += line + metrics.horizontalAdvance(label) + 14
        for index, month in enumerate(self._figures):
            left = area.left() + index * slot + slot * 0.15
            bottom = area.bottom()
            for kind in kinds:
                height = area.height() * month.by_type[kind] / top
                if height:
                    painter.fillRect(
                        QRectF(left, bottom - height, slot * 0.7, height),
                        QColor(RESTRAINT_TYPE_COLOURS[kind]),
                    )
                bottom -= height
            painter.setPen(text_colour)
            value_box = QRectF(left - 8, bottom - line - 2, slot * 0.7 + 16, line)
            painter.drawText(value_box, Qt.AlignmentFlag.AlignCenter, str(month.incidents))
            months.label(painter, index, left + slot * 0.35, month.month)
        painter.end()
