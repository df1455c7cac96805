"""A service's overview: its benchmarks, newest first, with progress and section scores."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core import benchmarks
from rrn_desktop.core.benchmarks import BenchmarkInfo
from rrn_desktop.core.dates import brief_date
from rrn_desktop.core.overview import ServiceOverview
from rrn_desktop.core.scoring import format_percent, rated_count, section_scores
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.gui.full_text import show_full_text_on_hover
from rrn_desktop.gui.incidents_panel import IncidentsPanel
from rrn_desktop.gui.reflow import button_row, size_by_shown_page
from rrn_desktop.gui.restrictions_panel import RestrictionsPanel
from rrn_desktop.gui.text_size import follow_row_height
from rrn_desktop.gui.theme import colours_changed, warning_style
from rrn_desktop.gui.widgets import filled_cell, heading, wrapped
from rrn_desktop.storage.database import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class BenchmarkTable(QTableWidget):
    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.open_requested.emit(int(filled_cell(self, self.currentRow()).data(ID_ROLE)))
            return
        super().keyPressEvent(event)


class ServicePage(QWidget):
    open_benchmark = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._service: ServiceInfo | None = None
        self.title = heading("", self)
        self.sector = QLabel(self)
        self.overdue = wrapped("", self)
        self.overdue.setAccessibleName("Overdue reviews")
        self.overdue.setStyleSheet(warning_style(bold=True))
        colours_changed().connect(self._recolour)
        self.overdue.hide()
        self.empty = wrapped(
            "No benchmarks yet. Start one with 'New benchmark' (Ctrl+N): you will rate each "
            "item of the Training Standards, and your first benchmark becomes your baseline.",
            self,
        )
        self.table = BenchmarkTable(0, 4, self)
        show_full_text_on_hover(self.table)
        self.table.setAccessibleName("Benchmarks of this service")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        follow_row_height(self.table)
        self.table.cellDoubleClicked.connect(
            lambda row, _column: self.open_benchmark.emit(self._id_at(row))
        )
        self.table.open_requested.connect(self.open_benchmark)
        self.new_button = QPushButton("&New benchmark…", self)
        self.open_button = QPushButton("&Open benchmark", self)
        self.compare_button = QPushButton("Co&mpare…", self)
        self.open_button.clicked.connect(self._open_selected)
        buttons = button_row(self.new_button, self.open_button, self.compare_button)
        self.benchmarks_tab = QWidget(self)
        benchmarks_layout = QVBoxLayout(self.benchmarks_tab)
        benchmarks_layout.addLayout(buttons)
        benchmarks_layout.addWidget(self.empty)
        benchmarks_layout.addWidget(self.table, stretch=1)
        self.restrictions = RestrictionsPanel(db, self)
        self.incidents = IncidentsPanel(db, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.benchmarks_tab, "Benchmarks and self-assessmen&ts")
        self.tabs.addTab(self.restrictions, "Blan&ket restrictions")
        self.tabs.addTab(self.incidents, "Incidents: support and &learning")
        size_by_shown_page(self.tabs)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.sector)
        layout.addWidget(self.overdue)
        layout.addWidget(self.tabs, stretch=1)

    def show_overdue(self, row: ServiceOverview | None) -> None:
        if row is None or not row.attention_text:
            self.overdue.hide()
            return
        lines = []
        if row.overdue:
            titles = ", ".join(f"'{entry.title}'" for entry in row.overdue)
            lines.append(
                f"OVERDUE: {row.overdue_text} on the blanket restrictions register ({titles})."
            )
        if row.missing_reviews:
            references = ", ".join(incident.reference for incident in row.missing_reviews)
            lines.append(
                f"MISSING: {row.missing_reviews_text} more than 72 hours after the incident "
                f"({references})."
            )
        self.overdue.setText("\n".join(lines))
        self.overdue.show()

    def _recolour(self) -> None:
        self.overdue.setStyleSheet(warning_style(bold=True))

    def on_restrictions_tab(self) -> bool:
        return self.tabs.currentWidget() is self.restrictions

    def on_incidents_tab(self) -> bool:
        return self.tabs.currentWidget() is self.incidents

    @property
    def service(self) -> ServiceInfo | None:
        return self._service

    def _id_at(self, row: int) -> int:
        return int(filled_cell(self.table, row).data(ID_ROLE))

    def selected_benchmark_id(self) -> int | None:
        row = self.table.currentRow()
        return self._id_at(row) if row >= 0 else None

    def _open_selected(self) -> None:
        chosen = self.selected_benchmark_id()
        if chosen is not None:
            self.open_benchmark.emit(chosen)

    def show_service(self, service: ServiceInfo, select_id: int | None = None) -> None:
        self._service = service
        self.title.setText(service.name)
        self.sector.setText(f"Sector: {service.sector_label}")
        self.restrictions.show_service(service)
        self.incidents.show_service(service)
        history = benchmarks.list_benchmarks(self._db, service.id)
        self._fill(history)
        self.empty.setVisible(not history)
        self.table.setVisible(bool(history))
        self.open_button.setEnabled(bool(history))
        self.compare_button.setEnabled(len(history) >= 2)
        ids = [b.id for b in history]
        row = ids.index(select_id) if select_id in ids else 0
        if history:
            self.table.selectRow(row)

    def _fill(self, history: list[BenchmarkInfo]) -> None:
        # Section scores head the columns for the newest benchmark's self-assessment; a row
        # of another one names it and leaves those columns empty, as they are not its sections.
        newest = history[0] if history else None
        sections = newest.pack().sections if newest else []
        headers = ["Date", "Purpose", "Self-assessment", "Status", "Rated"] + [
            section.column_title for section in sections
        ]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        for offset, section in enumerate(sections):
            header = self.table.horizontalHeaderItem(5 + offset)
            assert header is not None  # setHorizontalHeaderLabels made one per column
            header.setToolTip(f"Score for section {section.id}: {section.title}")
        self.table.setRowCount(len(history))
        for row, benchmark in enumerate(history):
            pack = benchmark.pack()
            ratings = benchmark.ratings()
            same = newest is not None and benchmark.pack_id == newest.pack_id
            scores = section_scores(pack, ratings) if same else []
            cells = [
                f"{brief_date(benchmark.held_on)}",
                benchmark.purpose_label,
                pack.title,
                benchmark.status_label,
                f"{rated_count(pack, ratings)} of {pack.item_count}",
            ] + [format_percent(score.percent) for score in scores]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, benchmark.id)
                self.table.setItem(row, column, cell)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
