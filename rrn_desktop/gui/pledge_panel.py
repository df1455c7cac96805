"""The organisation's pledge and the personal pledges staff make."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core import plan
from rrn_desktop.core.dates import long_date
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.autosave import Autosave
from rrn_desktop.gui.date_field import chosen_day, date_edit, optional_date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.reflow import VerticalScrollArea, button_row
from rrn_desktop.gui.text_size import follow_row_height
from rrn_desktop.gui.theme import colours_changed, warning_style
from rrn_desktop.gui.widgets import filled_cell, heading, wrapped
from rrn_desktop.storage.database import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class StaffPledgeDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a personal pledge", "&Add pledge", parent)
        self.person = QLineEdit(self)
        self.person.setAccessibleName("Name or role")
        self.commitment = QPlainTextEdit(self)
        self.commitment.setAccessibleName("The one action they commit to")
        self.commitment.setTabChangesFocus(True)
        self.made_on = date_edit(dt.date.today(), self)
        self.made_on.setAccessibleName("Date made")
        self.review_on = optional_date_edit(self)
        self.review_on.setAccessibleName("Review date")
        self.form.addRow("&Name or role:", self.person)
        self.form.addRow("The one a&ction:", self.commitment)
        self.form.addRow("&Made on:", self.made_on)
        self.form.addRow("&Review on:", self.review_on)
        self.finish_layout()


class StaffPledgeReviewDialog(FormDialog):
    """How a person's pledge is going, and when to look at it next."""

    def __init__(self, pledge: plan.StaffPledgeInfo, parent: QWidget | None = None) -> None:
        # Not "Review <person>'s pledge": the name is often a role with a place after a comma
        # ("Night support worker, Willow House"), which reads badly with 's; it gets a row.
        super().__init__("Review a personal pledge", "&Save review", parent)
        self.notes = QPlainTextEdit(pledge.review_notes, self)
        self.notes.setAccessibleName("How it is going")
        self.notes.setTabChangesFocus(True)
        self.next_review = optional_date_edit(self)
        self.next_review.setAccessibleName("Next review")
        self.next_review.set_day(pledge.review_on)
        self.form.addRow("Name or role:", wrapped(pledge.person, self))
        self.form.addRow("Their one action:", wrapped(pledge.commitment, self))
        self.form.addRow("&How it is going:", self.notes)
        self.form.addRow("&Next review:", self.next_review)
        self.finish_layout()


