"""Who changed what, and when: one record's history, and the record of changes for everything.

The record of changes can also undo a deletion made in the last 30 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import ChangeKind
from rrn_desktop.core import history, user
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.history import HistoryEntry
from rrn_desktop.core.wording import plural
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.text_size import follow_row_height
from rrn_desktop.gui.widgets import buddy_label, heading, wrapped
from rrn_desktop.storage.change_log import UNDO_DAYS
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import utc_now

RECENT_LIMIT = 1000
FILTER_DELAY_MS = 250
COLUMNS = ["When", "Who", "Change", "What happened"]
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SHOW_CHOICES: dict[str, tuple[ChangeKind, ...]] = {
    "All changes": tuple(ChangeKind),
    "Additions": (ChangeKind.CREATED,),
    "Edits": (ChangeKind.EDITED,),
    "Deletions": (ChangeKind.DELETED,),
    "Sign-offs and reopenings": (ChangeKind.SIGNED_OFF, ChangeKind.REOPENED),
    "Brought back": (ChangeKind.RESTORED,),
}


class HistoryTable(QWidget):
    """Entries newest first, and everything the chosen one says underneath."""

    current_changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[HistoryEntry] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName(name)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        follow_row_height(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What changed")
        self.details.setPlaceholderText("Choose a change to see what it changed.")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for index, (widget, share) in enumerate(((self.table, 3), (self.details, 1))):
            splitter.addWidget(widget)
            splitter.setStretchFactor(index, share)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def set_entries(self, entries: list[HistoryEntry], select_id: int | None = None) -> None:
        self._entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = [entry.when_text, entry.by_label, entry.kind_label, entry.summary]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, entry.id)
                item.setToolTip(entry.details_text() if column == len(cells) - 1 else text)
                if column == 1 and not entry.by:
                    item.setForeground(Qt.GlobalColor.darkGray)
                self.table.setItem(row, column, item)
        ids = [entry.id for entry in entries]
        self.table.setCurrentCell(ids.index(select_id) if select_id in ids else 0, 0)
        self._show_current()

    @property
    def entries(self) -> list[HistoryEntry]:
        return self._entries

    def entry(self) -> HistoryEntry | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._entries):
            return None
        return self._entries[row]

    def select(self, entry_id: int) -> None:
        ids = [entry.id for entry in self._entries]
        if entry_id in ids:
            self.table.setCurrentCell(ids.index(entry_id), 0)

    def _show_current(self) -> None:
        entry = self.entry()
        self.details.setPlainText(entry.details_text() if entry else "")
        self.current_changed.emit()


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RecordHistoryDialog(QDialog):
    """One record's history: every change to it and to its parts, newest first."""

    def __init__(
        self, db: Database, table: str, record_id: int, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History: {name}")
        entries = history.history_of(db, table, record_id)
        self.heading = heading(f"History of {name}", self, level=2)
        self.intro = wrapped(
            "Every change, newest first: when it was made, by whom (the name set under "
            "File > Your name) and what changed."
            + ("" if entries else "\n\nNo changes have been recorded for it yet."),
            self,
        )
        self.entries = HistoryTable("Changes to this record", self)
        self.entries.set_entries(entries)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.entries, stretch=1)
        layout.addWidget(_close_buttons(self))
        fit_to_screen(self, QSize(900, 560))


