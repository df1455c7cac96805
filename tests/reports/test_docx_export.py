"""Word copies of the reports, checked by what a reader finds when they open them in Word.

Each report is written twice from the same data, as a PDF and as a Word document, and the Word
document is compared with the PDF: the same headings, the same table rows, the same characters.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Preformatted,
    Spacer,
    Table,
)

from rrn_desktop.base import saving
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import Rating, RestraintType, Strategy
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core import plan, restrictions
from rrn_desktop.core.benchmarks import get_benchmark, list_benchmarks, update_response
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.services import ServiceInfo, list_services
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.reports.docx_export import story_to_docx
from rrn_desktop.reports.incident_report import write_incident_report
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.reports.plan_report import write_plan_report
from rrn_desktop.reports.restrictions_report import write_restrictions_report
from rrn_desktop.storage.database import Database, open_database
from tests.reports.helpers import rate_all, read_pdf

TODAY = dt.date(2026, 11, 20)
ODD = "<b>Tom & Jerry</b> &amp; <script> Dŵr ŷ Gŵyl ≥ 80% → on"

# ---------------------------------------------------------------------------------------------
# Reading a Word document the way a reader meets it
# ---------------------------------------------------------------------------------------------


def _flat(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _headings(document: WordDocument, *levels: int) -> list[str]:
    names = {f"Heading {level}" for level in levels}
    return [_flat(p.text) for p in document.paragraphs if p.style.name in names]


def _rows(document: WordDocument) -> Iterator[list[str]]:
    """Every row of every table, nested tables after their row; a merged cell once."""

    def walk(table: docx.table.Table) -> Iterator[list[str]]:
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(cell)
            yield [_flat(cell.text) for cell in cells]
            for cell in cells:
                for inner in cell.tables:
                    yield from walk(inner)

    for table in document.tables:
        yield from walk(table)


def _all_text(document: WordDocument) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [" ".join(row) for row in _rows(document)]
    return "\n".join(parts)


def _pdf_headings(path: Path) -> tuple[list[str], list[str]]:
    """The PDF's level-1 (17 pt) and level-2 (13 pt) headings, in order, read by their size."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, _cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            bold = "Bold" in str(font.get("/BaseFont", "")) if isinstance(font, dict) else False
            runs.append((round(size * tm[3], 1) if bold else 0.0, text))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    groups: list[tuple[float, str]] = []
    for size, text in runs:  # a heading wrapped onto two lines is two runs in a row
        if groups and groups[-1][0] == size:
            groups[-1] = (size, groups[-1][1] + text)
        else:
            groups.append((size, text))
    level_1 = [_flat(text) for size, text in groups if size == hs.styles().h1.fontSize]
    level_2 = [_flat(text) for size, text in groups if size == hs.styles().h2.fontSize]
    return level_1, level_2


