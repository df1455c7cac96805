"""A school's copy of an incident record for the pupil's parents or carers: what happened to
their child, and nothing of anyone else's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import Answer, Involvement, PersonIdentity, Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.incident_settings import update_incident_settings
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.parents_copy import PARENTS_COPY_TITLE, write_parents_copy
from rrn_desktop.storage.database import Database
from tests.reports.helpers import read_pdf

WHEN = dt.datetime(2026, 10, 15, 14, 30)
STAFF = "Rhiannon Ffugenw"


def _school_records(db: Database) -> int:
    update_incident_settings(db, identity=PersonIdentity.INITIALS)
    school = create_service(db, "Ysgol Ŵ <&> Primary", Sector.EDUCATION)
    incidents.record_incident(
        db,
        school.id,
        "PUPIL-OTHER",
        WHEN,
        ["physical-standing-hold"],
        now=WHEN,
        person_initials="QZ",
    )
    ours = incidents.record_incident(
        db,
        school.id,
        "PUPIL-OURS",
        WHEN,
        ["physical-standing-hold"],
        now=WHEN,
        person_initials="JL",
        place="Hall, near PUPIL-OTHER's class",
        reason=f"To stop a fall; QZ was close by and {STAFF} stepped in.",
        tried_first="Calm words & space <quietly>.",
        in_plan=Answer.YES,
        person_injured=Answer.NO,
        staff_injured=Answer.YES,
        injury_details=f"{STAFF} scratched a hand.",
        sector_answers={"parents_told_on": "2026-10-15", "parents_told_how": "Phone call"},
    )
    incidents.add_staff(db, ours.id, STAFF, Involvement.INVOLVED, role="Teaching assistant")
    incidents.save_person_support(
        db, ours.id, WHEN.date(), own_account="I felt scared and my arm hurt."
    )
    return ours.id


def test_the_parents_copy_holds_no_support_record_and_no_one_elses_details(
    db: Database, tmp_path: Path
) -> None:
    ours = _school_records(db)
    text = read_pdf(write_parents_copy(db, ours, tmp_path / "copy.pdf").path).flat
    assert PARENTS_COPY_TITLE in text and "PUPIL-OURS" in text
    assert "Calm words & space <quietly>." in text
    assert "Phone call" in text and "15 October 2026" in text
    # No support record, nobody else's code, initials or name, no review.
    for private in ("I felt scared", "PUPIL-OTHER", "QZ", STAFF, "Ffugenw", "Teaching assistant"):
        assert private not in text, private
    assert "[removed]" in text
    assert "scratched a hand" not in text  # someone else's injury
    assert "Learning review" not in text and "Support" not in text


def test_only_a_school_makes_a_parents_copy(db: Database, tmp_path: Path) -> None:
    home = create_service(db, "Care home", Sector.ADULT_SOCIAL_CARE)
    incident = incidents.record_incident(
        db, home.id, "H-1", WHEN, ["physical-standing-hold"], now=WHEN
    )
    with pytest.raises(UserFacingError, match="only of a school's records"):
        write_parents_copy(db, incident.id, tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()
