"""Dates typed as a manager in the UK types them, checked as they go, with a calendar beside.

Typed with the keyboard into the real screens; what is saved is read back through the core
after the data file is closed and opened again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import plan
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.date_field import DateField, date_edit, optional_date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.plan_dialogs import NewActionDialog, NoteDialog
from rrn_desktop.gui.plan_page import PlanPage
from rrn_desktop.gui.screenshots import text_size
from rrn_desktop.storage.database import open_database
from tests.gui.test_accessibility_walk import Inspector
from tests.gui.test_benchmark_journey import back_to

NEW_YEARS_EVE = dt.date(2026, 12, 31)
ALT = Qt.KeyboardModifier.AltModifier
# The offscreen screen says this of every popup (a drop-down's list, a calendar).
GRAB = "This plugin does not support grabbing the keyboard"


def _open_plan(qtbot, window: MainWindow) -> PlanPage:
    window.services.setFocus()
    qtbot.keyClick(window.services, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.plan_page
    return window.plan_page


def _open_first_action(qtbot, window: MainWindow) -> plan.ActionInfo:
    """The first action in the list of all actions, chosen with the keyboard."""
    page = _open_plan(qtbot, window)
    page.tabs.setCurrentWidget(page.table.parentWidget())
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    action = page.editor.action
    assert action is not None
    return action


def _retype(qtbot, field: DateField, text: str) -> None:
    """Select what the field holds and type over it, as a person does."""
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    qtbot.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(field.line, text)
    else:
        qtbot.keyClick(field.line, Qt.Key.Key_Delete)


def _with_a_service(data_dir: Path) -> Path:
    with open_database(data_dir) as db:
        create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
    return data_dir


def _new_action_dialog(qtbot, window: MainWindow) -> NewActionDialog:
    page = _open_plan(qtbot, window)
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)
    dialog = window.findChild(NewActionDialog)
    back_to(qtbot, dialog)
    return dialog


def test_a_due_date_typed_into_an_action_is_there_after_reopening(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    action = _open_first_action(qtbot, window)
    due = window.plan_page.editor.due_on
    assert action.due_on != NEW_YEARS_EVE

    # Alt+U goes to the due date (its label is "Due"); typing over it, then Tab, saves it.
    qtbot.keyClick(window.plan_page.table, Qt.Key.Key_U, ALT)
    assert QApplication.focusWidget() is due.line
    qtbot.keyClick(due.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(due.line, "31/12/2026")
    assert not due.message.isVisible()
    qtbot.keyClick(due.line, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is due.calendar_button
    assert "due 31 December 2026" in window.plan_page.editor.state.text()
    assert not answers.errors

    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        assert plan.get_action(db, action.id).due_on == NEW_YEARS_EVE
    window = open_window(demo_dir)
    page = _open_plan(qtbot, window)
    page.select(action.id)
    assert page.editor.due_on.line.text() == "31/12/2026"


def test_an_impossible_date_says_why_and_saves_nothing(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    action = _open_first_action(qtbot, window)
    due = window.plan_page.editor.due_on

    _retype(qtbot, due, "31/02/2026")
    assert due.message.isVisible()
    assert due.message.text() == "There is no 31 February."
    assert due.line.accessibleDescription() == "There is no 31 February."
    qtbot.keyClick(due.line, Qt.Key.Key_Tab)
    window.plan_page.editor.flush()
    # The text stays for the user to put right; the saved date is the one from before.
    assert due.line.text() == "31/02/2026"
    assert plan.get_action(window._db, action.id).due_on == action.due_on
    assert not answers.errors

    # A half-typed date does not save the whole date it passed on the way either.
    _retype(qtbot, due, "")
    qtbot.keyClicks(due.line, "12/31/2026")
    assert due.message.text().startswith("There is no month 31.")
    window.plan_page.editor.flush()
    assert plan.get_action(window._db, action.id).due_on == action.due_on


def test_clearing_an_optional_date_saves_no_date(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    action = _open_first_action(qtbot, window)
    due = window.plan_page.editor.due_on
    if action.due_on is None:
        _retype(qtbot, due, "1/3/2027")
        qtbot.keyClick(due.line, Qt.Key.Key_Tab)
        assert plan.get_action(window._db, action.id).due_on == dt.date(2027, 3, 1)

    _retype(qtbot, due, "")
    assert not due.message.isVisible()
    assert due.line.placeholderText() == "dd/mm/yyyy"
    qtbot.keyClick(due.line, Qt.Key.Key_Tab)
    assert "no due date" in window.plan_page.editor.state.text()
    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        assert plan.get_action(db, action.id).due_on is None


def test_a_form_refuses_an_impossible_date_and_takes_a_date_written_another_way(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    window = open_window(_with_a_service(data_dir))
    dialog = _new_action_dialog(qtbot, window)
    qtbot.keyClicks(dialog.title, "Quiet room reviewed")
    _retype(qtbot, dialog.due_on, "31/02/2027")
    qtbot.keyClick(dialog.due_on.line, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.problem.text() == "Due date: There is no 31 February."
    assert plan.list_actions(window._db) == []

    _retype(qtbot, dialog.due_on, "28 Feb 2027")
    qtbot.keyClick(dialog.due_on.line, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    (added,) = plan.list_actions(window._db)
    assert (added.title, added.due_on) == ("Quiet room reviewed", dt.date(2027, 2, 28))


def test_a_date_typed_another_way_is_shown_day_first_once_typed(qtbot) -> None:
    field = DateField(required=False)
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    qtbot.keyClicks(field.line, "1.2.2027")
    field.line.editingFinished.emit()
    assert field.line.text() == "01/02/2027"
    assert field.day() == dt.date(2027, 2, 1)


def test_a_required_date_left_empty_is_refused_in_plain_words(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    action = _open_first_action(qtbot, window)
    qtbot.mouseClick(window.plan_page.editor.note_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NoteDialog)
    back_to(qtbot, dialog)
    assert dialog.on.line.text() == dt.date.today().strftime("%d/%m/%Y")
    qtbot.keyClicks(dialog.text, "Checked with the team")
    _retype(qtbot, dialog.on, "")
    assert dialog.on.message.text() == "Type the date as day/month/year, for example 31/12/2026."
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.problem.text() == (
        "Date: Type the date as day/month/year, for example 31/12/2026."
    )
    assert len(plan.get_action(window._db, action.id).notes) == len(action.notes)


@pytest.mark.qt_log_ignore(GRAB)
def test_an_empty_date_opens_its_calendar_at_today_and_enter_picks_a_day(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    window = open_window(_with_a_service(data_dir))
    due = _new_action_dialog(qtbot, window).due_on
    due.setFocus()
    qtbot.keyClick(due.line, Qt.Key.Key_Down, ALT)
    popup = due.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.selectedDate() == QDate.currentDate()
    assert popup.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday

    # The arrow keys move through the month; Enter takes the day and closes the calendar.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert not popup.isVisible()
    assert due.day() == tomorrow
    assert due.line.text() == tomorrow.strftime("%d/%m/%Y")

    # F4 opens it again at the field's date; Escape leaves the date as it was.
    qtbot.keyClick(due.line, Qt.Key.Key_F4)
    assert popup.isVisible()
    assert popup.calendar.selectedDate() == QDate(tomorrow.year, tomorrow.month, tomorrow.day)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert due.day() == tomorrow


@pytest.mark.qt_log_ignore(GRAB)
def test_the_calendar_button_is_named_and_next_with_tab(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    window = open_window(_with_a_service(data_dir))
    dialog = _new_action_dialog(qtbot, window)
    due = dialog.due_on
    dialog.owner_role.setFocus()
    qtbot.keyClick(dialog.owner_role, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is due.line
    qtbot.keyClicks(due.line, "31/12/2026")
    qtbot.keyClick(due.line, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is due.calendar_button
    qtbot.keyClick(due.calendar_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is due.line
    qtbot.keyClick(due.line, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.owner_role
    qtbot.keyClick(dialog.owner_role, Qt.Key.Key_Tab)
    qtbot.keyClick(due.line, Qt.Key.Key_Tab)
    assert due.line.accessibleName() == "Due date"
    assert due.calendar_button.accessibleName() == "Calendar for due date"
    qtbot.keyClick(due.calendar_button, Qt.Key.Key_Space)
    assert due.popup is not None and due.popup.isVisible()
    assert due.popup.calendar.selectedDate() == QDate(2026, 12, 31)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)


@pytest.mark.parametrize("percent", [100, 200])
def test_date_fields_and_their_messages_fit_and_are_named_at_normal_and_double_text(
    qtbot, percent: int
) -> None:
    inspector = Inspector(percent)
    with text_size(percent):
        dialog = FormDialog("Dates", "&Save")
        qtbot.addWidget(dialog)
        start, end = date_edit(NEW_YEARS_EVE, dialog), optional_date_edit(dialog)
        start.setAccessibleName("From")
        end.setAccessibleName("To")
        dialog.form.addRow("&From:", start)
        dialog.form.addRow("&To:", end)
        dialog.finish_layout(width=400)
        dialog.show()
        qtbot.waitExposed(dialog)
        before = dialog.height()
        _retype(qtbot, end, "29/02/2027")
        assert end.message.text() == "There is no 29 February in 2027: it is not a leap year."
        # The dialog grew to show the message whole.
        assert dialog.height() > before
        inspector.take(dialog, "a dialog of dates, one wrong")
    assert inspector.screens == [f"a dialog of dates, one wrong at {percent} %"]
    assert not inspector.problems, "\n".join(inspector.problems)
