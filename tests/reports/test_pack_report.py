"""The inspection pack, checked by what an inspector finds in it: contents that lead to the right
pages, every module's part, a one-page summary, nothing that points at a person, and print that
survives a printer (A4, nothing smaller than 9 pt, nothing in the unprintable edge)."""

from __future__ import annotations

import ctypes
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx import Document
from pypdf import PdfReader
from pypdf.generic import Destination

from rrn_desktop.core.benchmarks import list_benchmarks
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.demo import DEMO_SERVICES
from rrn_desktop.core.incident_figures import learning_themes
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.plan import list_actions
from rrn_desktop.core.restrictions import list_restrictions
from rrn_desktop.core.scoring import format_percent, section_scores
from rrn_desktop.core.services import ServiceInfo, find_service, list_services
from rrn_desktop.errors import UserFacingError
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.pack_report import (
    PART_TITLES,
    SIGN_OFF_TITLE,
    SUMMARY_TITLE,
    write_pack_report,
)
from rrn_desktop.storage.database import Database, open_database
from tests.reports.helpers import PdfText, read_pdf

TODAY = dt.date.today()  # the demo's records are dated back from the day it was made
WILLOW = "Willow House care home (demo)"
KESTREL = "Kestrel Lodge children's home (demo)"
MM = 72 / 25.4


@dataclass(frozen=True)
class Built:
    db: Database
    path: Path
    pages: int
    text: PdfText

    def flat(self, page: int) -> str:
        """One page's text (numbered from 1), whitespace made single spaces."""
        return re.sub(r"\s+", " ", self.text.pages[page - 1]).strip()


def _build(db: Database, out: Path, **options: object) -> Built:
    result = write_pack_report(db, out, today=TODAY, **options)  # type: ignore[arg-type]
    assert result.page_count is not None
    return Built(db, out, result.page_count, read_pdf(out))


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    return Path(shutil.copytree(demo_template, tmp_path_factory.mktemp("pack") / "data"))


@pytest.fixture(scope="module")
def demo_db(demo_folder: Path) -> Iterator[Database]:
    with open_database(demo_folder) as db:
        yield db


@pytest.fixture(scope="module")
def pack(demo_db: Database, demo_folder: Path) -> Built:
    """The whole organisation's pack, built once for the tests that only read it."""
    return _build(demo_db, demo_folder.parent / "pack.pdf")


def _benchmarked(db: Database) -> list[ServiceInfo]:
    return [s for s in _by_name(list_services(db)) if list_benchmarks(db, s.id)]


def _on_register(db: Database) -> list[ServiceInfo]:
    return [s for s in _by_name(list_services(db)) if list_restrictions(db, s.id)]


def _by_name(services: list[ServiceInfo]) -> list[ServiceInfo]:
    return sorted(services, key=lambda s: (s.name.casefold(), s.id))


def _expected_entries(db: Database) -> list[str]:
    return [
        SUMMARY_TITLE,
        PART_TITLES[0],
        *(s.name for s in _benchmarked(db)),
        PART_TITLES[1],
        *(s.name for s in _on_register(db)),
        PART_TITLES[2],
        PART_TITLES[3],
        SIGN_OFF_TITLE,
    ]


def _contents(built: Built, titles: list[str]) -> list[tuple[str, int]]:
    """Each title on the contents page with the page number its leader of dots leads to, in
    order."""
    assert built.flat(2).startswith("Contents")
    text = built.flat(2)
    found, position = [], 0
    for title in titles:
        match = re.compile(re.escape(title) + r" \.{2,} (\d+)\b").search(text, position)
        assert match is not None, f"{title!r} is not listed with a page number"
        found.append((title, int(match.group(1))))
        position = match.end()
    return found