def _assert_in_order(haystack: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        assert found >= 0, f"{needle!r} is not in the PDF (after character {at})"
        at = found + len(needle)


def _footer_fields(document: WordDocument) -> set[str]:
    fields: set[str] = set()
    for section in document.sections:
        for footer in (section.footer, section.first_page_footer):
            for code in footer._element.iter(qn("w:instrText")):
                fields.add(code.text.split()[0])
            for simple in footer._element.iter(qn("w:fldSimple")):
                fields.add(simple.get(qn("w:instr")).split()[0])
    return fields


# ---------------------------------------------------------------------------------------------
# Every report, written from the demo data as a PDF and as a Word document
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    pdf: Path
    word: Path
    result: ReportResult
    progress: list[float]

    @property
    def document(self) -> WordDocument:
        return docx.Document(str(self.word))


Writer = Callable[[Database, Path, Callable[[float], None]], ReportResult]


def _writers(db: Database) -> dict[str, Writer]:
    services = list_services(db)
    benchmark = next(b for s in services for b in list_benchmarks(db, s.id))
    incident = list_incidents(db)[0]
    return {
        "benchmark": lambda d, out, p: write_benchmark_report(d, benchmark.id, out, progress=p),
        "restrictions": lambda d, out, p: write_restrictions_report(d, out, progress=p),
        "plan": lambda d, out, p: write_plan_report(d, out, progress=p),
        "incident": lambda d, out, p: write_incident_report(
            d, incident.id, out, include_support=True, progress=p
        ),
        "incidents": lambda d, out, p: write_incidents_report(d, out, progress=p),
    }


REPORTS = ["benchmark", "restrictions", "plan", "incident", "incidents"]
GENERATED_AT = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("docx-demo")
    shutil.copytree(demo_template, folder / "data")
    with open_database(folder / "data") as database:
        yield database


@pytest.fixture(scope="module")
def pairs(demo: Database, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pair]:
    folder = tmp_path_factory.mktemp("docx-reports")
    made = {}
    for name, write in _writers(demo).items():
        write(demo, folder / f"{name}.pdf", lambda _fraction: None)
        seen: list[float] = []
        result = write(demo, folder / f"{name}.docx", seen.append)
        made[name] = Pair(folder / f"{name}.pdf", folder / f"{name}.docx", result, seen)
    return made


@pytest.mark.parametrize("name", REPORTS)
def test_word_document_opens_and_says_what_it_is(pairs: dict[str, Pair], name: str) -> None:
    pair = pairs[name]
    assert pair.result.path == pair.word and pair.result.page_count is None
    assert pair.result.summary == f"{pair.word} (Word document)"
    document = pair.document
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    pdf = PdfReader(pair.pdf).metadata
    assert document.core_properties.title == pdf.title
    assert document.core_properties.author == pdf.author
    assert document.core_properties.subject == pdf.subject
    assert document.paragraphs[-1].text == "End of report"
    # No temporary file is left beside it.
    assert not [p for p in pair.word.parent.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("name", REPORTS)
def test_headings_are_word_headings_matching_the_pdf(pairs: dict[str, Pair], name: str) -> None:
    pair = pairs[name]
    document = pair.document
    pdf_level_1, pdf_level_2 = _pdf_headings(pair.pdf)

    assert pdf_level_1, "the PDF has no level-1 headings to compare with"
    assert _headings(document, 1) == pdf_level_1
    assert _headings(document, 2) == pdf_level_2
    # Level 3 headings (and the register's categories) are in the PDF too, in the same order.
    _assert_in_order(read_pdf(pair.pdf).flat, _headings(document, 1, 2, 3))


@pytest.mark.parametrize("name", REPORTS)
def test_every_table_cell_reads_as_in_the_pdf(pairs: dict[str, Pair], name: str) -> None:
    pair = pairs[name]
    document = pair.document
    # The time each copy was generated can differ by a minute; everything else must match.
    rows = list(_rows(document))
    generated = [row for row in rows if row[0] == "Date generated"]
    cells = [cell for row in rows if row not in generated for cell in row if cell]

    assert document.tables and cells
    assert len(generated) == 1 and GENERATED_AT.match(generated[0][1])
    _assert_in_order(read_pdf(pair.pdf).flat, cells)
    for table in document.tables:
        assert table.style.name == "Table Grid"


@pytest.mark.parametrize("name", REPORTS)
def test_footer_numbers_pages_with_word_fields(pairs: dict[str, Pair], name: str) -> None:
    document = pairs[name].document
    assert {"PAGE", "NUMPAGES"} <= _footer_fields(document)
    footer = document.sections[0].footer.paragraphs[0].text
    assert "Page" in footer and "of" in footer
    # The running header is the PDF's, from the second page on.
    header = document.sections[0].header.paragraphs[0].text
    assert header and header in read_pdf(pairs[name].pdf).pages[1]
    assert document.sections[0].different_first_page_header_footer


@pytest.mark.parametrize("name", REPORTS)
def test_progress_still_runs_from_zero_to_one(pairs: dict[str, Pair], name: str) -> None:
    seen = pairs[name].progress
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert any(0.2 < fraction < 0.9 for fraction in seen)


@pytest.mark.parametrize("name", ["benchmark", "restrictions", "incidents"])
def test_charts_become_pictures(pairs: dict[str, Pair], name: str) -> None:
    assert len(pairs[name].document.inline_shapes) > 0


def test_benchmark_items_and_ratings_are_table_rows(demo: Database, pairs: dict[str, Pair]) -> None:
    pair = pairs["benchmark"]
    first = next(b for s in list_services(demo) for b in list_benchmarks(demo, s.id))
    benchmark = get_benchmark(demo, first.id)
    pack = benchmark.pack()
    labels = {option.key: option.label for option in pack.rating_scale}
    pdf = read_pdf(pair.pdf).flat
    by_code: dict[str, list[str]] = {}
    for row in _rows(pair.document):
        if len(row) == 2 and row[1] in labels.values():  # an item: code and wording, rating
            by_code[row[0].removeprefix("Standard ").split()[0]] = row
            assert " ".join(row) in pdf  # the whole row, as the PDF prints it

    assert sorted(by_code) == sorted(item.code for _section, item in pack.items())
    for code, row in by_code.items():
        assert row[1] == labels[benchmark.response(code).rating], code


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("restrictions", lambda db: [entry.title for entry in restrictions.list_restrictions(db)]),
        ("plan", lambda db: [action.title for action in plan.list_actions(db)]),
    ],
)
def test_each_record_is_a_table_headed_by_its_title(
    demo: Database, pairs: dict[str, Pair], name: str, titles: Callable[[Database], list[str]]
) -> None:
    """The register's restrictions and the plan's actions, one table each."""
    first_cells = [row[0] for row in _rows(pairs[name].document)]
    expected = titles(demo)
    assert expected
    for title in expected:
        assert any(title in cell for cell in first_cells), title


