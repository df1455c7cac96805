"""A service's blanket restrictions: the trend, the register, and one entry to edit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core import restrictions
from rrn_desktop.core.periods import Period
from rrn_desktop.core.restrictions import describe_trend, monthly_active_counts, summarise
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.core.wording import plural
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.checklist_walk import ChecklistWalk
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.record_model import index_to_show, record_table
from rrn_desktop.gui.reflow import ReflowSplitter, VerticalScrollArea, button_row
from rrn_desktop.gui.register_model import ID_ROLE, SORT_ROLE, RegisterModel
from rrn_desktop.gui.restriction_dialogs import AddRestrictionDialog, ReviewDialog, StatusDialog
from rrn_desktop.gui.restriction_editor import RestrictionEditor
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import warning_style
from rrn_desktop.gui.trend_chart import TrendChart
from rrn_desktop.gui.widgets import buddy_label, wrapped
from rrn_desktop.storage.database import Database

TREND_MONTHS = 24


class DeleteEntry(QUndoCommand):
    def __init__(self, panel: RestrictionsPanel, entry_id: int, title: str) -> None:
        super().__init__(f"delete '{title}'")
        self._panel, self._id = panel, entry_id

    def redo(self) -> None:
        self._panel.apply(restrictions.delete_restriction, self._id)

    def undo(self) -> None:
        self._panel.apply(restrictions.restore_restriction, self._id, select=True)


class RestrictionsPanel(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._service: ServiceInfo | None = None
        self.undo_stack = QUndoStack(self)
        self.today = dt.date.today

        self.summary = wrapped("", self)
        self.summary.setAccessibleName("Register summary")
        self.chart = TrendChart(self)
        self.chart_text = wrapped("", self)
        self.walk_button = QPushButton("&Walk the checklist…", self)
        self.add_button = QPushButton("Add a restriction b&y hand…", self)
        self.walk_button.clicked.connect(self.walk_checklist)
        self.add_button.clicked.connect(self.add_restriction)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter the register")
        self.filter.setAccessibleName("Filter the register")
        self.filter.setClearButtonEnabled(True)

        self.model = RegisterModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        # Until a heading is clicked, the register stays in the order restrictions were found.
        self.table = record_table(self.proxy, "Blanket restrictions register", self)
        # The restriction's name takes the room left by the short columns; what is still cut
        # short shows whole on hover and in the editor beside.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        follow_text_size(
            self.table,
            lambda: self.table.setColumnWidth(1, self.fontMetrics().averageCharWidth() * 14),
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.editor = RestrictionEditor(db, self)
        self.editor.saved.connect(self._entry_saved)
        self.editor.review_requested.connect(self.record_review)
        self.editor.status_requested.connect(self.change_status)
        self.editor.delete_requested.connect(self.delete_current)
        scroll = VerticalScrollArea(self.editor, self)

        buttons = button_row(self.walk_button, self.add_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.chart)
        left_layout.addWidget(self.chart_text)
        left_layout.addLayout(buttons)
        left_layout.addWidget(buddy_label("The re&gister:", self.table, left))
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.table, stretch=1)
        splitter = ReflowSplitter("register-splitter", left, scroll, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- showing ------------------------------------------------------------------------------

    def show_service(self, service: ServiceInfo) -> None:
        self.editor.flush()
        if self._service is None or self._service.id != service.id:
            self.undo_stack.clear()
        self._service = service
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        if self._service is None:
            return
        current = self.editor.entry.id if self.editor.entry else None
        entries = restrictions.list_restrictions(self._db, self._service.id)
        today = self.today()
        self.model.set_records(entries, today)
        summary = summarise(entries, today)
        overdue = (
            f"{plural(summary.overdue, 'review')} OVERDUE"
            if summary.overdue
            else "no reviews overdue"
        )
        checking = (
            f"{summary.to_check} to check (not counted as in place), " if (summary.to_check) else ""
        )
        self.summary.setText(
            f"{plural(summary.active, 'blanket restriction')} in place, "
            f"{checking}{overdue}; {summary.removed_last_12_months} removed and "
            f"{summary.ended_last_12_months - summary.removed_last_12_months} individualised "
            f"in {Period.last_12_months(today).named}."
            if entries
            else "No blanket restrictions recorded yet. Walk the checklist to find them."
        )
        self.summary.setStyleSheet(warning_style(bold=True) if summary.overdue else "")
        counts = monthly_active_counts(entries, today, TREND_MONTHS)
        self.chart.set_counts(counts if entries else [])
        self.chart.setVisible(bool(entries))
        self.chart_text.setText(describe_trend(counts, today) if entries else "")
        self.select(select_id if select_id is not None else current)

    def select(self, entry_id: int | None) -> None:
        index = index_to_show(self.model, self.proxy, entry_id)
        if index is None:
            self.editor.show_entry(None)
            return
        if index.isValid():
            self.table.setCurrentIndex(index)
        self._show_current()

    def _current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _show_current(self) -> None:
        entry_id = self._current_id()
        shown = self.editor.entry
        if shown is not None and shown.id == entry_id:
            return
        self.editor.show_entry(
            restrictions.get_restriction(self._db, entry_id) if entry_id is not None else None
        )

    def _entry_saved(self, entry_id: int) -> None:
        row = self.model.row_of(entry_id)
        if row is not None and self._service is not None:
            entries = restrictions.list_restrictions(self._db, self._service.id)
            self.model.set_records(entries, self.today())
            self.select(entry_id)
        self.changed.emit()

    # --- actions ------------------------------------------------------------------------------

    def apply(self, operation: object, entry_id: int, *, select: bool = False) -> None:
        """Run an operation on one entry, then show the result (used by undo too)."""
        attempt(
            self,
            "Not changed",
            lambda: operation(self._db, entry_id),  # type: ignore[operator]
        )
        self._entry_replaced(entry_id if select else None)

    def _entry_replaced(self, select_id: int | None) -> None:
        """Show the register afresh after a change made outside the editor."""
        self.editor.show_entry(None)
        self.refresh(select_id=select_id)
        self.changed.emit()

    def walk_checklist(self) -> None:
        if self._service is None:
            return
        self.editor.flush()
        walk = ChecklistWalk(self._db, self._service, self.remove_entry, self)
        walk.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        walk.finished.connect(lambda _result: self.refresh())
        walk.open()

    def add_restriction(self) -> None:
        service = self._service
        if service is None:
            return
        dialog = AddRestrictionDialog(self)

        def submit() -> None:
            entry_id = restrictions.add_custom_restriction(
                self._db,
                service.id,
                dialog.title.text(),
                dialog.category.currentData(),
                dialog.restraint_type.currentData(),
                dialog.chosen_date(),
            )
            self.refresh(select_id=entry_id)
            self.changed.emit()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def record_review(self) -> None:
        entry = self.editor.entry
        if entry is None:
            return
        self.editor.flush()
        dialog = ReviewDialog(entry, self)

        def submit() -> None:
            restrictions.record_review(
                self._db,
                entry.id,
                dialog.chosen_date(),
                dialog.reviewed_by.text(),
                dialog.notes.toPlainText(),
                dialog.chosen_next(),
            )
            self._entry_replaced(entry.id)

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def change_status(self) -> None:
        entry = self.editor.entry
        if entry is None:
            return
        self.editor.flush()
        dialog = StatusDialog(entry, self)

        def submit() -> None:
            restrictions.change_status(
                self._db,
                entry.id,
                dialog.chosen_status(),
                dialog.chosen_date(),
                dialog.note.toPlainText(),
            )
            self._entry_replaced(entry.id)

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def delete_current(self) -> None:
        entry = self.editor.entry
        if entry is None:
            return
        if dialogs.ask_confirmation(
            self,
            "Delete register entry?",
            f"Delete '{entry.title}' from the register, with its reviews and history? "
            "You can undo this with Ctrl+Z.",
            "&Delete entry",
        ):
            self.remove_entry(entry.id)

    def remove_entry(self, entry_id: int) -> None:
        entry = restrictions.get_restriction(self._db, entry_id)
        self.editor.autosave.discard()
        self.undo_stack.push(DeleteEntry(self, entry_id, entry.title))

    def flush(self) -> None:
        self.editor.flush()
