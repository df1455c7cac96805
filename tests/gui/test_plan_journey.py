"""A manager keeps the restraint reduction plan with the keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from rrn_desktop.base.vocabulary import Sector, Strategy
from rrn_desktop.core import plan
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.plan_dialogs import NewActionDialog, NoteDialog, ReadingDialog
from rrn_desktop.gui.pledge_panel import StaffPledgeReviewDialog
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import type_text
from tests.gui.test_benchmark_journey import back_to


def _open_plan(qtbot, window):
    window.services.setFocus()
    qtbot.keyClick(window.services, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.plan_page
    return window.plan_page


def _dialog(qtbot, window, kind):
    dialog = window.findChild(kind)
    back_to(qtbot, dialog)
    return dialog


def test_add_an_action_log_progress_measure_it_finish_it_and_find_it_again(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        create_service(db, "Willow Ŵ House", Sector.ADULT_SOCIAL_CARE)
    window = open_window(data_dir)
    page = _open_plan(qtbot, window)
    assert page.counts.text().startswith("0 open (none overdue), 0 done")

    # Add an action with the keyboard.
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)
    dialog = _dialog(qtbot, window, NewActionDialog)
    type_text(dialog.title, "Welfare debrief within 72 hours <always> & kindly")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.strategy, Qt.Key.Key_End)  # the last strategy: debriefing
    assert dialog.strategy.currentText() == "Debriefing and learning after incidents"
    dialog.owner_name.setFocus()
    qtbot.keyClicks(dialog.owner_name, "Rhian Sample")
    qtbot.keyClick(dialog.owner_name, Qt.Key.Key_Return)
    back_to(qtbot, window)
    editor = page.editor
    assert editor.action.title == "Welfare debrief within 72 hours <always> & kindly"

    # A measurable outcome, typed into the editor.
    editor.outcome_measure.setFocus()
    qtbot.keyClicks(editor.outcome_measure, "Debriefs within 72 hours")
    qtbot.keyClicks(editor.outcome_unit, "%")
    qtbot.keyClicks(editor.outcome_baseline, "30")
    qtbot.keyClicks(editor.outcome_target, "90")
    editor.flush()

    # Log progress twice and record a reading.
    for text in ("Template agreed", "Staff briefed on the new template"):
        qtbot.mouseClick(editor.note_button, Qt.MouseButton.LeftButton)
        dialog = _dialog(qtbot, window, NoteDialog)
        qtbot.keyClicks(dialog.text, text)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        back_to(qtbot, window)
    qtbot.mouseClick(editor.reading_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, ReadingDialog)
    qtbot.keyClicks(dialog.value, "six")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "The reading must be a number, such as 12 or 7.5."
    dialog.value.clear()
    qtbot.keyClicks(dialog.value, "65")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)

    # Ctrl+Enter moves it on: in progress, then done.
    page.table.setFocus()
    for _step in range(2):
        qtbot.keyClick(page.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.action.status_label == "Done"
    assert page.counts.text().startswith("0 open (none overdue), 1 done")

    # Reopen: the history, dates and counts are as they were.
    window.close()
    window._db.close()
    window = open_window(data_dir)
    assert window.overview.plan_line.text() == (
        "Restraint reduction plan: 0 actions open (none overdue), 1 done."
    )
    page = _open_plan(qtbot, window)
    page.tabs.setCurrentIndex(0)
    group = page.by_strategy.topLevelItem(5)
    assert group.text(0) == "Debriefing and learning after incidents (1)"
    page.by_strategy.setCurrentItem(group.child(0))
    editor = page.editor
    today = long_date(dt.date.today())
    history = [editor.history.item(i).text() for i in range(editor.history.count())]
    assert history == [
        f"{today}: Planned. Added to the plan.",
        f"{today}: Template agreed",
        f"{today}: Staff briefed on the new template",
        f"{today}: In progress.",
        f"{today}: Done.",
        f"Reading {today}: 65 %",
    ]
    assert editor.outcome.text() == (
        f"Debriefs within 72 hours: baseline 30 % → latest 65 % ({today}) → target 90 %"
    )
    assert editor.owner_name.text() == "Rhian Sample"


def test_remove_an_actions_evidence_file_after_saying_yes(
    qtbot, open_window, answers, data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "Debrief notes.txt"
    source.write_text("What we learned", encoding="utf-8")
    with open_database(data_dir) as db:
        action = plan.create_action(db, "Debriefs", Strategy.DATA, dt.date(2026, 1, 5))
        stored = plan.attach_action_evidence(db, action.id, source).evidence_files[0].stored_path
    window = open_window(data_dir)
    window.show_action(action.id)
    editor = window.plan_page.editor
    assert not editor.remove_file_button.isEnabled()
    editor.files.setCurrentRow(0)

    answers.confirm = False
    qtbot.mouseClick(editor.remove_file_button, Qt.MouseButton.LeftButton)
    assert editor.files.count() == 1 and stored.exists()

    answers.confirm = True
    qtbot.mouseClick(editor.remove_file_button, Qt.MouseButton.LeftButton)
    assert answers.questions == ["Remove evidence file?"] * 2
    assert editor.files.count() == 0
    assert not editor.remove_file_button.isEnabled()
    assert plan.get_action(window._db, action.id).evidence_files == ()
    assert not stored.exists() and source.exists()
    assert not answers.errors


def test_review_a_personal_pledge(qtbot, open_window, answers, data_dir: Path) -> None:
    with open_database(data_dir) as db:
        create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
        plan.add_staff_pledge(
            db, "Sam Patel", "Ask before helping", dt.date(2026, 1, 5), dt.date(2026, 4, 5)
        )
    window = open_window(data_dir)
    window.show_pledge()
    pledge = window.plan_page.pledge
    assert pledge.staff.rowCount() == 1, pledge.staff.rowCount()
    pledge.staff.setCurrentCell(0, 0)
    assert pledge.staff.currentRow() == 0
    qtbot.mouseClick(pledge.review_staff_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, StaffPledgeReviewDialog)
    shown = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Sam Patel" in shown and "Ask before helping" in shown
    assert dialog.next_review.day() == dt.date(2026, 4, 5)
    type_text(dialog.notes, "Asks every time now")
    dialog.next_review.set_day(dt.date(2026, 10, 5))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problem.text()
    [reviewed] = plan.list_staff_pledges(window._db)
    assert (reviewed.review_notes, reviewed.review_on) == (
        "Asks every time now",
        dt.date(2026, 10, 5),
    )
    assert pledge.staff.item(0, 3).text() == long_date(dt.date(2026, 10, 5))
    assert not answers.errors
