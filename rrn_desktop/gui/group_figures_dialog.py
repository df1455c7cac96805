"""A service's incidents counted by the person's age band and characteristics, small numbers
hidden exactly as the reports and exports hide them (the figures come from core.breakdowns)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core.breakdowns import Breakdowns
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.widgets import filled_cell, heading, wrapped

HEADERS = ["Question", "Group", "Incidents"]


class GroupFiguresDialog(QDialog):
    def __init__(
        self, service_name: str, period: str, groups: Breakdowns, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Incidents by group: {service_name}")
        self.heading = heading(f"Incidents by group, {period}", self, level=2)
        self.note = wrapped(
            f"{service_name}: incidents counted by what was recorded about the person, to see "
            f"whether restraint falls more on some groups. {groups.note}",
            self,
        )
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setAccessibleName("Incidents by group")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The groups' names are the long ones: they take the room left between the others.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # The question once, on its first group's row, as a printed table would have it.
        rows = [
            (table.question if index == 0 else "", group.group, group.text)
            for table in groups.tables
            for index, group in enumerate(table.groups)
        ]
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long group's name may be cut short in a narrow window
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table, stretch=1)
        if not rows:
            layout.addStretch(1)
        layout.addWidget(buttons)
        # As wide as some 80 characters of the text size chosen, as much as the screen allows.
        letter = self.fontMetrics().averageCharWidth()
        fit_to_screen(self, QSize(max(640, letter * 80), max(560, letter * 70)))

    def shown_rows(self) -> list[list[str]]:
        """What the table shows, row by row, as a person reads it."""
        return [
            [filled_cell(self.table, row, column).text() for column in range(len(HEADERS))]
            for row in range(self.table.rowCount())
        ]
