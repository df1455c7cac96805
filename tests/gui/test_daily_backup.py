"""The start-up backup runs on a thread of its own: the window can be used meanwhile, its outcome
comes back to the status bar, and neither closing the window nor --quit-after-start loses it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event

from rrn_desktop.base.data_folder import BACKUP_DIR
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.gui import app as app_module
from rrn_desktop.gui.app import daily_backup, run_app
from rrn_desktop.storage import backups
from rrn_desktop.storage.backups import BackupInfo, list_backups
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.restore import verify_backup

MONDAY = dt.datetime(2026, 3, 2, 9, 0)


class HeldBackup:
    """Stands in for backup_if_due: waits until let go, then gives `outcome`."""

    def __init__(self, outcome: Callable[[Database], BackupInfo | None]) -> None:
        self.outcome = outcome
        self.started = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, db: Database, *, now: dt.datetime | None = None) -> BackupInfo | None:
        self.thread = threading.current_thread()
        self.started.set()
        assert self.release.wait(10)
        try:
            return self.outcome(db)
        finally:
            self.finished.set()


def made_in(db: Database) -> BackupInfo:
    return BackupInfo(db.data_dir / BACKUP_DIR / "rrn-backup-x.zip", MONDAY, "0", "0006", 0)


def test_the_window_can_be_used_while_the_start_up_backup_is_written(
    qtbot, window_on, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldBackup(made_in)
    monkeypatch.setattr(backups, "backup_if_due", held)
    window, db = window_on(demo_dir)
    daily_backup(window, db, MONDAY)
    assert not held.finished.is_set()  # back at once, not when the backup is written
    assert held.started.wait(5)
    assert held.thread is not threading.main_thread()
    ticks: list[int] = []
    qtbot.waitUntil(lambda: ticks.append(1) or len(ticks) > 3)  # the event loop runs meanwhile
    assert window.isVisible()
    assert not window.statusBar().currentMessage().startswith("Backed up")
    held.release.set()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "))
    assert window.statusBar().currentMessage() == f"Backed up to {made_in(db).path}"


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            UserFacingError("There is not enough free space in the backups folder."),
            "The daily backup was not made: There is not enough free space in the backups folder.",
        ),
        (RuntimeError("unexpected"), "The daily backup was not made; see the log file."),
    ],
)
def test_a_start_up_backup_that_fails_says_so_in_the_status_bar(
    qtbot, window_on, demo_dir: Path, monkeypatch: pytest.MonkeyPatch, failure, message
) -> None:
    def fail(_db: Database) -> BackupInfo | None:
        raise failure

    held = HeldBackup(fail)
    held.release.set()
    monkeypatch.setattr(backups, "backup_if_due", held)
    window, db = window_on(demo_dir)
    daily_backup(window, db, MONDAY)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == message)


def test_closing_the_window_waits_for_the_backup_being_written(
    qtbot, window_on, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldBackup(made_in)
    monkeypatch.setattr(backups, "backup_if_due", held)
    window, db = window_on(demo_dir)
    job = daily_backup(window, db, MONDAY)
    assert held.started.wait(5)
    threading.Timer(0.3, held.release.set).start()
    window.close()  # as run_app does before it closes the data or restores over it
    assert held.finished.is_set()
    assert not job.worker.is_alive()


def test_the_real_start_up_backup_uses_its_own_connections_not_the_windows(
    qtbot, window_on, demo_dir: Path
) -> None:
    window, db = window_on(demo_dir)
    used_by: list[str] = []
    event.listen(
        db.engine, "checkout", lambda *_args: used_by.append(threading.current_thread().name)
    )
    job = daily_backup(window, db, MONDAY)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "))
    job.worker.join(5)
    assert set(used_by) <= {threading.main_thread().name}
    [(_when, path)] = list_backups(demo_dir / BACKUP_DIR)
    assert window.statusBar().currentMessage() == f"Backed up to {path}"
    assert verify_backup(path).record_counts["service"] == 5


def test_quit_after_start_still_makes_the_backup(qtbot, answers, demo_dir: Path) -> None:
    assert run_app(demo_dir, quit_after_start=True, now=MONDAY) == 0
    assert not any(thread.name == "daily-backup" for thread in threading.enumerate())
    [(_when, path)] = list_backups(demo_dir / BACKUP_DIR)
    verify_backup(path)
    assert sorted(item.name for item in (demo_dir / BACKUP_DIR).iterdir()) == [path.name]
    open_database(demo_dir).close()  # run_app let go of the data


def test_no_backup_due_starts_and_finishes_quietly(
    qtbot, window_on, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, db = window_on(demo_dir)
    backups.back_up(db, now=MONDAY)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    job = app_module.daily_backup(window, db, MONDAY + dt.timedelta(hours=2))
    job.worker.join(5)
    qtbot.wait(50)
    assert not any(text.startswith(("Backed up", "The daily backup")) for text in shown)
    assert len(list_backups(demo_dir / BACKUP_DIR)) == 1
