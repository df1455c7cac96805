"""Starting the window: open the data safely, show the main window, report problems plainly.

A data file that is damaged, or is not RRN Self-Audit's, is never written to: the user is told
what is wrong with it in plain words, and offered the newest good backup, a new data folder
elsewhere, or to quit. Damage met later, while the window reads the data (a report, say), brings
the same message and the same offer.

The daily backup is made once the window shows, on a thread of its own so the window can be
used meanwhile; closing the window waits for it to finish. A restore asked for in the Data
dialog closes the window and the data, restores, and opens both again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar, cast

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.logs import logger
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.data_dialogs import RESTORE_REQUEST
from rrn_desktop.gui.first_screen import FirstStart
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.operations import run_operation
from rrn_desktop.gui.shared_dialog import SHARED_REQUEST
from rrn_desktop.gui.starting import (
    APP_NAME,
    application,
    close_starting_window,
    show_starting_window,
)
from rrn_desktop.gui.widgets import busy
from rrn_desktop.storage.connect import with_password
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.errors import DamagedDatabaseError
from rrn_desktop.storage.file_check import EarlyCheck
from rrn_desktop.storage.opening import OpenFolder
from rrn_desktop.storage.shared import open_shared_database

# The window asks, closing, for the data in another folder to be opened (see run_app).
OPEN_ELSEWHERE_REQUEST = "rrn_open_elsewhere_request"

Result = TypeVar("Result")

# What the person chose to do about a data file that cannot be used.
RESTORE = "restore"
ELSEWHERE = "elsewhere"
QUIT = "quit"


def ask_about_the_data_file(title: str, text: str, *, can_restore: bool) -> str:
    """RESTORE the newest backup, open a new data folder ELSEWHERE, or QUIT (the default)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    restore = box.addButton("&Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    restore.setVisible(can_restore)
    elsewhere = box.addButton(
        "Use a &new data folder elsewhere…", QMessageBox.ButtonRole.ActionRole
    )
    leave = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore if can_restore else leave)
    box.setEscapeButton(leave)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore:
        return RESTORE
    return ELSEWHERE if clicked is elsewhere else QUIT


def choose_new_data_folder() -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        None, "Choose a folder for the data (an empty one starts afresh)", str(Path.home())
    )
    return Path(chosen) if chosen else None


def _what_to_do(data_dir: Path, error: DamagedDatabaseError) -> tuple[str, Path | None]:
    """Say what is wrong with the data file and offer the way out: (the choice, the backup to
    restore or the folder to open instead). QUIT if no way out was chosen."""
    from rrn_desktop.storage.restore import newest_good_backup

    backup = without_window(
        "Looking for the newest good backup…", lambda: newest_good_backup(data_dir)
    )
    if backup is None:
        offer = (
            f"There is no backup in {data_dir / BACKUP_DIR}. If you keep backups elsewhere "
            "(on a USB stick, say), copy the newest one into that folder and start "
            f"{APP_NAME} again: it will offer to restore it. Or ask for help."
        )
    else:
        offer = (
            f"The newest good backup was made on {backup.when}. Restoring it keeps this file "
            "aside under a new name; anything entered since the backup will need entering again."
        )
    while True:
        choice = ask_about_the_data_file(
            f"The data file {error.reason}",
            f"{error.message}\n\n{offer}",
            can_restore=backup is not None,
        )
        if choice == RESTORE and backup is not None:
            return RESTORE, backup.path
        if choice != ELSEWHERE:
            return QUIT, None
        folder = choose_new_data_folder()
        if folder is not None:
            return ELSEWHERE, folder


def _report_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    logger.error("Unexpected error", exc_info=(kind, error, trace))
    if isinstance(error, UserFacingError):
        dialogs.show_error(QApplication.activeWindow(), APP_NAME, error.message)
        return
    dialogs.show_error(
        QApplication.activeWindow(),
        APP_NAME,
        "Something unexpected went wrong. Everything you had saved is safe; the last change "
        "may not have been saved. Details were written to the log file in the data folder.",
    )
    if not getattr(sys, "frozen", False) and sys.stderr is not None:
        traceback.print_exception(kind, error, trace)


