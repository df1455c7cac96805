"""Operations run off the GUI thread: a large bundle is imported while the window goes on
answering, and Cancel part-way through leaves the data exactly as it was."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressDialog, QPushButton, QWidget

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.core import benchmarks
from rrn_desktop.core.bundle import export_bundle
from rrn_desktop.gui import bundle_dialogs, dialogs
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.operations import (
    SHOW_AFTER_MS,
    STEPS,
    Changed,
    Changes,
    attempt,
    change_notices,
    run_operation,
)
from rrn_desktop.gui.screenshots import text_size
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.errors import DamagedDatabaseError
from tests.core.test_benchmarks import _start
from tests.core.test_bundle import counts
from tests.gui.conftest import DialogAnswers, select_service

FILES = 3
FILE_MIB = 100
PLAN = "Restraint reduction plan"


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> Path:
    """A bundle carrying 3 evidence files of 100 MB of random bytes (which deflate cannot
    shrink), made once for the module by exporting a data folder that holds them."""
    base = tmp_path_factory.mktemp("big-bundle")
    source = base / "source"
    shutil.copytree(empty_template, source)
    with open_database(source) as db:
        benchmark = _start(db)
        for number in range(FILES):
            file = base / f"evidence-{number}.bin"
            with file.open("wb") as handle:
                for _ in range(FILE_MIB):
                    handle.write(os.urandom(1 << 20))
            benchmarks.attach_evidence(db, benchmark.id, "1.1.1", file)
            file.unlink()
        made = export_bundle(db, base / "big.rrnbundle")
    shutil.rmtree(source)  # only the bundle is needed: the disk keeps one copy, not two
    assert made.evidence_files == FILES and made.size_bytes > FILES * FILE_MIB << 20
    return made.path


class ImportWatch:
    """When the import itself (apply_import, on the worker thread) starts and ends."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = threading.Event()
        self.finished = threading.Event()
        real = bundle_dialogs.apply_import

        def watched(*args: Any, **kwargs: Any) -> Any:
            self.started.set()
            try:
                return real(*args, **kwargs)
            finally:
                self.finished.set()

        monkeypatch.setattr(bundle_dialogs, "apply_import", watched)

    @property
    def running(self) -> bool:
        return self.started.is_set() and not self.finished.is_set()


def every(milliseconds: int, tick: Callable[[], None]) -> QTimer:
    timer = QTimer()
    timer.setInterval(milliseconds)
    timer.timeout.connect(tick)
    timer.start()
    return timer


def the_bar(window: MainWindow) -> QProgressDialog | None:
    bars = [bar for bar in window.findChildren(QProgressDialog) if bar.isVisible()]
    return bars[0] if bars else None


def evidence_files(db: Database) -> list[str]:
    return sorted(path.name for path in db.evidence_dir.iterdir())


