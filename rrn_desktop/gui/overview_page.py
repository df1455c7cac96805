"""The start screen: every service at a glance, with overdue reviews standing out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core.dates import long_date
from rrn_desktop.core.overview import AttentionLine, StartScreen
from rrn_desktop.gui.full_text import show_full_text_on_hover
from rrn_desktop.gui.text_size import follow_row_height, follow_text_size
from rrn_desktop.gui.theme import warning_colour
from rrn_desktop.gui.widgets import filled_cell, heading, wrapped

ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Two lines each, so that the figures' headings stay narrow with large text.
LATEST = "Latest\nbenchmark"  # one column when every benchmark is on one instrument
FIGURES = [
    "Blanket restrictions\nin place",
    "Reviews\noverdue",
    "Incidents\n(period below)",
    "Support within\n72 hours",
    "Learning review\nwithin 72 hours",
    "Learning reviews\nmissing (any date)",
]
COLUMNS = ["Service", LATEST, *FIGURES]  # as first shown, before any benchmark is read


def latest_on(title: str) -> str:
    """A column heading for the latest benchmark on one instrument, in two balanced lines."""
    words = f"{title}: latest".split()
    lines = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    return "\n".join(min(lines, key=lambda pair: max(map(len, pair)), default=(words[0],)))


LINE_ROLE = Qt.ItemDataRole.UserRole + 2  # the AttentionLine a line of "Needs attention" shows


class OverviewPage(QWidget):
    open_service = Signal(int)
    open_action = Signal(int)
    open_incident = Signal(int, int)  # the service's id, the incident's id
    open_restriction = Signal(int, int)  # the service's id, the register entry's id
    open_pledge = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("", self)
        self.plan_line = wrapped("", self)
        self.plan_line.setAccessibleName("Plan counts")
        self.attention_label = QLabel("Needs attention:", self)
        self.attention = QListWidget(self)
        self.attention.setAccessibleName("Needs attention")
        show_full_text_on_hover(self.attention)
        self.attention.itemActivated.connect(self._attention_chosen)
        self.table = QTableWidget(0, len(COLUMNS), self)
        show_full_text_on_hover(self.table)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.figures_period = wrapped("", self)
        self.figures_period.setAccessibleName("Incident figures period")
        self.table.setAccessibleName("Services")
        self.table.verticalHeader().hide()
        follow_row_height(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self._fit_columns()
        self.table.cellActivated.connect(
            lambda row, _column: self.open_service.emit(filled_cell(self.table, row).data(ID_ROLE))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(
            wrapped(
                "Open a service, or a line that needs attention, with Enter or a double click.",
                self,
            )
        )
        layout.addWidget(self.plan_line)
        layout.addWidget(self.attention_label)
        layout.addWidget(self.attention)
        layout.addWidget(self.figures_period)
        layout.addWidget(self.table, stretch=1)
        follow_text_size(self.attention, self._fit_attention)

    def _fit_columns(self, fitting: bool = True) -> None:
        """Columns as wide as their contents, the service's name first among them: with large
        text the figures' headings are wide, and the name is what the row is about.

        While the table is filled they stay as they are (fitting=False): a visible table would
        otherwise measure every cell again as each one is set."""
        header = self.table.horizontalHeader()
        if not fitting:
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            return
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def _fit_attention(self) -> None:
        """Up to six lines of what needs attention show without scrolling, at any text size."""
        self.attention.setFixedHeight(
            self.attention.sizeHintForRow(0) * min(6, max(1, self.attention.count()))
            + 2 * self.attention.frameWidth()
        )

    def _attention_chosen(self, item: QListWidgetItem) -> None:
        line: AttentionLine | None = item.data(LINE_ROLE)
        if line is None:
            return
        if line.action_id is not None:
            self.open_action.emit(line.action_id)
        elif line.service_id is None:
            self.open_pledge.emit()
        elif line.incident_id is not None:
            self.open_incident.emit(line.service_id, line.incident_id)
        elif line.restriction_id is not None:
            self.open_restriction.emit(line.service_id, line.restriction_id)
        else:
            self.open_service.emit(line.service_id)

    def _note(self, text: str) -> None:
        """A line that only informs: nothing to open."""
        QListWidgetItem(text, self.attention).setFlags(Qt.ItemFlag.NoItemFlags)

    def _warn(self, line: AttentionLine) -> None:
        added = QListWidgetItem(line.text, self.attention)
        added.setData(LINE_ROLE, line)
        added.setForeground(QBrush(warning_colour()))

    def show_screen(self, screen: StartScreen) -> None:
        self.figures_period.setText(
            f"Incident figures: {screen.period.named}. Within 72 hours counts incidents once "
            "their 72 hours are up."
        )
        self.title.setText(f"{screen.organisation}: overview")
        self.plan_line.setText(screen.plan.text)
        self.attention.clear()
        for line in screen.attention:
            self._warn(line)
        if screen.duties is None:
            self._note("Checking incident records against the recording rules…")
        if not self.attention.count():
            self._note("Nothing overdue.")
        self._fit_attention()
        self._fit_columns(fitting=False)
        # One column per instrument, once any service has used more than one.
        several = len(screen.instruments) > 1
        instruments = [i.pack_id for i in screen.instruments] if several else [None]
        headers = [
            "Service",
            *([latest_on(i.title) for i in screen.instruments] if several else [LATEST]),
            *FIGURES,
        ]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        overdue_column, missing_column = headers.index(FIGURES[1]), len(headers) - 1
        self.table.setRowCount(len(screen.rows))
        for index, row in enumerate(screen.rows):
            total = screen.figures_for(row.service.id)
            latest = [
                row.latest_by_instrument.get(pack_id) if pack_id else row.latest_benchmark
                for pack_id in instruments
            ]
            cells = [
                row.service.name,
                *(long_date(held) if held else "None yet" for held in latest),
                str(row.restrictions_in_place),
                row.overdue_text or "None",
                str(total.incidents),
                total.support.brief,
                total.review.brief,
                str(len(row.missing_reviews)) if row.missing_reviews else "None",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, row.service.id)
                if (column == overdue_column and row.overdue) or (
                    column == missing_column and row.missing_reviews
                ):
                    cell.setForeground(QBrush(warning_colour()))
                    font = QFont(cell.font())
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(index, column, cell)
        self._fit_columns()