def without_window(label: str, work: Callable[[], Result]) -> Result:
    """Slow work while no main window is open (a restore, looking through the backups at
    start-up): run as an operation over the opening window, so something is on screen, the
    progress dialog says what is happening, and the app never looks frozen. A UserFacingError
    is raised to the caller, which knows what to say next."""
    failed: list[UserFacingError] = []

    def work_keeping_errors(_progress: object) -> Result | None:
        try:
            return work()
        except UserFacingError as error:
            failed.append(error)
            return None

    holder = show_starting_window()
    try:
        result = run_operation(
            holder, label, work_keeping_errors, failure_title=APP_NAME, can_cancel=False
        )
    finally:
        holder.close()
    if failed:
        raise failed[0]
    return cast(Result, result)


def restore_and_report(data_dir: Path, backup: Path) -> bool:
    """Restore a backup into the (closed) data folder and say what happened; True if done."""
    from rrn_desktop.storage.restore import restore_backup

    try:
        result = without_window(
            f"Restoring the backup {backup.name}…", lambda: restore_backup(data_dir, backup)
        )
    except UserFacingError as error:
        dialogs.show_error(None, APP_NAME, error.message)
        return False
    dialogs.show_information(None, APP_NAME, result.summary)
    return True


def offer_newest_backup(data_dir: Path, error: DamagedDatabaseError) -> Database | None:
    """The data file is damaged or not RRN Self-Audit's: say so, and offer the newest good
    backup or a new data folder elsewhere; the data opened in the end, or None to quit."""
    from rrn_desktop.storage.folder_check import damage_confirmed

    not_damage = damage_confirmed(data_dir.expanduser().resolve() / DATABASE_NAME)
    if not_damage is not None:
        dialogs.show_error(None, APP_NAME, not_damage)
        return None
    choice, where = _what_to_do(data_dir, error)
    if choice == QUIT or where is None:
        return None
    if choice == RESTORE:
        if not restore_and_report(data_dir, where):
            return None
        return open_or_recover(data_dir, quit_after_start=False)
    return open_or_recover(where, quit_after_start=False)


def offer_after_damage(window: QWidget, data_dir: Path, error: BaseException) -> bool:
    """Damage met while the window read the data: the same message and offer as at start-up.
    The window closes to restore or to open another folder (see run_app). False if error is no
    damage (the app's own fault)."""
    from rrn_desktop.storage.damage import damage_found

    damage = damage_found(data_dir, error)
    if damage is None:
        return False
    logger.warning("The data could not be read", exc_info=error)
    if not isinstance(damage, DamagedDatabaseError):
        dialogs.show_error(window, APP_NAME, damage.message)
        return True
    choice, where = _what_to_do(data_dir, damage)
    if choice == RESTORE:
        window.setProperty(RESTORE_REQUEST, str(where))
    elif choice == ELSEWHERE:
        window.setProperty(OPEN_ELSEWHERE_REQUEST, str(where))
    window.close()
    return True


