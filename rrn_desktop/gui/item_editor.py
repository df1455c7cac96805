"""The right-hand panel of a benchmark: one item's rating, notes, evidence and action.

Every change is saved as it is made (text after a short pause, or when focus moves on), so there
is no Save button to forget and closing the window loses nothing that was on screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import AnswerKey
from rrn_desktop.content.pack_models import ContentPack, Item
from rrn_desktop.core import benchmarks
from rrn_desktop.core.benchmarks import BenchmarkInfo, ResponseInfo
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.autosave import Autosave
from rrn_desktop.gui.date_field import optional_date_edit
from rrn_desktop.gui.evidence_opening import open_evidence
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.reflow import button_row
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.widgets import buddy_label, heading, wrapped
from rrn_desktop.storage.database import Database


def item_label(item: Item) -> str:
    return f"Standard {item.code}" if item.official else f"Pack prompt {item.code}"


def bring_into_view(*widgets: QWidget) -> None:
    """Scroll each scroll area the widgets sit in, the innermost first, until they show; where
    not all fit, the first given wins."""
    # Rows shown a moment ago have no place yet until their layouts have run.
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    parent = widgets[0].parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            for widget in reversed(widgets):
                parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


class ItemEditor(QWidget):
    rating_chosen = Signal(str, str)  # item code, answer key: the page records it for undo
    saved = Signal(str)  # item code whose fields were saved
    open_action_requested = Signal(int)  # the action's id on the plan

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._benchmark: BenchmarkInfo | None = None
        self._action_id: int | None = None
        self._item: Item | None = None
        self.autosave = Autosave(self._save, self)

        self.code = QLabel(self)
        self.text = heading("", self, level=2)
        self.help = wrapped("", self)
        self.help.setStyleSheet("color: palette(placeholder-text);")
        self.previous = wrapped("", self)
        self.previous.setAccessibleName("Answer at the previous benchmark")

        self.rating_box = QGroupBox("Rating", self)
        self.rating_group = QButtonGroup(self)
        # One button per answer of the benchmark's pack: made again for a pack of another scale.
        self.rating_buttons: dict[AnswerKey, QRadioButton] = {}
        self.rating_descriptions: dict[AnswerKey, QLabel] = {}
        self._rating_layout = QGridLayout(self.rating_box)
        self._rating_layout.setColumnStretch(1, 1)

        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("What you found, and how you know")
        self.evidence_refs = QPlainTextEdit(self)
        self.evidence_refs.setAccessibleName("Evidence references")
        self.evidence_refs.setTabChangesFocus(True)
        self.evidence_refs.setPlaceholderText("Where the evidence is: documents, records, dates")
        follow_text_size(
            self.evidence_refs,
            lambda: self.evidence_refs.setMaximumHeight(self.fontMetrics().lineSpacing() * 4),
        )

        self.files = QListWidget(self)
        self.files.setAccessibleName("Attached evidence files")
        follow_text_size(
            self.files, lambda: self.files.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        )
        self.attach_button = QPushButton("A&ttach file…", self)
        self.open_button = QPushButton("&Open file", self)
        self.remove_button = QPushButton("Remo&ve file", self)
        self.attach_button.clicked.connect(self._attach)
        self.open_button.clicked.connect(self._open_file)
        self.remove_button.clicked.connect(self._remove_file)
        self.files.itemDoubleClicked.connect(lambda _item: self._open_file())
        file_buttons = button_row(self.attach_button, self.open_button, self.remove_button)

        self.needs_action = QCheckBox("Needs &action", self)
        self.action_text = QLineEdit(self)
        self.action_text.setAccessibleName("Action")
        self.action_text.setPlaceholderText("What will be done")
        self.action_owner = QLineEdit(self)
        self.action_owner.setAccessibleName("Action owner")
        self.action_owner.setPlaceholderText("Name or role")
        self.action_due = optional_date_edit(self)
        self.action_due.setAccessibleName("Action due date")
        self.action_form = QFormLayout()
        self.on_plan = QLabel(self)
        self.on_plan.setAccessibleName("The action on the plan")
        self.show_on_plan = QPushButton("Show on the &plan", self)
        self.show_on_plan.clicked.connect(self._open_on_plan)
        self.action_form.addRow(self.needs_action)
        self.action_form.addRow("Action:", self.action_text)
        self.action_form.addRow("Owner:", self.action_owner)
        self.action_form.addRow("Due:", self.action_due)
        self.action_form.addRow(self.on_plan, self.show_on_plan)

        for widget, field in (
            (self.notes, "notes"),
            (self.evidence_refs, "evidence_refs"),
            (self.action_text, "action_text"),
            (self.action_owner, "action_owner"),
            (self.action_due, "action_due"),
        ):
            self.autosave.watch(widget, field)
        self.needs_action.toggled.connect(self._needs_action_toggled)

        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.text)
        layout.addWidget(self.help)
        layout.addWidget(self.previous)
        layout.addWidget(self.rating_box)
        layout.addWidget(buddy_label("&Notes:", self.notes, self))
        follow_text_size(
            self.notes, lambda: self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        )
        layout.addWidget(self.notes, stretch=1)
        layout.addWidget(buddy_label("Evide&nce references:", self.evidence_refs, self))
        layout.addWidget(self.evidence_refs)
        layout.addWidget(wrapped("Attached files (copied into the data folder):", self))
        layout.addWidget(self.files)
        layout.addLayout(file_buttons)
        layout.addLayout(self.action_form)
        self.setEnabled(False)

    # --- showing an item -------------------------------------------------------------------

    def show_item(
        self,
        pack: ContentPack,
        benchmark: BenchmarkInfo,
        item: Item,
        previous: tuple[str, ResponseInfo] | None,
    ) -> None:
        self.flush()
        self._benchmark, self._item = benchmark, item
        response = benchmark.response(item.code)
        self.autosave.loading = True
        try:
            self.code.setText(item_label(item))
            self.text.setText(item.text)
            self.help.setText(item.help)
            self.help.setVisible(bool(item.help))
            self._make_scale(pack)
            for rating, button in self.rating_buttons.items():
                option = pack.option(rating)
                button.setText(f"{option.label} [{option.shortcut}]")
                self.rating_descriptions[rating].setText(option.description)
                button.setAccessibleDescription(option.description)
                button.setToolTip(option.description)
                button.setAccessibleName(option.label)
            self.rating_buttons[pack.option(response.rating).key].setChecked(True)
            self.notes.setPlainText(response.notes)
            self.evidence_refs.setPlainText(response.evidence_refs)
            self._show_files(response)
            self._show_action(response)
            self._show_previous(pack, previous)
        finally:
            self.autosave.loading = False
        self._apply_lock()
        self.setEnabled(True)

    def _make_scale(self, pack: ContentPack) -> None:
        keys = [option.key for option in pack.rating_scale]
        if keys == list(self.rating_buttons):
            return
        for button in self.rating_buttons.values():
            self.rating_group.removeButton(button)
            button.deleteLater()
        for label in self.rating_descriptions.values():
            label.deleteLater()
        self.rating_buttons, self.rating_descriptions = {}, {}
        for row, key in enumerate(keys):
            button = QRadioButton(self.rating_box)
            self.rating_buttons[key] = button
            self.rating_group.addButton(button)
            description = wrapped("", self.rating_box)
            self.rating_descriptions[key] = description
            self._rating_layout.addWidget(button, row, 0)
            self._rating_layout.addWidget(description, row, 1)
            button.toggled.connect(lambda checked, k=key: self._rating_toggled(k, checked))
        self._apply_lock()

    def _show_previous(self, pack: ContentPack, previous: tuple[str, ResponseInfo] | None) -> None:
        if previous is None:
            self.previous.setText("Previous benchmark: none yet (this one is your baseline).")
            return
        when, answer = previous
        text = f"Last time ({when}): {pack.option(answer.rating).label}"
        if answer.notes:
            text += f". Notes then: {answer.notes}"
        self.previous.setText(text)

    def _show_files(self, response: ResponseInfo) -> None:
        self.files.clear()
        for evidence in response.evidence_files:
            entry = QListWidgetItem(evidence.original_name, self.files)
            entry.setData(Qt.ItemDataRole.UserRole, evidence.id)
            entry.setToolTip(str(evidence.stored_path))

    def _apply_lock(self) -> None:
        locked = self._benchmark is not None and self._benchmark.signed_off
        for button in self.rating_buttons.values():
            button.setEnabled(not locked)
        for editor in (self.notes, self.evidence_refs):
            editor.setReadOnly(locked)
        for line in (self.action_text, self.action_owner):
            line.setReadOnly(locked)
        for widget in (
            self.needs_action,
            self.action_due,
            self.attach_button,
            self.remove_button,
        ):
            widget.setEnabled(not locked)
        has_action = self.needs_action.isChecked()
        for field in (self.action_text, self.action_owner, self.action_due, self.on_plan):
            self.action_form.setRowVisible(field, has_action)

    def refresh_rating(self, rating: AnswerKey) -> None:
        """Show a rating set elsewhere (keyboard shortcut in the list, undo) without re-saving."""
        self.autosave.loading = True
        try:
            self.rating_buttons[rating].setChecked(True)
        finally:
            self.autosave.loading = False

    # --- saving ------------------------------------------------------------------------------

    def _rating_toggled(self, rating: AnswerKey, checked: bool) -> None:
        if checked and not self.autosave.loading and self._item is not None:
            self.rating_chosen.emit(self._item.code, rating)

    def _needs_action_toggled(self, checked: bool) -> None:
        if self.autosave.loading or self._benchmark is None or self._item is None:
            return
        self.flush()
        if not checked and not self._confirm_drop():
            self.autosave.loading = True
            self.needs_action.setChecked(True)
            self.autosave.loading = False
            return
        benchmark_id, code = self._benchmark.id, self._item.code
        saved = attempt(
            self,
            "Not saved",
            lambda: benchmarks.update_response(self._db, benchmark_id, code, needs_action=checked),
        )
        if not saved.ok:
            return
        self._benchmark = benchmarks.get_benchmark(self._db, benchmark_id)
        self._show_action(saved.value)
        self._apply_lock()
        self.saved.emit(self._item.code)
        if checked:
            # The action's fields open below the fold of a short screen: bring them up.
            bring_into_view(self.action_text, self.show_on_plan)
            self.action_text.setFocus()
            self.action_text.selectAll()

    def _show_action(self, response: ResponseInfo) -> None:
        """The item's action as the plan holds it (hidden while the item is not flagged)."""
        self.autosave.loading = True
        try:
            self.needs_action.setChecked(response.needs_action)
            shown = response.needs_action
            self.action_text.setText(response.action_text if shown else "")
            self.action_owner.setText(response.action_owner if shown else "")
            self.action_due.set_day(response.action_due if shown else None)
            self.on_plan.setText(
                f"On the restraint reduction plan as: {response.action_status_label}."
                if shown
                else ""
            )
            self._action_id = response.action_id if shown else None
        finally:
            self.autosave.loading = False

    def _open_on_plan(self) -> None:
        self.flush()
        if self._action_id is not None:
            self.open_action_requested.emit(self._action_id)

    def _confirm_drop(self) -> bool:
        return dialogs.ask_confirmation(
            self,
            "Drop the action?",
            "This item will no longer need action, so its action on the restraint reduction "
            "plan will be marked as dropped. It stays in the plan's history, and ticking the "
            "box again brings it back.",
            "&Drop action",
        )

    def flush(self) -> None:
        """Save whatever is still waiting; called on item change, sign-off, close."""
        self.autosave.flush()

    def _save(self, changes: dict[str, object]) -> bool:
        if self._benchmark is None or self._item is None:
            return True
        benchmark_id, code = self._benchmark.id, self._item.code
        saved = attempt(
            self,
            "Not saved",
            lambda: benchmarks.update_response(self._db, benchmark_id, code, **changes),
        )
        if not saved.ok:
            return False
        self.saved.emit(code)
        return True

    # --- evidence files ----------------------------------------------------------------------

    def _attach(self) -> None:
        if self._benchmark is None or self._item is None:
            return
        path = dialogs.choose_open_path(self, "Attach an evidence file")
        if path is None:
            return
        benchmark_id, code = self._benchmark.id, self._item.code
        attached = attempt(
            self,
            "File not attached",
            lambda: benchmarks.attach_evidence(self._db, benchmark_id, code, path),
        )
        if not attached.ok:
            return
        self._files_changed()

    def _selected_file(self) -> QListWidgetItem | None:
        return self.files.currentItem()

    def _open_file(self) -> None:
        entry = self._selected_file()
        if entry is not None:
            open_evidence(self, self._db, Path(entry.toolTip()), entry.text())

    def _remove_file(self) -> None:
        entry = self._selected_file()
        if entry is None or self._benchmark is None or self._item is None:
            return
        if not dialogs.ask_confirmation(
            self,
            "Remove evidence file?",
            f"Remove '{entry.text()}' from this item? The copy kept in the data folder is "
            "deleted; your original file is not touched.",
            "&Remove file",
        ):
            return
        benchmark_id = self._benchmark.id
        removed = attempt(
            self,
            "File not removed",
            lambda: benchmarks.remove_evidence(
                self._db, benchmark_id, int(entry.data(Qt.ItemDataRole.UserRole))
            ),
        )
        if not removed.ok:
            return
        self._files_changed()

    def _files_changed(self) -> None:
        assert self._benchmark is not None and self._item is not None
        self._benchmark = benchmarks.get_benchmark(self._db, self._benchmark.id)
        self._show_files(self._benchmark.response(self._item.code))
        self.saved.emit(self._item.code)
