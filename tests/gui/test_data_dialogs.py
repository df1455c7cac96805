"""Backups in the window: the damaged-file offer at start, the start-up backup, the Data dialog."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME
from rrn_desktop.gui import app as app_module
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.app import open_or_recover, restore_and_report, run_app
from rrn_desktop.gui.data_dialogs import RESTORE_REQUEST, DataDialog
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.starting import StartingWindow
from rrn_desktop.storage import restore as restore_module
from rrn_desktop.storage.backups import back_up, backup_name, list_backups
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.restore import verify_backup
from tests.storage.test_backups import damage_in_the_middle, sha256, table_counts


def open_data_dialog(window: MainWindow) -> DataDialog:
    window.backups_action.trigger()
    return window.findChild(DataDialog)


@pytest.fixture
def questions(answers, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every confirmation asked, title and text (answered as answers.confirm says)."""
    asked: list[tuple[str, str]] = []

    def confirm(_parent: QWidget, title: str, text: str, _action: str) -> bool:
        asked.append((title, text))
        return answers.confirm

    monkeypatch.setattr(dialogs, "ask_confirmation", confirm)
    return asked


@pytest.fixture
def informed(answers, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(dialogs, "show_information", lambda _p, _t, text: told.append(text))
    return told


@pytest.fixture
def offers(answers, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The start-up offer for a data file that cannot be used, title and text: Restore when
    answers.confirm, else Quit."""
    asked: list[tuple[str, str]] = []

    def ask(title: str, text: str, *, can_restore: bool) -> str:
        asked.append((title, text))
        return app_module.RESTORE if answers.confirm and can_restore else app_module.QUIT

    monkeypatch.setattr(app_module, "ask_about_the_data_file", ask)
    return asked


def test_a_damaged_data_file_offers_the_newest_good_backup(
    qtbot, answers, offers, informed, demo_dir: Path
) -> None:
    with open_database(demo_dir) as db:
        good = back_up(db, now=dt.datetime(2026, 3, 2, 9)).path
    # A newer file in the backups folder that is not a whole backup is passed over.
    (demo_dir / BACKUP_DIR / backup_name(dt.datetime(2026, 3, 3, 9))).write_bytes(b"half")
    path = demo_dir / DATABASE_NAME
    damage_in_the_middle(path)
    damaged = sha256(path)

    answers.confirm = False
    assert run_app(demo_dir) == 1
    [(title, text)] = offers
    assert title == "The data file is damaged"
    assert "is damaged" in text and "It has not been changed" in text
    assert "The newest good backup was made on 2 March 2026 at 09:00" in text
    assert "keeps this file aside under a new name" in text
    assert sha256(path) == damaged
    assert answers.errors == []

    answers.confirm = True
    db = open_or_recover(demo_dir, quit_after_start=False)
    assert db is not None
    db.close()
    [kept] = demo_dir.glob("rrn-desktop.damaged-*.sqlite3")
    assert sha256(kept) == damaged
    assert table_counts(path) == verify_backup(good).record_counts
    [summary] = informed
    assert summary.startswith("Restored the backup made on 2 March 2026 at 09:00")
    assert f"kept aside as {kept}" in summary


def test_a_damaged_file_with_no_backup_is_explained(qtbot, answers, offers, demo_dir) -> None:
    damage_in_the_middle(demo_dir / DATABASE_NAME)
    assert run_app(demo_dir) == 1
    [(_title, text)] = offers
    assert "is damaged" in text and "There is no backup in" in text
    assert answers.errors == []


@pytest.mark.parametrize("cause", ["disk I/O error", "a passing error"])
def test_no_restore_is_offered_unless_sqlite_itself_finds_the_file_damaged(
    cause: str, qtbot, answers, questions, demo_dir: Path, monkeypatch
) -> None:
    import sqlite3

    from rrn_desktop.storage.errors import DamagedDatabaseError

    with open_database(demo_dir) as db:
        back_up(db)

    def refuse(_folder: Path, _early_check: object, _opened: object) -> None:
        raise DamagedDatabaseError(f"The data file is damaged ({cause}).")

    monkeypatch.setattr(app_module, "open_database", refuse)
    if cause == "disk I/O error":  # as on a full disk: SQLite cannot make its -shm file

        def cannot_read(*_args: object, **_kwargs: object) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(sqlite3, "connect", cannot_read)
    before = sha256(demo_dir / DATABASE_NAME)
    assert run_app(demo_dir) == 1
    monkeypatch.undo()
    assert questions == []
    [error] = answers.errors
    if cause == "disk I/O error":
        assert "could not be read (disk I/O error)" in error and "disk is full" in error
    else:
        assert "could not be opened, but it looks sound" in error
    assert sha256(demo_dir / DATABASE_NAME) == before


def test_the_start_up_backup_is_made_once_a_day(qtbot, answers, demo_dir: Path) -> None:
    assert run_app(demo_dir, quit_after_start=True) == 0
    assert len(list_backups(demo_dir / BACKUP_DIR)) == 1
    assert run_app(demo_dir, quit_after_start=True) == 0
    assert len(list_backups(demo_dir / BACKUP_DIR)) == 1
    later = dt.datetime.now() + dt.timedelta(days=1, minutes=5)
    assert run_app(demo_dir, quit_after_start=True, now=later) == 0
    assert len(list_backups(demo_dir / BACKUP_DIR)) == 2
    assert answers.errors == []


def test_the_data_dialog_shows_the_folders_and_backs_up_to_a_chosen_folder(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)
    dialog = open_data_dialog(window)
    assert dialog.data_folder.text() == str(demo_dir)
    assert dialog.backups_folder.text() == str(demo_dir / BACKUP_DIR)
    assert dialog.last_backup.text() == "None yet"
    assert dialog.backup_count.text() == "0"
    dialog.grab().save(str(tmp_path / "data-dialog.png"))

    stick = tmp_path / "USB stick"
    stick.mkdir()
    answers.save_path = stick / "care home backup"
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    assert answers.errors == []
    info = verify_backup(stick / "care home backup.zip")
    assert info.evidence_files == 3

    assert dialog.backup_count.text() == "0"  # a backup elsewhere is not one of the set
    made = back_up(window._db, now=dt.datetime(2026, 3, 2, 9, 30))
    dialog.refresh()
    assert dialog.last_backup.text() == f"2 March 2026 at 09:30 ({made.path.name})"
    assert dialog.backup_count.text() == "1"


def test_restoring_from_the_data_dialog_asks_first_then_closes_and_reopens_the_data(
    qtbot, open_window, answers, questions, informed, demo_dir, data_dir, monkeypatch
) -> None:
    with open_database(demo_dir) as db:
        backup = back_up(db, demo_dir.parent / "demo.zip").path
    monkeypatch.setattr(dialogs, "choose_backup_file", lambda *_args: backup)
    window = open_window(data_dir)
    dialog = open_data_dialog(window)

    answers.confirm = False
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert [title for title, _text in questions] == ["Restore from a backup"]
    assert "with 3 evidence files" in questions[0][1]
    assert window.isVisible() and not window.property(RESTORE_REQUEST)

    answers.confirm = True
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert window.property(RESTORE_REQUEST) == str(backup)
    # What run_app does next: close the data, restore, open it again.
    window._db.close()
    assert restore_and_report(data_dir, backup)
    assert table_counts(data_dir / DATABASE_NAME) == table_counts(demo_dir / DATABASE_NAME)
    assert informed[0].startswith("Restored the backup made on ")


def test_a_file_that_is_not_a_backup_is_refused_in_the_data_dialog(
    qtbot, open_window, answers, questions, data_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    junk = tmp_path / "holiday photos.zip"
    junk.write_bytes(os.urandom(5000))
    monkeypatch.setattr(dialogs, "choose_backup_file", lambda *_args: junk)
    window = open_window(data_dir)
    dialog = open_data_dialog(window)
    before = sha256(data_dir / DATABASE_NAME)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert answers.errors == [
        "holiday photos.zip cannot be restored: it is not an RRN Self-Audit backup "
        "(not a zip file). Nothing was changed."
    ]
    assert questions == []
    assert window.isVisible() and not window.property(RESTORE_REQUEST)
    assert sha256(data_dir / DATABASE_NAME) == before


def test_run_app_restores_and_opens_a_new_window_when_the_dialog_asks(
    qtbot, answers, informed, demo_dir: Path, data_dir: Path, monkeypatch
) -> None:
    with open_database(demo_dir) as db:
        backup = back_up(db, demo_dir.parent / "demo.zip").path
    windows = []
    real_daily_backup = app_module.daily_backup

    def then_close(window, db, now=None) -> None:
        real_daily_backup(window, db, now)
        windows.append(window)
        if len(windows) == 1:
            window.setProperty(RESTORE_REQUEST, str(backup))
        QTimer.singleShot(0, window.close)

    monkeypatch.setattr(app_module, "daily_backup", then_close)
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: [window.close() for window in windows])
    safety.start(30_000)
    try:
        assert run_app(data_dir) == 0
    finally:
        safety.stop()
    assert len(windows) == 2
    assert windows[1].services.count() > 2  # the new window shows the restored services
    assert informed[0].startswith("Restored the backup made on ")
    assert table_counts(data_dir / DATABASE_NAME) == table_counts(demo_dir / DATABASE_NAME)
    open_database(data_dir).close()  # run_app let go of the data


def test_a_restore_with_no_window_open_works_off_the_gui_thread_under_the_opening_window(
    qtbot, answers, informed, demo_dir, data_dir, monkeypatch
) -> None:
    """After the main window has closed to restore, the restore runs as an operation: the
    opening window is on screen, the GUI thread goes on answering, and a refusal is still said
    plainly."""
    with open_database(demo_dir) as db:
        backup = back_up(db, demo_dir.parent / "demo.zip").path
    real_restore = restore_module.restore_backup
    seen: dict[str, object] = {}

    def watched_restore(*args, **kwargs):
        seen["thread"] = threading.current_thread() is threading.main_thread()
        seen["opening window"] = any(
            isinstance(w, StartingWindow) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
        return real_restore(*args, **kwargs)

    monkeypatch.setattr(restore_module, "restore_backup", watched_restore)
    assert restore_and_report(data_dir, backup)
    assert seen == {"thread": False, "opening window": True}
    assert table_counts(data_dir / DATABASE_NAME) == table_counts(demo_dir / DATABASE_NAME)
    assert informed[0].startswith("Restored the backup made on ")
    assert not any(isinstance(w, StartingWindow) for w in QApplication.topLevelWidgets())

    # A file that is no backup is refused in the one plain message, with nothing changed.
    not_a_backup = data_dir.parent / "notes.zip"
    not_a_backup.write_bytes(b"not a zip at all")
    before = table_counts(data_dir / DATABASE_NAME)
    assert not restore_and_report(data_dir, not_a_backup)
    assert len(answers.errors) == 1 and "notes.zip" in answers.errors[0]
    assert table_counts(data_dir / DATABASE_NAME) == before
