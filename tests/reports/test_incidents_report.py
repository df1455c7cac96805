"""The anonymised incident figures PDF, checked by the text a board member gets out of it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    RESTRAINT_TYPE_LABELS,
    Answer,
    Involvement,
    PersonIdentity,
    RestraintType,
    Sector,
)
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core import incidents
from rrn_desktop.core.incident_settings import update_incident_settings
from rrn_desktop.core.services import ServiceInfo, create_service
from rrn_desktop.reports.incidents_report import NO_INCIDENTS, write_incidents_report
from rrn_desktop.storage.database import Database, open_database
from tests.reports.helpers import PdfText, read_pdf

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 15, 0)
FIRST_MONTH = dt.date(2025, 12, 1)
# Incidents begun in each month from December 2025 to November 2026: 36 in all.
PER_MONTH = [3, 4, 2, 5, 3, 4, 2, 3, 4, 2, 3, 1]
STAFF = ["Sam Patel", "Ann Jones", "Chris O'Neill", "Priya Shah"]
LEADS = ["Rhian Lloyd", "Tom Baker"]
INITIALS = ["JB", "KT", ""]
# Someone who was only at an incident before the period, but is named in a learning point in it.
EARLIER_STAFF = "Dana Whitfield"
KINDS = [
    ["physical-standing-hold"],
    ["physical-seated-hold", "environmental-seclusion"],
    ["chemical-prn"],
    ["physical-escort"],
    ["surveillance-enhanced-observation"],
    ["environmental-locked-door"],
    ["physical-floor-supine", "chemical-rapid-tranquillisation"],
    ["psychological-sanction"],
    ["mechanical-rails-or-strap"],
]
NIGHT_TEAM = "Refresh de-escalation practice for the night team."
POINTS = [
    ("communication", "{staff} was not told the person uses signs & pictures; add it to handover."),
    ("environment_sensory", "The lounge was loud at tea time <busy>; open the quiet room earlier."),
    ("staffing_handovers", "Agency staff had not met the person before; pair them with {staff}."),
    ("persons_plan", "The plan for {reference} was out of date; review it with the person."),
    (
        "early_signs",
        "Pacing and humming came first; {lead} to share the signs at the team meeting.",
    ),
    ("training_skills", NIGHT_TEAM),
    ("after_incident_support", "Offer the debrief in the person's own language (Cymraeg, ŵ)."),
    ("communication", f"Ask {EARLIER_STAFF} how the easy-read cards were used last year."),
    ("physical_health_pain", "Toothache was behind the distress; book a dental check."),
    ("environment_sensory", "Dim the corridor lights in the evening; the glare upset the person."),
    ("involving_person_family", "Invite the person's sister to the next review, as they asked."),
    ("staffing_handovers", "The handover missed that a family visit had been cancelled."),
    ("recording_data", "Write the record on the same shift; two were written days later."),
    ("persons_plan", "Add the person's own calming ideas to their support plan."),
    ("communication", "Use the communication passport at every change of shift."),
    ("training_skills", "Practise alternatives to the seated hold at the next refresher."),
]


@dataclass(frozen=True)
class Made:
    """What the test data holds, worked out here rather than by the code under test."""

    reference: str
    service_id: int
    month: dt.date
    types: frozenset[RestraintType]
    support_in_time: bool
    review_in_time: bool
    points: tuple[tuple[str, str], ...]  # theme and text, as written
    actions: int


@dataclass(frozen=True)
class Year:
    willow: ServiceInfo
    aspen: ServiceInfo
    made: list[Made]


def _month(offset: int) -> dt.date:
    index = FIRST_MONTH.month - 1 + offset
    return dt.date(FIRST_MONTH.year + index // 12, index % 12 + 1, 1)


def _record_one(
    db: Database, year_services: tuple[ServiceInfo, ServiceInfo], n: int, when: dt.datetime
) -> Made:
    willow, aspen = year_services
    service = aspen if n % 3 == 2 else willow
    reference = f"INC-{when.year}-{n + 1:03d}"
    kinds = KINDS[n % len(KINDS)]
    record = incidents.record_incident(
        db,
        service.id,
        reference,
        when,
        kinds,
        now=NOW,
        person_initials=INITIALS[n % len(INITIALS)],
        duration_minutes=5 + n % 20,
        place="Lounge" if n % 2 else "Corridor by the dining room",
        reason="Risk of harm to others.",
        tried_first="Talking calmly and offering space.",
        in_plan=Answer.YES,
    )
    day = when.date()
    staff, witness = STAFF[n % len(STAFF)], STAFF[(n + 1) % len(STAFF)]
    late_witness = n % 4 == 3
    incidents.add_staff(
        db,
        record.id,
        staff,
        Involvement.INVOLVED,
        role="Support worker",
        welfare_offered_on=day + dt.timedelta(days=1),
        welfare_taken_up=Answer.YES,
    )
    incidents.add_staff(
        db,
        record.id,
        witness,
        Involvement.WITNESS,
        role="Senior support worker",
        welfare_offered_on=day + dt.timedelta(days=5 if late_witness else 1),
    )
    incidents.save_person_support(
        db,
        record.id,
        day,
        offered_by_role="Key worker",
        taken_up=Answer.YES,
        own_account="I did not like the noise.",
    )
    if n % 5 == 4:  # no review yet
        return Made(
            reference, service.id, day.replace(day=1), _types(kinds), not late_witness, False, (), 0
        )
    late_review = n % 5 == 3
    lead = LEADS[n % len(LEADS)]
    incidents.save_review(
        db,
        record.id,
        day + dt.timedelta(days=4 if late_review else 2),
        lead,
        lead_not_involved=True,
        today=TODAY,
        lead_role="Deputy manager",
        what_helped="Space and a calm voice.",
    )
    chosen = [POINTS[n % len(POINTS)]] + ([POINTS[(n + 7) % len(POINTS)]] if n % 2 == 0 else [])
    chosen = [
        (theme, text.format(staff=staff, reference=reference, lead=lead)) for theme, text in chosen
    ]
    actions = 0
    for index, (theme, text) in enumerate(chosen):
        reviewed = incidents.add_learning_point(db, record.id, text, theme)
        if index == 0 and n % 4 == 0:
            incidents.point_to_action(db, reviewed.review.points[-1].id, TODAY)
            actions += 1
    return Made(
        reference,
        service.id,
        day.replace(day=1),
        _types(kinds),
        not late_witness,
        not late_review,
        tuple(chosen),
        actions,
    )


def _types(kinds: list[str]) -> frozenset[RestraintType]:
    pack = incident_pack()
    return frozenset(pack.intervention(code).restraint_type for code in kinds)


def build_year(db: Database) -> Year:
    """36 incidents over the 12 months to November 2026 in two services, and one from before."""
    willow = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
    aspen = create_service(db, "Aspen Court", Sector.HEALTH)
    update_incident_settings(db, identity=PersonIdentity.INITIALS)
    earlier = incidents.record_incident(
        db,
        willow.id,
        "INC-2025-900",
        dt.datetime(2025, 10, 6, 11, 0),
        ["physical-standing-hold"],
        now=NOW,
    )
    incidents.add_staff(db, earlier.id, EARLIER_STAFF, Involvement.INVOLVED)
    made: list[Made] = []
    n = 0
    for offset, count in enumerate(PER_MONTH):
        month = _month(offset)
        for k in range(count):
            when = dt.datetime(month.year, month.month, 2 + 6 * k, 9 + n % 8, 15)
            made.append(_record_one(db, (willow, aspen), n, when))
            n += 1
    return Year(willow, aspen, made)


@dataclass(frozen=True)
class Printed:
    year: Year
    whole: PdfText
    whole_path: Path
    aspen_only: PdfText


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """The year's data, printed once for every service and once for Aspen Court."""
    folder = tmp_path_factory.mktemp("incidents")
    with open_database(folder / "data") as db:
        year = build_year(db)
        whole = folder / "whole.pdf"
        aspen = folder / "aspen.pdf"
        result = write_incidents_report(db, whole, today=TODAY)
        write_incidents_report(db, aspen, service_id=year.aspen.id, today=TODAY)
        pdf = read_pdf(whole)
        assert result.page_count == len(pdf.pages)
        yield Printed(year, pdf, whole, read_pdf(aspen))


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _after(text: str, marker: str) -> str:
    return text[text.index(marker) :]


