"""Two benchmarks of one service side by side, per section and per item."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core.benchmarks import BenchmarkInfo
from rrn_desktop.core.scoring import (
    compare_items,
    compare_sections,
    format_percent,
    version_changes,
)
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.text_size import follow_row_height
from rrn_desktop.gui.widgets import wrapped


def _read_only_table(columns: list[str], name: str, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    follow_row_height(table)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class CompareDialog(QDialog):
    def __init__(self, history: list[BenchmarkInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare benchmarks: {history[0].service.name}")
        self._history = history
        self.earlier = QComboBox(self)
        self.later = QComboBox(self)
        self.earlier.setAccessibleName("Earlier benchmark")
        self.later.setAccessibleName("Later benchmark")
        for benchmark in history:
            self.earlier.addItem(benchmark.title, benchmark.id)
            self.later.addItem(benchmark.title, benchmark.id)
        self.later.setCurrentIndex(0)
        self.earlier.setCurrentIndex(1 if len(history) > 1 else 0)
        self.versions = wrapped("", self)
        self.versions.setAccessibleName("Versions compared")
        self.only_changed = QCheckBox("Show only items whose rating &changed", self)
        self.sections = _read_only_table(
            ["Section", "Earlier score", "Later score", "Change"], "Section comparison", self
        )
        self.items = _read_only_table(
            ["Item", "Earlier rating", "Later rating", "Changed?"], "Item comparison", self
        )
        self.items.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for widget in (self.earlier, self.later):
            widget.currentIndexChanged.connect(self.refresh)
        self.only_changed.toggled.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        chooser = QFormLayout()
        chooser.addRow("&Earlier:", self.earlier)
        chooser.addRow("&Later:", self.later)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(self.versions)
        layout.addWidget(wrapped("Section scores", self))
        layout.addWidget(self.sections)
        layout.addWidget(self.only_changed)
        layout.addWidget(self.items, stretch=1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(900, 640))
        self.refresh()

    def _chosen(self, combo: QComboBox) -> BenchmarkInfo:
        return next(b for b in self._history if b.id == combo.currentData())

    def refresh(self) -> None:
        earlier, later = self._chosen(self.earlier), self._chosen(self.later)
        pack = later.pack()
        changes = version_changes(earlier.pack(), pack).text
        self.versions.setText(changes)
        self.versions.setVisible(bool(changes))
        sections = compare_sections(pack, earlier.ratings(), later.ratings())
        self.sections.setRowCount(len(sections))
        for row, section in enumerate(sections):
            cells = [
                section.section.heading,
                format_percent(section.earlier.percent),
                format_percent(section.later.percent),
                section.change_text,
            ]
            for column, text in enumerate(cells):
                self.sections.setItem(row, column, QTableWidgetItem(text))
        items = compare_items(pack, earlier.ratings(), later.ratings())
        if self.only_changed.isChecked():
            items = [item for item in items if item.changed]
        self.items.setRowCount(len(items))
        for row, comparison in enumerate(items):
            cells = [
                f"{comparison.code}  {comparison.text}",
                pack.option(comparison.earlier).label,
                pack.option(comparison.later).label,
                "Changed" if comparison.changed else "Same",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if comparison.changed:
                    font = QFont(cell.font())
                    font.setBold(True)
                    cell.setFont(font)
                self.items.setItem(row, column, cell)
