"""A report is declared once: one entry in the reports catalogue puts it on the command line and in
the Reports menu, and the inspection pack's parts follow the catalogue's order."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from rrn_desktop.cli import main
from rrn_desktop.core.services import list_services
from rrn_desktop.gui.report_preview import ReportPreview
from rrn_desktop.reports import catalogue
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.catalogue import ReportKind, ReportRequest, Subject
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.reports.pack_report import OTHER_PART_TITLE, PART_TITLES, write_pack_report
from rrn_desktop.storage.database import Database, open_database
from tests.gui.conftest import select_service

EXTRA = ReportKind(
    key="visits",
    module=__name__,  # this file's write_report
    help="a report only this test has",
    file_name="Visits",
    subject=Subject.SERVICE,
    menu="&Visits report…",
)


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: catalogue.Progress | None
) -> ReportResult:
    """The added report: which service it is of, in words, so the test can tell."""
    names = {s.id: s.name for s in list_services(db)}
    of = names[request.service_id] if request.service_id is not None else "every service"
    job = ReportJob(out, progress)
    return job.finish(
        [hs.para(f"Visits report of {of}")],
        title="Visits",
        header="Visits",
        footer_note="",
        author="test",
        subject="Visits",
    )


@pytest.fixture
def with_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "REPORTS", (*catalogue.REPORTS, EXTRA))


def _text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_one_entry_adds_a_report_to_the_command_line_and_the_menu(
    with_extra: None, qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "visits.pdf"
    argv = [
        "--data-dir",
        str(demo_dir),
        "report",
        "visits",
        "--service",
        "Willow House care home (demo)",
    ]
    assert main([*argv, "--out", str(out)]) == 0
    assert "Visits report of Willow House care home (demo)" in _text(out)

    window = open_window(demo_dir)
    [action] = [a for a in window.report_menu.actions() if a.text() == EXTRA.menu]
    select_service(window, "Kestrel Lodge")
    action.trigger()
    preview = window.findChild(ReportPreview)
    assert preview is not None
    answers.save_path = tmp_path / "from the menu.pdf"
    preview.pdf_button.click()
    assert "Visits report of Kestrel Lodge" in _text(answers.save_path)
    preview.close()


def test_the_pack_s_parts_follow_the_catalogue(tmp_path: Path, demo_dir: Path) -> None:
    parts = catalogue.pack_parts()
    assert [t.split(": ", 1)[1] for t in PART_TITLES] == [k.pack_part for k in parts]
    assert f"Part {len(parts) + 1}: {catalogue.OTHER_SELF_ASSESSMENTS}" == OTHER_PART_TITLE
    with open_database(demo_dir) as db:
        write_pack_report(db, tmp_path / "pack.pdf")
    text = _text(tmp_path / "pack.pdf")
    starts = [text.rindex(title) for title in PART_TITLES]
    assert starts == sorted(starts)