def _outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, page from 1, depth) of every bookmark, in order."""
    flat: list[tuple[str, int, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                flat.append((item.title or "", reader.get_destination_page_number(item) + 1, depth))

    walk(reader.outline, 0)
    return flat


# ---------------------------------------------------------------------------------------------
# Contents, summary, and each service on its own pages
# ---------------------------------------------------------------------------------------------


def test_every_contents_entry_leads_to_the_page_its_section_starts_on(pack: Built) -> None:
    entries = _contents(pack, _expected_entries(pack.db))
    pages = [page for _title, page in entries]
    assert pages == sorted(pages) and pages[0] == 3 and pages[-1] == pack.pages
    for title, page in entries:
        assert pack.flat(page).startswith(title), (title, page, pack.flat(page)[:80])
    # The same sections are the PDF's bookmarks, services under their part.
    outline = _outline(PdfReader(pack.path))
    assert [(title, page) for title, page, _depth in outline] == entries
    services = {s.name for s in list_services(pack.db)}
    assert [depth for title, _page, depth in outline] == [
        1 if title in services else 0 for title, _page in entries
    ]


def test_the_summary_is_one_page_with_every_module(pack: Built) -> None:
    entries = dict(_contents(pack, [SUMMARY_TITLE, PART_TITLES[0]]))
    assert entries[PART_TITLES[0]] == entries[SUMMARY_TITLE] + 1
    summary = pack.flat(entries[SUMMARY_TITLE])
    for heading in (
        "Training against the Standards",
        "Blanket restrictions",
        "Restraint reduction plan",
        "Incidents",
    ):
        assert heading in summary
    # The latest benchmark's section scores, the colour in words and the change since the one
    # before; restrictions; the plan's progress; the period's incidents with support in time.
    willow = find_service(pack.db, WILLOW)
    latest, previous = list_benchmarks(pack.db, willow.id)[:2]
    pack_ = latest.pack()
    for now, then in zip(
        section_scores(pack_, latest.ratings()),
        section_scores(pack_, previous.ratings()),
        strict=True,
    ):
        assert f"{format_percent(now.percent)} {now.band.label}" in summary  # type: ignore[union-attr]
        assert f"{now.percent - then.percent:+.0f} points" in summary  # type: ignore[operator]
    assert "In place now" in summary and "Removed in the period" in summary
    assert "Open" in summary and "Of which overdue" in summary and "Done in the period" in summary
    assert "Support within 72 hours" in summary and "Review within 72 hours" in summary


def test_each_service_starts_a_new_page_in_each_part(pack: Built) -> None:
    def opened_by(name: str) -> list[int]:
        """Pages headed by the name itself (a register entry running on is headed by the
        service's name and its category)."""
        return [
            page
            for page in range(1, pack.pages + 1)
            if re.match(re.escape(name) + r" (?!·)", pack.flat(page))
        ]

    for service in list_services(pack.db):
        expected = (service in _benchmarked(pack.db)) + (service in _on_register(pack.db))
        assert len(opened_by(service.name)) == expected, service.name
    assert len(opened_by(WILLOW)) == 2


def test_every_modules_part_is_in_the_pack(pack: Built) -> None:
    text = pack.text.flat
    db = pack.db
    # Training: each benchmarked service's item detail with its section scores.
    for service in _benchmarked(db):
        latest = list_benchmarks(db, service.id)[0]
        for score in section_scores(latest.pack(), latest.ratings()):
            assert f"Score: {format_percent(score.percent)}" in text
    assert "How a benchmark is done" in text
    # The register: every restriction in place, by title.
    for entry in list_restrictions(db):
        if entry.in_place:
            assert entry.title in text
    # The plan: every open action, by title (short enough to print in full).
    for action in list_actions(db):
        if action.is_open and len(action.title) < 200:
            assert " ".join(action.title.split()) in text
    # Incidents: the figures month by month and the learning themes.
    assert "Incidents each month, by type" in text
    themes = learning_themes(
        [i for i in list_incidents(db) if i.occurred_at.date() > add_months(TODAY, -12)]
    )
    assert themes and all(theme.label in text for theme in themes)
    assert "End of report" in pack.text.pages[-1]


def test_nothing_in_the_pack_points_at_a_person(pack: Built) -> None:
    text = pack.text.flat
    assert "INC-" not in text
    for incident in list_incidents(pack.db):
        assert incident.reference not in text
    # The plan's actions that came from incident reviews say so without the reference.
    assert "Learning point from an incident review (" in text


# ---------------------------------------------------------------------------------------------
# Print quality and speed
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Printed:
    """A character as printed: its size on the page (transforms included) and its box."""

    char: str
    size: float
    box: tuple[float, float, float, float]  # left, bottom, right, top, in points


def _printed(path: Path) -> Iterator[tuple[tuple[float, float], _Printed]]:
    """Every character the PDF prints, with the size of its page."""
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            size = page.get_size()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(text.raw, index))
                if not char.strip():
                    continue
                matrix = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix))
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                points = pdfium_c.FPDFText_GetFontSize(text.raw, index) * scale
                yield size, _Printed(char, points, text.get_charbox(index))
    finally:
        document.close()


