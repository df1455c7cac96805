"""The start screen's figures, counted in SQL, match what the whole records say.

Each figure is worked out a second way here, from every record loaded whole (the way the screen
once did it), on the large fictional demo and on records built to sit on each boundary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import (
    ActionStatus,
    RestraintType,
    RestrictionStatus,
    Sector,
    Strategy,
)
from rrn_desktop.core import benchmarks, incidents, plan, restrictions
from rrn_desktop.core.overview import (
    Attention,
    ServiceOverview,
    attention_by_service,
    organisation_overview,
    plan_summary,
    service_overview,
)
from rrn_desktop.core.services import create_service, list_services
from rrn_desktop.demo.large import load_large_demo
from rrn_desktop.storage.database import Database, open_database
from tests.plain_reading import asked

TODAY = dt.date(2026, 5, 14)
NOW = dt.datetime(2026, 5, 14, 12, 0)
KIND = "physical-standing-hold"


# --- the figures worked out from whole records -------------------------------------------------


def _expected_rows(db: Database, today: dt.date, now: dt.datetime) -> list[tuple]:
    entries = restrictions.list_restrictions(db)
    missing = incidents.overdue_reviews(db, now)
    rows = []
    for service in list_services(db):
        own = [e for e in entries if e.service.id == service.id]
        held = [b.held_on for b in benchmarks.list_benchmarks(db, service.id)]
        rows.append(
            (
                service,
                max(held) if held else None,
                sum(1 for e in own if e.in_place),
                [
                    (e.id, e.title, e.next_review_on)
                    for e in restrictions.overdue_entries(own, today)
                ],
                [
                    (i.id, i.reference, i.occurred_at, i.review_due_by)
                    for i in missing
                    if i.service.id == service.id
                ],
            )
        )
    return rows


def _row(row: ServiceOverview) -> tuple:
    return (
        row.service,
        row.latest_benchmark,
        row.restrictions_in_place,
        [(e.id, e.title, e.next_review_on) for e in row.overdue],
        [(i.id, i.reference, i.occurred_at, i.review_due_by) for i in row.missing_reviews],
    )


def _check_overview(db: Database, today: dt.date, now: dt.datetime) -> list[ServiceOverview]:
    overview = asked(db, organisation_overview, today, now)
    assert [_row(row) for row in overview] == _expected_rows(db, today, now)
    for row in overview:
        assert asked(db, service_overview, row.service.id, today, now) == row
    assert asked(db, attention_by_service, today, now) == {
        row.service.id: row.attention for row in overview if row.attention_text
    }
    return overview


def _check_plan(db: Database, today: dt.date) -> None:
    actions = plan.list_actions(db)
    summary = asked(db, plan_summary, today)
    assert summary.counts == plan.count_actions(actions, today)
    assert [(a.id, a.title, a.due_on) for a in summary.overdue] == [
        (a.id, a.title, a.due_on) for a in actions if a.overdue(today)
    ]


# --- on the large demo -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("large-overview")
    with open_database(folder) as db:
        load_large_demo(db, 3, 2, today=TODAY)
    with open_database(folder) as db:
        yield db


@pytest.mark.parametrize(
    "today", [TODAY, TODAY - dt.timedelta(days=200), TODAY + dt.timedelta(days=90)]
)
def test_the_overview_of_the_large_demo_matches_its_whole_records(
    large: Database, today: dt.date
) -> None:
    now = dt.datetime.combine(today, NOW.time())
    overview = _check_overview(large, today, now)
    assert any(row.overdue for row in overview) or today < TODAY
    _check_plan(large, today)


def test_the_actions_for_each_register_entry_are_those_the_plan_holds(large: Database) -> None:
    actions = plan.list_actions(large)
    linked = 0
    for entry in restrictions.list_restrictions(large):
        expected = [a for a in actions if a.restriction_id == entry.id]
        assert plan.actions_for_restriction(large, entry.id) == expected
        linked += bool(expected)
    assert linked  # the demo plans actions for some entries
    assert plan.actions_for_restriction(large, 10**9) == []


# --- records on each boundary ------------------------------------------------------------------


def _entry(db: Database, service_id: int, title: str, found: dt.date, review: dt.date) -> int:
    entry_id = restrictions.add_custom_restriction(
        db, service_id, title, "other", RestraintType.ENVIRONMENTAL, found
    )
    restrictions.update_restriction(db, entry_id, next_review_on=review)
    return entry_id


def test_only_entries_in_place_on_the_register_and_past_their_review_are_overdue(
    db: Database,
) -> None:
    home = create_service(db, "Home", Sector.ADULT_SOCIAL_CARE).id
    other = create_service(db, "Another home", Sector.ADULT_SOCIAL_CARE).id
    due = TODAY - dt.timedelta(days=3)
    # Found later but due the same day: the one found first is listed first.
    later = _entry(db, home, "Found later", dt.date(2026, 2, 1), due)
    earlier = _entry(db, home, "Found earlier", dt.date(2026, 1, 1), due)
    soonest = _entry(db, home, "Due soonest", dt.date(2026, 3, 1), due - dt.timedelta(days=9))
    _entry(db, home, "Due today", dt.date(2026, 1, 1), TODAY)
    reducing = _entry(db, other, "Being reduced", dt.date(2026, 1, 1), due)
    restrictions.change_status(db, reducing, RestrictionStatus.REDUCING, dt.date(2026, 1, 2))
    ended = _entry(db, other, "Individualised", dt.date(2026, 1, 1), due)
    restrictions.change_status(db, ended, RestrictionStatus.INDIVIDUALISED, dt.date(2026, 1, 2))
    deleted = _entry(db, other, "Deleted", dt.date(2026, 1, 1), due)
    restrictions.delete_restriction(db, deleted)
    no_date = _entry(db, other, "No review date", dt.date(2026, 1, 1), due)
    restrictions.update_restriction(db, no_date, next_review_on=None)

    overview = {row.service.id: row for row in _check_overview(db, TODAY, NOW)}
    assert [e.id for e in overview[home].overdue] == [soonest, earlier, later]
    assert overview[home].restrictions_in_place == 4
    assert [e.id for e in overview[other].overdue] == [reducing]
    assert overview[other].restrictions_in_place == 2  # being reduced, and no review date
    assert overview[home].attention_text == "3 reviews overdue"
    assert asked(db, attention_by_service, TODAY, NOW) == {
        home: Attention(3, 0),
        other: Attention(1, 0),
    }
    assert asked(db, service_overview, 10**9, TODAY, NOW) is None


def test_a_learning_review_is_missing_from_72_hours_until_one_is_held(db: Database) -> None:
    school = create_service(db, "School", Sector.EDUCATION).id
    limit = NOW - incidents.SUPPORT_WINDOW
    on_the_hour = incidents.record_incident(db, school, "INC-1", limit, [KIND], now=NOW)
    incidents.record_incident(db, school, "INC-2", limit + dt.timedelta(minutes=1), [KIND], now=NOW)
    older = incidents.record_incident(
        db, school, "INC-3", limit - dt.timedelta(days=2), [KIND], now=NOW
    )
    reviewed = incidents.record_incident(
        db, school, "INC-4", limit - dt.timedelta(days=3), [KIND], now=NOW
    )
    incidents.save_review(
        db, reviewed.id, reviewed.occurred_at.date(), "Ann Lee", lead_not_involved=True, today=TODAY
    )

    (row,) = _check_overview(db, TODAY, NOW)
    assert [i.id for i in row.missing_reviews] == [older.id, on_the_hour.id]
    assert row.missing_reviews[0].review_due_by == older.occurred_at + incidents.SUPPORT_WINDOW
    assert row.attention_text == "2 learning reviews missing"
    assert row.latest_benchmark is None and row.restrictions_in_place == 0


def test_the_plan_counts_open_overdue_and_done_actions(db: Database) -> None:
    home = create_service(db, "Home", Sector.ADULT_SOCIAL_CARE).id
    start = dt.date(2026, 1, 1)

    def action(title: str, due: dt.date | None, status: ActionStatus | None = None) -> int:
        made = plan.create_action(db, title, Strategy.DATA, start, service_id=home, due_on=due).id
        if status is not None:
            plan.set_status(
                db, made, status, start, "Not needed" * (status is ActionStatus.DROPPED)
            )
        return made

    late = action("Late", TODAY - dt.timedelta(days=1))
    later = action("Later still", TODAY - dt.timedelta(days=30), ActionStatus.IN_PROGRESS)
    action("Due today", TODAY)
    action("No date", None)
    action("Done late", TODAY - dt.timedelta(days=5), ActionStatus.DONE)
    action("Dropped late", TODAY - dt.timedelta(days=5), ActionStatus.DROPPED)

    _check_plan(db, TODAY)
    summary = asked(db, plan_summary, TODAY)
    assert [a.id for a in summary.overdue] == [later, late]
    assert summary.text == "Restraint reduction plan: 4 actions open (2 OVERDUE), 1 done."
    assert not summary.has_pledge and summary.renewal == ""


def test_an_empty_organisation_has_nothing_to_show(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        assert asked(db, organisation_overview, TODAY, NOW) == []
        assert asked(db, attention_by_service, TODAY, NOW) == {}
        summary = asked(db, plan_summary, TODAY)
    assert summary.text == "Restraint reduction plan: 0 actions open (none overdue), 0 done."
    assert summary.overdue == ()
