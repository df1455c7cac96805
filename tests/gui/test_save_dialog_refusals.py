"""A name chosen in a save dialog is held to the same rules as one typed on the command line:
never over the data folder's own files, and dates a report can cover."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME
from rrn_desktop.gui.data_dialogs import DataDialog
from rrn_desktop.gui.report_actions import PackDialog
from rrn_desktop.gui.report_preview import ReportPreview
from rrn_desktop.storage.backups import back_up, list_backups
from rrn_desktop.storage.file_check import read_only_uri
from tests.gui.conftest import select_service


def _state(data: Path) -> tuple[str, dict[str, bytes]]:
    connection = sqlite3.connect(read_only_uri(data / DATABASE_NAME), uri=True)
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    return dump, {p.name: p.read_bytes() for p in sorted((data / EVIDENCE_DIR).iterdir())}


def test_a_report_saved_from_the_preview_never_lands_on_the_datas_own_files(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    backup = back_up(window._db).path
    signing = demo_dir / "bundle-signing.json"
    signing.write_text('{"key": "made by the test"}', encoding="utf-8")
    targets = {
        "the data file": demo_dir / DATABASE_NAME,
        "its journal": demo_dir / f"{DATABASE_NAME}-wal",
        "the lock": demo_dir / LOCK_NAME,
        "an evidence file": sorted((demo_dir / EVIDENCE_DIR).iterdir())[0],
        "a backup": backup,
        "the signing key": signing,
    }
    kept = {name: path.read_bytes() for name, path in targets.items() if name != "its journal"}
    before = _state(demo_dir)

    select_service(window, "Willow House")
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    window.preview_action.trigger()
    preview = window.findChild(ReportPreview)
    assert preview is not None
    for name, target in targets.items():
        answers.save_path = target
        preview.pdf_button.click()
        assert len(answers.errors) == 1, name
        said = answers.errors.pop()
        assert f"The report was not saved: {target} is " in said, (name, said)
        assert "saving there would destroy it" in said
    preview.close()
    assert _state(demo_dir) == before
    assert {name: targets[name].read_bytes() for name in kept} == kept


def test_a_backup_chosen_over_an_earlier_backup_is_refused(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    earlier = back_up(window._db).path
    kept = earlier.read_bytes()
    window.backups_action.trigger()
    dialog = window.findChild(DataDialog)
    answers.save_path = earlier
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    assert answers.errors == [
        f"The backup was not saved: {earlier} is one of RRN Self-Audit's backups of the data, "
        "and saving there would destroy it. Choose another name or folder, such as a USB stick."
    ]
    assert earlier.read_bytes() == kept
    assert len(list_backups(demo_dir / BACKUP_DIR)) == 1


def test_the_pack_dialogs_dates_are_held_to_the_same_limits(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    window.pack_action.trigger()
    dialog = window.findChild(PackDialog)
    dialog.date_from.set_day(dt.date(1900, 1, 1))
    dialog.date_to.set_day(dt.date(2199, 12, 31))
    dialog.ok_button.click()
    assert len(answers.errors) == 1
    assert answers.errors[0].startswith(
        "31 December 2199 is too late: a report covers dates up to 31 December"
    )
    assert not [p for p in window.findChildren(ReportPreview) if p.isVisible()]