def test_the_pack_prints_on_a4_with_nothing_under_9_pt_or_in_the_edge(pack: Built) -> None:
    edge = 8 * MM  # most printers cannot print within about 5 mm of the edge of the paper
    count = 0
    for (width, height), printed in _printed(pack.path):
        count += 1
        assert (round(width), round(height)) == (round(hs.PAGE_WIDTH), round(hs.PAGE_HEIGHT))
        assert printed.size >= hs.MIN_FONT_SIZE - 0.01, printed
        left, bottom, right, top = printed.box
        assert edge <= left and right <= width - edge, printed
        assert edge <= bottom and top <= height - edge, printed
    assert count > 10_000


# ---------------------------------------------------------------------------------------------
# One service, a period, nothing recorded
# ---------------------------------------------------------------------------------------------


def test_one_service_only_shows_that_service(demo_db: Database, tmp_path: Path) -> None:
    kestrel = find_service(demo_db, KESTREL)
    built = _build(demo_db, tmp_path / "kestrel.pdf", service_id=kestrel.id)
    text = built.text.flat
    assert KESTREL in text
    for name, _sector in DEMO_SERVICES:
        if name != KESTREL:
            assert name not in text, name
    assert "No benchmark of training against the Training Standards has been held yet" in text
    entries = _contents(
        built,
        [SUMMARY_TITLE, PART_TITLES[0], PART_TITLES[1], KESTREL, PART_TITLES[2], PART_TITLES[3]],
    )
    for title, page in entries:
        assert built.flat(page).startswith(title)
    assert "INC-" not in text


def _incidents_between(db: Database, service: ServiceInfo, start: dt.date, end: dt.date) -> int:
    return sum(1 for i in list_incidents(db, service.id) if start <= i.occurred_at.date() <= end)


def test_the_period_sets_which_incidents_are_counted(demo_db: Database, tmp_path: Path) -> None:
    willow = find_service(demo_db, WILLOW)
    start, end = add_months(TODAY, -3), add_months(TODAY, -1)
    whole_year = _incidents_between(
        demo_db, willow, add_months(TODAY, -12) + dt.timedelta(1), TODAY
    )
    in_period = _incidents_between(demo_db, willow, start, end)
    assert 0 < in_period < whole_year
    built = _build(
        demo_db, tmp_path / "period.pdf", service_id=willow.id, date_from=start, date_to=end
    )
    text = built.text.flat
    during = f"from {hs.long_date(start)} to {hs.long_date(end)};"
    assert f"{in_period} incidents {during}" in text or f"{in_period} incident {during}" in text
    assert f"{whole_year} incidents " not in text
    assert f"{hs.long_date(start)} to {hs.long_date(end)}" in text


def test_a_period_that_ends_before_it_starts_is_a_plain_error(
    demo_db: Database, tmp_path: Path
) -> None:
    with pytest.raises(UserFacingError, match="after it ends"):
        write_pack_report(
            demo_db, tmp_path / "x.pdf", date_from=TODAY, date_to=TODAY - dt.timedelta(days=1)
        )
    assert not (tmp_path / "x.pdf").exists()


def test_the_pack_can_be_a_word_document(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "pack.docx"
    result = write_pack_report(demo_db, out, service_id=find_service(demo_db, KESTREL).id)
    assert result.page_count is None
    words = [paragraph.text for paragraph in Document(str(out)).paragraphs]
    for title in (SUMMARY_TITLE, *PART_TITLES, KESTREL):
        assert title in words
    assert not any("INC-" in line for line in words)


def test_an_organisation_with_nothing_recorded_gets_a_short_pack(
    db: Database, tmp_path: Path
) -> None:
    built = _build(db, tmp_path / "empty.pdf")
    assert built.pages <= 8
    text = built.text.flat
    entries = _contents(built, [SUMMARY_TITLE, *PART_TITLES, SIGN_OFF_TITLE])
    for title, page in entries:
        assert built.flat(page).startswith(title)
    assert "No benchmark has been held yet" in text
    assert "No blanket restrictions are on the register" in text
    assert "No pledge has been made and no action is on the plan" in text
    assert "No incidents were recorded in this period" in text
    assert "End of report" in built.text.pages[-1]
