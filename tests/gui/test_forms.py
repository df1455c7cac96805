"""Forms as Windows users expect them: typing starts in the first field, and closing a form
with something typed in it asks before throwing it away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from rrn_desktop.core import incidents
from rrn_desktop.core.services import list_services
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.incident_dialogs import ReviewDialog
from rrn_desktop.gui.service_dialogs import NewServiceDialog
from tests.gui.conftest import select_service

LESSON = "Staff noticed the noise build-up too late; a quieter room at lunch would help."


def opened_dialog(kind: type[QDialog]) -> QDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def test_a_new_service_name_is_typed_straight_away(
    qtbot, window_on, answers, data_dir: Path
) -> None:
    window, db = window_on(data_dir)
    window.add_service_action.trigger()
    dialog = opened_dialog(NewServiceDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)

    # No click first: the keys go where the typing starts, and Space presses nothing.
    qtbot.keyClicks(QApplication.focusWidget(), "Ash Tree House")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [s.name for s in list_services(db)] == ["Ash Tree House"]


def test_esc_on_a_learning_review_asks_and_keep_editing_keeps_the_text(
    qtbot, window_on, answers, demo_dir: Path
) -> None:
    window, db = window_on(demo_dir)
    select_service(window, "Willow House")
    page = window.service_page
    page.tabs.setCurrentWidget(page.incidents)
    view = page.incidents.view
    service = next(s for s in list_services(db) if s.name.startswith("Willow House"))
    unreviewed = next(i for i in incidents.list_incidents(db, service.id) if i.review is None)
    page.incidents.select(unreviewed.id)
    view.tabs.setCurrentIndex(2)
    view.review_button.click()
    dialog = opened_dialog(ReviewDialog)
    # The keyboard is in the form's first field (the day it was held), not on a button.
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    assert dialog.fields.isAncestorOf(QApplication.focusWidget())
    box = next(iter(dialog.texts.values()))
    box.setFocus()
    qtbot.keyClicks(box, LESSON)

    answers.discard = False  # "Keep editing"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert answers.questions == ["Discard your changes?"]
    assert dialog.isVisible()
    assert box.toPlainText() == LESSON

    answers.discard = True  # now "Discard"
    dialog.close()  # the close box asks too
    assert answers.questions == ["Discard your changes?"] * 2
    assert not dialog.isVisible()
    assert incidents.get_incident(db, unreviewed.id).review is None


def test_an_untouched_form_closes_without_a_question(qtbot, answers) -> None:
    dialog = NewServiceDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert answers.questions == []
    assert isinstance(dialog, FormDialog)
