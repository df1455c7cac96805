"""Starting, signing off and reopening a benchmark."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import PURPOSE_LABELS, Purpose
from rrn_desktop.core.benchmarks import BenchmarkInfo, ParticipantInfo
from rrn_desktop.core.instrument_catalogue import Instrument
from rrn_desktop.core.wording import plural
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.date_field import chosen_day, date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.widgets import wrapped


def describe_person(person: ParticipantInfo) -> str:
    text = person.name + (f", {person.role}" if person.role else "")
    return text + (" (lived experience)" if person.lived_experience else "")


class ParticipantsEditor(QWidget):
    """Who took part: typed one at a time (name, role, lived experience), listed below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: list[ParticipantInfo] = []
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Participant name")
        self.name.setPlaceholderText("Name")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Participant role")
        self.role.setPlaceholderText("Role, e.g. training lead")
        self.lived_experience = QCheckBox("&Lived experience", self)
        self.lived_experience.setToolTip(
            "Tick for someone taking part because of their own or their family's experience "
            "of restraint or restrictive practice."
        )
        self.add_button = QPushButton("Add &person", self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_typed)
        # Enter in these fields adds the person; it must not also start the benchmark.
        self.name.installEventFilter(self)
        self.role.installEventFilter(self)
        self.listing = QListWidget(self)
        self.listing.setAccessibleName("People taking part")
        self.remove_button = QPushButton("&Remove person", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._remove_current)
        entry = QHBoxLayout()
        entry.addWidget(self.name, stretch=2)
        entry.addWidget(self.role, stretch=2)
        entry.addWidget(self.lived_experience)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(entry)
        layout.addWidget(self.listing)
        layout.addWidget(self.remove_button)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.name.text().strip()
        ):
            self.add_typed()
            return True
        return super().eventFilter(watched, event)

    def add_typed(self) -> None:
        name, role = self.name.text().strip(), self.role.text().strip()
        if not name:
            self.name.setFocus()
            return
        person = ParticipantInfo(name, role, self.lived_experience.isChecked())
        self._people.append(person)
        self.listing.addItem(describe_person(person))
        self.name.clear()
        self.role.clear()
        self.lived_experience.setChecked(False)
        self.name.setFocus()

    def _remove_current(self) -> None:
        row = self.listing.currentRow()
        if row >= 0:
            del self._people[row]
            self.listing.takeItem(row)

    def participants(self) -> list[ParticipantInfo]:
        """Everyone listed, plus anyone typed but not yet added (so nobody is lost)."""
        pending = self.name.text().strip()
        extra = [
            ParticipantInfo(pending, self.role.text().strip(), self.lived_experience.isChecked())
        ]
        return self._people + (extra if pending else [])


class NewBenchmarkDialog(FormDialog):
    def __init__(
        self, service_name: str, instruments: list[Instrument], parent: QWidget | None = None
    ) -> None:
        super().__init__(f"New benchmark for {service_name}", "&Start benchmark", parent)
        self.instrument = QComboBox(self)
        self.instrument.setAccessibleName("Self-assessment")
        for instrument in instruments:
            self.instrument.addItem(instrument.about.title, instrument.id)
        self.about = wrapped("", self)
        self._instruments = {instrument.id: instrument for instrument in instruments}
        self.instrument.currentIndexChanged.connect(self._describe)
        self.held_on = date_edit(dt.date.today(), self)
        self.held_on.setAccessibleName("Date held")
        self.purpose = QComboBox(self)
        self.purpose.setAccessibleName("Purpose")
        for purpose, label in PURPOSE_LABELS.items():
            self.purpose.addItem(label, purpose)
        self.people = ParticipantsEditor(self)
        self.form.addRow(
            wrapped(
                "A benchmark checks your practice against a self-assessment: the Training "
                "Standards unless you choose another. There is no pass mark: your first "
                "benchmark is your baseline.",
                self,
            )
        )
        self.form.addRow("Self-assess&ment:", self.instrument)
        self.form.addRow(self.about)
        self.form.addRow("&Date held:", self.held_on)
        self.form.addRow("P&urpose:", self.purpose)
        self.form.addRow("Who took part:", self.people)
        self._describe()
        self.finish_layout(width=560)

    def _describe(self) -> None:
        chosen = self._instruments.get(self.chosen_instrument())
        if chosen is not None:
            about = chosen.about
            self.about.setText(
                f"Version {about.version}: {plural(about.items, 'item')} in "
                f"{plural(about.sections, 'section')}. {about.source}"
            )

    def chosen_instrument(self) -> str:
        return str(self.instrument.currentData())

    def chosen_date(self) -> dt.date:
        return chosen_day(self.held_on)

    def chosen_purpose(self) -> Purpose:
        return Purpose(self.purpose.currentData())


def unrated_text(unrated: int, total: int) -> str:
    if unrated == 0:
        return f"All {total} items are rated."
    verb = "has" if unrated == 1 else "have"
    return f"{unrated} of {total} items {verb} no rating yet."


class SignOffDialog(FormDialog):
    """Who signs off and when; signing off with items unrated is asked about first."""

    def __init__(
        self, benchmark: BenchmarkInfo, signer: str, parent: QWidget | None = None
    ) -> None:
        super().__init__("Sign off benchmark", "&Sign off", parent)
        self._unrated = benchmark.unrated_count
        self._total = benchmark.pack().item_count
        # Agreed once, the question is not asked again after a field has to be corrected.
        self._unfinished_agreed = False
        self.name = QLineEdit(signer, self)
        self.name.setAccessibleName("Signed off by")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Role")
        self.on = date_edit(dt.date.today(), self)
        self.on.setAccessibleName("Date signed off")
        self.unrated = wrapped(unrated_text(self._unrated, self._total), self)
        self.unrated.setAccessibleName("Items not rated")
        self.form.addRow(
            wrapped(
                "Signing off locks the benchmark so its results stay as agreed. It can be "
                "reopened later, and the reopening is recorded.",
                self,
            )
        )
        self.form.addRow(self.unrated)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Role:", self.role)
        self.form.addRow("&Date:", self.on)
        self.finish_layout()
        self.name.setFocus()

    def chosen_date(self) -> dt.date:
        return chosen_day(self.on)

    def accept(self) -> None:
        if self._unrated and not self._unfinished_agreed:
            self._unfinished_agreed = dialogs.ask_confirmation(
                self,
                "Sign off an unfinished benchmark?",
                f"{unrated_text(self._unrated, self._total)} Signed off, the benchmark is "
                "locked and its report shows those items as not rated. Sign it off anyway?",
                "Sign off &anyway",
            )
            if not self._unfinished_agreed:
                return  # back to the dialog, with everything as typed
        super().accept()


class ReopenDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Reopen signed-off benchmark", "&Reopen", parent)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Your name")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Your role")
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName("Reason for reopening")
        self.reason.setTabChangesFocus(True)
        self.form.addRow(
            wrapped(
                "Reopening unlocks the benchmark for changes. Your name and reason are kept "
                "with the benchmark and printed in its report.",
                self,
            )
        )
        self.form.addRow("Your &name:", self.name)
        self.form.addRow("Your r&ole:", self.role)
        self.form.addRow("Rea&son:", self.reason)
        self.finish_layout()
