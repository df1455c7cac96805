"""The blanket restrictions register PDF, checked by the text an inspector gets out of it."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    AppliesTo,
    ChecklistAnswer,
    RestraintType,
    RestrictionStatus,
    ReviewFrequency,
    Sector,
)
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core import restrictions
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.restrictions import MonthCount, describe_trend
from rrn_desktop.core.services import ServiceInfo, create_service
from rrn_desktop.reports.house_style import long_date
from rrn_desktop.reports.restrictions_report import ReportResult, write_restrictions_report
from rrn_desktop.storage.database import Database
from tests.reports.helpers import PdfText, read_pdf
from tests.reports.page_fill import emptier_than_a_third

TODAY = dt.date(2025, 6, 30)
LOCKED_DOORS = "Locked front and exit doors"  # BR-BLD-01
BEDTIMES = "Set bedtimes and lights out"  # BR-ROU-02
BED_RAILS = "Bed rails for everyone"  # BR-SAF-07
PHONES = "Mobile phones and chargers taken away"  # BR-CON-02
CHILD_FIELDS = (
    "Agreed with the placing authority",
    "Written into the placement plan",
    "The child's own view",
)


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _found(db: Database, service: ServiceInfo, code: str, days_ago: int) -> int:
    entry_id = restrictions.answer_checklist(
        db, service.id, code, ChecklistAnswer.YES, _days_ago(days_ago)
    )
    assert entry_id is not None
    return entry_id


def _fill_in(db: Database, entry_id: int, **changes: object) -> None:
    fields: dict[str, object] = {
        "description": "Applies to everyone living here.",
        "applies_to": AppliesTo.EVERYONE,
        "rationale": "Two people are at risk if they leave alone.",
        "risk": "Getting lost or hurt near the main road.",
        "individual_risk_assessment": False,
        "legal_basis": "Mental Capacity Act best-interests decision.",
        "alternatives": "A keypad with the code on display was considered.",
        "consulted": "The people living here and their families.",
        "informed": "Everyone affected, in easy read.",
        "authorised_by_role": "Registered manager",
        "authorised_on": _days_ago(300),
        "review_frequency": ReviewFrequency.QUARTERLY,
        "reduction_plan": "Fit a keypad for those who can safely use it.",
    }
    fields.update(changes)
    restrictions.update_restriction(db, entry_id, **fields)


@pytest.fixture
def adult_register(db: Database, service: ServiceInfo) -> ServiceInfo:
    """Willow House: one overdue restriction, one removed, one individualised, one of its own."""
    doors = _found(db, service, "BR-BLD-01", 300)
    _fill_in(db, doors)
    restrictions.record_review(
        db, doors, _days_ago(100), "Alex Manager", "Still needed for now.", _days_ago(10)
    )

    bedtimes = _found(db, service, "BR-ROU-02", 400)
    _fill_in(db, bedtimes, rationale="", legal_basis="")  # left empty: "Not recorded"
    restrictions.change_status(
        db, bedtimes, RestrictionStatus.REDUCING, _days_ago(200), "Bedtimes agreed with most."
    )
    restrictions.change_status(
        db, bedtimes, RestrictionStatus.REMOVED, _days_ago(40), "No set bedtime for anyone now."
    )

    rails = _found(db, service, "BR-SAF-07", 500)
    restrictions.change_status(
        db, rails, RestrictionStatus.INDIVIDUALISED, _days_ago(90), "Kept for two people."
    )

    gate = restrictions.add_custom_restriction(
        db,
        service.id,
        "Garden gate padlocked at night",
        restrictions.OTHER_CATEGORY,
        RestraintType.ENVIRONMENTAL,
        _days_ago(60),
    )
    _fill_in(
        db,
        gate,
        applies_to=AppliesTo.GROUP,
        applies_to_detail="People on the ground floor",
        next_review_on=TODAY + dt.timedelta(days=30),
    )
    return service


def _write(db: Database, out: Path, service_id: int | None) -> tuple[ReportResult, PdfText]:
    result = write_restrictions_report(db, out, service_id=service_id, today=TODAY)
    return result, read_pdf(out)


def _between(text: str, start: str, end: str) -> str:
    """The text from the first ``start`` to the next ``end`` after it."""
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


def test_register_for_one_service_in_full(
    db: Database, adult_register: ServiceInfo, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "register.pdf"
    out.parent.mkdir()
    result, pdf = _write(db, out, adult_register.id)
    text = pdf.flat

    assert result.path == out and result.page_count == len(pdf.pages)
    assert "Page 1 of" in pdf.pages[0] and "Blanket restrictions register" in pdf.pages[0]
    assert "End of report" in pdf.pages[-1]
    assert all("End of report" not in page for page in pdf.pages[:-1])
    assert [p.name for p in out.parent.iterdir()] == ["register.pdf"]

    pack = shipped_checklist()
    assert pack.title in text and pack.version in text
    for category_id in ("building", "routine", "safety"):
        category = pack.category(category_id)
        assert category is not None and category.title in text
    assert "Other restrictions found here" in text
    assert "Garden gate padlocked at night" in text
    assert "People on the ground floor" in text

    # Overdue reviews come before the register, the overdue one named and marked in words.
    overdue = _between(text, "Overdue reviews", "The register")
    assert LOCKED_DOORS in overdue and "OVERDUE by 10 days" in overdue
    assert long_date(_days_ago(10)) in overdue
    assert BEDTIMES not in overdue
    assert text.count("OVERDUE by 10 days") >= 3  # the table, the entry's heading, its row

    # Every field of an entry is printed, with the history and reviews.
    doors = _between(text, LOCKED_DOORS + " Active", "Plan to reduce or remove it")
    for expected in (
        "Getting lost or hurt near the main road.",
        "Mental Capacity Act best-interests decision.",
        "A keypad with the code on display was considered.",
        "The people living here and their families.",
        "Everyone affected, in easy read.",
        "Registered manager",
        "Every 3 months",
        "Individual risk assessment done No",
    ):
        assert expected in doors, expected
    assert "Alex Manager. Still needed for now." in text
    assert "Found and recorded." in text

    # Ended restrictions are listed with the day they ended.
    ended = _between(text, "Removed and individualised restrictions", "Sign-off")
    assert BEDTIMES in ended and long_date(_days_ago(40)) in ended
    assert "No set bedtime for anyone now." in ended
    assert BED_RAILS in ended and long_date(_days_ago(90)) in ended
    assert LOCKED_DOORS not in ended
    # The removed entry's empty fields are named once, in its last row, not one by one.
    bedtimes = _between(text, BEDTIMES + " Removed on", "Status history")
    assert "Why it is in place" not in bedtimes and "Legal basis" not in bedtimes
    assert "Not recorded yet Why it is in place; legal basis or authority; last review." in text
    # The bed rails were never filled in, nor the gate reviewed; the doors are complete.
    assert text.count("Not recorded yet") == 4  # and once in "How to read this register"
    doors = _between(text, LOCKED_DOORS + " Active", "Reviews")
    assert "Not recorded" not in doors

    # Each restriction in place is one line of the register, before the full entries.
    lines = _between(text, "The register Each blanket restriction", "Removed and individualised")
    assert LOCKED_DOORS in lines and "Fit a keypad for those who can safely use it." in lines
    assert BEDTIMES not in lines

    # An adult service has none of the children's services fields.
    for label in CHILD_FIELDS:
        assert label not in text
    assert "placing authority" not in text.lower()

    # Summary counts: 2 in place, 1 overdue, 1 removed and 1 individualised in 12 months.
    assert (
        "2 blanket restrictions in place now (active or reducing); 1 review overdue; 1 removed "
        "and 1 individualised in the last 12 months." in text
    )
    assert "In words:" in text
    # Sign-off lines are left blank for paper; every entry follows in full.
    assert "Name Role Signature Date" in text[text.index("To be signed by") :]
    appendix = text[text.index("Appendix: every entry in full") :]
    for title in (LOCKED_DOORS, BEDTIMES, BED_RAILS, "Garden gate padlocked at night"):
        assert title in appendix, title
    # The checklist prompt an entry was found through is quoted, never its code.
    assert "BR-" not in text


def test_childrens_service_records_the_placing_authority_and_the_childs_view(
    db: Database, tmp_path: Path
) -> None:
    home = create_service(db, "Kestrel Lodge", Sector.CHILDRENS_SERVICES)
    phones = _found(db, home, "BR-CON-02", 200)
    _fill_in(
        db,
        phones,
        placing_authority_agreed=True,
        in_placement_plan=False,
        child_view="Having my phone at night would help me feel less lonely.",
    )
    _found(db, home, "BR-CON-01", 100)  # nothing filled in

    _result, pdf = _write(db, tmp_path / "kestrel.pdf", home.id)
    text = pdf.flat

    entry = _between(text, PHONES + " Active", "Review frequency")
    assert "Agreed with the placing authority Yes" in entry
    assert "Written into the placement plan No" in entry
    assert "The child's own view Having my phone at night would help me feel less lonely." in entry
    internet = text[text.index("Limited internet access Active") :]
    gaps = _between(internet, "Not recorded yet", ".")
    assert "agreed with the placing authority" in gaps and "the child's own view" in gaps
    assert "Agreed with the placing authority" not in _between(internet, "Active", "Not recorded")
    assert "Children's services" in text


def test_user_text_prints_exactly_as_typed(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    entry = restrictions.add_custom_restriction(
        db, service.id, "Gŵyl <b>& rules", "routine", RestraintType.BLANKET, _days_ago(30)
    )
    _fill_in(
        db,
        entry,
        rationale="<b>Tom & Jerry</b> <script> at Gŵyl Dewi\nSecond line",
        child_view="not printed for an adult service",
    )
    restrictions.record_review(db, entry, _days_ago(5), "Siân Owen", "Fix <this> & that")

    _result, pdf = _write(db, tmp_path / "r.pdf", service.id)
    text = pdf.flat

    assert "Gŵyl <b>& rules" in text
    assert "<b>Tom & Jerry</b> <script> at Gŵyl Dewi Second line" in text
    assert "Siân Owen. Fix <this> & that" in text
    assert "not printed for an adult service" not in text


def test_whole_organisation_prints_each_service_with_entries_on_its_own_pages(
    db: Database, adult_register: ServiceInfo, tmp_path: Path
) -> None:
    home = create_service(db, "Kestrel Lodge", Sector.CHILDRENS_SERVICES)
    _fill_in(db, _found(db, home, "BR-CON-02", 200), child_view="It feels unfair.")
    create_service(db, "Aspen Court", Sector.HEALTH)  # nothing on its register

    result, pdf = _write(db, tmp_path / "all.pdf", None)
    text = pdf.flat

    assert result.page_count == len(pdf.pages)
    assert "All services" in pdf.pages[0]
    assert "Aspen Court" not in text
    # Each service's part under its name, in name order; then each one's entries in full.
    appendix = text.index("Appendix: every entry in full")
    kestrel = _between(text, "Kestrel Lodge Children's services", "Willow House Adult")
    assert appendix > text.index("Willow House Adult") > text.index(kestrel)
    full = text[appendix:]
    kestrel_full = _between(full, "Kestrel Lodge Children's services", "Willow House Adult")
    willow_full = full[full.index("Willow House Adult") :]
    assert "It feels unfair." in kestrel_full and "The child's own view" in kestrel_full
    assert LOCKED_DOORS in willow_full and "The child's own view" not in willow_full
    # The organisation's totals sit before the parts.
    services = _between(text, "Services on this register", "Kestrel Lodge Children")
    assert "Willow House" not in services  # Kestrel comes first...
    totals = _between(text, "All services 3", "All services together")
    # In place, overdue (the phones were never reviewed), removed, individualised.
    assert totals.startswith("All services 3 2 1 1")
    assert "End of report" in pdf.pages[-1]


def test_an_empty_register_is_a_plain_error(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    with pytest.raises(UserFacingError, match="There are no blanket restrictions on the register"):
        write_restrictions_report(db, out, today=TODAY)
    with pytest.raises(UserFacingError, match="for Willow House yet"):
        write_restrictions_report(db, out, service_id=service.id, today=TODAY)
    assert not out.exists()


def test_a_deleted_entry_is_left_out(db: Database, service: ServiceInfo, tmp_path: Path) -> None:
    kept = _found(db, service, "BR-BLD-01", 30)
    gone = _found(db, service, "BR-ROU-02", 30)
    restrictions.delete_restriction(db, gone)
    assert kept != gone

    _result, pdf = _write(db, tmp_path / "r.pdf", service.id)

    assert LOCKED_DOORS in pdf.flat and BEDTIMES not in pdf.flat


def test_a_very_long_rationale_flows_across_pages(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    entry = _found(db, service, "BR-BLD-01", 30)
    long_text = " ".join(f"word{i}" for i in range(3000))[:20_000] + " END-OF-RATIONALE"
    long_word = "x" * 3000
    _fill_in(db, entry, rationale=long_text, reduction_plan=long_word + " AFTER-THE-WORD")

    result, pdf = _write(db, tmp_path / "long.pdf", service.id)

    assert result.page_count == len(pdf.pages) > 5
    assert "END-OF-RATIONALE" in pdf.flat and "AFTER-THE-WORD" in pdf.flat
    # In full in the entry; cut short, with an ellipsis, in the register's line.
    appendix = re.sub(r"\s+", "", pdf.all[pdf.all.index("Appendix: every entry in full") :])
    assert sum(len(run) for run in re.findall(r"x{20,}", appendix)) == 3000
    line = _between(pdf.flat, "The register Each", "Sign-off")
    assert "…" in line and "AFTER-THE-WORD" not in line
    # The entry's heading repeats on each page it runs onto, but never twice on one page.
    assert all(page.count(LOCKED_DOORS) <= 1 for page in pdf.pages)
    assert sum(LOCKED_DOORS in page for page in pdf.pages) > 3
    assert "End of report" in pdf.pages[-1]


def test_fifteen_entries_over_two_services_build_in_embedded_fonts(
    db: Database, adult_register: ServiceInfo, tmp_path: Path
) -> None:
    home = create_service(db, "Kestrel Lodge", Sector.CHILDRENS_SERVICES)
    pack = shipped_checklist()
    for number, (_category, item) in enumerate(pack.items()[:11]):
        entry = _found(db, home, item.code, 700 - number * 40)
        _fill_in(db, entry, child_view="Asked at the house meeting.")
        if number % 3 == 0:
            restrictions.change_status(
                db, entry, RestrictionStatus.REMOVED, _days_ago(200 - number * 10), "Gone."
            )
    seen: list[float] = []

    result = write_restrictions_report(db, tmp_path / "r.pdf", today=TODAY, progress=seen.append)

    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    reader = PdfReader(result.path)
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
        fonts = page["/Resources"]["/Font"].values()
        assert all("DejaVuSans" in font.get_object()["/BaseFont"] for font in fonts)
    assert sizes and min(sizes) >= 9 - 0.01


def test_the_trend_in_words() -> None:
    def months(*values: int) -> list[MonthCount]:
        start = dt.date(2024, 1, 1)
        return [MonthCount(add_months(start, i), value) for i, value in enumerate(values)]

    falling = describe_trend(months(0, 0, 4, 6, 3), dt.date(2024, 5, 20))
    assert falling.startswith("None were in place before March 2024. 4 blanket restrictions")
    assert "the most was 6 (April 2024)" in falling
    assert "3 in place on 20 May 2024: 3 fewer than at the most, 1 fewer than" in falling
    assert "No blanket restrictions were in place" in describe_trend(months(0, 0))
    steady = describe_trend(months(2, 2))
    assert "the same number as at the end of January 2024" in steady
    assert "the most" not in steady


def test_no_page_is_left_more_than_a_third_empty(
    db: Database, adult_register: ServiceInfo, tmp_path: Path
) -> None:
    home = create_service(db, "Kestrel Lodge", Sector.CHILDRENS_SERVICES)
    for number, (_category, item) in enumerate(shipped_checklist().items()[:14]):
        entry = _found(db, home, item.code, 600 - number * 30)
        # Entries of very different lengths, so some fit at the foot of a page and some not.
        _fill_in(db, entry, rationale=" ".join(["Needed while we check."] * (number * 8)))

    result = write_restrictions_report(db, tmp_path / "r.pdf", today=TODAY)

    pdf = read_pdf(result.path)
    appendix = next(i for i, page in enumerate(pdf.pages, 1) if "Appendix: every" in page)
    assert emptier_than_a_third(result.path, {appendix - 1}) == []
