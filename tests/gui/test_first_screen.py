"""The start screen drawn from plain queries before the ORM loads, and the main window taking
its place: the same figures, the same list, the same menus; never for a file that needs more
than reading."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QToolBar

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.gui import starting
from rrn_desktop.gui.app import run_app
from rrn_desktop.gui.first_screen import FirstScreen, FirstStart, show_first_screen
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.overview_page import OverviewPage
from rrn_desktop.gui.starting import paint_once_mapped, show_starting_window
from rrn_desktop.gui.window_frame import MENU_TITLES, TOOLBAR_TEXTS
from rrn_desktop.storage.database import Database
from tests.gui.test_app_start import _modules_loaded_after


def _table(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def _what_shows(window: QMainWindow, overview: OverviewPage) -> dict[str, object]:
    return {
        "title": overview.title.text(),
        "plan": overview.plan_line.text(),
        "attention": [overview.attention.item(i).text() for i in range(overview.attention.count())],
        "period": overview.figures_period.text(),
        "services table": _table(overview.table),
        "menus": [action.text() for action in window.menuBar().actions()],
        "toolbar": [
            action.iconText()
            for toolbar in window.findChildren(QToolBar)
            for action in toolbar.actions()
        ],
    }


def _first_screens() -> list[FirstScreen]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, FirstScreen)]


def _drawn(first: FirstStart | None) -> FirstScreen:
    assert first is not None and first.window is not None
    return first.window


def test_the_start_screen_shows_what_the_main_window_shows(
    qtbot, answers, open_window, demo_dir: Path
) -> None:
    first = show_first_screen(demo_dir, None)
    early = _drawn(first)
    assert early.isVisible()
    early_list = [early.pane.services.item(i).text() for i in range(early.pane.services.count())]
    early_shows = _what_shows(early, early.overview)
    assert early_shows["services table"], "the demo's services are in the table"
    assert any("OVERDUE" in line for line in early_shows["attention"])  # type: ignore[union-attr]
    # Nothing can be done on it yet: the window proper does everything.
    assert not any(action.isEnabled() for action in early.menuBar().actions())
    assert not early.pane.add_service_button.isEnabled()
    early.close()
    assert first is not None
    first.folder.lock.release()

    window: MainWindow = open_window(demo_dir)
    window_list = [window.services.item(i).text() for i in range(window.services.count())]
    assert window_list == early_list
    shows = _what_shows(window, window.overview)
    # The recording rules are checked once they have loaded: till then the line says so.
    early_attention: list[str] = early_shows.pop("attention")  # type: ignore[assignment]
    attention: list[str] = shows.pop("attention")  # type: ignore[assignment]
    assert early_attention[-1] == "Checking incident records against the recording rules…"
    assert attention[: len(early_attention) - 1] == early_attention[:-1]
    checked = attention[len(early_attention) - 1 :]
    assert checked  # the demo's children's home has records short of its rules
    assert all("the law asks for" in line or "deadline" in line for line in checked)
    assert shows == early_shows
    assert early_shows["menus"] == list(MENU_TITLES)
    assert early_shows["toolbar"] == list(TOOLBAR_TEXTS)


def test_the_main_window_takes_the_start_screens_place(qtbot, answers, demo_dir: Path) -> None:
    first = show_first_screen(demo_dir, None)
    assert _drawn(first).isVisible()
    assert first is not None
    assert run_app(demo_dir, quit_after_start=True, first=first) == 0
    assert answers.errors == []
    assert [w for w in _first_screens() if w.isVisible()] == []
    # run_app closes its window as it returns: it was made, on the data the screen showed.
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert not first.folder.lock.is_locked  # the data was closed with the window


def test_the_start_screen_loads_no_database_layer(demo_dir: Path) -> None:
    heavy = ["sqlalchemy", "pydantic", "rrn_desktop.storage.models", "rrn_desktop.gui.main_window"]
    code = (
        "from pathlib import Path; from rrn_desktop.gui.first_screen import show_first_screen; "
        f"first = show_first_screen(Path({str(demo_dir)!r}), None); "
        "assert first is not None and first.window is not None and first.window.isVisible()"
    )
    assert _modules_loaded_after(code, heavy) == []


def test_a_new_folder_waits_for_the_main_window(qtbot, answers, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    first = show_first_screen(folder, None)
    assert first is not None and first.window is None and first.folder.revision is None
    assert run_app(folder, quit_after_start=True, first=first) == 0
    assert (folder / DATABASE_NAME).exists()  # the main window's opening made it


def test_a_folder_with_no_service_yet_waits_for_the_main_window(
    qtbot, answers, db: Database
) -> None:
    folder = db.data_dir
    db.close()
    first = show_first_screen(folder, None)
    assert first is not None and first.window is None and first.folder.up_to_date
    first.folder.lock.release()


def test_an_older_data_file_is_updated_before_anything_shows(
    qtbot, answers, demo_dir: Path
) -> None:
    connection = sqlite3.connect(demo_dir / DATABASE_NAME)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0006'")
    connection.close()
    first = show_first_screen(demo_dir, None)
    assert first is not None and first.window is None
    assert first.folder.revision == "0006"
    first.folder.lock.release()


def test_a_damaged_file_or_a_second_copy_draws_nothing_and_is_explained(
    qtbot, answers, tmp_path: Path, db: Database
) -> None:
    assert show_first_screen(db.data_dir, None) is None  # already open in another copy
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / DATABASE_NAME).write_bytes(b"not a database" * 500)
    assert show_first_screen(damaged, None) is None
    assert _first_screens() == [] or not any(w.isVisible() for w in _first_screens())
    assert run_app(damaged) == 1
    assert "damaged" in answers.errors[0]


def _start(folder: Path, flag: str) -> int:
    return subprocess.run(
        [sys.executable, "-m", "rrn_desktop", "--data-dir", str(folder), flag],
        capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    ).returncode


def test_the_program_shows_the_start_screen_then_the_window(demo_dir: Path, tmp_path: Path) -> None:
    assert _start(demo_dir, "--quit-after-first-screen") == 0
    # The rest loads while the start screen is up, and the window takes its place.
    assert _start(demo_dir, "--quit-after-start") == 0
    assert _start(tmp_path / "new", "--quit-after-first-screen") == 1  # nothing to draw yet


def test_painting_waits_for_the_window_system_only_so_long(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    never_shown = QMainWindow()
    qtbot.addWidget(never_shown)
    never_shown.winId()  # a window the window system knows, but never puts on screen
    handle = never_shown.windowHandle()
    assert handle is not None and not handle.isExposed()
    # A clock of the test's own, moved on only by the waiting: no real time is measured.
    clock = [0.0]
    monkeypatch.setattr(starting.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(starting.time, "sleep", lambda s: clock.__setitem__(0, clock[0] + s))
    paint_once_mapped(never_shown, seconds=0.2)
    # It waited its time for the window to appear, then gave up rather than hang the start-up.
    assert 0.2 <= clock[0] < 0.21
    shown = show_starting_window()
    assert shown.windowHandle() is not None and shown.windowHandle().isExposed()
