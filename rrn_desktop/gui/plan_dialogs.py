"""Adding an action, logging progress, recording an outcome reading, changing a status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QWidget

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import ACTION_STATUS_LABELS, STRATEGY_LABELS, ActionStatus
from rrn_desktop.core.plan import ActionInfo
from rrn_desktop.core.service_size import MonthRate
from rrn_desktop.core.services import WHOLE_ORGANISATION, ServiceInfo
from rrn_desktop.core.validation import InputError
from rrn_desktop.gui.date_field import chosen_day, date_edit, optional_date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.widgets import choice_combo, wrapped


def parse_number(text: str, what: str) -> float | None:
    """A number typed by a person ('12', '7.5', '1,200'), or None when left blank."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError as error:
        raise InputError(f"{what} must be a number, such as 12 or 7.5.") from error


class NewActionDialog(FormDialog):
    def __init__(
        self, services: list[ServiceInfo], parent: QWidget | None = None, title: str = ""
    ) -> None:
        super().__init__("Add an action to the plan", "&Add action", parent)
        self.title = QLineEdit(title, self)
        self.title.setAccessibleName("Action")
        self.title.setPlaceholderText("What will be done")
        self.strategy = choice_combo(STRATEGY_LABELS, "Strategy", self)
        self.service = choice_combo(
            {None: WHOLE_ORGANISATION, **{s.id: s.name for s in services}}, "Service", self
        )
        self.owner_name = QLineEdit(self)
        self.owner_name.setAccessibleName("Owner's name")
        self.owner_role = QLineEdit(self)
        self.owner_role.setAccessibleName("Owner's role")
        self.due_on = optional_date_edit(self)
        self.due_on.setAccessibleName("Due date")
        self.form.addRow(
            wrapped(
                "Every action belongs to one of the Six Core Strategies and has an owner. "
                "You can add a measurable outcome and more detail once it is on the plan.",
                self,
            )
        )
        self.form.addRow("&Action:", self.title)
        self.form.addRow("&Strategy:", self.strategy)
        self.form.addRow("Ser&vice:", self.service)
        self.form.addRow("Owner's &name:", self.owner_name)
        self.form.addRow("Owner's ro&le:", self.owner_role)
        self.form.addRow("D&ue:", self.due_on)
        self.finish_layout(width=520)


class NoteDialog(FormDialog):
    def __init__(self, action: ActionInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Log progress: {action.title}", "&Add to the log", parent)
        self.on = date_edit(dt.date.today(), self)
        self.on.setAccessibleName("Date")
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("Progress note")
        self.text.setTabChangesFocus(True)
        self.form.addRow("&Date:", self.on)
        self.form.addRow("&What happened:", self.text)
        self.finish_layout()


class ReadingDialog(FormDialog):
    def __init__(
        self,
        action: ActionInfo,
        parent: QWidget | None = None,
        from_records: Callable[[dt.date], MonthRate] | None = None,
    ) -> None:
        """from_records: the service's rate for the month holding a day, where the action is
        one service's (its readings can then come from the incident records)."""
        super().__init__(f"Record a reading: {action.title}", "&Record reading", parent)
        self._from_records = from_records
        unit = f" ({action.outcome_unit})" if action.outcome_unit else ""
        self.value = QLineEdit(self)
        self.value.setAccessibleName("Value")
        self.on = date_edit(dt.date.today(), self)
        self.on.setAccessibleName("Date of reading")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        self.form.addRow(wrapped(f"Measuring: {action.outcome_measure}{unit}", self))
        self.form.addRow("&Value:", self.value)
        self.form.addRow("&Date:", self.on)
        self.form.addRow("&Note:", self.note)
        if from_records is not None:
            fill = QPushButton("Fill in the month's rate from the &incident records", self)
            fill.clicked.connect(self._fill_from_records)
            self.form.addRow(fill)
        self.finish_layout()

    def _fill_from_records(self) -> None:
        """The incidents of the date's month against the service's size that month."""
        if self._from_records is None:
            return
        try:
            found = self._from_records(chosen_day(self.on))
        except UserFacingError as error:
            self.problem.setText(error.message)
            self.problem.show()
            return
        self.problem.hide()
        self.value.setText(f"{found.value:.1f}")
        self.note.setText(found.words)

    def chosen_value(self) -> float:
        value = parse_number(self.value.text(), "The reading")
        if value is None:
            raise InputError("Type the reading, such as 12 or 7.5.")
        return value


class ActionStatusDialog(FormDialog):
    def __init__(self, action: ActionInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Change status: {action.title}", "&Change status", parent)
        choices = {s: label for s, label in ACTION_STATUS_LABELS.items() if s != action.status}
        self.status = choice_combo(choices, "New status", self)
        self.on = date_edit(dt.date.today(), self)
        self.on.setAccessibleName("Date of change")
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note or reason")
        self.note.setTabChangesFocus(True)
        self.form.addRow(
            wrapped(f"Now: {action.status_label}. A dropped action needs a reason.", self)
        )
        self.form.addRow("New &status:", self.status)
        self.form.addRow("&Date:", self.on)
        self.form.addRow("&Note or reason:", self.note)
        self.finish_layout()

    def chosen_status(self) -> ActionStatus:
        return ActionStatus(self.status.currentData())
