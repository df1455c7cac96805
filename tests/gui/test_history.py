"""A register entry deleted in the app is found in the record of changes and brought back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from rrn_desktop.base.vocabulary import RestraintType, Sector
from rrn_desktop.core import restrictions
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.history_dialog import ChangesDialog, RecordHistoryDialog
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service
from tests.gui.test_benchmark_journey import back_to
from tests.gui.test_plan_journey import _dialog

SERVICE = "Cartref Bryn care home"
ENTRY = "Garden gate padlocked <nights> & weekends"


def _register(panel) -> list[str]:
    return [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]


def _rows(dialog) -> list[tuple[str, str, str]]:
    table = dialog.entries.table
    return [
        (table.item(row, 1).text(), table.item(row, 2).text(), table.item(row, 3).text())
        for row in range(table.rowCount())
        if not table.isRowHidden(row)
    ]


def _open_changes(qtbot, window) -> ChangesDialog:
    window.changes_action.trigger()
    return _dialog(qtbot, window, ChangesDialog)


def test_a_deleted_register_entry_is_brought_back_from_the_record_of_changes(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        service = create_service(db, SERVICE, Sector.ADULT_SOCIAL_CARE)
        entry_id = restrictions.add_custom_restriction(
            db, service.id, ENTRY, "other", RestraintType.ENVIRONMENTAL, dt.date(2026, 1, 5)
        )
    window = open_window(data_dir)
    select_service(window, SERVICE)
    panel = window.service_page.restrictions
    window.service_page.tabs.setCurrentWidget(panel)

    # No name yet: the record of changes says so, and offers to set it.
    dialog = _open_changes(qtbot, window)
    assert "Your name is not set" in dialog.name_note.text()
    assert ("(name not set)", "Added", f"Register entry '{ENTRY}' added") in _rows(dialog)
    answers.text = "Alex Sample-Jones ŵ"
    qtbot.mouseClick(dialog.name_button, Qt.MouseButton.LeftButton)
    assert dialog.name_note.text() == "Your changes are recorded as Alex Sample-Jones ŵ."
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    back_to(qtbot, window)

    # Delete the entry in the register.
    panel.select(entry_id)
    qtbot.mouseClick(panel.editor.delete_button, Qt.MouseButton.LeftButton)
    assert _register(panel) == []

    # Find the deletion, and undo it.
    dialog = _open_changes(qtbot, window)
    dialog.show_kind.setCurrentText("Deletions")
    assert _rows(dialog) == [
        ("Alex Sample-Jones ŵ", "Deleted", f"Register entry '{ENTRY}' deleted")
    ]
    assert dialog.undo_button.isEnabled()
    assert "can be undone until" in dialog.undo_note.text()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert answers.questions[-1] == "Undo this deletion?"

    assert _register(panel) == [ENTRY]
    assert dialog.undo_note.text() == f"Register entry '{ENTRY}' is back."
    dialog.show_kind.setCurrentText("All changes")
    assert _rows(dialog)[0] == (
        "Alex Sample-Jones ŵ",
        "Brought back",
        f"Register entry '{ENTRY}' brought back",
    )
    dialog.show_kind.setCurrentText("Deletions")
    assert not dialog.undo_button.isEnabled()
    assert dialog.undo_note.text() == "It has already been brought back."
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    back_to(qtbot, window)

    # The entry's own history tells the same story.
    panel.select(entry_id)
    qtbot.mouseClick(panel.editor.history_button, Qt.MouseButton.LeftButton)
    record = _dialog(qtbot, window, RecordHistoryDialog)
    assert [kind for _who, kind, _what in _rows(record)] == [
        "Brought back",
        "Deleted",
        "Added",
        "Added",
    ]
    assert record.entries.details.toPlainText().startswith(
        f"Register entry '{ENTRY}' brought back."
    )


def test_the_record_of_changes_filters_the_demo_by_what_and_who(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House")
    dialog = _open_changes(qtbot, window)
    dialog.show_kind.setCurrentText("Sign-offs and reopenings")
    signed = _rows(dialog)
    assert len(signed) == 3
    assert all(kind == "Signed off" and "Morgan Example" in what for _who, kind, what in signed)
    dialog.show_kind.setCurrentText("All changes")
    dialog.filter.setText("LOCKED front")
    qtbot.waitUntil(lambda: dialog.count.text() == "12 changes")
    found = [what for _who, _kind, what in _rows(dialog)]
    assert all("Locked front and exit doors" in what for what in found)
    assert found[-2:] == [
        "Register entry 'Locked front and exit doors' added",
        "Status change to active added to register entry 'Locked front and exit doors'",
    ]
    dialog.filter.setText("no such record at all")
    qtbot.waitUntil(lambda: dialog.count.text() == "0 changes")
    assert dialog.entries.details.toPlainText() == ""
    assert not dialog.undo_button.isEnabled()
