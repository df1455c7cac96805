"""Finding things without knowing where they live: every report by name from the Reports menu,
"Needs attention" lines that say which service and open what they are about, and an action's
fields brought into view when an item is ticked as needing action."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from rrn_desktop.core import benchmarks, incidents
from rrn_desktop.core.services import WHOLE_ORGANISATION, list_services
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.report_choosers import ReportChooser
from rrn_desktop.gui.report_preview import ReportPreview
from tests.gui.conftest import select_service

KESTREL = "Kestrel Lodge children's home (demo)"


def _report_entry(window: MainWindow, text: str) -> QAction:
    """An entry of the Reports menu, by the words the user reads."""
    entries = {action.text().replace("&", ""): action for action in window.report_menu.actions()}
    return entries[text]


def _chooser(window: MainWindow) -> ReportChooser:
    chooser = window.findChild(ReportChooser)
    assert chooser is not None and chooser.isVisible()
    return chooser


def _saved_text(preview: ReportPreview, answers, path: Path) -> str:
    """The text of the previewed report, saved as the user would from the preview."""
    answers.save_path = path
    preview.pdf_button.click()
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_register_of_a_chosen_service_from_the_start_screen(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)
    assert window.pages.currentWidget() is window.overview
    entries = [a.text() for a in window.report_menu.actions() if not a.isSeparator()]
    letters = [text[text.index("&") + 1].lower() for text in entries]
    assert len(set(letters)) == len(letters), entries

    _report_entry(window, "Blanket restrictions register…").trigger()
    chooser = _chooser(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is chooser.service)
    chooser.service.setCurrentIndex(chooser.service.findText(KESTREL))
    chooser.ok_button.click()

    preview = window.findChild(ReportPreview)
    assert preview is not None
    assert "Blanket restrictions Kestrel Lodge" in preview.windowTitle()
    text = _saved_text(preview, answers, tmp_path / "register.pdf")
    assert "Kitchen locked or off limits" in text
    assert "Locked front and exit doors" not in text  # Willow House's
    preview.close()
    assert not answers.errors


def test_a_benchmark_chosen_latest_first_and_a_service_without_one_told_so(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    _report_entry(window, "Benchmark report…").trigger()
    chooser = _chooser(window)
    chooser.service.setCurrentIndex(chooser.service.findText("Heron Ward (demo)"))
    chooser.ok_button.click()
    assert chooser.isVisible()
    assert chooser.problem.text() == "Heron Ward (demo) has no benchmarks yet."

    chooser.service.setCurrentIndex(chooser.service.findText("Willow House care home (demo)"))
    listed = [chooser.record.itemText(row) for row in range(chooser.record.count())]
    assert [text[:11] for text in listed] == ["10 Nov 2026", "18 Nov 2025", "12 Nov 2024"]
    chooser.ok_button.click()
    preview = window.findChild(ReportPreview)
    assert preview is not None
    assert "Benchmark Willow House care home (demo) 2026-11-10" in preview.windowTitle()
    preview.close()
    assert not answers.errors


def test_one_incident_chosen_newest_first_and_the_one_on_screen_offered_first(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)
    kestrel = next(s for s in list_services(window._db) if s.name == KESTREL)
    newest, *older = incidents.list_incidents(window._db, kestrel.id)  # dated back from today
    _report_entry(window, "One incident…").trigger()
    chooser = _chooser(window)
    chooser.service.setCurrentIndex(chooser.service.findText(KESTREL))
    assert chooser.record.count() == 1 + len(older)
    assert chooser.record.currentText().startswith(f"{newest.reference}, ")
    assert not chooser.include_support.isChecked()
    chooser.ok_button.click()
    preview = window.findChild(ReportPreview)
    assert preview is not None and newest.reference in preview.windowTitle()
    assert newest.reference in _saved_text(preview, answers, tmp_path / "incident.pdf")
    preview.close()

    # On a service's incidents, the incident on screen is the one offered.
    select_service(window, "Willow House")
    panel = window.service_page.incidents
    window.service_page.tabs.setCurrentWidget(panel)
    panel.table.selectRow(2)
    shown = panel.view.incident
    assert shown is not None
    _report_entry(window, "One incident…").trigger()
    chooser = _chooser(window)
    assert chooser.service.currentText().startswith("Willow House")
    assert chooser.record.currentText().startswith(shown.reference)
    chooser.service.setCurrentIndex(chooser.service.findText(KESTREL))
    chooser.reject()  # only a choice: nothing to ask about before closing
    assert not chooser.isVisible() and not answers.questions
    assert not answers.errors


def test_each_line_needing_attention_names_its_service_and_opens_what_it_is_about(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    attention = window.overview.attention
    names = [service.name for service in list_services(window._db)] + [WHOLE_ORGANISATION]
    texts = [attention.item(row).text() for row in range(attention.count())]
    assert len(texts) > 5
    assert all(any(text.startswith(f"{name}: ") for name in names) for text in texts), texts

    row = next(row for row, text in enumerate(texts) if "action '" in text)
    attention.setFocus()
    attention.setCurrentRow(row)
    qtbot.keyClick(attention, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.plan_page
    title = window.plan_page.editor.title.text()
    assert title and f"action '{title}' OVERDUE" in texts[row]

    # An overdue review opens the service's register at that entry.
    window.services.setCurrentRow(0)
    row = next(row for row, text in enumerate(texts) if "review of '" in text)
    attention.setFocus()
    attention.setCurrentRow(row)
    qtbot.keyClick(attention, Qt.Key.Key_Return)
    assert window.service_page.on_restrictions_tab()
    entry = window.service_page.restrictions.editor.title.text()
    assert entry and texts[row].startswith(f"{window.service_page.service.name}: ")
    assert f"review of '{entry}' OVERDUE" in texts[row]


def _scroll_areas(widget: QWidget) -> list[QScrollArea]:
    """The scroll areas the widget sits in, the innermost first."""
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            found.append(parent)
        parent = parent.parentWidget()
    return found


def _in_view(widget: QWidget) -> bool:
    """True if every scroll area the widget sits in shows all of it."""
    for area in _scroll_areas(widget):
        viewport = area.viewport()
        if not viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())):
            return False
    return bool(_scroll_areas(widget))


def test_ticking_needs_action_brings_the_action_into_view_with_the_keyboard_in_it(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    window.showNormal()
    window.resize(1366, 700)
    oakfield = next(s for s in list_services(window._db) if s.name.startswith("Oakfield"))
    [benchmark] = benchmarks.list_benchmarks(window._db, oakfield.id)
    window.open_benchmark(benchmark.id)
    editor = window.benchmark_page.editor
    code = window.benchmark_page.current_code()
    assert not benchmark.response(code).needs_action
    for _ in range(3):
        QApplication.processEvents()
    # The user scrolls down just far enough to see the tick box.
    for area in _scroll_areas(editor.needs_action):
        area.ensureWidgetVisible(editor.needs_action, 0, 0)
    assert _in_view(editor.needs_action)

    editor.needs_action.setFocus()
    qtbot.keyClick(editor.needs_action, Qt.Key.Key_Space)
    for _ in range(3):
        QApplication.processEvents()  # as the user sees it: laid out and drawn

    assert QApplication.focusWidget() is editor.action_text
    assert editor.action_text.isVisible() and _in_view(editor.action_text)
    qtbot.keyClicks(editor.action_text, "Book refresher training")
    editor.flush()
    saved = benchmarks.get_benchmark(window._db, benchmark.id).response(code)
    assert saved.action_text == "Book refresher training"
