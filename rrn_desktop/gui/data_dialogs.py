"""The Data dialog: where the data and its backups are, a backup to a USB stick, and restoring.

A restore cannot happen under an open window (the window holds the data folder's lock and its
screens hold records), so the dialog asks the main window to close with a request on it; the
start-up code (gui/app.py) then closes the data, restores, and opens a new window on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.data_folder import BACKUP_DIR
from rrn_desktop.core.dates import long_moment
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.operations import Changed, Changes, change_notices, run_operation
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.widgets import wrapped
from rrn_desktop.storage.database import Database

# Set on the main window (a backup file's path) when it closes to have that backup restored.
RESTORE_REQUEST = "rrn_restore_request"


def _when(moment: dt.datetime) -> str:
    return long_moment(moment)


class DataDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self._db = db
        self._window = parent  # the main window: flushed before a backup, closed to restore
        self.setWindowTitle("Data and backups")
        self.backups_dir = db.data_dir / BACKUP_DIR

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.data_folder = wrapped(str(db.data_dir), self)
        self.backups_folder = wrapped(str(self.backups_dir), self)
        self.last_backup = wrapped("", self)
        self.backup_count = wrapped("", self)
        form.addRow("Data folder:", self.data_folder)
        form.addRow("Backups folder:", self.backups_folder)
        form.addRow("Last backup:", self.last_backup)
        form.addRow("Backups kept:", self.backup_count)
        layout.addLayout(form)
        layout.addWidget(
            wrapped(
                "A backup (the records and every evidence file, in one .zip file) is made when "
                "RRN Self-Audit starts, if the last one is more than a day old. The newest of "
                "each of the last 7 days, 4 weeks and 12 months are kept. Keep a copy away "
                "from this computer too, such as on a USB stick.",
                self,
            )
        )

        row = QHBoxLayout()

        def button(text: str, slot: Callable[[], None]) -> QPushButton:
            made = QPushButton(text, self)
            made.clicked.connect(slot)
            row.addWidget(made)
            return made

        self.back_up_button = button("&Back up now to a folder…", self.back_up_now)
        self.restore_button = button("&Restore from a backup…", self.restore)
        self.show_folder_button = button("&Show backups folder", self.show_backups_folder)
        row.addStretch(1)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()
        change_notices().changed.connect(self._data_changed)
        # Wide enough for the folder paths on a line or two, at any text size; never a fixed
        # minimum, which would stop the buttons' row from widening the dialog at large text.
        width = max(self.sizeHint().width(), 70 * self.fontMetrics().averageCharWidth())
        height = max(self.heightForWidth(width), self.minimumSizeHint().height())
        fit_to_screen(self, QSize(width, height))

    def refresh(self) -> None:
        from rrn_desktop.storage.backups import list_backups

        backups = list_backups(self.backups_dir)
        if backups:
            newest, path = backups[0]
            self.last_backup.setText(f"{_when(newest)} ({path.name})")
        else:
            self.last_backup.setText("None yet")
        self.backup_count.setText(str(len(backups)))
        self.show_folder_button.setEnabled(self.backups_dir.is_dir())

    def _data_changed(self, changes: Changes) -> None:
        if changes.touch(self._db.data_dir, Changed.BACKUPS):
            self.refresh()

    def _flush(self) -> None:
        flush = getattr(self._window, "flush", None)
        if callable(flush):
            flush()  # what is still being typed goes into the backup too

    def back_up_now(self) -> None:
        from rrn_desktop.storage.backups import back_up, backup_name

        suggested = Path.home() / backup_name(dt.datetime.now())
        target = dialogs.choose_save_path(
            self, "Back up to a folder", suggested, "RRN Self-Audit backup (*.zip)"
        )
        if target is None:
            return
        if target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        self._flush()
        # No Cancel: back_up has no point at which stopping is known to be safe.
        info = run_operation(
            self,
            f"Backing up to {target.name}…",
            lambda _progress: back_up(self._db, target),
            failure_title="Backup not made",
            can_cancel=False,
            changes=Changes.of(self._db.data_dir, Changed.BACKUPS),
        )
        if info is None:
            return
        dialogs.show_information(
            self, "Backup made", f"Backed up to {info.path}: the backup {info.describe()}."
        )

    def restore(self) -> None:
        from rrn_desktop.storage.restore import verify_backup

        chosen = dialogs.choose_backup_file(self, "Restore from a backup", self.backups_dir)
        if chosen is None:
            return
        info = run_operation(
            self,
            f"Checking {chosen.name}…",
            lambda _progress: verify_backup(chosen),
            failure_title="Backup not restored",
            can_cancel=False,
        )
        if info is None:
            return
        question = (
            f"Restore the backup {info.describe()}?\n\nEverything now in the data folder is "
            "replaced by the backup's copy; anything entered since it was made will need "
            f"entering again. The current data is backed up first, to {self.backups_dir}.\n\n"
            "The data is closed and opened again to do this."
        )
        if not dialogs.ask_confirmation(self, "Restore from a backup", question, "Restore"):
            return
        self._flush()
        self.accept()
        self._window.setProperty(RESTORE_REQUEST, str(chosen))
        self._window.close()

    def show_backups_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.backups_dir)))
