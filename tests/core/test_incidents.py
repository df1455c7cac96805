"""Incident records, support kept apart from learning, and learning that becomes actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import (
    ActionSource,
    Answer,
    Involvement,
    PersonIdentity,
    RestraintType,
    Sector,
)
from rrn_desktop.core import incidents, plan
from rrn_desktop.core.incident_settings import update_incident_settings
from rrn_desktop.core.services import create_service
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.errors import ChangedElsewhereError
from tests.conftest import reopen

NOW = dt.datetime(2026, 11, 20, 15, 0)
WHEN = dt.datetime(2026, 11, 16, 14, 30)


@pytest.fixture
def school(db: Database) -> int:
    return create_service(db, "Hillside School ŵ", Sector.EDUCATION).id


def _record(db: Database, service_id: int, reference: str = "INC-2026-001", **fields: object):
    return incidents.record_incident(
        db, service_id, reference, WHEN, ["physical-standing-hold"], now=NOW, **fields
    )


def test_an_incident_and_its_school_questions_are_there_after_reopening(
    data_dir: Path, db: Database, school: int
) -> None:
    incident = incidents.record_incident(
        db,
        school,
        "INC-2026-001",
        WHEN,
        ["physical-standing-hold", "environmental-seclusion"],
        now=NOW,
        duration_minutes=12,
        place="Corridor <by> the hall & stairs 🙂",
        tried_first="Offered a walk and quiet time.",
        in_plan=Answer.YES,
        sector_answers={"parents_told_on": "2026-11-16"},
    )
    db.close()
    with reopen(db) as reopened:
        again = incidents.get_incident(reopened, incident.id)
    assert again.place == "Corridor <by> the hall & stairs 🙂"
    assert again.restraint_types == (RestraintType.PHYSICAL, RestraintType.ENVIRONMENTAL)
    assert again.in_plan is Answer.YES and again.duration_minutes == 12
    answers = {a.label: a.value for a in again.answers_for()}
    assert "16 November 2026" in answers.values()


def test_a_question_the_sector_does_not_ask_is_refused(db: Database, school: int) -> None:
    with pytest.raises(InputError, match="not a question"):
        _record(db, school, sector_answers={"no_such_question": "x"})
    assert incidents.list_incidents(db, school) == []


def test_initials_are_refused_until_the_organisation_allows_them(db: Database, school: int) -> None:
    with pytest.raises(InputError, match="Initials are switched off"):
        _record(db, school, person_initials="JB")
    update_incident_settings(db, identity=PersonIdentity.INITIALS)
    assert _record(db, school, person_initials="JB").person_initials == "JB"


def test_a_reference_can_be_used_once_and_the_suggestion_skips_used_ones(
    db: Database, school: int
) -> None:
    _record(db, school)
    with pytest.raises(InputError, match="already used"):
        _record(db, school)
    assert incidents.suggest_reference(db, WHEN.date()) == "INC-2026-002"


def test_the_review_lead_cannot_be_someone_involved(db: Database, school: int) -> None:
    incident = _record(db, school)
    incidents.add_staff(db, incident.id, "Sam Patel", Involvement.INVOLVED, role="Teacher")
    with pytest.raises(InputError, match="Sam Patel was involved in this incident"):
        incidents.save_review(
            db, incident.id, NOW.date(), "  sam  patel ", lead_not_involved=True, today=NOW.date()
        )
    with pytest.raises(InputError, match="confirm"):
        incidents.save_review(
            db, incident.id, NOW.date(), "Ann Lee", lead_not_involved=False, today=NOW.date()
        )
    assert incidents.get_incident(db, incident.id).review is None


def test_a_missing_review_is_overdue_after_72_hours_until_it_is_held(
    db: Database, school: int
) -> None:
    incident = _record(db, school)
    assert incidents.overdue_reviews(db, WHEN + dt.timedelta(hours=71)) == []
    assert [i.reference for i in incidents.overdue_reviews(db, NOW)] == ["INC-2026-001"]
    done = incidents.save_review(
        db, incident.id, NOW.date(), "Ann Lee", lead_not_involved=True, today=NOW.date()
    )
    assert incidents.overdue_reviews(db, NOW) == []
    assert not done.review_within_72_hours  # 20 Nov is after the 72 hours ran out on 19 Nov


def test_support_counts_as_in_time_only_when_everyone_was_offered_it(
    db: Database, school: int
) -> None:
    incident = _record(db, school)
    incidents.save_person_support(
        db, incident.id, WHEN.date(), offered_by_role="Key worker", own_account="I felt scared."
    )
    staff = incidents.add_staff(db, incident.id, "Sam Patel", Involvement.INVOLVED)
    assert not staff.support_within_72_hours  # Sam has not been offered a welfare check
    updated = incidents.update_staff(
        db, incident.id, staff.staff[0].id, welfare_offered_on=dt.date(2026, 11, 19)
    )
    assert updated.support_within_72_hours
    with pytest.raises(InputError, match="cannot be before the incident"):
        incidents.save_person_support(db, incident.id, dt.date(2026, 11, 1))
    assert incidents.get_incident(db, incident.id).person_support.offered_on == WHEN.date()


def test_a_learning_point_becomes_an_action_that_outlives_the_incident(
    db: Database, school: int
) -> None:
    incident = _record(db, school)
    incidents.save_review(
        db, incident.id, NOW.date(), "Ann Lee", lead_not_involved=True, today=NOW.date()
    )
    reviewed = incidents.add_learning_point(
        db,
        incident.id,
        "Agree a quiet space for the pupil & tell all staff.",
        "environment_sensory",
    )
    point = reviewed.review.points[0]
    action = incidents.point_to_action(db, point.id, NOW.date(), owner_name="Deputy head")
    assert action.source is ActionSource.LEARNING_POINT
    assert "INC-2026-001" in action.source_detail and "Hillside School ŵ" in action.source_detail
    assert [a.id for a in plan.list_actions(db)] == [action.id]
    with pytest.raises(InputError, match="already an action"):
        incidents.point_to_action(db, point.id, NOW.date())

    incidents.delete_incident(db, incident.id)
    kept = plan.get_action(db, action.id)
    assert kept.title.startswith("Agree a quiet space")
    assert "since been deleted" in kept.source_detail


def test_a_save_made_from_an_older_copy_of_an_incident_is_refused(
    db: Database, school: int
) -> None:
    incident = incidents.record_incident(
        db, school, "INC-2026-009", WHEN, ["physical-escort"], now=NOW
    )
    incidents.update_incident(db, incident.id, opened=incident.row_version, place="Theirs")
    with pytest.raises(ChangedElsewhereError, match="Someone else changed this"):
        incidents.update_incident(db, incident.id, opened=incident.row_version, place="Mine")
    assert incidents.get_incident(db, incident.id).place == "Theirs"
