"""A manager walks the checklist and keeps the register, with keyboard and mouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core.dates import add_months, long_date
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.checklist_walk import ChecklistWalk
from rrn_desktop.gui.restriction_dialogs import AddRestrictionDialog, ReviewDialog, StatusDialog
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service, type_text
from tests.gui.test_benchmark_journey import back_to

SERVICE = "Cartref Bryn care home"


def _register(panel) -> list[tuple[str, str]]:
    model = panel.proxy
    return [
        (model.index(row, 0).data(), model.index(row, 3).data()) for row in range(model.rowCount())
    ]


def _open_register(qtbot, window):
    window.services.setFocus()
    qtbot.keyClick(window.services, Qt.Key.Key_Down)  # the plan
    qtbot.keyClick(window.services, Qt.Key.Key_Down)  # from the Overview to the service
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    return page.restrictions


def test_walk_the_checklist_keep_the_register_and_find_it_after_restart(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        create_service(db, SERVICE, Sector.ADULT_SOCIAL_CARE)
    window = open_window(data_dir)
    panel = _open_register(qtbot, window)
    assert panel.summary.text().startswith("No blanket restrictions recorded yet")

    # Walk the checklist: Y, N, S on the first three prompts.
    qtbot.mouseClick(panel.walk_button, Qt.MouseButton.LeftButton)
    walk = window.findChild(ChecklistWalk)
    back_to(qtbot, walk)
    first = walk.tree.topLevelItem(0)
    assert walk.tree.currentItem() is first.child(0)
    for key in (Qt.Key.Key_Y, Qt.Key.Key_N, Qt.Key.Key_S):
        qtbot.keyClick(walk.tree, key)
    assert [first.child(i).text(1) for i in range(4)] == ["Yes", "No", "Not sure", "Not answered"]
    found = [first.child(0).text(0), first.child(2).text(0)]
    qtbot.keyClick(walk, Qt.Key.Key_Escape)
    back_to(qtbot, window)
    assert [title for title, _status in _register(panel)] == found
    # "Not sure" is on the register to check, not counted as in place.
    assert [status for _title, status in _register(panel)] == ["Active", "To check"]
    assert panel.summary.text().startswith(
        "1 blanket restriction in place, 1 to check (not counted as in place)"
    )

    # Add a restriction the checklist does not list.
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AddRestrictionDialog)
    back_to(qtbot, dialog)
    type_text(dialog.title, "Gardd gate padlocked <nights> & weekends")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)
    editor = panel.editor
    assert editor.entry.title == "Gardd gate padlocked <nights> & weekends"

    # Fill its register entry by typing.
    editor.texts["rationale"].setFocus()
    type_text(editor.texts["rationale"], "Busy road beside the garden; Gŵyl traffic")
    qtbot.keyClicks(editor.texts["legal_basis"], "Best-interests decision")
    editor.individual_risk_assessment.setFocus()
    qtbot.keyClick(editor.individual_risk_assessment, Qt.Key.Key_Down)  # "Yes"
    editor.authorised_by_role.setFocus()
    qtbot.keyClicks(editor.authorised_by_role, "Registered manager")
    editor.flush()

    # Record a review: the next date follows from the monthly frequency.
    qtbot.mouseClick(editor.review_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ReviewDialog)
    back_to(qtbot, dialog)
    qtbot.keyClicks(dialog.reviewed_by, "Alex Sample")
    qtbot.keyClicks(dialog.notes, "Gate alarm fitted instead")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)
    today = dt.date.today()
    assert editor.entry.next_review_on == add_months(today, 1)

    # Remove it.
    qtbot.mouseClick(editor.status_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(StatusDialog)
    back_to(qtbot, dialog)
    dialog.status.setFocus()
    qtbot.keyClick(dialog.status, Qt.Key.Key_End)  # the last choice: Removed
    assert dialog.status.currentText() == "Removed"
    qtbot.keyClicks(dialog.note, "Alarm works; padlock gone")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)
    assert ("Gardd gate padlocked <nights> & weekends", "Removed") in _register(panel)
    assert panel.summary.text().startswith("1 blanket restriction in place, 1 to check")
    assert "1 removed" in panel.summary.text()

    # Delete the "not sure" entry: asked first, and Ctrl+Z brings it back.
    panel.select(panel.model.record(1).id)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert answers.questions[-1] == "Delete register entry?"
    assert len(_register(panel)) == 2
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(_register(panel)) == 3

    # Restart: the history, the review and the counts are all still there.
    window.close()
    window._db.close()
    window = open_window(data_dir)
    assert window.overview.table.item(0, 2).text() == "1"
    panel = _open_register(qtbot, window)
    custom = next(e for e in panel.model._records if e.title.startswith("Gardd"))
    panel.select(custom.id)
    editor = panel.editor
    history = [editor.history.item(i).text() for i in range(editor.history.count())]
    assert history[0].startswith(f"{long_date(today)}: Active")
    assert history[1:] == [
        f"{long_date(today)}: reviewed by Alex Sample. Gate alarm fitted instead. "
        f"Next review {long_date(add_months(today, 1))}.",
        f"{long_date(today)}: Removed. Alarm works; padlock gone.",
    ]
    assert editor.texts["rationale"].toPlainText() == "Busy road beside the garden; Gŵyl traffic"
    assert editor.individual_risk_assessment.currentText() == "Yes"
    assert panel.summary.text().startswith("1 blanket restriction in place, 1 to check")


def test_a_next_review_before_the_last_is_refused_with_a_message(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House")
    panel = window.service_page.restrictions
    window.service_page.tabs.setCurrentWidget(panel)
    entry = next(e for e in panel.model._records if e.title == "Locked front and exit doors")
    panel.select(entry.id)
    editor = panel.editor
    before = editor.entry.next_review_on
    editor.next_review_on.setFocus()
    editor.next_review_on.line.selectAll()
    qtbot.keyClicks(editor.next_review_on.line, "02/01/2000")
    editor.flush()
    assert answers.errors[-1].startswith("The next review (2 January 2000) cannot be before")
    assert editor.entry.next_review_on == before
    assert "OVERDUE" in window.service_page.overdue.text()
    assert window.services.currentItem().text().endswith("(1 review overdue)")