def test_the_totals_and_each_months_count_match_the_records(printed: Printed) -> None:
    made, text = printed.year.made, printed.whole.flat
    supported = sum(m.support_in_time for m in made)
    reviewed = sum(m.review_in_time for m in made)
    actions = sum(m.actions for m in made)

    assert len(made) == 36 and (supported, reviewed) == (27, 22)
    assert (
        "36 incidents in the last 12 months (21 November 2025 to 20 November 2026); support "
        f"offered within 72 hours: {_percent(supported, 36)}; a learning review within 72 "
        f"hours: {_percent(reviewed, 36)}." in text
    )
    assert "21 November 2025 to 20 November 2026" in printed.whole.pages[0]
    table = _after(text, "Support, reviews and actions each month")
    march = sum(1 for m in made if m.month == dt.date(2026, 3, 1))
    assert re.search(r"Mar 2026 (\d+) ", table).group(1) == str(march) == "5"
    assert (
        f"Period 36 {supported} of 36 ({_percent(supported, 36)}) {reviewed} of 36 "
        f"({_percent(reviewed, 36)}) {actions}" in table
    )
    # The types each month: physical in the months it was used, and the total for the period.
    physical = sum(RestraintType.PHYSICAL in m.types for m in made)
    types_table = _after(text, "Types of intervention each month")
    assert re.search(r"Period (\d+) ", types_table).group(1) == str(physical)


