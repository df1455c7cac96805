"""Starting the window: open the data safely, show the main window, report problems plainly.

A damaged data file is never overwritten: the user is told, and offered the newest good backup.
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
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication

from rrn_desktop.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.data_dialogs import RESTORE_REQUEST
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.starting import APP_NAME, application, close_starting_window
from rrn_desktop.gui.widgets import busy
from rrn_desktop.logs import logger
from rrn_desktop.storage.database import BACKUP_DIR, DATABASE_NAME, Database, open_database
from rrn_desktop.storage.errors import DamagedDatabaseError
from rrn_desktop.storage.file_check import EarlyCheck


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


def restore_and_report(data_dir: Path, backup: Path) -> bool:
    """Restore a backup into the (closed) data folder and say what happened; True if done."""
    from rrn_desktop.storage.backups import restore_backup

    try:
        with busy():
            result = restore_backup(data_dir, backup)
    except UserFacingError as error:
        dialogs.show_error(None, APP_NAME, error.message)
        return False
    dialogs.show_information(None, APP_NAME, result.summary)
    return True


def offer_newest_backup(data_dir: Path, error: DamagedDatabaseError) -> Database | None:
    """The data file is damaged: say so, and offer to restore the newest good backup."""
    from rrn_desktop.storage.backups import damage_confirmed, newest_good_backup

    not_damage = damage_confirmed(data_dir.expanduser().resolve() / DATABASE_NAME)
    if not_damage is not None:
        dialogs.show_error(None, APP_NAME, not_damage)
        return None
    with busy():
        backup = newest_good_backup(data_dir)
    if backup is None:
        dialogs.show_error(
            None,
            APP_NAME,
            f"{error.message}\n\nThere is no backup in {data_dir / BACKUP_DIR} to restore. "
            "If you keep backups elsewhere (a USB stick), restore one with "
            "'rrn-desktop restore FILE', or ask for help.",
        )
        return None
    question = (
        f"{error.message}\n\nThe newest good backup was {backup.describe()}. Restore it?"
        "\n\nThe damaged file is kept in the data folder under a new name. Anything entered "
        "since the backup was made will need entering again."
    )
    if not dialogs.ask_confirmation(None, "The data file is damaged", question, "Restore"):
        return None
    if not restore_and_report(data_dir, backup.path):
        return None
    return open_or_recover(data_dir, quit_after_start=False)


def open_or_recover(
    data_dir: Path, *, quit_after_start: bool, early_check: EarlyCheck | None = None
) -> Database | None:
    """Open the data, or say plainly why not (None); a damaged file brings the backup offer."""
    try:
        return open_database(data_dir, early_check)
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
        self.thread = threading.Thread(target=self._run, name="daily-backup")
        self.message.connect(window.statusBar().showMessage)
        window.installEventFilter(self)

    def start(self) -> None:
        self.thread.start()

    def wait(self) -> None:
        self.thread.join(0.05)
        if self.thread.is_alive():
            logger.info("Closing: waiting for the start-up backup to finish")
            with busy():
                self.thread.join()

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
) -> int:
    app = application()
    db = open_or_recover(data_dir, quit_after_start=quit_after_start, early_check=early_check)
    if db is None:
        return 1
    previous_hook, sys.excepthook = sys.excepthook, _report_unexpected
    window: MainWindow | None = None
    try:
        while True:
            window = MainWindow(db)
            window.show()
            close_starting_window()
            app.processEvents()
            daily_backup(window, db, now)
            if quit_after_start:
                window.repaint()
                return 0
            code = app.exec()
            request = window.property(RESTORE_REQUEST)
            if not request:
                return code
            # The Data dialog asked for a restore: close everything on the old data first.
            app.aboutToQuit.disconnect(window.flush)
            window.close()
            window.deleteLater()
            window = None
            db.close()
            restore_and_report(data_dir, Path(request))
            db = open_or_recover(data_dir, quit_after_start=False)
            if db is None:
                return 1
    finally:
        if window is not None:
            window.close()
        if db is not None:
            db.close()
        sys.excepthook = previous_hook
