"""Starting the window when the data cannot be opened: a plain message, never a crash."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from rrn_desktop.gui.app import run_app
from rrn_desktop.gui.starting import StartingWindow, show_starting_window
from rrn_desktop.storage.database import Database


def _starting_windows() -> list[StartingWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, StartingWindow) and w.isVisible()
    ]


def test_a_second_copy_is_told_the_data_is_already_open(qtbot, answers, db: Database) -> None:
    opening = show_starting_window()
    assert opening.isVisible()
    assert opening.accessibleName() == "RRN Self-Audit is opening"

    assert run_app(db.data_dir) == 1
    # The opening window went away before the message, so it cannot hide it.
    assert _starting_windows() == []
    assert len(answers.errors) == 1
    assert "already open in another copy of RRN Self-Audit" in answers.errors[0]


def test_a_damaged_data_file_is_explained(qtbot, answers, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "rrn-desktop.sqlite3").write_bytes(b"not a database" * 500)
    assert run_app(folder) == 1
    assert "damaged" in answers.errors[0]


def test_quit_after_start_shows_the_window_and_returns(qtbot, answers, data_dir: Path) -> None:
    show_starting_window()
    assert run_app(data_dir, quit_after_start=True) == 0
    assert answers.errors == []
    assert _starting_windows() == []


def _modules_loaded_after(code: str, modules: list[str]) -> list[str]:
    """Which of MODULES a fresh Python has loaded after running CODE."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; {code}; print([m for m in {modules!r} if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return ast.literal_eval(loaded.stdout.strip())


def test_the_opening_window_needs_no_database_code() -> None:
    """It shows before SQLAlchemy, pydantic and the screens load: that is its whole point."""
    heavy = ["sqlalchemy", "pydantic", "rrn_desktop.storage", "rrn_desktop.gui.main_window"]
    code = "from rrn_desktop.gui.starting import show_starting_window; show_starting_window()"
    assert _modules_loaded_after(code, heavy) == []


def test_the_window_does_not_load_report_or_bundle_code_at_start_up() -> None:
    """reportlab, python-docx, PDFium and the bundle code load on first use, not at start."""
    heavy = ["reportlab", "docx", "openpyxl", "pypdfium2", "rrn_desktop.core.bundle"]
    assert _modules_loaded_after("import rrn_desktop.gui.main_window", heavy) == []
