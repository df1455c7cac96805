"""Seeing a report's real pages first, and long reports that can be stopped."""

from __future__ import annotations

import time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from rrn_desktop.base.saving import save_atomically
from rrn_desktop.gui.report_preview import ReportPreview
from rrn_desktop.gui.report_runner import run_with_progress
from tests.gui.conftest import select_service


def test_the_preview_shows_every_page_and_saves_the_same_pdf(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House")
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    assert window.preview_action.isEnabled()
    window.preview_action.trigger()
    preview = window.findChild(ReportPreview)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.rendered() == preview.page_count, timeout=20000)
    assert preview.page_count > 3
    assert all(not label.pixmap().isNull() for label in preview.pages)

    answers.save_path = tmp_path / "register.pdf"
    preview.pdf_button.click()
    reader = PdfReader(answers.save_path)
    assert len(reader.pages) == preview.page_count
    assert "Blanket restrictions" in reader.pages[0].extract_text()
    preview.close()


def test_cancel_stops_a_long_report_and_nothing_is_written(
    qtbot, open_window, answers, data_dir: Path, tmp_path: Path
) -> None:
    window = open_window(data_dir)
    out = tmp_path / "never.pdf"
    reached: list[int] = []

    def slow_report(progress) -> Path:
        for step in range(200):
            progress(step / 200)
            reached.append(step)
            time.sleep(0.01)
        return save_atomically(b"%PDF-", out)

    def press_cancel() -> None:
        bar = window.findChild(QProgressDialog)
        assert bar is not None and bar.isVisible()
        bar.findChild(QPushButton).click()

    QTimer.singleShot(600, press_cancel)
    assert run_with_progress(window, "Writing…", slow_report) is None
    assert len(reached) < 200  # stopped part way: the next progress call after Cancel raised
    assert not out.exists()
    assert not answers.errors


def test_inspection_pack_and_spreadsheet_from_the_reports_menu(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    import openpyxl

    from rrn_desktop.gui.report_actions import PackDialog, SpreadsheetDialog

    window = open_window(demo_dir)
    window.pack_action.trigger()
    dialog = window.findChild(PackDialog)
    dialog.scope.setCurrentIndex(dialog.scope.findText("Willow House care home (demo)"))
    dialog.ok_button.click()
    preview = window.findChild(ReportPreview)
    assert preview is not None and preview.page_count > 10
    answers.save_path = tmp_path / "pack.pdf"
    preview.pdf_button.click()
    text = " ".join(page.extract_text() for page in PdfReader(answers.save_path).pages[:3])
    assert "Inspection pack" in text and "Contents" in text
    assert "Kestrel Lodge" not in text
    preview.close()

    window.spreadsheet_action.trigger()
    dialog = window.findChild(SpreadsheetDialog)
    answers.save_path = tmp_path / "all"  # the .xlsx is added
    dialog.ok_button.click()
    workbook = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    sheets = set(workbook.sheetnames)
    workbook.close()  # a read-only workbook keeps its file open until closed
    assert {"Benchmark items", "Restrictions", "Actions", "Incidents"} <= sheets
    assert not answers.errors
