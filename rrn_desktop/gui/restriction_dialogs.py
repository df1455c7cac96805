"""Adding a restriction the checklist missed, recording a review, changing a status."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from rrn_desktop.base.vocabulary import (
    RESTRAINT_TYPE_LABELS,
    RESTRICTION_STATUS_LABELS,
    RestraintType,
    RestrictionStatus,
)
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core.restrictions import (
    OTHER_CATEGORY,
    OTHER_CATEGORY_TITLE,
    RestrictionInfo,
    next_review_after,
)
from rrn_desktop.gui.date_field import chosen_day, date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.widgets import choice_combo, wrapped


class AddRestrictionDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a restriction", "&Add to register", parent)
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Restriction")
        self.title.setPlaceholderText("For example: Garden locked after 6pm")
        categories = {c.id: c.title for c in shipped_checklist().categories}
        self.category = choice_combo(
            {**categories, OTHER_CATEGORY: OTHER_CATEGORY_TITLE}, "Category", self
        )
        self.restraint_type = choice_combo(RESTRAINT_TYPE_LABELS, "Type of restraint", self)
        self.restraint_type.setCurrentIndex(self.restraint_type.findData(RestraintType.BLANKET))
        self.found_on = date_edit(dt.date.today(), self)
        self.found_on.setAccessibleName("Date found")
        self.form.addRow(
            wrapped("Add a restriction the checklist does not list. It goes on the register.", self)
        )
        self.form.addRow("&Restriction:", self.title)
        self.form.addRow("&Category:", self.category)
        self.form.addRow("&Type of restraint:", self.restraint_type)
        self.form.addRow("&Found on:", self.found_on)
        self.finish_layout()

    def chosen_date(self) -> dt.date:
        return chosen_day(self.found_on)


class ReviewDialog(FormDialog):
    def __init__(self, entry: RestrictionInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Record a review: {entry.title}", "&Record review", parent)
        self._entry = entry
        self.reviewed_on = date_edit(dt.date.today(), self)
        self.reviewed_on.setAccessibleName("Date of review")
        self.reviewed_by = QLineEdit(self)
        self.reviewed_by.setAccessibleName("Reviewed by")
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName("What the review found")
        self.notes.setTabChangesFocus(True)
        self.next_review_on = date_edit(dt.date.today(), self)
        self.next_review_on.setAccessibleName("Next review")
        self.reviewed_on.changed.connect(self._suggest_next)
        self._suggest_next()
        self.form.addRow(
            wrapped(
                f"Reviewed {entry.frequency_label.lower()}: the next review date is worked out "
                "from that, and you can change it.",
                self,
            )
        )
        self.form.addRow("&Date of review:", self.reviewed_on)
        self.form.addRow("Reviewed &by:", self.reviewed_by)
        self.form.addRow("What the review &found:", self.notes)
        self.form.addRow("&Next review:", self.next_review_on)
        self.finish_layout()

    def _suggest_next(self) -> None:
        if self.reviewed_on.problem():
            return  # a date half typed: the suggestion waits for a whole one
        suggested = next_review_after(self.chosen_date(), self._entry.review_frequency)
        self.next_review_on.set_day(suggested)

    def chosen_date(self) -> dt.date:
        return chosen_day(self.reviewed_on)

    def chosen_next(self) -> dt.date:
        return chosen_day(self.next_review_on)


class StatusDialog(FormDialog):
    def __init__(self, entry: RestrictionInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Change status: {entry.title}", "&Change status", parent)
        choices = {s: label for s, label in RESTRICTION_STATUS_LABELS.items() if s != entry.status}
        self.status = choice_combo(choices, "New status", self)
        self.on = date_edit(dt.date.today(), self)
        self.on.setAccessibleName("Date of change")
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.form.addRow(
            wrapped(
                f"Now: {entry.status_label}. Individualised means it now applies only to "
                "particular people after an individual assessment; removed means it has gone. "
                "Every change is kept, with its date.",
                self,
            )
        )
        self.form.addRow("New &status:", self.status)
        self.form.addRow("&Date:", self.on)
        self.form.addRow("&Note:", self.note)
        self.finish_layout()

    def chosen_status(self) -> RestrictionStatus:
        return RestrictionStatus(self.status.currentData())

    def chosen_date(self) -> dt.date:
        return chosen_day(self.on)
