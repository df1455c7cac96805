"""Export and import of bundles from the window, with the file choosers and questions answered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QWidget

from rrn_desktop.core.services import find_service
from rrn_desktop.gui.bundle_dialogs import (
    export_bundle_from_window,
    import_bundle_from_file,
    suggested_name,
)
from rrn_desktop.storage.database import Database
from tests.core.test_bundle import WILLOW, counts


def test_export_then_import_asks_first_and_a_second_import_has_nothing_to_do(
    qtbot, answers, demo_db: Database, db: Database, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    assert suggested_name(WILLOW, dt.date(2026, 11, 24)) == (
        "willow-house-care-home-demo-2026-11-24.rrnbundle"
    )
    answers.save_path = tmp_path / "willow"
    willow = find_service(demo_db, WILLOW)
    made = export_bundle_from_window(parent, demo_db, willow.id, willow.name)
    assert made is not None and made.path == tmp_path / "willow.rrnbundle"

    before = counts(db)
    answers.open_path = made.path
    answers.confirm = False
    assert import_bundle_from_file(parent, db) is None
    assert answers.questions == ["Import a bundle"] and counts(db) == before

    answers.confirm = True
    imported = import_bundle_from_file(parent, db)
    assert imported is not None and imported.applied
    assert counts(db)["service"] == 1 and imported.added == made.records

    answers.questions.clear()
    assert import_bundle_from_file(parent, db) is None  # nothing new: not even asked
    assert answers.questions == [] and not answers.errors


def test_a_damaged_bundle_is_explained_and_changes_nothing(
    qtbot, answers, db: Database, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    bad = tmp_path / "bad.rrnbundle"
    bad.write_text("not a bundle", encoding="utf-8")
    answers.open_path = bad
    before = counts(db)
    assert import_bundle_from_file(parent, db) is None
    [error] = answers.errors
    assert error.startswith("bad.rrnbundle cannot be imported: ")
    assert counts(db) == before


def test_the_data_menu_exports_a_service_and_imports_a_bundle(
    qtbot, open_window, answers, demo_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    from tests.gui.conftest import select_service

    window = open_window(demo_dir)
    assert not window.export_service_bundle_action.isEnabled()  # no service on screen yet
    select_service(window, "Willow House")
    answers.save_path = tmp_path / "willow.rrnbundle"
    window.export_service_bundle_action.trigger()
    assert answers.save_path.exists()
    window.close()

    other = open_window(data_dir)
    answers.open_path = answers.save_path
    other.import_bundle_action.trigger()
    assert answers.questions[-1] == "Import a bundle"
    assert [other.services.item(r).text() for r in range(2, other.services.count())] == [
        "Willow House care home (demo) (1 review overdue)"
    ]