class PledgePanel(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._pledge: plan.PledgeInfo | None = None
        self.autosave = Autosave(self._save, self)
        self.renewal = wrapped("", self)
        self._recolour()
        colours_changed().connect(self._recolour)
        self.renewal.setAccessibleName("Pledge renewal")
        self.statement = QPlainTextEdit(self)
        self.statement.setAccessibleName("Our pledge")
        self.statement.setTabChangesFocus(True)
        self.statement.setPlaceholderText(
            "What the organisation commits to over the next two years, in its own words"
        )
        self.period = wrapped("", self)
        self.signed_by = QLineEdit(self)
        self.signed_by.setAccessibleName("Signed by")
        self.signed_role = QLineEdit(self)
        self.signed_role.setAccessibleName("Their role")
        self.published = QCheckBox("&Published", self)
        self.published_where = QLineEdit(self)
        self.published_where.setAccessibleName("Where it is published")
        for widget, field in (
            (self.signed_by, "signed_by"),
            (self.signed_role, "signed_role"),
            (self.published_where, "published_where"),
            (self.statement, "statement"),
        ):
            self.autosave.watch(widget, field)
        self.published.toggled.connect(lambda checked: self._save({"published": checked}))
        self.make_button = QPushButton("&Make the pledge", self)
        self.make_button.clicked.connect(self.make_pledge)
        self.renew_button = QPushButton("Re&new for two more years…", self)
        self.renew_button.clicked.connect(self.renew)

        self.staff = QTableWidget(0, 4, self)
        self.staff.setHorizontalHeaderLabels(["Person", "Their one action", "Made", "Review"])
        self.staff.setAccessibleName("Personal pledges")
        self.staff.verticalHeader().hide()
        follow_row_height(self.staff)
        self.staff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.staff.setTabKeyNavigation(False)
        self.staff.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.staff.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_staff_button = QPushButton("Add a &personal pledge…", self)
        self.add_staff_button.clicked.connect(self.add_staff_pledge)
        self.review_staff_button = QPushButton("Revie&w personal pledge…", self)
        self.review_staff_button.clicked.connect(self.review_staff_pledge)
        self.remove_staff_button = QPushButton("Re&move personal pledge…", self)
        self.remove_staff_button.clicked.connect(self.remove_staff_pledge)

        form = QFormLayout()
        form.addRow("Our &pledge:", self.statement)
        form.addRow("Period:", self.period)
        form.addRow("Signed b&y:", self.signed_by)
        form.addRow("Their r&ole:", self.signed_role)
        form.addRow(self.published)
        form.addRow("&Where:", self.published_where)
        pledge_buttons = button_row(self.make_button, self.renew_button)
        staff_buttons = button_row(
            self.add_staff_button, self.review_staff_button, self.remove_staff_button
        )
        # A tall form in a tab: it scrolls, rather than being squeezed, on a short screen.
        contents = QWidget(self)
        layout = QVBoxLayout(contents)
        layout.addWidget(heading("The organisation's pledge", self, level=2))
        layout.addWidget(
            wrapped(
                "RRN members commit to actions over two years. Write the organisation's "
                "commitment here; the plan's actions are how it is kept.",
                self,
            )
        )
        layout.addWidget(self.renewal)
        layout.addLayout(form)
        layout.addLayout(pledge_buttons)
        layout.addWidget(heading("Personal pledges", self, level=2))
        layout.addWidget(
            wrapped("Each member of staff may commit to one action of their own.", self)
        )
        layout.addWidget(self.staff, stretch=1)
        layout.addLayout(staff_buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = VerticalScrollArea(contents, self)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)

    def refresh(self) -> None:
        self.flush()
        self._pledge = plan.current_pledge(self._db)
        pledge = self._pledge
        today = dt.date.today()
        self.autosave.loading = True
        try:
            self.statement.setPlainText(pledge.statement if pledge else "")
            self.signed_by.setText(pledge.signed_by if pledge else "")
            self.signed_role.setText(pledge.signed_role if pledge else "")
            self.published.setChecked(bool(pledge and pledge.published))
            self.published_where.setText(pledge.published_where if pledge else "")
        finally:
            self.autosave.loading = False
        for widget in (self.signed_by, self.signed_role, self.published, self.published_where):
            widget.setEnabled(pledge is not None)
        self.period.setText(
            f"Made {long_date(pledge.made_on)}; runs {long_date(pledge.period_start)} to "
            f"{long_date(pledge.period_end)}."
            if pledge
            else "No pledge yet: write it above, then choose 'Make the pledge'."
        )
        self.renewal.setText(pledge.renewal_text(today) if pledge else "")
        self.renewal.setVisible(bool(self.renewal.text()))
        self.make_button.setVisible(pledge is None)
        self.renew_button.setVisible(pledge is not None)
        people = plan.list_staff_pledges(self._db)
        self.staff.setRowCount(len(people))
        for row, person in enumerate(people):
            cells = [
                person.person,
                person.commitment,
                long_date(person.made_on),
                long_date(person.review_on) if person.review_on else "Not set",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, person.id)
                self.staff.setItem(row, column, cell)

    def _recolour(self) -> None:
        self.renewal.setStyleSheet(warning_style(bold=True))

    def flush(self) -> None:
        self.autosave.flush()

    def _save(self, changes: dict[str, object]) -> bool:
        if self._pledge is None or self.autosave.loading:
            return True
        pledge_id = self._pledge.id
        saved = attempt(
            self, "Not saved", lambda: plan.update_pledge(self._db, pledge_id, **changes)
        )
        if not saved.ok:
            return False
        self._pledge = saved.value
        self.changed.emit()
        return True

    def make_pledge(self) -> None:
        made = attempt(
            self,
            "Pledge not made",
            lambda: plan.make_pledge(self._db, self.statement.toPlainText(), dt.date.today()),
        )
        if not made.ok:
            return
        self.refresh()
        self.changed.emit()

    def renew(self) -> None:
        if self._pledge is None:
            return
        self.flush()
        if not dialogs.ask_confirmation(
            self,
            "Renew the pledge?",
            "Start a new two-year pledge from today, with the same words to edit? The current "
            "pledge is kept in the record.",
            "&Renew",
        ):
            return
        plan.make_pledge(
            self._db,
            self._pledge.statement,
            dt.date.today(),
            signed_by=self._pledge.signed_by,
            signed_role=self._pledge.signed_role,
        )
        self.refresh()
        self.changed.emit()

    def add_staff_pledge(self) -> None:
        dialog = StaffPledgeDialog(self)

        def submit() -> None:
            plan.add_staff_pledge(
                self._db,
                dialog.person.text(),
                dialog.commitment.toPlainText(),
                chosen_day(dialog.made_on),
                dialog.review_on.day(),
            )
            self.refresh()
            self.changed.emit()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def review_staff_pledge(self) -> None:
        row = self.staff.currentRow()
        if row < 0:
            return
        pledge_id = int(filled_cell(self.staff, row).data(ID_ROLE))
        pledge = next((p for p in plan.list_staff_pledges(self._db) if p.id == pledge_id), None)
        if pledge is None:
            return
        dialog = StaffPledgeReviewDialog(pledge, self)

        def submit() -> None:
            plan.review_staff_pledge(
                self._db, pledge_id, dialog.notes.toPlainText(), dialog.next_review.day()
            )
            self.refresh()
            self.changed.emit()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def remove_staff_pledge(self) -> None:
        row = self.staff.currentRow()
        if row < 0:
            return
        person = filled_cell(self.staff, row).text()
        if dialogs.ask_confirmation(
            self, "Remove personal pledge?", f"Remove {person}'s pledge?", "&Remove"
        ):
            plan.delete_staff_pledge(self._db, int(filled_cell(self.staff, row).data(ID_ROLE)))
            self.refresh()
            self.changed.emit()
