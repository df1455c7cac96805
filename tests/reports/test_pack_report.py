"""The inspection pack, checked by what an inspector finds in it: contents that lead to the right
pages, a one-page summary, every module's part in short tables, every record in full in the
appendix when asked for, nothing that points at a person, no filler and no half-empty pages, and
print that survives a printer (A4, nothing smaller than 9 pt, nothing in the unprintable
edge)."""

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

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import ChecklistAnswer, Purpose, Rating, Sector, Strategy
from rrn_desktop.core.benchmarks import (
    ParticipantInfo,
    list_benchmarks,
    set_rating,
    start_benchmark,
)
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.incident_figures import learning_themes
from rrn_desktop.core.incidents import list_incidents, record_incident
from rrn_desktop.core.plan import create_action, list_actions
from rrn_desktop.core.restrictions import answer_checklist, list_restrictions
from rrn_desktop.core.scoring import format_percent, section_scores
from rrn_desktop.core.services import ServiceInfo, create_service, find_service, list_services
from rrn_desktop.demo.organisation import DEMO_SERVICES
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.pack_report import (
    APPENDIX_TITLE,
    PART_TITLES,
    SIGN_OFF_TITLE,
    SUMMARY_TITLE,
    write_pack_report,
)
from rrn_desktop.storage.database import Database, open_database
from tests.reports.helpers import FILLER, PdfText, read_pdf
from tests.reports.page_fill import emptier_than_a_third

TODAY = dt.date.today()  # the demo's records are dated back from the day it was made
NEW_PAGE_TITLES = (SUMMARY_TITLE, *PART_TITLES, APPENDIX_TITLE)  # each starts a page
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


@pytest.fixture(scope="module")
def pack_in_full(demo_db: Database, demo_folder: Path) -> Built:
    """The same pack with its appendix: every record in full."""
    return _build(demo_db, demo_folder.parent / "pack-in-full.pdf", appendix=True)


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