def test_each_service_has_its_own_line_and_a_service_report_keeps_to_it(printed: Printed) -> None:
    year = printed.year
    aspen = [m for m in year.made if m.service_id == year.aspen.id]
    willow = [m for m in year.made if m.service_id == year.willow.id]
    services = _after(printed.whole.flat, "Each service")

    assert f"Aspen Court Health {len(aspen)} " in services
    assert f"Willow House Adult social care {len(willow)} " in services

    alone = printed.aspen_only.flat
    assert f"{len(aspen)} incidents in the last 12 months" in alone
    assert "Willow House" not in alone and "Each service" not in alone


def test_no_reference_initials_or_name_appears_anywhere(printed: Printed) -> None:
    text = printed.whole.flat + printed.aspen_only.flat
    reader = PdfReader(printed.whole_path)
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())

    assert "[removed]" in text  # the points that named someone are still printed, scrubbed
    assert "signs & pictures" in text and "<busy>" in text and "ŵ" in text
    for found in (text, metadata):
        assert re.search(r"INC-\d{4}-\d{3}", found) is None
        for initials in filter(None, INITIALS):
            assert re.search(rf"\b{initials}\b", found) is None
        for name in [*STAFF, *LEADS, EARLIER_STAFF]:
            for part in [name, *name.split()]:
                assert part not in found, part


def test_learning_themes_are_counted_labelled_and_repeats_printed_once(printed: Printed) -> None:
    pack = incident_pack()
    text = _after(printed.whole.flat, "Learning themes")
    points = [point for m in printed.year.made for point in m.points]
    themes = [theme for theme, _text in points]

    for theme_id in set(themes):
        assert pack.theme(theme_id).label in text
    communication = themes.count("communication")
    assert re.search(r"Communication (\d+) ", text).group(1) == str(communication)
    assert f"All themes {len(points)} {sum(m.actions for m in printed.year.made)}" in text
    night_team = sum(point == NIGHT_TEAM for _theme, point in points)
    assert night_team > 1 and text.count(NIGHT_TEAM) == 1
    assert f"{NIGHT_TEAM} ({night_team} times)" in text


def test_a_theme_prints_five_different_points_and_counts_the_rest(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    record = incidents.record_incident(
        db, service.id, "INC-2026-001", dt.datetime(2026, 11, 2, 10, 0), ["chemical-prn"], now=NOW
    )
    incidents.save_review(
        db, record.id, dt.date(2026, 11, 3), "Ann Lee", lead_not_involved=True, today=TODAY
    )
    texts = [f"Point number {number} about the night shift." for number in range(1, 8)]
    for text in [texts[0], *texts]:  # the first is made twice
        incidents.add_learning_point(db, record.id, text, "training_skills")
    out = tmp_path / "themes.pdf"
    write_incidents_report(db, out, today=TODAY)
    text = _after(read_pdf(out).flat, "Learning themes")

    assert "Training and skills 8 0" in text
    assert f"{texts[0]} (2 times)" in text
    assert all(point in text for point in texts[1:5])
    assert texts[5] not in text and texts[6] not in text
    assert "… and 2 more." in text


def test_types_never_used_are_named_as_not_used(printed: Printed) -> None:
    used = set().union(*(m.types for m in printed.year.made))
    unused = [RESTRAINT_TYPE_LABELS[kind] for kind in RestraintType if kind not in used]

    assert unused == ["Cultural", "Blanket restriction"]
    assert "Not used in the period: Cultural; Blanket restriction." in printed.whole.flat


def test_a_period_with_no_incidents_gives_a_short_report_saying_so(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    incidents.record_incident(
        db, service.id, "INC-2024-001", dt.datetime(2024, 5, 1, 10, 0), ["chemical-prn"], now=NOW
    )
    out = tmp_path / "empty.pdf"
    result = write_incidents_report(db, out, today=TODAY)
    pdf = read_pdf(out)

    assert NO_INCIDENTS in pdf.flat
    assert "21 November 2025 to 20 November 2026" in pdf.flat
    assert "Month by month" not in pdf.flat and "Learning themes" not in pdf.flat
    assert result.page_count <= 2 and "End of report" in pdf.pages[-1]


def test_a_service_that_no_longer_exists_is_explained(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no longer exists"):
        write_incidents_report(db, tmp_path / "x.pdf", service_id=404, today=TODAY)
