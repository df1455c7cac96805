"""A training lead's whole journey, driven through the real widgets with keyboard and mouse."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog, SignOffDialog
from rrn_desktop.gui.service_dialogs import NewServiceDialog
from tests.gui.conftest import type_text

SERVICE = "Tŷ Gwyn training team"
NOTES = "Checked <b>rotas</b> & TNA; Gŵyl review 🌼"
# The embedded font has no emoji, so the PDF shows a placeholder box for the flower.
NOTES_AS_PRINTED = "Checked <b>rotas</b> & TNA; Gŵyl review"


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def back_to(qtbot, window) -> None:
    """Activate a window as a desktop would when it opens or a dialog on top closes.

    Offscreen Qt moves activation itself only for the first window.
    """
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _rating_cells(window) -> list[str]:
    page = window.benchmark_page
    model = page.model
    first_section = model.index(0, 0)
    return [model.index(row, 1, first_section).data() for row in range(4)]


def test_from_empty_folder_to_printed_report_and_back(
    qtbot, open_window, answers, data_dir: Path, tmp_path: Path
) -> None:
    window = open_window(data_dir)
    assert window.pages.currentWidget() is window.welcome

    # Add a service with the button under the (empty) list of services.
    qtbot.mouseClick(window.add_service_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewServiceDialog)
    type_text(dialog.name, SERVICE)
    dialog.sector.setFocus()
    qtbot.keyClick(dialog.sector, Qt.Key.Key_End)  # the last sector: Health
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.service_page
    assert window.service_page.title.text() == SERVICE
    assert window.service_page.sector.text() == "Sector: Health"

    # Start a benchmark with Ctrl+N and name who took part.
    back_to(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(NewBenchmarkDialog)
    back_to(qtbot, dialog)
    people = dialog.people
    people.name.setFocus()
    qtbot.keyClicks(people.name, "Ffion Sample")
    qtbot.keyClick(people.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Training lead")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # adds her to the list
    type_text(people.name, "Expert by experience")
    qtbot.keyClick(people.lived_experience, Qt.Key.Key_Space)
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    assert [people.listing.item(i).text() for i in range(people.listing.count())] == [
        "Ffion Sample, Training lead",
        "Expert by experience (lived experience)",
    ]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)
    page = window.benchmark_page
    assert window.pages.currentWidget() is page
    assert page.progress.text() == "0 of 65 items rated"
    assert "your baseline" in page.status.text()

    # Rate the first four items with the number keys; each moves on to the next item.
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4):
        qtbot.keyClick(page.tree, key)
    assert _rating_cells(window) == ["Met", "Partly met", "Not met", "Not applicable"]
    assert page.progress.text() == "4 of 65 items rated"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _rating_cells(window)[3] == "Not yet rated"
    assert page.progress.text() == "3 of 65 items rated"

    # Notes, evidence and an action for item 1.1.1, all typed.
    page.select_code("1.1.1")
    editor = page.editor
    editor.notes.setFocus()
    type_text(editor.notes, NOTES)
    evidence = tmp_path / "TNA summary & <draft>.txt"
    evidence.write_text("evidence", encoding="utf-8")
    answers.open_path = evidence
    qtbot.mouseClick(editor.attach_button, Qt.MouseButton.LeftButton)  # focus moves: notes saved
    assert [editor.files.item(i).text() for i in range(editor.files.count())] == [evidence.name]
    editor.needs_action.setFocus()
    qtbot.keyClick(editor.needs_action, Qt.Key.Key_Space)
    qtbot.keyClicks(editor.action_text, "Add two years of incident data")
    qtbot.keyClicks(editor.action_owner, "Training lead")
    evidence.unlink()  # the record must not depend on the original file

    # Sign off with 62 items still unrated (asked about, and agreed): the benchmark locks.
    window.sign_off_action.trigger()
    dialog = window.findChild(SignOffDialog)
    back_to(qtbot, dialog)
    assert dialog.unrated.text() == "62 of 65 items have no rating yet."
    qtbot.keyClicks(dialog.name, "Ffion Sample")
    qtbot.keyClicks(dialog.role, "Training lead")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert answers.questions[-1] == "Sign off an unfinished benchmark?"
    assert "Signed off by Ffion Sample (Training lead)" in page.status.text()
    assert not window.sign_off_action.isEnabled() and window.reopen_action.isEnabled()
    assert editor.notes.isReadOnly()
    back_to(qtbot, window)
    qtbot.keyClick(page.tree, Qt.Key.Key_3)  # 1.1.1 is Met: try to make it Not met
    assert answers.errors[-1].startswith("This benchmark is signed off")
    assert page.model.index(0, 1, page.model.index(0, 0)).data() == "Met"

    # Save as PDF, and print through the (replaced) print dialog.
    answers.save_path = tmp_path / "benchmark report.pdf"
    qtbot.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    text = _pdf_text(answers.save_path)
    assert SERVICE in text and NOTES_AS_PRINTED in text and "Ffion Sample" in text
    assert evidence.name in text
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    answers.printer = printer
    back_to(qtbot, window)  # a progress bar may have shown while the PDF was written
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == len(PdfReader(answers.save_path).pages)
    assert answers.errors == ["This benchmark is signed off. Reopen it to change ratings."]

    # Close the app, open it again: everything is as it was left.
    window.close()
    window._db.close()
    window = open_window(data_dir)
    assert window.pages.currentWidget() is window.overview  # the start screen
    assert window.overview.table.item(0, 0).text() == SERVICE
    window.services.setFocus()
    qtbot.keyClick(window.services, Qt.Key.Key_Down)  # the plan
    qtbot.keyClick(window.services, Qt.Key.Key_Down)
    assert window.service_page.title.text() == SERVICE
    window.service_page.table.setFocus()
    qtbot.keyClick(window.service_page.table, Qt.Key.Key_Return)
    page = window.benchmark_page
    assert page.progress.text() == "3 of 65 items rated"
    assert _rating_cells(window) == ["Met", "Partly met", "Not met", "Not yet rated"]
    page.select_code("1.1.1")
    editor = page.editor
    assert editor.notes.toPlainText() == NOTES
    assert editor.files.item(0).text() == evidence.name
    assert Path(editor.files.item(0).toolTip()).read_text(encoding="utf-8") == "evidence"
    assert editor.needs_action.isChecked()
    assert editor.action_text.text() == "Add two years of incident data"
    assert editor.action_owner.text() == "Training lead"
    assert "Signed off by Ffion Sample" in page.status.text()
