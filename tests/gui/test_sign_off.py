"""Signing off a benchmark: what is still unrated is shown, and signing off early is asked about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rrn_desktop.core import benchmarks, user
from rrn_desktop.core.dates import brief_date
from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog, SignOffDialog
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service
from tests.gui.test_benchmark_journey import back_to

QUESTION = "Sign off an unfinished benchmark?"


def _open_sign_off(qtbot, window) -> SignOffDialog:
    back_to(qtbot, window)
    window.sign_off_action.trigger()
    dialog = window.findChild(SignOffDialog)
    back_to(qtbot, dialog)
    return dialog


def test_signing_off_with_items_unrated_is_asked_about_and_dated_today(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Heron Ward (demo)")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(window.findChild(NewBenchmarkDialog).ok_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)
    page = window.benchmark_page
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_4):
        qtbot.keyClick(page.tree, key)
    benchmark_id = page.benchmark.id

    dialog = _open_sign_off(qtbot, window)
    assert dialog.unrated.text() == "62 of 65 items have no rating yet."
    assert QApplication.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Rhian Sample")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Ward manager")

    # Not yet: the dialog stays open with everything typed, and nothing is signed off.
    answers.confirm = False
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert answers.questions == [QUESTION]
    assert dialog.isVisible()
    assert (dialog.name.text(), dialog.role.text()) == ("Rhian Sample", "Ward manager")
    assert not page.status.text().startswith("Signed off")

    answers.confirm = True
    qtbot.keyClick(dialog.role, Qt.Key.Key_Return)
    assert answers.questions == [QUESTION, QUESTION]
    assert not dialog.isVisible()
    today = dt.date.today()
    assert page.status.text().startswith(
        f"Signed off by Rhian Sample (Ward manager) on {brief_date(today)}"
    )

    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        signed = benchmarks.get_benchmark(db, benchmark_id)
    assert (signed.signed_off_by, signed.signed_off_on) == ("Rhian Sample", today)


def test_a_fully_rated_benchmark_is_signed_off_without_a_question_under_your_name(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    with open_database(demo_dir) as db:
        user.set_user_name(db, "Casey Specimen")
    window = open_window(demo_dir)
    select_service(window, "Oakfield Academy (demo)")
    window.service_page.table.setFocus()
    qtbot.keyClick(window.service_page.table, Qt.Key.Key_Return)  # the peer review in progress
    benchmark_id = window.benchmark_page.benchmark.id

    dialog = _open_sign_off(qtbot, window)
    assert dialog.unrated.text() == "All 65 items are rated."
    assert QApplication.focusWidget() is dialog.name
    assert dialog.name.text() == "Casey Specimen"
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Deputy head teacher")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert answers.questions == []
    assert not dialog.isVisible()

    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        signed = benchmarks.get_benchmark(db, benchmark_id)
    assert (signed.signed_off_by, signed.signed_off_role) == (
        "Casey Specimen",
        "Deputy head teacher",
    )
