"""Starting the window when the data cannot be opened: a plain message, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rrn_desktop.gui.app import run_app
from rrn_desktop.storage.database import Database


def test_a_second_copy_is_told_the_data_is_already_open(qtbot, answers, db: Database) -> None:
    assert run_app(db.data_dir) == 1
    assert len(answers.errors) == 1
    assert "already open in another copy of RRN Self-Audit" in answers.errors[0]


def test_a_damaged_data_file_is_explained(qtbot, answers, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "rrn-desktop.sqlite3").write_bytes(b"not a database" * 500)
    assert run_app(folder) == 1
    assert "damaged" in answers.errors[0]


def test_quit_after_start_shows_the_window_and_returns(qtbot, answers, data_dir: Path) -> None:
    assert run_app(data_dir, quit_after_start=True) == 0
    assert answers.errors == []


def test_the_window_does_not_load_report_or_bundle_code_at_start_up() -> None:
    """reportlab, python-docx, PDFium and the bundle code load on first use, not at start."""
    heavy = ["reportlab", "docx", "openpyxl", "pypdfium2", "rrn_desktop.core.bundle"]
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, rrn_desktop.gui.main_window; "
            f"print([m for m in {heavy!r} if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert loaded.stdout.strip() == "[]"