class _WhileOpen:
    """The app's error handler while the window is open on the data in data_dir."""

    def __init__(self, window: QWidget, data_dir: Path) -> None:
        self.window = window
        self.data_dir = data_dir

    def __call__(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if not offer_after_damage(self.window, self.data_dir, error):
            _report_unexpected(kind, error, trace)


def open_or_recover(
    data_dir: Path,
    *,
    quit_after_start: bool,
    early_check: EarlyCheck | None = None,
    folder: OpenFolder | None = None,
    database: str | None = None,
) -> Database | None:
    """Open the data, or say plainly why not (None); a damaged file brings the backup offer.

    folder: the data folder as the start screen opened it, if it did. database: a shared
    database to open instead; if it cannot be reached, the data folder opens and says why."""
    if database:
        try:
            return open_shared_database(with_password(database), data_dir)
        except UserFacingError as error:
            if quit_after_start:
                raise
            close_starting_window()
            dialogs.show_error(
                None,
                APP_NAME,
                f"{error.message}\n\nThis computer's own data folder opens instead; File → "
                "Connect to a shared database… tries again.",
            )
    try:
        return open_database(data_dir, early_check, folder)
    except DamagedDatabaseError as error:
        if quit_after_start:
            raise
        close_starting_window()
        return offer_newest_backup(data_dir, error)
    except UserFacingError as error:
        if quit_after_start:
            raise
        close_starting_window()
        dialogs.show_error(None, APP_NAME, error.message)
        return None


class DailyBackup(QObject):
    """The start-up backup on a worker thread. How it went comes back to the window's status bar
    through a signal (so on the GUI thread); closing the window waits for it, so the data is
    never closed, or restored over, under it. It reads the data through SQLite connections of
    its own (see backup_if_due), never the window's sessions."""

    message = Signal(str, int)

    def __init__(self, window: MainWindow, db: Database, now: dt.datetime | None) -> None:
        super().__init__(window)  # lives (and goes) with the window
        self._db = db
        self._now = now
        # Not `self.thread`: that would hide QObject.thread().
        self.worker = threading.Thread(target=self._run, name="daily-backup")
        self.message.connect(window.statusBar().showMessage)
        window.installEventFilter(self)

    def start(self) -> None:
        self.worker.start()

    def wait(self) -> None:
        self.worker.join(0.05)
        if self.worker.is_alive():
            logger.info("Closing: waiting for the start-up backup to finish")
            with busy():
                self.worker.join()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.wait()
        return False

    def _run(self) -> None:
        from rrn_desktop.storage.backups import backup_if_due

        try:
            made = backup_if_due(self._db, now=self._now)
        except UserFacingError as error:
            logger.warning("Start-up backup not made: %s", error.message)
            self._say(f"The daily backup was not made: {error.message}", 60_000)
            return
        except Exception:
            logger.exception("Start-up backup failed")
            self._say("The daily backup was not made; see the log file.", 60_000)
            return
        if made is not None:
            self._say(f"Backed up to {made.path}", 10_000)

    def _say(self, text: str, timeout: int) -> None:
        with contextlib.suppress(RuntimeError):  # the window has gone; the log has the outcome
            self.message.emit(text, timeout)


def daily_backup(window: MainWindow, db: Database, now: dt.datetime | None = None) -> DailyBackup:
    """Start the start-up backup, once the window shows; a failure is reported, never in the
    way. The window stays usable while it is written; closing the window waits for it."""
    job = DailyBackup(window, db, now)
    job.start()
    return job


def run_app(
    data_dir: Path,
    *,
    quit_after_start: bool = False,
    now: dt.datetime | None = None,
    early_check: EarlyCheck | None = None,
    first: FirstStart | None = None,
    database: str | None = None,
) -> int:
    """first: the data folder and the start screen shown while the program loaded, if any; the
    main window takes the start screen's place. database: a shared database to open instead."""
    app = application()
    db = open_or_recover(
        data_dir,
        quit_after_start=quit_after_start,
        early_check=early_check,
        folder=first.folder if first is not None else None,
        database=database,
    )
    if db is None:
        return 1
    previous_hook = sys.excepthook
    window: MainWindow | None = None
    try:
        while True:
            if not db.shared:
                data_dir = db.data_dir  # another folder, if the person chose one
            window = MainWindow(db)
            sys.excepthook = _WhileOpen(window, data_dir)
            window.show()
            close_starting_window()
            app.processEvents()
            if not db.shared:  # a shared database is backed up on its server by IT
                daily_backup(window, db, now)
            if quit_after_start:
                window.repaint()
                return 0
            code = app.exec()
            request = window.property(RESTORE_REQUEST)
            elsewhere = window.property(OPEN_ELSEWHERE_REQUEST)
            shared = window.property(SHARED_REQUEST)
            if not request and not elsewhere and shared is None:
                return code
            # A restore or another folder was asked for: close everything on the old data first.
            app.aboutToQuit.disconnect(window.flush)
            window.close()
            window.deleteLater()
            window = None
            db.close()
            if request:
                restore_and_report(data_dir, Path(request))
            elif elsewhere:
                data_dir = Path(elsewhere)
            db = open_or_recover(data_dir, quit_after_start=False, database=shared or None)
            if db is None:
                return 1
    finally:
        if window is not None:
            window.close()
        if db is not None:
            db.close()
        sys.excepthook = previous_hook
