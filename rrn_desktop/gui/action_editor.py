"""One action on the plan: its details saved as typed, and its history, log and readings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import PRIORITY_LABELS, STRATEGY_LABELS
from rrn_desktop.core import plan
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.plan import ActionInfo
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.autosave import Autosave
from rrn_desktop.gui.conflicts import Unsaved, save_checked
from rrn_desktop.gui.date_field import optional_date_edit
from rrn_desktop.gui.evidence_opening import open_evidence
from rrn_desktop.gui.history_dialog import show_record_history
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.plan_dialogs import parse_number
from rrn_desktop.gui.reflow import button_row
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import colours_changed, warning_style
from rrn_desktop.gui.widgets import choice_combo, heading, select_data, wrapped
from rrn_desktop.storage.database import Database

NUMBER_FIELDS = {"outcome_baseline": "The baseline", "outcome_target": "The target"}
EVIDENCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ActionEditor(QWidget):
    saved = Signal(int)
    move_requested = Signal()
    status_requested = Signal()
    note_requested = Signal()
    reading_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._action: ActionInfo | None = None
        self.autosave = Autosave(self._save, self)

        self.heading = heading("", self, level=2)
        self.state = wrapped("", self)
        self.state.setAccessibleName("Status")
        colours_changed().connect(self._recolour)
        self.source = wrapped("", self)
        self.source.setAccessibleName("Where this action came from")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Action")
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("Description")
        self.description.setTabChangesFocus(True)
        follow_text_size(
            self.description,
            lambda: self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12),
        )
        self.strategy = choice_combo(STRATEGY_LABELS, "Strategy", self)
        self.priority = choice_combo(PRIORITY_LABELS, "Priority", self)
        self.owner_name = QLineEdit(self)
        self.owner_name.setAccessibleName("Owner's name")
        self.owner_role = QLineEdit(self)
        self.owner_role.setAccessibleName("Owner's role")
        self.start_on = optional_date_edit(self)
        self.start_on.setAccessibleName("Start date")
        self.due_on = optional_date_edit(self)
        self.due_on.setAccessibleName("Due date")
        self.outcome_measure = QLineEdit(self)
        self.outcome_measure.setAccessibleName("What is measured")
        self.outcome_measure.setPlaceholderText("For example: uses of restraint a month")
        self.outcome_unit = QLineEdit(self)
        self.outcome_unit.setAccessibleName("Unit")
        self.outcome_baseline = QLineEdit(self)
        self.outcome_baseline.setAccessibleName("Baseline")
        self.outcome_target = QLineEdit(self)
        self.outcome_target.setAccessibleName("Target")
        for widget, field in (
            (self.title, "title"),
            (self.description, "description"),
            (self.strategy, "strategy"),
            (self.priority, "priority"),
            (self.owner_name, "owner_name"),
            (self.owner_role, "owner_role"),
            (self.start_on, "start_on"),
            (self.due_on, "due_on"),
            (self.outcome_measure, "outcome_measure"),
            (self.outcome_unit, "outcome_unit"),
            (self.outcome_baseline, "outcome_baseline"),
            (self.outcome_target, "outcome_target"),
        ):
            self.autosave.watch(widget, field)

        self.forward_button = QPushButton("Move f&orward (Ctrl+Enter)", self)
        self.status_button = QPushButton("Change s&tatus…", self)
        self.note_button = QPushButton("&Log progress…", self)
        self.reading_button = QPushButton("Record a readin&g…", self)
        self.attach_button = QPushButton("Attach evide&nce…", self)
        self.forward_button.clicked.connect(self.move_requested)
        self.status_button.clicked.connect(self.status_requested)
        self.note_button.clicked.connect(self.note_requested)
        self.reading_button.clicked.connect(self.reading_requested)
        self.attach_button.clicked.connect(self._attach)
        self.history_button = QPushButton("Hist&ory…", self)
        self.history_button.clicked.connect(self._show_history)
        self.outcome = wrapped("", self)
        self.outcome.setAccessibleName("Outcome progress")
        self.history = QListWidget(self)
        self.history.setAccessibleName("History, progress log and readings")
        self.files = QListWidget(self)
        self.files.setAccessibleName("Evidence files")
        follow_text_size(
            self.files, lambda: self.files.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        )
        self.files.itemDoubleClicked.connect(
            lambda item: open_evidence(self, self._db, Path(item.toolTip()), item.text())
        )
        self.remove_file_button = QPushButton("Re&move evidence file…", self)
        self.remove_file_button.clicked.connect(self._remove_evidence)
        self.remove_file_button.setEnabled(False)
        self.files.currentItemChanged.connect(
            lambda item, _before: self.remove_file_button.setEnabled(item is not None)
        )

        details = QFormLayout()
        # Labels above their fields: the pane beside the plan is narrow.
        details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        details.addRow("&Action:", self.title)
        details.addRow("Descri&ption:", self.description)
        details.addRow("&Strategy:", self.strategy)
        details.addRow("Priorit&y:", self.priority)
        details.addRow("Owner's &name:", self.owner_name)
        details.addRow("Owner's ro&le:", self.owner_role)
        details.addRow("Start:", self.start_on)
        details.addRow("D&ue:", self.due_on)
        outcome = QFormLayout()
        outcome.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        outcome.addRow("What is &measured:", self.outcome_measure)
        outcome.addRow("Unit:", self.outcome_unit)
        outcome.addRow("Basel&ine:", self.outcome_baseline)
        outcome.addRow("Tar&get:", self.outcome_target)
        outcome.addRow(self.outcome)
        outcome_box = QGroupBox("Measurable outcome", self)
        outcome_box.setLayout(outcome)
        buttons = QGridLayout()
        for index, button in enumerate(
            (
                self.forward_button,
                self.status_button,
                self.note_button,
                self.reading_button,
                self.attach_button,
                self.history_button,
            )
        ):
            buttons.addWidget(button, index // 2, index % 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addWidget(self.source)
        layout.addLayout(buttons)
        layout.addLayout(details)
        layout.addWidget(outcome_box)
        layout.addWidget(wrapped("History and progress log:", self))
        layout.addWidget(self.history, stretch=1)
        layout.addWidget(wrapped("Evidence files (copied into the data folder):", self))
        layout.addWidget(self.files)
        layout.addLayout(button_row(self.remove_file_button))
        self.show_action(None)

    @property
    def action(self) -> ActionInfo | None:
        return self._action

    def show_action(self, action: ActionInfo | None) -> None:
        self.flush()
        self._action = action
        self.setEnabled(action is not None)
        if action is None:
            self.heading.setText("Choose an action to see and change it.")
            for label in (self.state, self.source, self.outcome):
                label.clear()
            self.history.clear()
            self.files.clear()
            return
        self.autosave.loading = True
        try:
            self.title.setText(action.title)
            self.description.setPlainText(action.description)
            select_data(self.strategy, action.strategy)
            select_data(self.priority, action.priority)
            self.owner_name.setText(action.owner_name)
            self.owner_role.setText(action.owner_role)
            self.start_on.set_day(action.start_on)
            self.due_on.set_day(action.due_on)
            self.outcome_measure.setText(action.outcome_measure)
            self.outcome_unit.setText(action.outcome_unit)
            self.outcome_baseline.setText(_number_text(action.outcome_baseline))
            self.outcome_target.setText(_number_text(action.outcome_target))
        finally:
            self.autosave.loading = False
        self._show_state(action)

    def _show_state(self, action: ActionInfo) -> None:
        self.heading.setText(action.title)
        today = dt.date.today()
        due = f"due {long_date(action.due_on)}" if action.due_on else "no due date"
        overdue = " OVERDUE." if action.overdue(today) else ""
        dropped = f" Reason: {action.dropped_reason}" if action.dropped_reason else ""
        self.state.setText(f"Status: {action.status_label}, {due}.{overdue}{dropped}")
        self._recolour()
        scope = action.service.name if action.service else "the whole organisation"
        self.source.setText(f"For {scope}. Came from: {action.source_detail}.")
        self.outcome.setText(action.outcome_text() or "No outcome measured yet.")
        self.forward_button.setEnabled(action.status in plan.NEXT_STATUS)
        self.reading_button.setEnabled(bool(action.outcome_measure))
        events = [
            (c.changed_on, c.recorded_at, f"{long_date(c.changed_on)}: {c.status_label}. {c.note}")
            for c in action.status_changes
        ] + [
            (n.noted_on, n.recorded_at, f"{long_date(n.noted_on)}: {n.text}") for n in action.notes
        ]
        self.history.clear()
        for _day, _recorded, text in sorted(events, key=lambda event: event[:2]):
            self.history.addItem(" ".join(text.split()))
        for reading in action.readings:
            self.history.addItem(
                f"Reading {long_date(reading.read_on)}: {reading.value:g} {action.outcome_unit}"
                f"{' (' + reading.note + ')' if reading.note else ''}".replace("  ", " ")
            )
        self.files.clear()
        for evidence in action.evidence_files:
            self.files.addItem(evidence.original_name)
            item = self.files.item(self.files.count() - 1)
            item.setToolTip(str(evidence.stored_path))
            item.setData(EVIDENCE_ID_ROLE, evidence.id)

    def _recolour(self) -> None:
        """The status line in the warning colour of the scheme in use while the action is overdue
        (the words say OVERDUE too)."""
        overdue = self._action is not None and self._action.overdue(dt.date.today())
        self.state.setStyleSheet(warning_style(bold=True) if overdue else "")

    def _remove_evidence(self) -> None:
        item = self.files.currentItem()
        if self._action is None or item is None:
            return
        if not dialogs.ask_confirmation(
            self,
            "Remove evidence file?",
            f"Remove '{item.text()}' from this action? Its copy in the data folder is deleted "
            "too; the file you attached it from is not touched.",
            "&Remove",
        ):
            return
        action_id, evidence_id = self._action.id, item.data(EVIDENCE_ID_ROLE)
        attempt(
            self,
            "File not removed",
            lambda: plan.remove_action_evidence(self._db, action_id, evidence_id),
        )
        action = plan.get_action(self._db, action_id)
        self._action = action
        self._show_state(action)
        self.saved.emit(action.id)

    def _show_history(self) -> None:
        if self._action is not None:
            self.flush()
            name = f"action '{self._action.title}'"
            show_record_history(self, self._db, "action", self._action.id, name)

    def flush(self) -> None:
        self.autosave.flush()

    def _save(self, changes: dict[str, object]) -> bool:
        if self._action is None:
            return True
        action_id = self._action.id

        def save(opened: int) -> ActionInfo:
            for field, what in NUMBER_FIELDS.items():
                if field in changes:
                    changes[field] = parse_number(str(changes[field]), what)
            return plan.update_action(self._db, action_id, opened=opened, **changes)

        result = save_checked(
            self, self.autosave, changes, self._action.row_version, save, self.show_action
        )
        if result is Unsaved.REFUSED:
            # Back to what is kept, rather than leave the refused text looking saved.
            self.show_action(plan.get_action(self._db, action_id))
        if isinstance(result, Unsaved):
            return result is Unsaved.THEIRS
        self._action = result
        self._show_state(result)
        self.saved.emit(result.id)
        return True

    def _attach(self) -> None:
        if self._action is None:
            return
        path = dialogs.choose_open_path(self, "Attach an evidence file")
        if path is None:
            return
        action_id = self._action.id
        attached = attempt(
            self,
            "File not attached",
            lambda: plan.attach_action_evidence(self._db, action_id, path),
        )
        if not attached.ok:
            return
        action = attached.value
        self._action = action
        self._show_state(action)
        self.saved.emit(action.id)
