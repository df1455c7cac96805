"""The demo's two years of fictional incidents, with the support and learning that followed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import ActionSource, ActionStatus, RestraintType, Sector
from rrn_desktop.core import incidents, plan
from rrn_desktop.core.dates import month_starts
from rrn_desktop.core.incidents import IncidentInfo
from rrn_desktop.storage.database import Database, open_database

# The demo template is built with today's date, so the checks count from today too.
TODAY = dt.date.today()
NOW = dt.datetime.now()


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Database]:
    with open_database(demo_dir) as db:
        yield db


@pytest.fixture
def records(demo: Database) -> list[IncidentInfo]:
    return incidents.list_incidents(demo)


def test_two_years_of_incidents_in_both_homes_falling_over_time(
    records: list[IncidentInfo],
) -> None:
    assert 40 <= len(records) <= 70
    sectors = {record.service.sector for record in records}
    assert sectors == {Sector.ADULT_SOCIAL_CARE, Sector.CHILDRENS_SERVICES}
    months = month_starts(TODAY, 24)
    covered = {record.occurred_at.date().replace(day=1) for record in records}
    assert len(covered & set(months)) >= 20
    assert all(record.occurred_at.date() >= months[0] for record in records)
    first_year = [r for r in records if r.occurred_at.date() < months[12]]
    assert len(first_year) > 2 * (len(records) - len(first_year))  # restraint reduction working


def test_mostly_physical_holds_hardly_ever_face_down(records: list[IncidentInfo]) -> None:
    physical = [r for r in records if RestraintType.PHYSICAL in r.restraint_types]
    assert len(physical) > len(records) / 2
    kinds = [i.kind_code for r in records for i in r.interventions]
    assert kinds.count("physical-floor-prone") <= 2
    care_home = [r for r in records if r.service.sector is Sector.ADULT_SOCIAL_CARE]
    assert any(RestraintType.CHEMICAL in r.restraint_types for r in care_home)
    assert any(len(r.interventions) == 2 for r in records)


def test_a_review_is_overdue_and_a_recent_one_is_still_to_come(
    demo: Database, records: list[IncidentInfo]
) -> None:
    overdue = incidents.overdue_reviews(demo, NOW)
    assert any(NOW - r.occurred_at < dt.timedelta(days=7) for r in overdue)
    waiting = [
        r for r in records if r.review is None and NOW - r.occurred_at < incidents.SUPPORT_WINDOW
    ]
    assert len(waiting) == 1
    assert sum(r.review is not None for r in records) > 0.8 * len(records)


def test_learning_points_became_actions_on_the_plan(
    demo: Database, records: list[IncidentInfo]
) -> None:
    from_points = [a for a in plan.list_actions(demo) if a.source is ActionSource.LEARNING_POINT]
    assert len(from_points) >= 5
    linked = {action_id for record in records for action_id in record.action_ids}
    assert {a.id for a in from_points} <= linked
    assert all(a.owner_name and a.due_on for a in from_points)
    assert {ActionStatus.DONE, ActionStatus.IN_PROGRESS} <= {a.status for a in from_points}
    assert all(c.changed_on <= TODAY for a in from_points for c in a.status_changes)


def test_people_are_known_by_reference_only_and_reviews_led_by_someone_not_there(
    records: list[IncidentInfo],
) -> None:
    assert all(record.person_initials == "" for record in records)
    assert all(record.reference.startswith("INC-") for record in records)
    assert len({record.reference for record in records}) == len(records)
    for record in records:
        if record.review is not None:
            assert record.review.lead_name not in {staff.name for staff in record.staff}


def test_nothing_is_dated_after_today(records: list[IncidentInfo]) -> None:
    for record in records:
        assert record.occurred_at <= NOW
        days = [staff.welfare_offered_on for staff in record.staff]
        if record.person_support is not None:
            days.append(record.person_support.offered_on)
        if record.review is not None:
            days.append(record.review.held_on)
        days += [
            dt.date.fromisoformat(value)
            for key, value in record.sector_answers.items()
            if key.endswith("_on")
        ]
        assert all(record.occurred_at.date() <= day <= TODAY for day in days if day is not None)
