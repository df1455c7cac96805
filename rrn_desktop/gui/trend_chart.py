"""A small bar chart of active blanket restrictions per month, with a text equivalent."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from rrn_desktop.core.restrictions import MonthCount, describe_trend
from rrn_desktop.gui.theme import bar_colour


class MonthAxis:
    """Month names under the bars: as many as fit, counting back so the latest is labelled."""

    def __init__(self, metrics: QFontMetrics, area: QRectF, slot: float, count: int) -> None:
        self._area, self._count = area, count
        self._line = metrics.lineSpacing()
        self._width = metrics.horizontalAdvance("Mmm 00") + 8
        # The last label is pushed left to stay inside the chart: leave room for that too.
        pushed = max(0.0, (self._width - slot) / 2)
        self._step = max(1, math.ceil((self._width + pushed) / slot))

    def label(self, painter: QPainter, index: int, centre: float, month: dt.date) -> None:
        if (self._count - 1 - index) % self._step:
            return
        area, width = self._area, self._width
        left = min(max(centre - width / 2, area.left()), area.right() - width)
        box = QRectF(left, area.bottom() + 2, width, self._line)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{month:%b %y}")


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
        months = MonthAxis(metrics, area, slot, len(self._counts))
        palette_text = self.palette().color(self.foregroundRole())
        painter.setPen(palette_text)
        colour = bar_colour()
        for index, count in enumerate(self._counts):
            height = area.height() * count.active / top
            bar = QRectF(
                area.left() + index * slot + slot * 0.15,
                area.bottom() - height,
                slot * 0.7,
                height,
            )
            painter.fillRect(bar, colour)
            # Narrow bars (large text, a narrow pane) carry no figure: it is in the tooltip.
            if metrics.horizontalAdvance(str(count.active)) < slot:
                value_box = QRectF(bar.left() - 8, bar.top() - line - 2, bar.width() + 16, line)
                painter.drawText(value_box, Qt.AlignmentFlag.AlignCenter, str(count.active))
            months.label(painter, index, bar.center().x(), count.month)
        painter.end()