# ---------------------------------------------------------------------------------------------
# Typed text comes out as typed
# ---------------------------------------------------------------------------------------------


def test_odd_characters_come_out_as_typed(
    db: Database,
    pack: ContentPack,
    service: ServiceInfo,
    new_benchmark: Callable[..., int],
    tmp_path: Path,
) -> None:
    benchmark = new_benchmark()
    rate_all(db, benchmark, pack, [Rating.MET, Rating.NOT_MET])
    update_response(db, benchmark, "1.1.1", notes=ODD + "\nSecond line")
    restrictions.add_custom_restriction(
        db, service.id, ODD, restrictions.OTHER_CATEGORY, RestraintType.ENVIRONMENTAL, TODAY
    )
    plan.create_action(db, ODD, Strategy.LEADERSHIP, TODAY, service_id=service.id)

    for write in (
        lambda out: write_benchmark_report(db, benchmark, out),
        lambda out: write_restrictions_report(db, out, today=TODAY),
        lambda out: write_plan_report(db, out, today=TODAY),
    ):
        write(tmp_path / "report.pdf")
        write(tmp_path / "report.docx")
        text = _all_text(docx.Document(str(tmp_path / "report.docx")))
        pdf = read_pdf(tmp_path / "report.pdf").flat

        assert ODD in text and ODD in pdf
        assert "&lt;" not in text and "&amp;amp;" not in text and "<br/>" not in text


