"""The main window around the benchmark: demo data, the organisation's name, comparing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from rrn_desktop.core.services import organisation_name
from rrn_desktop.demo.organisation import DEMO_ORGANISATION
from rrn_desktop.gui.compare_dialog import CompareDialog
from tests.gui.conftest import select_service


@pytest.mark.slow  # loads the whole demo through the window: about 8 s
def test_demo_data_is_one_click_from_the_welcome_page(qtbot, open_window, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    names = [window.services.item(row).text() for row in range(window.services.count())]
    assert "Willow House care home (demo) (1 review overdue)" in names
    assert window.organisation.text() == DEMO_ORGANISATION
    assert not window.demo_action.isEnabled()


def test_renaming_the_organisation(qtbot, open_window, answers, data_dir: Path) -> None:
    window = open_window(data_dir)
    answers.text = "Cartref Ŵyn & <Partners>"
    window.rename_action.trigger()
    assert window.organisation.text() == "Cartref Ŵyn & <Partners>"
    answers.text = "   "
    window.rename_action.trigger()
    assert answers.errors == ["The name cannot be left empty."]
    assert organisation_name(window._db) == "Cartref Ŵyn & <Partners>"


def test_comparing_the_two_latest_benchmarks(qtbot, open_window, demo_dir: Path) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House care home (demo)")
    qtbot.mouseClick(window.service_page.compare_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(CompareDialog)
    assert dialog.later.currentText() == "10 Nov 2026 · Self-audit"
    assert dialog.earlier.currentText() == "18 Nov 2025 · Self-audit"
    first_section = [dialog.sections.item(0, column).text() for column in range(4)]
    assert first_section == ["1. Before training is delivered", "39%", "75%", "+36 points"]
    all_items = dialog.items.rowCount()
    dialog.only_changed.setChecked(True)
    assert 0 < dialog.items.rowCount() < all_items
    rows = range(dialog.items.rowCount())
    assert {dialog.items.item(row, 3).text() for row in rows} == {"Changed"}


def test_reopening_a_signed_off_benchmark_is_deliberate_and_recorded(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from rrn_desktop.gui.benchmark_dialogs import ReopenDialog

    window = open_window(demo_dir)
    select_service(window, "Willow House care home (demo)")
    window.service_page.table.setFocus()
    qtbot.keyClick(window.service_page.table, Qt.Key.Key_Return)
    assert window.reopen_action.isEnabled() and not window.sign_off_action.isEnabled()
    window.reopen_action.trigger()
    dialog = window.findChild(ReopenDialog)
    qtbot.keyClicks(dialog.name, "Morgan Example")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "The reason cannot be left empty."
    qtbot.keyClicks(dialog.role, "Registered manager")
    qtbot.keyClicks(dialog.reason, "Inspector asked for the new TNA to be attached")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    page = window.benchmark_page
    assert page.status.text().startswith("Reopened for changes")
    assert not page.editor.notes.isReadOnly()
    assert window.sign_off_action.isEnabled()

    answers.save_path = tmp_path / "reopened.pdf"
    window.save_pdf_action.trigger()
    text = " ".join(p.extract_text() for p in PdfReader(answers.save_path).pages)
    assert "Inspector asked for the new TNA to be attached" in " ".join(text.split())


def test_ctrl_f_goes_to_the_filter_of_the_list_on_screen(qtbot, open_window, demo_dir) -> None:
    window = open_window(demo_dir)
    willow = next(s.id for s in window._services if s.name.startswith("Willow House"))
    window.show_service(willow)
    window.service_page.tabs.setCurrentWidget(window.service_page.restrictions)
    window.find_action.trigger()
    assert window.focusWidget() is window.service_page.restrictions.filter

    window.show_plan()
    window.find_action.trigger()
    assert window.plan_page.tabs.currentWidget() is window.plan_page.all_actions_tab
    assert window.focusWidget() is window.plan_page.owner_filter
    assert window.find_action.shortcut().toString() == "Ctrl+F"


def test_ctrl_n_makes_a_new_one_of_whatever_the_screen_lists(
    qtbot, open_window, demo_dir: Path
) -> None:
    from PySide6.QtWidgets import QApplication, QDialog

    from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog
    from rrn_desktop.gui.incident_dialogs import IncidentDialog
    from rrn_desktop.gui.plan_dialogs import NewActionDialog
    from rrn_desktop.gui.restriction_dialogs import AddRestrictionDialog
    from rrn_desktop.gui.service_dialogs import NewServiceDialog

    window = open_window(demo_dir)
    page = window.service_page
    screens = [
        ("overview", lambda: window.services.setCurrentRow(0)),
        ("plan", window.show_plan),
        ("benchmarks", lambda: select_service(window, "Willow House care home (demo)")),
        ("register", lambda: page.tabs.setCurrentWidget(page.restrictions)),
        ("incidents", lambda: page.tabs.setCurrentWidget(page.incidents)),
    ]
    made = []
    for name, show in screens:
        show()
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        [dialog] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
        ]
        made.append((name, window.new_action.text(), type(dialog)))
        dialog.reject()
    assert made == [
        ("overview", "&New service…", NewServiceDialog),
        ("plan", "&New action…", NewActionDialog),
        ("benchmarks", "&New benchmark…", NewBenchmarkDialog),
        ("register", "&New register entry…", AddRestrictionDialog),
        ("incidents", "&New incident record…", IncidentDialog),
    ]
