"""The inspection pack and the editable copies, as a manager makes them from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from tests.cli.test_cli import run
from tests.conftest import copy_template


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pack")
    data = copy_template(demo_template, folder / "D")  # the demo, without making it again
    files = {"pdf": folder / "p.pdf", "docx": folder / "p.docx", "xlsx": folder / "p.xlsx"}
    for kind in ("pdf", "docx"):
        done = run("--data-dir", str(data), "report", "pack", "--out", str(files[kind]))
        assert done.returncode == 0, done.stderr
    done = run("--data-dir", str(data), "export", "xlsx", "--out", str(files["xlsx"]))
    assert done.returncode == 0, done.stderr
    files["data"] = data
    return files


def _pdf_pages(path: Path) -> list[str]:
    return [_squash(page.extract_text()) for page in PdfReader(path).pages]


def _word_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return _squash(" ".join(parts))


def _column(path: Path, sheet: str, header: str) -> list[object]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()  # a read-only workbook keeps its file open until closed
    index = list(rows[0]).index(header)
    return [row[index] for row in rows[1:]]


def test_the_contents_page_numbers_match_where_sections_start(made: dict[str, Path]) -> None:
    pages = _pdf_pages(made["pdf"])
    contents = next(i for i, text in enumerate(pages) if text.startswith("Contents"))
    entries = re.findall(r"([A-Z][^.\d]{3,80}?)\s*\.{2,}\s*(\d+)", pages[contents])
    if not entries:  # contents without leader dots: 'Title 12'
        entries = re.findall(r"([A-Z][A-Za-z ,'()&-]{3,80}?) (\d+)(?= |$)", pages[contents])
    assert len(entries) >= 5
    for title, number in entries:
        page = pages[int(number) - 1]
        assert _squash(title) in page, f"{title!r} is not on page {number}"


def test_word_and_spreadsheet_hold_what_the_pdf_holds(made: dict[str, Path]) -> None:
    pdf = " ".join(_pdf_pages(made["pdf"]))
    word = _word_text(made["docx"])
    restrictions = _column(made["xlsx"], "Restrictions", "Restriction")
    actions = _column(made["xlsx"], "Actions", "Action")
    assert restrictions and actions
    for title in restrictions:
        assert _squash(str(title)) in pdf and _squash(str(title)) in word
    open_actions = [
        title
        for title, status in zip(actions, _column(made["xlsx"], "Actions", "Status"), strict=True)
        if status in ("Planned", "In progress")
    ]
    for title in open_actions:
        assert _squash(str(title))[:60] in pdf and _squash(str(title))[:60] in word
    latest = [
        code
        for code, is_latest in zip(
            _column(made["xlsx"], "Benchmark items", "Item code"),
            _column(made["xlsx"], "Benchmark items", "Latest"),
            strict=True,
        )
        if is_latest == "Yes"
    ]
    assert "1.1.1" in latest
    assert "1.1.1" in pdf and "1.1.1" in word
    incidents = _column(made["xlsx"], "Incidents", "Types of restraint")
    assert incidents and "INC-" not in pdf and "INC-" not in word


def test_the_appendix_is_added_only_when_asked_for(made: dict[str, Path]) -> None:
    out = made["data"].parent / "in-full.pdf"
    done = run("--data-dir", str(made["data"]), "report", "pack", "--appendix", "--out", str(out))
    assert done.returncode == 0, done.stderr
    in_full, short = _pdf_pages(out), _pdf_pages(made["pdf"])
    assert any(page.startswith("Appendix: every record in full") for page in in_full)
    assert not any("Appendix: every record in full" in page for page in short)
    assert len(in_full) > len(short)
    assert "--appendix" in run("report", "pack", "--help").stdout
