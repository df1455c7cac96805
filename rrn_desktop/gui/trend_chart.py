"""A small bar chart of active blanket restrictions per month, with a text equivalent."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from rrn_desktop.core.restrictions import MonthCount, describe_trend

BAR_COLOUR = QColor("#1f4e79")


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: list[MonthCount] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Active blanket restrictions per month")

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().lineSpacing() * 9)

    def set_counts(self, counts: list[MonthCount]) -> None:
        self._counts = counts
        text = describe_trend(counts)
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._counts:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        area = QRectF(self.rect()).adjusted(4, line + 4, -4, -line - 6)
        top = max(1, max(c.active for c in self._counts))
        slot = area.width() / len(self._counts)
        width = metrics.horizontalAdvance("Mmm 00") + 8
        step = max(1, math.ceil(width / slot))
        palette_text = self.palette().color(self.foregroundRole())
        painter.setPen(palette_text)
        for index, count in enumerate(self._counts):
            height = area.height() * count.active / top
            bar = QRectF(
                area.left() + index * slot + slot * 0.15,
                area.bottom() - height,
                slot * 0.7,
                height,
            )
            painter.fillRect(bar, BAR_COLOUR)
            value_box = QRectF(bar.left() - 8, bar.top() - line - 2, bar.width() + 16, line)
            painter.drawText(value_box, Qt.AlignmentFlag.AlignCenter, str(count.active))
            # Label as many months as fit, counting back so the latest month is labelled.
            if (len(self._counts) - 1 - index) % step == 0:
                centre = bar.center().x()
                left = min(max(centre - width / 2, area.left()), area.right() - width)
                label_box = QRectF(left, area.bottom() + 2, width, line)
                painter.drawText(label_box, Qt.AlignmentFlag.AlignCenter, f"{count.month:%b %y}")
        painter.end()
