"""One incident's record as a PDF, checked by the text a reader gets out of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import Answer, Involvement, PersonIdentity, Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.incident_settings import update_incident_settings
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.incident_report import (
    PART_ONE,
    PART_THREE,
    PART_TWO,
    SUPPORT_LEFT_OUT,
    write_incident_report,
)
from rrn_desktop.storage.database import Database
from tests.reports.helpers import PdfText, read_pdf

NOW = dt.datetime(2026, 11, 20, 15, 0)
TODAY = NOW.date()
WHEN = dt.datetime(2026, 11, 16, 14, 30)
REFERENCE = "INC-2026-007"

PLACE = "Corridor <by> the hall & stairs, Tŵr block"
OWN_ACCOUNT = "I felt scared & wanted <quiet>. Roedd y sŵn yn ormod."
COMMUNICATION = "Pictures and Makaton signs, with a trusted teaching assistant"
HELP_NEXT_TIME = "Let me go to the library when it gets loud."
REFERRAL = "Referred to occupational health for a back strain."
POINT_ACTED = "Agree a quiet space for the pupil & tell all staff."
POINT_OPEN = "Check the visual timetable is up before lunch."
ACTION_OWNER = "Deputy head"


def record_full_incident(db: Database) -> int:
    """A school incident with everything recorded: support, staff welfare, review and points."""
    school = create_service(db, "Hillside School", Sector.EDUCATION)
    update_incident_settings(db, identity=PersonIdentity.INITIALS)
    record = incidents.record_incident(
        db,
        school.id,
        REFERENCE,
        WHEN,
        ["physical-standing-hold", "environmental-seclusion"],
        now=NOW,
        person_initials="JB",
        duration_minutes=75,
        place=PLACE,
        reason="Hitting out at a classmate; risk of serious harm.",
        tried_first="Offered a walk and quiet time.",
        in_plan=Answer.YES,
        person_injured=Answer.NO,
        staff_injured=Answer.YES,
        injury_details="A teacher strained her back.",
        who_told="Head teacher; parents by phone.",
        sector_answers={"parents_told_on": "2026-11-16", "significant_force": "yes"},
    )
    incidents.add_staff(
        db,
        record.id,
        "Sam Patel",
        Involvement.INVOLVED,
        role="Class teacher",
        welfare_offered_on=dt.date(2026, 11, 17),
        welfare_taken_up=Answer.YES,
        referral=REFERRAL,
    )
    incidents.add_staff(
        db,
        record.id,
        "Ann Jones",
        Involvement.WITNESS,
        role="Midday supervisor",
        welfare_offered_on=dt.date(2026, 11, 20),  # after the 72 hours ran out on 19 November
    )
    incidents.save_person_support(
        db,
        record.id,
        dt.date(2026, 11, 16),
        offered_by_role="Key adult",
        taken_up=Answer.YES,
        communication=COMMUNICATION,
        own_account=OWN_ACCOUNT,
        help_next_time=HELP_NEXT_TIME,
    )
    incidents.save_review(
        db,
        record.id,
        dt.date(2026, 11, 18),
        "Rhian Lloyd",
        lead_not_involved=True,
        today=TODAY,
        lead_role="Assistant head",
        before="A fire drill had been cancelled at short notice.",
        what_helped="A calm voice and space.",
        could_be_different="Warn the class about changes to the day.",
    )
    incidents.add_learning_point(db, record.id, POINT_ACTED, "environment_sensory")
    reviewed = incidents.add_learning_point(db, record.id, POINT_OPEN, "early_signs")
    incidents.point_to_action(
        db, reviewed.review.points[0].id, TODAY, owner_name=ACTION_OWNER, due_on=dt.date(2027, 1, 8)
    )
    return record.id


@pytest.fixture
def incident(db: Database) -> int:
    return record_full_incident(db)


def _write(db: Database, incident_id: int, out: Path, *, include_support: bool) -> PdfText:
    result = write_incident_report(
        db, incident_id, out, include_support=include_support, today=TODAY
    )
    pdf = read_pdf(out)
    assert result.page_count == len(pdf.pages)
    return pdf


def _page_of(pdf: PdfText, heading: str) -> int:
    pages = [index for index, page in enumerate(pdf.pages) if heading in page]
    assert len(pages) == 1, f"{heading!r} is on pages {pages}"
    return pages[0]


def test_the_three_parts_each_start_a_page_of_their_own_in_order(
    db: Database, incident: int, tmp_path: Path
) -> None:
    pdf = _write(db, incident, tmp_path / "incident.pdf", include_support=True)

    first, second, third = (_page_of(pdf, part) for part in (PART_ONE, PART_TWO, PART_THREE))
    assert 0 < first < second < third
    assert "End of report" in pdf.pages[-1]
    assert f"Incident {REFERENCE}" in pdf.pages[0] and "Hillside School" in pdf.pages[0]
    # Part 1 opens with the data protection note, and keeps welfare details out of it.
    part_one = " ".join(pdf.pages[first:second])
    assert "contains personal data" in part_one and "data protection policy" in part_one
    assert "Sam Patel" in part_one and "Class teacher" in part_one and "Witness" in part_one
    assert REFERRAL not in " ".join(part_one.split())


def test_part_one_prints_the_record_and_the_schools_own_questions(
    db: Database, incident: int, tmp_path: Path
) -> None:
    text = _write(db, incident, tmp_path / "incident.pdf", include_support=False).flat

    assert "JB" in text  # initials were allowed and recorded
    assert "16 November 2026 at 14:30" in text and "1 hour 15 minutes" in text
    assert "Standing hold (Physical)" in text and "Seclusion (Environmental)" in text
    assert "School record of restraint, seclusion and significant force" in text
    assert "Parents or carers told on 16 November 2026" in text
    assert "Not answered yet:" in text and "How parents or carers were told" in text


def test_support_records_are_left_out_unless_asked_for(
    db: Database, incident: int, tmp_path: Path
) -> None:
    without = _write(db, incident, tmp_path / "without.pdf", include_support=False).flat
    with_support = _write(db, incident, tmp_path / "with.pdf", include_support=True).flat

    for private in ("Roedd y sŵn yn ormod", COMMUNICATION, HELP_NEXT_TIME, REFERRAL):
        assert private not in without
        assert private in with_support
    assert SUPPORT_LEFT_OUT in without and SUPPORT_LEFT_OUT not in with_support
    # How to include them is said in the app's words, never as command-line advice.
    assert "Include support records" in without
    assert "--include-support" not in without and "command line" not in without
    # The timing facts stay: one of one involved in time, the witness late, so not everyone.
    timing = [
        "The person offered support within 72 hours Yes",
        "Staff involved offered a welfare check within 72 hours 1 of 1",
        "Witnesses offered a welfare check within 72 hours 0 of 1",
        "Everyone recorded offered support within 72 hours No",
    ]
    assert [fact for fact in timing if fact not in without] == []


def test_text_prints_as_typed_markup_ampersands_and_welsh_letters(
    db: Database, incident: int, tmp_path: Path
) -> None:
    text = _write(db, incident, tmp_path / "incident.pdf", include_support=True).flat

    assert PLACE in text
    assert OWN_ACCOUNT in text
    assert POINT_ACTED in text


def test_the_review_shows_its_lead_timing_and_what_the_points_became(
    db: Database, incident: int, tmp_path: Path
) -> None:
    pdf = _write(db, incident, tmp_path / "incident.pdf", include_support=False)
    part_three = " ".join(" ".join(pdf.pages[_page_of(pdf, PART_THREE) :]).split())

    assert "18 November 2026" in part_three and "Yes, within 72 hours" in part_three
    assert "Rhian Lloyd, Assistant head" in part_three
    assert "The environment and sensory needs" in part_three and "Early warning signs" in part_three
    acted, open_point = part_three.index(POINT_ACTED), part_three.index(POINT_OPEN)
    assert "Action on the plan" in part_three[acted:open_point]
    assert f"Owner: {ACTION_OWNER}" in part_three[acted:open_point]
    assert "Not an action yet" in part_three[open_point:]


def test_a_new_record_says_what_is_still_to_come(db: Database, tmp_path: Path) -> None:
    home = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
    bare = incidents.record_incident(db, home.id, "INC-2026-001", WHEN, ["chemical-prn"], now=NOW)
    pdf = _write(db, bare.id, tmp_path / "bare.pdf", include_support=True)
    text = pdf.flat

    # Each part has a page of its own even when the one before is short.
    assert [_page_of(pdf, part) for part in (PART_ONE, PART_TWO, PART_THREE)] == [1, 2, 3]

    assert "The learning review has not been held yet" in text
    assert "by 19 November 2026 at 14:30" in text and "OVERDUE" in text
    assert "No support for the person has been recorded yet" in text
    assert "No staff or witnesses are recorded" in text
    assert "The person's initials" not in text


def test_a_missing_incident_is_explained(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no longer exists"):
        write_incident_report(db, 999, tmp_path / "none.pdf", today=TODAY)
    assert not (tmp_path / "none.pdf").exists()


def test_the_72_hours_are_told_in_the_tense_of_the_day_printed(
    db: Database, incident: int, tmp_path: Path
) -> None:
    # Printed on 20 November, after the 72 hours from 16 November, 14:30 ran out.
    after = _write(db, incident, tmp_path / "after.pdf", include_support=False).flat
    assert "The 72 hours after this incident ran out on 19 November 2026 at 14:30." in after

    # Printed the day after the incident, before they run out.
    result = write_incident_report(
        db, incident, tmp_path / "before.pdf", include_support=False, today=dt.date(2026, 11, 17)
    )
    before = read_pdf(result.path).flat
    assert "The 72 hours after this incident run out on 19 November 2026 at 14:30." in before
    assert "ran out on 19 November" not in before


def test_fields_left_empty_are_named_once_not_printed_as_not_recorded(
    db: Database, tmp_path: Path
) -> None:
    home = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
    bare = incidents.record_incident(db, home.id, "INC-2026-001", WHEN, ["chemical-prn"], now=NOW)
    text = _write(db, bare.id, tmp_path / "bare.pdf", include_support=True).flat

    what_happened = text[text.index("What happened") :]
    assert "Where Not recorded" not in what_happened
    assert "Not recorded yet How long it lasted; where; why it was used; " in what_happened