@pytest.mark.slow  # a 300 MB bundle: half a minute to make, once per module
def test_the_window_answers_while_a_large_bundle_is_imported(
    qtbot,
    window_on,
    answers: DialogAnswers,
    demo_dir: Path,
    big_bundle: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, db = window_on(demo_dir)
    assert window.pages.currentWidget() is window.overview
    watch = ImportWatch(monkeypatch)
    seen: dict[str, Any] = {"ticks": 0, "switched": None, "bar": None, "values": set()}
    heard: list[Changes] = []
    change_notices().changed.connect(heard.append)

    def tick() -> None:
        if not watch.running:
            return
        seen["ticks"] += 1
        bar = the_bar(window)
        if bar is not None:
            seen["bar"] = (bar.labelText(), bar.isModal(), bool(bar.findChild(QPushButton)))
            seen["values"].add(bar.value())
        if seen["switched"] is None and seen["ticks"] >= 5:
            # Choosing the plan, as a click on it in the list does: shown at once, mid-import.
            select_service(window, PLAN)
            seen["switched"] = (window.pages.currentWidget() is window.plan_page, watch.running)

    timer = every(10, tick)
    answers.open_path = big_bundle
    started = time.perf_counter()
    window.import_bundle_action.trigger()
    seconds = time.perf_counter() - started
    timer.stop()

    assert watch.finished.is_set() and not answers.errors
    assert answers.questions == ["Import a bundle"]
    assert seen["switched"] == (True, True)  # the plan was on screen before the import ended
    # The timer kept firing through the copying: events were processed the whole time.
    assert seen["ticks"] >= 20, (seen["ticks"], seconds)
    label, modal, has_cancel = seen["bar"]
    assert label == f"Importing {big_bundle.name}…" and modal and has_cancel
    assert len(seen["values"]) > 3  # the bar moved as the files were copied
    # The import was announced, and the window followed it without being asked: the new
    # service is in the list, and the plan chosen during the import is still on screen.
    assert [c.what for c in heard] == [
        frozenset({Changed.SERVICES, Changed.RECORDS, Changed.EVIDENCE})
    ]
    names = [window.services.item(row).text() for row in range(window.services.count())]
    assert any(name.startswith("Service 2026-03-01") for name in names)
    assert window.pages.currentWidget() is window.plan_page
    assert counts(db)["evidence_file"] >= FILES
    assert the_bar(window) is None


@pytest.mark.slow  # a 300 MB bundle: half a minute to make, once per module
def test_cancel_part_way_through_an_import_changes_nothing(
    qtbot,
    window_on,
    answers: DialogAnswers,
    demo_dir: Path,
    big_bundle: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, db = window_on(demo_dir)
    before, files = counts(db), evidence_files(db)
    watch = ImportWatch(monkeypatch)
    pressed: list[int] = []

    def tick() -> None:
        bar = the_bar(window)
        if pressed or bar is None or not watch.running:
            return
        # A third of the way through the copying: some files are in, some are not.
        if bar.labelText().startswith("Importing") and bar.value() >= STEPS // 3:
            pressed.append(bar.value())
            bar.findChild(QPushButton).click()

    timer = every(10, tick)
    answers.open_path = big_bundle
    window.import_bundle_action.trigger()
    timer.stop()

    [value] = pressed
    assert 0 < value < STEPS
    assert watch.finished.is_set() and not answers.errors
    assert counts(db) == before
    assert evidence_files(db) == files  # nothing copied stays behind, not even a .partial
    qtbot.waitUntil(lambda: the_bar(window) is None)
    names = [window.services.item(row).text() for row in range(window.services.count())]
    assert not any(name.startswith("Service 2026-03-01") for name in names)


def test_an_error_in_an_operation_is_shown_once_and_changes_are_still_announced(
    qtbot, window_on, answers: DialogAnswers, data_dir: Path
) -> None:
    from rrn_desktop.base.errors import UserFacingError

    window, db = window_on(data_dir)
    heard: list[Changes] = []
    change_notices().changed.connect(heard.append)

    def fails(_progress: Callable[[float], None]) -> None:
        raise UserFacingError("The stick was taken out.")

    changes = Changes.of(db.data_dir, Changed.BACKUPS)
    result = run_operation(window, "Backing up…", fails, failure_title="X", changes=changes)
    assert result is None and answers.errors == ["The stick was taken out."]
    assert heard == [changes]


def _progress_as_seen(window: MainWindow, label: str) -> dict[str, bool]:
    """Run an operation at double text size until its progress dialog is on screen; what the
    person sees of it then (Cancel pressed afterwards)."""
    seen: dict[str, bool] = {}
    looked = threading.Event()

    def look() -> None:
        bar = window.findChild(QProgressDialog)
        if bar is None or not bar.isVisible():
            QTimer.singleShot(50, look)
            return
        text = bar.findChild(QLabel)
        cancel = bar.findChild(QPushButton)
        assert text is not None and cancel is not None
        screen = bar.screen().availableGeometry()
        seen["dialog on the screen"] = screen.contains(bar.geometry())
        seen["Cancel on the screen"] = screen.contains(
            cancel.mapToGlobal(cancel.rect().bottomRight())
        )
        seen["label on one line"] = text.height() < 2 * text.fontMetrics().lineSpacing()
        looked.set()

    def work(progress: Callable[[float], None]) -> None:
        while not looked.wait(0.02):
            progress(0.5)

    with text_size(200):
        QTimer.singleShot(0, look)
        run_operation(window, label, work, failure_title="Not done")
    return seen


def test_a_long_label_at_double_text_size_wraps_and_keeps_cancel_on_the_screen(
    qtbot, window_on, answers: DialogAnswers, data_dir: Path
) -> None:
    window, _db = window_on(data_dir)
    long_name = (
        "Importing Kestrel Lodge children's home (demo) - incidents and register for the "
        "December inspection (final copy).rrnbundle…"
    )
    assert _progress_as_seen(window, long_name) == {
        "dialog on the screen": True,
        "Cancel on the screen": True,
        "label on one line": False,
    }
    # A short label is not wrapped for the sake of it.
    assert _progress_as_seen(window, "Importing willow.rrnbundle…")["label on one line"]
    assert not answers.errors


def _errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The error dialogs shown, as (title, message)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda _parent, title, text: shown.append((title, text))
    )
    return shown


def test_a_quick_call_refused_is_shown_once_and_one_that_works_gives_its_value(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _errors_shown(monkeypatch)
    parent = QWidget()
    qtbot.addWidget(parent)

    def refused() -> str:
        raise UserFacingError("Another service already has that name.")

    failed = attempt(parent, "Name not changed", refused)
    assert not failed.ok
    assert shown == [("Name not changed", "Another service already has that name.")]
    with pytest.raises(ValueError):
        _ = failed.value  # a failure has no value to be mistaken for one

    assert attempt(parent, "Not saved", lambda: 42).value == 42
    # None is what some calls rightly give back: it is not taken for a failure.
    returned_none = attempt(parent, "Not saved", lambda: None)
    assert returned_none.ok and returned_none.value is None
    assert len(shown) == 1


def test_damage_met_in_a_quick_call_goes_on_to_the_apps_handler(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shown = _errors_shown(monkeypatch)
    parent = QWidget()
    qtbot.addWidget(parent)
    heard: list[Changes] = []
    change_notices().changed.connect(heard.append)
    changes = Changes.of(tmp_path, Changed.RECORDS)

    def damaged() -> None:
        raise DamagedDatabaseError("The data file is damaged.")

    try:
        # Not shown as a plain message: the app's handler explains and offers a backup.
        with pytest.raises(DamagedDatabaseError):
            attempt(parent, "Not saved", damaged, changes=changes)
    finally:
        change_notices().changed.disconnect(heard.append)
    assert shown == []
    assert heard == [changes]  # announced however the call ended, as run_operation does


def test_work_that_reports_no_progress_still_says_what_is_happening(
    qtbot, window_on, data_dir: Path
) -> None:
    """A restore or a backup check reports no progress: the busy dialog still comes up after
    a moment, naming the work, without a Cancel it could not honour."""
    window, _db = window_on(data_dir)
    seen: list[tuple[str, bool]] = []
    looked = threading.Event()

    def look() -> None:
        bar = the_bar(window)
        if bar is not None:
            seen.append((bar.labelText(), bar.findChild(QPushButton) is not None))
        looked.set()

    def work(_progress: Callable[[float], None]) -> str:
        looked.wait(20)
        return "checked"

    # Timers fire in the order they fall due, however busy the machine: this look comes after
    # the dialog's own SHOW_AFTER_MS (started a moment later) and long before Qt's 4 seconds.
    QTimer.singleShot(SHOW_AFTER_MS + 600, look)
    result = run_operation(
        window, "Checking the backup…", work, failure_title="Not checked", can_cancel=False
    )
    assert result == "checked"
    assert seen == [("Checking the backup…", False)]
    assert the_bar(window) is None
