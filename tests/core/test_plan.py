"""The pledge and the plan through the core operations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import ActionSource, ActionStatus, RestraintType, Sector, Strategy
from rrn_desktop.core import plan, restrictions
from rrn_desktop.core.services import create_service
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database, open_database

DAY = dt.date(2026, 3, 2)


def test_an_action_moves_forward_and_keeps_every_dated_step(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        action = plan.create_action(
            db,
            "Debrief after every incident",
            Strategy.DEBRIEFING,
            DAY,
            owner_name="Ffion Ŵ",
            owner_role="Deputy",
            due_on=dt.date(2026, 6, 1),
            outcome_measure="Debriefs within 72 hours",
            outcome_unit="%",
            outcome_baseline=30,
            outcome_target=90,
        )
        plan.move_forward(db, action.id, dt.date(2026, 3, 10))
        plan.add_note(db, action.id, dt.date(2026, 4, 1), "Template agreed <b>&</b>")
        plan.add_reading(db, action.id, 55, dt.date(2026, 4, 30))
        plan.add_reading(db, action.id, 70, dt.date(2026, 5, 31), "May")
        plan.move_forward(db, action.id, dt.date(2026, 6, 2))
        with pytest.raises(InputError, match="no next step"):
            plan.move_forward(db, action.id, dt.date(2026, 6, 3))
    with open_database(data_dir) as db:
        saved = plan.get_action(db, action.id)
    assert [(c.status, c.changed_on) for c in saved.status_changes] == [
        (ActionStatus.PLANNED, DAY),
        (ActionStatus.IN_PROGRESS, dt.date(2026, 3, 10)),
        (ActionStatus.DONE, dt.date(2026, 6, 2)),
    ]
    assert [n.text for n in saved.notes] == ["Template agreed <b>&</b>"]
    assert saved.done_on() == dt.date(2026, 6, 2)
    assert saved.outcome_text() == (
        "Debriefs within 72 hours: baseline 30 % → latest 70 % (31 May 2026) → target 90 %"
    )
    assert saved.owner == "Ffion Ŵ, Deputy"


def test_dropping_needs_a_reason_and_dates_cannot_go_backwards(db: Database) -> None:
    action = plan.create_action(db, "Buy cameras", Strategy.TOOLS, DAY)
    with pytest.raises(InputError, match="Say why"):
        plan.set_status(db, action.id, ActionStatus.DROPPED, DAY, "  ")
    with pytest.raises(InputError, match="cannot be before the last one"):
        plan.set_status(db, action.id, ActionStatus.DROPPED, dt.date(2026, 1, 1), "No")
    dropped = plan.set_status(db, action.id, ActionStatus.DROPPED, DAY, "Adds a restriction")
    assert (dropped.status, dropped.dropped_reason) == (ActionStatus.DROPPED, "Adds a restriction")
    with pytest.raises(InputError, match="before the start date"):
        plan.update_action(db, action.id, due_on=dt.date(2026, 1, 1))


def test_a_reading_needs_something_measured(db: Database) -> None:
    action = plan.create_action(db, "Train staff", Strategy.WORKFORCE, DAY)
    with pytest.raises(InputError, match="what is being measured"):
        plan.add_reading(db, action.id, 3, DAY)


def test_an_action_from_a_restriction_names_it(db: Database) -> None:
    service = create_service(db, "Ward", Sector.HEALTH)
    entry_id = restrictions.add_custom_restriction(
        db, service.id, "Garden locked", "building", RestraintType.ENVIRONMENTAL, DAY
    )
    action = plan.create_action(db, "Open the garden", Strategy.TOOLS, DAY, restriction_id=entry_id)
    assert action.source is ActionSource.RESTRICTION
    assert action.service is not None and action.service.name == "Ward"
    assert action.source_detail == "Blanket restriction 'Garden locked' (Ward)"
    assert [a.id for a in plan.actions_for_restriction(db, entry_id)] == [action.id]


def test_counts_for_the_start_screen(db: Database) -> None:
    today = dt.date(2026, 6, 1)
    overdue = plan.create_action(db, "Late", Strategy.DATA, DAY, due_on=dt.date(2026, 5, 1))
    plan.create_action(db, "On time", Strategy.DATA, DAY, due_on=dt.date(2026, 7, 1))
    finished = plan.create_action(db, "Finished", Strategy.DATA, DAY, due_on=dt.date(2026, 5, 1))
    plan.move_forward(db, finished.id, DAY)
    plan.move_forward(db, finished.id, DAY)
    counts = plan.count_actions(plan.list_actions(db), today)
    assert (counts.open, counts.overdue, counts.done) == (2, 1, 1)
    assert plan.get_action(db, overdue.id).overdue(today)


def test_the_pledge_runs_two_years_and_asks_to_be_renewed(db: Database) -> None:
    assert plan.current_pledge(db) is None
    with pytest.raises(InputError, match="Write the pledge"):
        plan.make_pledge(db, "   ", DAY)
    pledge = plan.make_pledge(db, "We will reduce restraint.", DAY, signed_by="Chair")
    assert (pledge.period_start, pledge.period_end) == (DAY, dt.date(2028, 3, 2))
    assert pledge.renewal_text(dt.date(2027, 6, 1)) == ""
    assert "time to renew" in pledge.renewal_text(dt.date(2028, 2, 1))
    assert "ended" in pledge.renewal_text(dt.date(2028, 4, 1))
    plan.update_pledge(db, pledge.id, published=True, published_where="Website")
    renewed = plan.make_pledge(db, pledge.statement, dt.date(2028, 3, 1))
    assert plan.current_pledge(db) == renewed
    person = plan.add_staff_pledge(db, "Night worker", "Offer a drink first", DAY)
    assert [p.person for p in plan.list_staff_pledges(db)] == ["Night worker"]
    plan.delete_staff_pledge(db, person.id)
    assert plan.list_staff_pledges(db) == []
