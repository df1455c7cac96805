"""One register entry: every field a register should hold, saved as it is typed."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import (
    APPLIES_TO_LABELS,
    RESTRAINT_TYPE_LABELS,
    REVIEW_FREQUENCY_LABELS,
    Sector,
)
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core import plan, restrictions
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.restrictions import RestrictionInfo
from rrn_desktop.gui.autosave import Autosave
from rrn_desktop.gui.conflicts import Unsaved, save_checked
from rrn_desktop.gui.date_field import optional_date_edit
from rrn_desktop.gui.history_dialog import show_record_history
from rrn_desktop.gui.reflow import button_row
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.widgets import YES_NO_UNKNOWN, choice_combo, heading, select_data, wrapped
from rrn_desktop.storage.database import Database

ACTION_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_FIELDS = {
    "description": "What it is",
    "applies_to_detail": "Who exactly",
    "rationale": "Why it is in place",
    "risk": "The risk it addresses",
    "legal_basis": "Legal basis or authority",
    "alternatives": "Less restrictive options considered",
    "consulted": "Who was consulted (the person, families, others affected)",
    "informed": "Who was told about it",
    "reduction_plan": "Plan to reduce or remove it",
    "child_view": "The child's own view",
}


def _sentence(lead: str, note: str) -> str:
    """'1 May 2026: Removed' + 'Alarm works' -> '1 May 2026: Removed. Alarm works.'"""
    text = f"{lead}. {' '.join(note.split())}".rstrip(". ")
    return text if text.endswith(("!", "?")) else f"{text}."


def _three_lines_high(edit: QPlainTextEdit) -> None:
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)


class RestrictionEditor(QWidget):
    saved = Signal(int)  # the entry's id
    review_requested = Signal()
    status_requested = Signal()
    delete_requested = Signal()
    new_action_requested = Signal(int, str)  # the entry's id, a suggested title
    open_action_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._entry: RestrictionInfo | None = None
        self.autosave = Autosave(self._save, self)

        self.heading = heading("", self, level=2)
        self.origin = wrapped("", self)
        self.state = wrapped("", self)
        self.state.setAccessibleName("Status and reviews")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Restriction")
        self.restraint_type = choice_combo(RESTRAINT_TYPE_LABELS, "Type of restraint", self)
        self.applies_to = choice_combo(APPLIES_TO_LABELS, "Applies to", self)
        self.individual_risk_assessment = choice_combo(
            YES_NO_UNKNOWN, "Individual risk assessment done", self
        )
        self.authorised_by_role = QLineEdit(self)
        self.authorised_by_role.setAccessibleName("Authorised by (role)")
        self.authorised_on = optional_date_edit(self)
        self.authorised_on.setAccessibleName("Authorised on")
        self.review_frequency = choice_combo(REVIEW_FREQUENCY_LABELS, "Review frequency", self)
        self.next_review_on = optional_date_edit(self)
        self.next_review_on.setAccessibleName("Next review")
        self.texts: dict[str, QPlainTextEdit] = {}
        for field, label in TEXT_FIELDS.items():
            edit = QPlainTextEdit(self)
            edit.setAccessibleName(label)
            edit.setTabChangesFocus(True)
            follow_text_size(edit, partial(_three_lines_high, edit))
            self.texts[field] = edit
        self.placing_authority_agreed = choice_combo(
            YES_NO_UNKNOWN, "Agreed with the placing authority", self
        )
        self.in_placement_plan = choice_combo(
            YES_NO_UNKNOWN, "Written into the placement plan", self
        )

        for widget, field in (
            (self.title, "title"),
            (self.restraint_type, "restraint_type"),
            (self.applies_to, "applies_to"),
            (self.individual_risk_assessment, "individual_risk_assessment"),
            (self.authorised_by_role, "authorised_by_role"),
            (self.authorised_on, "authorised_on"),
            (self.review_frequency, "review_frequency"),
            (self.next_review_on, "next_review_on"),
            (self.placing_authority_agreed, "placing_authority_agreed"),
            (self.in_placement_plan, "in_placement_plan"),
            *((edit, field) for field, edit in self.texts.items()),
        ):
            self.autosave.watch(widget, field)

        self.review_button = QPushButton("Record revie&w…", self)
        self.status_button = QPushButton("Change &status…", self)
        self.delete_button = QPushButton("De&lete entry…", self)
        self.review_button.clicked.connect(self.review_requested)
        self.status_button.clicked.connect(self.status_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.history_button = QPushButton("Histor&y…", self)
        self.history_button.clicked.connect(self._show_history)
        self.history = QListWidget(self)
        self.history.setAccessibleName("History of status changes and reviews")
        self.plan_actions = QListWidget(self)
        self.plan_actions.setAccessibleName("Actions on the plan for this restriction")
        follow_text_size(
            self.plan_actions,
            lambda: self.plan_actions.setMaximumHeight(self.fontMetrics().lineSpacing() * 5),
        )
        self.plan_actions.itemActivated.connect(
            lambda item: self.open_action_requested.emit(item.data(ACTION_ROLE))
        )
        self.new_action_button = QPushButton("Plan an &action to reduce it…", self)
        self.new_action_button.clicked.connect(self._new_action)

        what = QFormLayout()
        what.addRow("Restri&ction:", self.title)
        what.addRow("What it &is:", self.texts["description"])
        what.addRow("&Applies to:", self.applies_to)
        what.addRow("Who exactly:", self.texts["applies_to_detail"])
        what.addRow("&Type of restraint:", self.restraint_type)
        why = QFormLayout()
        why.addRow("Why it is in place:", self.texts["rationale"])
        why.addRow("Risk it addresses:", self.texts["risk"])
        why.addRow("Individual risk assessment done:", self.individual_risk_assessment)
        why.addRow("Legal basis or authority:", self.texts["legal_basis"])
        why.addRow("Less restrictive options considered:", self.texts["alternatives"])
        why.addRow("Who was consulted:", self.texts["consulted"])
        why.addRow("Who was told:", self.texts["informed"])
        why.addRow("Authorised by (role):", self.authorised_by_role)
        why.addRow("Authorised on:", self.authorised_on)
        review = QFormLayout()
        review.addRow("Review fre&quency:", self.review_frequency)
        review.addRow("&Next review:", self.next_review_on)
        review.addRow("Plan to reduce or remove it:", self.texts["reduction_plan"])
        children = QFormLayout()
        children.addRow("Agreed with the placing authority:", self.placing_authority_agreed)
        children.addRow("Written into the placement plan:", self.in_placement_plan)
        children.addRow("The child's own view:", self.texts["child_view"])
        self.children_box = self._box("Children's services", children)
        buttons = button_row(
            self.review_button, self.status_button, self.delete_button, self.history_button
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.origin)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        layout.addWidget(self._box("What it is", what))
        layout.addWidget(self._box("Why, and who agreed", why))
        layout.addWidget(self._box("Reviews and reduction", review))
        layout.addWidget(self.children_box)
        layout.addWidget(
            wrapped("Actions on the restraint reduction plan (Enter opens one):", self)
        )
        layout.addWidget(self.plan_actions)
        layout.addWidget(self.new_action_button)
        layout.addWidget(QLabel("History:", self))
        layout.addWidget(self.history)
        self.setEnabled(False)

    def _box(self, title: str, form: QFormLayout) -> QGroupBox:
        # Labels above their fields: the pane is narrow and the questions are long.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        box = QGroupBox(title, self)
        box.setLayout(form)
        return box

    @property
    def entry(self) -> RestrictionInfo | None:
        return self._entry

    def show_entry(self, entry: RestrictionInfo | None) -> None:
        self.flush()
        self._entry = entry
        self.setEnabled(entry is not None)
        if entry is None:
            self.heading.setText("Choose an entry on the register to see and edit it.")
            return
        self.autosave.loading = True
        try:
            self.heading.setText(entry.title)
            self.title.setText(entry.title)
            for field, edit in self.texts.items():
                edit.setPlainText(getattr(entry, field))
            select_data(self.restraint_type, entry.restraint_type)
            select_data(self.applies_to, entry.applies_to)
            select_data(self.individual_risk_assessment, entry.individual_risk_assessment)
            self.authorised_by_role.setText(entry.authorised_by_role)
            self.authorised_on.set_day(entry.authorised_on)
            select_data(self.review_frequency, entry.review_frequency)
            self.next_review_on.set_day(entry.next_review_on)
            select_data(self.placing_authority_agreed, entry.placing_authority_agreed)
            select_data(self.in_placement_plan, entry.in_placement_plan)
            self._show_state(entry)
        finally:
            self.autosave.loading = False
        self.children_box.setVisible(entry.service.sector is Sector.CHILDRENS_SERVICES)

    def _show_state(self, entry: RestrictionInfo) -> None:
        pack = shipped_checklist()
        item = pack.item(entry.checklist_code) if entry.checklist_code else None
        self.origin.setText(
            f"{entry.category_title(pack)}. "
            + (f"From the checklist: {item.prompt}" if item else "Added by hand.")
        )
        last = long_date(entry.last_reviewed_on) if entry.last_reviewed_on else "not yet"
        self.state.setText(
            f"Status: {entry.status_label}. Found {long_date(entry.identified_on)}. "
            f"Last reviewed: {last}. Next review: {long_date(entry.next_review_on)}."
        )
        self.history.clear()
        events = [
            (
                c.changed_on,
                c.recorded_at,
                _sentence(f"{long_date(c.changed_on)}: {c.status_label}", c.note),
            )
            for c in entry.status_changes
        ] + [
            (
                r.reviewed_on,
                r.recorded_at,
                _sentence(f"{long_date(r.reviewed_on)}: reviewed by {r.reviewed_by}", r.notes)
                + f" Next review {long_date(r.next_review_on)}.",
            )
            for r in entry.reviews
        ]
        # Oldest first; on one day, in the order they were recorded.
        for _day, _recorded, text in sorted(events, key=lambda event: event[:2]):
            self.history.addItem(text)
        self.plan_actions.clear()
        for action in plan.actions_for_restriction(self._db, entry.id):
            self.plan_actions.addItem(f"{action.title} ({action.status_label})")
            self.plan_actions.item(self.plan_actions.count() - 1).setData(ACTION_ROLE, action.id)
        if not self.plan_actions.count():
            self.plan_actions.addItem("No actions yet.")
            self.plan_actions.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _new_action(self) -> None:
        if self._entry is not None:
            self.flush()
            self.new_action_requested.emit(self._entry.id, f"Reduce or remove: {self._entry.title}")

    def _show_history(self) -> None:
        if self._entry is not None:
            self.flush()
            name = f"register entry '{self._entry.title}'"
            show_record_history(self, self._db, "restriction", self._entry.id, name)

    def flush(self) -> None:
        self.autosave.flush()

    def _save(self, changes: dict[str, object]) -> bool:
        if self._entry is None:
            return True
        entry_id = self._entry.id

        def save(opened: int) -> RestrictionInfo:
            return restrictions.update_restriction(self._db, entry_id, opened=opened, **changes)

        result = save_checked(
            self, self.autosave, changes, self._entry.row_version, save, self.show_entry
        )
        if result is Unsaved.REFUSED:
            self.show_entry(restrictions.get_restriction(self._db, entry_id))
        if isinstance(result, Unsaved):
            return result is Unsaved.THEIRS
        self._entry = result
        self.heading.setText(result.title)
        self._show_state(result)
        self.saved.emit(result.id)
        return True
