"""A cell cut short shows its whole text when the mouse rests on it; a whole one shows none."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem, QToolTip

from rrn_desktop.gui.full_text import show_full_text_on_hover

LONG = "Workforce development: refresher training with competence testing every year"


def hover(table: QTableWidget, row: int, column: int) -> str:
    place = table.visualRect(table.model().index(row, column)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, place, table.viewport().mapToGlobal(place))
    QApplication.sendEvent(table.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_only_cut_text_is_shown_whole_on_hover(qtbot) -> None:
    table = QTableWidget(2, 1)
    qtbot.addWidget(table)
    show_full_text_on_hover(table)
    table.setItem(0, 0, QTableWidgetItem(LONG))
    table.setItem(1, 0, QTableWidgetItem("Met"))
    table.setColumnWidth(0, 120)
    table.show()
    qtbot.waitExposed(table)

    assert hover(table, 1, 0) == ""
    assert hover(table, 0, 0) == LONG