@pytest.fixture
def notes_in_word(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> Callable[[str], WordDocument]:
    """A benchmark report in Word with these notes typed against item 1.1.1."""

    def write(notes: str) -> WordDocument:
        benchmark = new_benchmark()
        update_response(db, benchmark, "1.1.1", notes=notes)
        return docx.Document(str(write_benchmark_report(db, benchmark, tmp_path / "r.docx").path))

    return write


def test_line_breaks_in_typed_text_are_word_line_breaks(
    notes_in_word: Callable[[str], WordDocument],
) -> None:
    document = notes_in_word("First line\nSecond line")
    notes = next(p for p in document.paragraphs if "First line" in p.text)
    assert "First line\nSecond line" in notes.text
    assert notes.runs[0].bold and notes.runs[0].text.startswith("Notes:")


def test_emoji_come_out_as_typed(notes_in_word: Callable[[str], WordDocument]) -> None:
    assert "Great work 👍🏽 😀" in _all_text(notes_in_word("Great work 👍🏽 😀"))


def test_characters_word_cannot_hold_do_not_break_the_document(
    notes_in_word: Callable[[str], WordDocument],
) -> None:
    text = _all_text(notes_in_word("bell \x07 tab\there 😀 zero\u200bwidth"))
    # As in the PDF, control characters are dropped; unlike it, Word keeps the emoji.
    assert "bell tab here 😀 zero\u200bwidth" in text


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


def _disk_full(_fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failure", ["missing folder", "disk full"])
def test_a_failed_save_says_what_the_pdf_would_and_leaves_no_file(
    db: Database,
    new_benchmark: Callable[..., int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    benchmark = new_benchmark()
    folder = tmp_path / ("no such folder" if failure == "missing folder" else "reports")
    if failure == "disk full":
        folder.mkdir()
        (folder / "report.docx").write_bytes(b"the old document")
        monkeypatch.setattr(saving.os, "fsync", _disk_full)
    messages = []
    for name in ("report.pdf", "report.docx"):
        with pytest.raises(UserFacingError) as raised:
            write_benchmark_report(db, benchmark, folder / name)
        messages.append(str(raised.value).replace(name, "report"))

    assert messages[0] == messages[1]
    if failure == "missing folder":
        assert "does not exist" in messages[1] and not folder.exists()
    else:
        assert "is full" in messages[1]
        assert [p.name for p in folder.iterdir()] == ["report.docx"]
        assert (folder / "report.docx").read_bytes() == b"the old document"


def test_upper_case_suffix_is_word_too(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    result = write_benchmark_report(db, new_benchmark(), tmp_path / "REPORT.DOCX")
    assert result.page_count is None
    assert docx.Document(str(result.path)).paragraphs[-1].text == "End of report"


# ---------------------------------------------------------------------------------------------
# The converter, flowable by flowable
# ---------------------------------------------------------------------------------------------


class _Stamp(Flowable):
    """A flowable of a kind the converter has never seen, that only draws."""

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        return 60, 20

    def draw(self) -> None:
        self.canv.rect(0, 0, 60, 20, fill=1)


class _Notice(Flowable):
    """A flowable of an unknown kind that carries words."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, width: float, _height: float) -> tuple[float, float]:
        return width, 20


def _convert(story: list[object]) -> WordDocument:
    data = story_to_docx(
        story, title="Title", header="Header", footer_note="note", author="Me", subject="Test"
    )

    return docx.Document(io.BytesIO(data))


def test_flowables_map_to_word_blocks() -> None:
    st = hs.styles()
    category = ParagraphStyle("Category", parent=st.h2, fontSize=12)  # smaller: one level down
    chart = Drawing(200, 100)
    chart.add(Rect(10, 10, 50, 80, fillColor=colors.blue))
    chart.add(String(70, 50, "label"))
    story = [
        hs.para("Org", st.cover_kicker),
        hs.para("The title", st.cover_title),
        hs.heading("One"),
        hs.para("A <b>bold</b> and <i>italic</i> &amp; <font color='#1F4E79'>blue</font><br/>next"),
        Spacer(1, 10),
        HRFlowable(),
        CondPageBreak(100),
        hs.heading("Two", 2),
        hs.para("Under two", category),
        hs.heading("Three", 3),
        KeepTogether([hs.para("kept"), hs.para("together")]),
        ListFlowable([ListItem(hs.para("first")), hs.para("second")], bulletType="bullet"),
        hs.para("<bullet>•</bullet>pointed", st.small),
        Preformatted("pre\n  formatted", st.body),
        chart,
        _Stamp(),
        _Notice("Notice words"),
        PageBreak(),
        hs.para("After the break"),
    ]
    document = _convert(story)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]

    assert ("Title", "The title") in paragraphs
    assert [(n, t) for n, t in paragraphs if n.startswith("Heading")] == [
        ("Heading 1", "One"),
        ("Heading 2", "Two"),
        ("Heading 3", "Under two"),
        ("Heading 3", "Three"),
    ]
    body = next(p for p in document.paragraphs if p.text.startswith("A bold"))
    assert body.text == "A bold and italic & blue\nnext"
    looks = {run.text.strip(): run for run in body.runs}
    assert looks["bold"].bold and not looks["bold"].italic
    assert looks["italic"].italic and not looks["italic"].bold
    assert str(looks["blue"].font.color.rgb) == "1F4E79"
    assert [t for n, t in paragraphs if n == "List Bullet"] == ["first", "second", "pointed"]
    kept = next(p for p in document.paragraphs if p.text == "kept")
    assert kept.paragraph_format.keep_with_next
    assert "pre\n  formatted" in [t for _n, t in paragraphs]
    assert "Notice words" in [t for _n, t in paragraphs]
    assert len(document.inline_shapes) == 2  # the chart and the stamp
    after = next(p for p in document.paragraphs if p.text == "After the break")
    assert after.paragraph_format.page_break_before
    assert not any(p.paragraph_format.page_break_before for p in document.paragraphs[:-2])
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None or run.font.size.pt >= hs.MIN_FONT_SIZE


def test_tables_keep_header_rows_spans_fills_and_nested_tables() -> None:
    inner = Table([["a", "b"], ["c", "d"]])
    table = hs.data_table(
        ["Name", "Colour"],
        [("Amber row", hs.para("<b>Amber</b>")), ("Nested", [hs.para("before"), inner])],
        [0.5, 0.5],
        extra_style=[("BACKGROUND", (1, 1), (1, 1), hs.RAG_FILLS["amber"])],
    )
    record = hs.record_table(hs.para("<b>Record</b>"), [("Field", "value")])
    document = _convert([table, Spacer(1, 5), record])

    assert len(document.tables) == 2  # not run together into one
    first, second = document.tables
    header = first.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs)
    assert [c.text for c in first.rows[1].cells] == ["Amber row", "Amber"]
    fill = first.rows[1].cells[1]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert fill == hs.RAG_FILLS["amber"].hexval()[2:].upper()
    nested = first.rows[2].cells[1].tables[0]
    assert [[c.text for c in row.cells] for row in nested.rows] == [["a", "b"], ["c", "d"]]
    assert first.rows[2].cells[1].paragraphs[0].text == "before"
    # The record's heading spans both columns and repeats on every page.
    assert second.rows[0].cells[0]._tc is second.rows[0].cells[1]._tc
    assert second.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in second.rows[1].cells] == ["Field", "value"]
    assert [round(c.width.pt) for c in first.columns] == [round(hs.CONTENT_WIDTH / 2)] * 2


def test_a_contents_page_gives_word_page_references_to_its_headings() -> None:
    anchor = hs.Anchor("contents-1", "Part one", 0)
    story = [
        hs.data_table(["Section", "Page"], [("Part one", hs.page_number(anchor.key))], [0.8, 0.2]),
        *hs.section_start("Part one", new_page=True, level=0, anchor=anchor),
        hs.heading("A section", 1),
    ]
    document = _convert(story)

    body = document.element.body
    starts = [mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))]
    codes = [code.text for code in body.iter(qn("w:instrText"))]
    assert len(starts) == 1 and any(f"PAGEREF {starts[0]}" in code for code in codes)
    # With parts in the story, a part is Heading 1 and a report's sections Heading 2.
    assert _headings(document, 1) == ["Part one"] and _headings(document, 2) == ["A section"]
    assert document.settings.element.find(qn("w:updateFields")) is not None
