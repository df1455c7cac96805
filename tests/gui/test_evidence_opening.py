"""Opening evidence from the window: a document opens; a program dressed as one is never handed
to the operating system, only saved elsewhere if the person asks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from rrn_desktop.base.data_folder import EVIDENCE_DIR
from rrn_desktop.base.vocabulary import Strategy
from rrn_desktop.core import plan
from rrn_desktop.core.bundle import apply_import, plan_import, read_bundle
from rrn_desktop.gui import evidence_opening
from rrn_desktop.gui.item_editor import ItemEditor
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.models import EvidenceFile
from tests.core.test_bundle import export_service, rewrite
from tests.core.test_bundle_hostile import HTA, PROGRAM, forged
from tests.gui.conftest import DialogAnswers

NAME = "Training plan 2025.pdf"


class Desktop:
    """What the window asked the operating system to open, and what the warning said."""

    def __init__(self) -> None:
        self.opened: list[Path] = []
        self.warnings: list[str] = []
        self.save_a_copy = False


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> Desktop:
    given = Desktop()

    def open_url(url: QUrl) -> bool:
        given.opened.append(Path(url.toLocalFile()))
        return True

    def warn(_parent: object, warning: str) -> bool:
        given.warnings.append(warning)
        return given.save_a_copy

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    monkeypatch.setattr(evidence_opening, "ask_to_save_unsafe_file", warn)
    return given


@pytest.fixture
def hostile_data(tmp_path: Path, demo_template: Path, data_dir: Path) -> tuple[Path, int]:
    """Data holding Willow House from a bundle whose first evidence file is an HTML application
    listed as 'Training plan 2025.pdf'; and the benchmark that holds it."""
    home = shutil.copytree(demo_template, tmp_path / "other-laptop")
    willow = export_service(home, tmp_path / "willow.rrnbundle")
    bad = rewrite(willow, tmp_path / "bad.rrnbundle", forged(evidence=(".hta", HTA)))
    with open_database(data_dir) as db:
        apply_import(db, plan_import(db, read_bundle(bad)))
        with db.transaction() as session:
            evidence = session.scalars(
                select(EvidenceFile).where(EvidenceFile.original_name == NAME)
            ).one()
            return data_dir, evidence.response.benchmark_id


def _open(editor: ItemEditor, name: str) -> None:
    [entry] = [
        editor.files.item(row)
        for row in range(editor.files.count())
        if editor.files.item(row).text() == name
    ]
    editor.files.setCurrentItem(entry)
    editor.open_button.click()


def _benchmark_editor(window: MainWindow, benchmark_id: int) -> ItemEditor:
    window.open_benchmark(benchmark_id)
    return window.benchmark_page.editor


def test_a_bundles_html_application_is_not_opened_and_cancel_changes_nothing(
    open_window, answers: DialogAnswers, desktop: Desktop, hostile_data: tuple[Path, int]
) -> None:
    data, benchmark_id = hostile_data
    before = sorted(p.name for p in (data / EVIDENCE_DIR).iterdir())
    editor = _benchmark_editor(open_window(data), benchmark_id)
    _open(editor, NAME)
    assert desktop.warnings == [
        f"The file '{NAME}' is really an HTML application, not a document or picture. "
        "Opening it could run it."
    ]
    assert desktop.opened == []
    assert sorted(p.name for p in (data / EVIDENCE_DIR).iterdir()) == before
    assert not any(name.endswith(".hta") for name in before)
    assert not answers.errors


def test_save_a_copy_writes_the_files_bytes_where_chosen_and_opens_nothing(
    open_window,
    answers: DialogAnswers,
    desktop: Desktop,
    hostile_data: tuple[Path, int],
    tmp_path: Path,
) -> None:
    data, benchmark_id = hostile_data
    desktop.save_a_copy = True
    answers.save_path = tmp_path / "for IT support" / NAME
    answers.save_path.parent.mkdir()
    editor = _benchmark_editor(open_window(data), benchmark_id)
    _open(editor, NAME)
    assert answers.save_path.read_bytes() == HTA
    assert desktop.opened == [] and len(desktop.warnings) == 1
    assert not answers.errors


def test_a_copy_is_never_saved_over_the_datas_own_files(
    open_window, answers: DialogAnswers, desktop: Desktop, hostile_data: tuple[Path, int]
) -> None:
    data, benchmark_id = hostile_data
    desktop.save_a_copy = True
    answers.save_path = data / "rrn-desktop.sqlite3"
    before = answers.save_path.read_bytes()
    editor = _benchmark_editor(open_window(data), benchmark_id)
    _open(editor, NAME)
    assert answers.save_path.read_bytes() == before
    [error] = answers.errors
    assert error.startswith("The copy of the evidence file was not saved:")


def test_a_document_opens_as_before(
    open_window, desktop: Desktop, hostile_data: tuple[Path, int]
) -> None:
    data, _benchmark_id = hostile_data
    with open_database(data) as db, db.transaction() as session:
        evidence = session.scalars(
            select(EvidenceFile).where(EvidenceFile.original_name != NAME)
        ).first()
        assert evidence is not None
        name, benchmark_id = evidence.original_name, evidence.response.benchmark_id
    editor = _benchmark_editor(open_window(data), benchmark_id)
    _open(editor, name)
    [opened] = desktop.opened
    assert opened.parent == data / EVIDENCE_DIR and opened.suffix == ".txt"
    assert desktop.warnings == []


def test_a_program_renamed_pdf_attached_to_an_action_is_warned_of_on_double_click(
    open_window, desktop: Desktop, data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / NAME
    source.write_bytes(PROGRAM)
    with open_database(data_dir) as db:
        action = plan.create_action(db, "Refresher", Strategy.WORKFORCE, dt.date(2026, 12, 1))
        plan.attach_action_evidence(db, action.id, source)
    window = open_window(data_dir)
    window.show_action(action.id)
    files = window.plan_page.editor.files
    files.itemDoubleClicked.emit(files.item(0))
    assert desktop.warnings == [
        f"The file '{NAME}' is really a Windows program, not a document or picture. "
        "Opening it could run it."
    ]
    assert desktop.opened == []


def test_the_warning_offers_only_a_copy_and_cancel_and_cancel_is_the_default(qtbot) -> None:
    seen: list[tuple[str, list[str]]] = []

    def answer_when_shown() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.text(), sorted(button.text() for button in box.buttons())))
            box.defaultButton().click()

    timer = QTimer()
    timer.timeout.connect(answer_when_shown)
    timer.start(20)
    try:
        chose_copy = evidence_opening.ask_to_save_unsafe_file(None, "It could run.")
    finally:
        timer.stop()
    assert chose_copy is False
    assert seen == [("It could run.", ["&Save a copy elsewhere…", "Cancel"])]