def _appendix_entries(db: Database) -> list[str]:
    return [
        APPENDIX_TITLE,
        *(f"Benchmark items: {s.name}" for s in _benchmarked(db)),
        *(f"Register entries: {s.name}" for s in _on_register(db)),
        "Plan actions",
        "Incident figures month by month",
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


def _assert_lead_to_their_pages(built: Built, entries: list[tuple[str, int]]) -> None:
    """The parts each start a page; the rest start where they are, on the page listed."""
    for title, page in entries:
        if title in NEW_PAGE_TITLES:
            assert built.flat(page).startswith(title), (title, page, built.flat(page)[:80])
        else:
            assert title in built.flat(page), (title, page)


def _part_ends(built: Built, titles: list[str]) -> set[int]:
    """The pages after which a new page is started on purpose: the cover, and the last page
    of each part."""
    starts = [page for title, page in _contents(built, titles) if title in NEW_PAGE_TITLES]
    return {1, *(page - 1 for page in starts)}


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


def test_every_contents_entry_leads_to_the_page_its_section_starts_on(
    pack: Built, pack_in_full: Built
) -> None:
    for built, titles in (
        (pack, _expected_entries(pack.db)),
        (pack_in_full, _expected_entries(pack.db) + _appendix_entries(pack.db)),
    ):
        entries = _contents(built, titles)
        pages = [page for _title, page in entries]
        assert pages == sorted(pages) and pages[0] == 3
        _assert_lead_to_their_pages(built, entries)
        # The same sections are the PDF's bookmarks, what is in a part under it.
        outline = _outline(PdfReader(built.path))
        assert [(title, page) for title, page, _depth in outline] == entries
        top = {*NEW_PAGE_TITLES, SIGN_OFF_TITLE}
        assert [depth for _title, _page, depth in outline] == [
            0 if title in top else 1 for title, _page in entries
        ]
    assert _contents(pack, [SIGN_OFF_TITLE])[0][1] == pack.pages
    assert APPENDIX_TITLE not in pack.text.all


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


def test_the_demo_pack_reads_summary_first_in_under_40_pages(pack: Built) -> None:
    assert pack.pages < 40
    text = pack.text.flat
    # Each part gives a line for each item not met, each restriction and each action...
    assert "Items not met or partly met" in text
    assert "The register Each blanket restriction in place now" in text
    assert "Actions by strategy Every action on the plan in one line" in text
    # ...and leaves everything recorded about them to the appendix, saying so.
    assert "This copy leaves out the appendix" in pack.flat(2)
    described = [
        " ".join(a.description.split())
        for a in list_actions(pack.db)
        if a.is_open and a.description.strip() and a.description.strip() not in a.title
    ]
    assert described and not any(description in text for description in described)


def test_every_modules_part_is_in_the_pack(pack: Built) -> None:
    text = pack.text.flat
    db = pack.db
    # Training: each benchmarked service's section scores, and the items not met.
    for service in _benchmarked(db):
        latest = list_benchmarks(db, service.id)[0]
        for score in section_scores(latest.pack(), latest.ratings()):
            assert f"{format_percent(score.percent)} {score.band.label}" in text  # type: ignore[union-attr]
        for _section, item in latest.pack().items():
            if latest.response(item.code).rating in (Rating.NOT_MET, Rating.PARTLY_MET):
                assert item.text in text, item.code
    assert "How a benchmark is scored" in text
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


def test_nothing_in_the_pack_points_at_a_person(pack: Built, pack_in_full: Built) -> None:
    for built in (pack, pack_in_full):
        text = built.text.flat
        assert "INC-" not in text
        for incident in list_incidents(pack.db):
            assert incident.reference not in text
    # The plan's actions that came from incident reviews say so without the reference.
    assert "from an incident review" in pack.text.flat
    assert "Learning point from an incident review (" in pack_in_full.text.flat


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
    _assert_lead_to_their_pages(built, entries)
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
    _assert_lead_to_their_pages(built, entries)
    assert "No benchmark has been held yet" in text
    assert "No blanket restrictions are on the register" in text
    assert "No pledge has been made and no action is on the plan" in text
    assert "No incidents were recorded in this period" in text
    assert "End of report" in built.text.pages[-1]


# ---------------------------------------------------------------------------------------------
# The appendix, and what is never printed
# ---------------------------------------------------------------------------------------------


def test_the_appendix_holds_every_record_in_full(pack: Built, pack_in_full: Built) -> None:
    appendix = pack_in_full.text.flat
    appendix = appendix[appendix.index(f"{APPENDIX_TITLE} Everything recorded") :]
    db = pack.db
    for action in list_actions(db):
        if action.is_open and len(action.title) < 200:
            assert " ".join(action.title.split()) in appendix, action.title
            if action.description.strip():
                assert " ".join(action.description.split()) in appendix, action.title
    for entry in list_restrictions(db):
        assert f"{entry.title} {entry.status_label}" in appendix, entry.title
    for service in _benchmarked(db):
        latest = list_benchmarks(db, service.id)[0]
        for _section, item in latest.pack().items():
            assert item.text in appendix, item.code
    assert pack_in_full.pages > pack.pages + 20


def test_nothing_printed_says_only_that_something_is_empty(
    pack: Built, pack_in_full: Built, small_pack: Built
) -> None:
    for built in (pack, pack_in_full, small_pack):
        text = built.text.flat
        for filler in FILLER:
            assert filler not in text, filler
        # Nor codes meant for the app, advice for the command line, or a word said twice.
        assert not re.search(r"\bBR-[A-Z]{3}-\d", text)
        assert "command line" not in text and "--" not in text
        assert not re.search(r"\b(\w+): \1\b", text, re.IGNORECASE)
    # Where the emptiness is the finding, it is said once, in a sentence.
    assert pack.text.flat.count("have a measurable outcome.") == 1


def test_no_page_is_left_more_than_a_third_empty(
    pack: Built, pack_in_full: Built, small_pack: Built
) -> None:
    entries = _expected_entries(pack.db)
    for built, titles in (
        (pack, entries),
        (pack_in_full, entries + _appendix_entries(pack.db)),
        (small_pack, [SUMMARY_TITLE, *PART_TITLES]),
    ):
        assert emptier_than_a_third(built.path, _part_ends(built, titles)) == [], built.path


# ---------------------------------------------------------------------------------------------
# A small organisation
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def small_pack(db: Database, tmp_path: Path) -> Built:
    """One service, one incident, three restrictions, two actions and three rated items."""
    home = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
    benchmark = start_benchmark(
        db,
        home.id,
        TODAY - dt.timedelta(days=20),
        Purpose.SELF_AUDIT,
        [ParticipantInfo("Alex Manager", "Registered manager")],
    )
    items = [item for _section, item in benchmark.pack().items()][:3]
    for item, rating in zip(items, (Rating.MET, Rating.PARTLY_MET, Rating.NOT_MET), strict=True):
        set_rating(db, benchmark.id, item.code, rating)
    for code in ("BR-BLD-01", "BR-ROU-02", "BR-SAF-07"):
        answer_checklist(db, home.id, code, ChecklistAnswer.YES, TODAY - dt.timedelta(days=50))
    create_action(
        db,
        "Train every member of staff in de-escalation",
        Strategy.WORKFORCE,
        TODAY - dt.timedelta(days=30),
        service_id=home.id,
        due_on=TODAY + dt.timedelta(days=60),
    )
    create_action(
        db, "Review restraint figures every month", Strategy.DATA, TODAY - dt.timedelta(days=30)
    )
    occurred = dt.datetime.combine(TODAY - dt.timedelta(days=10), dt.time(14, 30))
    record_incident(
        db, home.id, "INC-1", occurred, ["physical-standing-hold"], now=dt.datetime.now()
    )
    return _build(db, tmp_path / "small.pdf")


def test_a_small_organisation_gets_a_short_pack(small_pack: Built) -> None:
    assert small_pack.pages < 12
    text = small_pack.text.flat
    for title in (SUMMARY_TITLE, *PART_TITLES, SIGN_OFF_TITLE):
        assert title in text
    assert "Train every member of staff in de-escalation" in text
    assert "Locked front and exit doors" in text
    assert "INC-1" not in text