def show_record_history(
    parent: QWidget, db: Database, table: str, record_id: int, name: str
) -> RecordHistoryDialog:
    dialog = RecordHistoryDialog(db, table, record_id, name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ChangesDialog(QDialog):
    """The record of changes for the whole organisation, where deletions can be undone."""

    restored = Signal()  # records came back: screens showing them should refresh
    name_requested = Signal()

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.now = now
        self._undoable: set[int] = set()
        self.setWindowTitle("Record of changes")
        self.heading = heading("Record of changes", self, level=2)
        self.intro = wrapped(
            "Every addition, edit, sign-off, reopening and deletion, newest first, with who "
            f"made it and when. A deletion can be undone for {UNDO_DAYS} days.",
            self,
        )
        self.name_note = wrapped("", self)
        self.name_note.setAccessibleName("Your name")
        self.name_button = QPushButton("Set your &name…", self)
        self.name_button.clicked.connect(self.name_requested)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_note, stretch=1)
        name_row.addWidget(self.name_button)

        self.show_kind = QComboBox(self)
        self.show_kind.setAccessibleName("Show")
        self.show_kind.addItems(list(SHOW_CHOICES))
        self.filter = QLineEdit(self)
        self.filter.setAccessibleName("Filter the changes")
        self.filter.setPlaceholderText("Filter by name, record or word")
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel(self)
        filters = QHBoxLayout()
        filters.addWidget(buddy_label("&Show:", self.show_kind, self))
        filters.addWidget(self.show_kind)
        filters.addWidget(buddy_label("F&ilter:", self.filter, self))
        filters.addWidget(self.filter, stretch=1)
        filters.addWidget(self.count)

        self.entries = HistoryTable("Changes", self)
        self.entries.current_changed.connect(self._current_changed)
        self.undo_button = QPushButton("&Undo this deletion…", self)
        self.undo_button.clicked.connect(self.undo_deletion)
        self.undo_note = wrapped("", self)
        self.undo_note.setAccessibleName("Undoing the chosen change")
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_button, alignment=Qt.AlignmentFlag.AlignTop)
        undo_row.addWidget(self.undo_note, stretch=1)
        # The whole record is searched, not only the changes on screen: after a short pause in
        # typing, so a long record is not searched once per letter.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._load)
        self.show_kind.currentIndexChanged.connect(lambda _index: self._load())
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(name_row)
        layout.addLayout(filters)
        layout.addWidget(self.entries, stretch=1)
        layout.addLayout(undo_row)
        layout.addWidget(_close_buttons(self))
        fit_to_screen(self, QSize(1000, 640))
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        now = self.now()
        history.forget_expired(self._db, now)
        name = user.user_name(self._db)
        if name:
            self.name_note.setText(f"Your changes are recorded as {name}.")
            self.name_button.setText("Change your &name…")
            self.name_note.setStyleSheet("")
        else:
            self.name_note.setText(
                f"Your name is not set, so changes are recorded as {user.NOT_SET}. Set it so "
                "the record shows who made each change."
            )
            self.name_button.setText("Set your &name…")
            self.name_note.setStyleSheet("font-weight: bold;")
        self._undoable = {e.id for e in history.undoable_deletions(self._db, now)}
        self._load(select_id)

    def _load(self, select_id: int | None = None) -> None:
        self._filter_timer.stop()
        entries = history.recent_changes(
            self._db,
            RECENT_LIMIT,
            kinds=SHOW_CHOICES[self.show_kind.currentText()],
            words=self.filter.text(),
        )
        self.entries.set_entries(entries, select_id)
        count = len(entries)
        if count == RECENT_LIMIT:
            self.count.setText(f"The latest {count} changes")
        else:
            self.count.setText(plural(count, "change"))

    def _current_changed(self) -> None:
        entry = self.entries.entry()
        can_undo = entry is not None and entry.id in self._undoable
        self.undo_button.setEnabled(can_undo)
        if entry is None or entry.kind is not ChangeKind.DELETED:
            self.undo_note.setText("Choose a deletion to undo it.")
        elif can_undo:
            until = entry.local_at.date() + dt.timedelta(days=UNDO_DAYS)
            whole = self._whole_deletion(entry)
            record = whole.summary.removesuffix(" deleted")
            part = (
                f" Undoing it brings back {record[:1].lower()}{record[1:]}, with everything "
                "deleted along with it."
                if whole is not entry
                else ""
            )
            self.undo_note.setText(f"This deletion can be undone until {long_date(until)}.{part}")
        else:
            reason = history.why_not_undoable(self._db, entry.id, self.now())
            self.undo_note.setText(reason or "")

    def _whole_deletion(self, entry: HistoryEntry) -> HistoryEntry:
        """The record whose deletion took this part with it (an incident, for its review)."""
        owners = [
            other
            for other in self.entries.entries
            if other.batch == entry.batch and other.record_uid in entry.within
        ]
        return min(owners, key=lambda other: len(other.within), default=entry)

    def undo_deletion(self) -> None:
        entry = self.entries.entry()
        if entry is None or entry.id not in self._undoable:
            return
        if not dialogs.ask_confirmation(
            self,
            "Undo this deletion?",
            f"{entry.summary} on {entry.when_text} by {entry.by_label}.\n\nBring it back as it "
            "was, with everything deleted along with it?",
            "&Bring it back",
        ):
            return
        undone = attempt(
            self,
            "Not brought back",
            lambda: history.undo_deletion(self._db, entry.id, self.now()),
        )
        if not undone.ok:
            self.refresh(select_id=entry.id)
            return
        self.refresh()
        self.undo_note.setText(undone.value)
        self.restored.emit()
