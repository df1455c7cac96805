"""The plan's light list: what the plan's screens show, read in one query, the same as the
whole actions say."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from rrn_desktop.base.vocabulary import ActionSource, ActionStatus, Sector, Strategy
from rrn_desktop.core import incidents, plan
from rrn_desktop.core.services import create_service
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Incident, LearningPoint, LearningReview

DAY = dt.date(2026, 3, 2)


def _statements(db: Database) -> list[str]:
    """Every SQL statement the database is sent from now on."""
    sent: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return sent


def test_the_light_list_says_what_the_whole_actions_say(demo_db: Database) -> None:
    plan.create_action(demo_db, "Undated, for everyone", Strategy.TOOLS, DAY)
    with demo_db.transaction() as session:
        incident_id = session.scalars(
            select(Incident.id)
            .join(LearningReview, LearningReview.incident_id == Incident.id)
            .join(LearningPoint, LearningPoint.review_id == LearningReview.id)
            .where(LearningPoint.action_id.is_not(None))
        ).first()
    assert incident_id is not None
    incidents.delete_incident(demo_db, incident_id)

    light = plan.list_action_summaries(demo_db)
    whole = plan.list_actions(demo_db)

    assert light == [action.summary() for action in whole]  # the same, in the same order
    assert {action.source for action in light} == set(ActionSource)
    assert any("since been deleted" in action.source_detail for action in light)
    assert any(action.due_on is None for action in light)
    assert any(action.service is None for action in light)
    assert not any(hasattr(action, "notes") for action in light)
    assert plan.count_actions(light, DAY) == plan.count_actions(whole, DAY)


def test_the_light_list_is_one_query_however_long_the_plan(db: Database) -> None:
    services = [create_service(db, f"House {n}", Sector.ADULT_SOCIAL_CARE) for n in range(3)]
    for number in range(30):
        action = plan.create_action(
            db,
            f"Action {number}",
            list(Strategy)[number % len(Strategy)],
            DAY,
            service_id=services[number % 3].id if number % 4 else None,
            due_on=DAY + dt.timedelta(days=(number * 7) % 50) if number % 5 else None,
        )
        plan.add_note(db, action.id, DAY, "A note the list does not need")
        if number % 3 == 0:
            plan.move_forward(db, action.id, DAY)
    sent = _statements(db)
    light = plan.list_action_summaries(db)
    assert len(sent) == 1
    assert len(light) == 30
    orders = [(a.due_on or dt.date.max, a.id) for a in light]
    assert orders == sorted(orders)  # soonest due first, undated last
    assert light[-1].due_on is None
    assert sum(a.status is ActionStatus.IN_PROGRESS for a in light) == 10
    # One service record is shared by its actions, not made again for each.
    assert len({id(a.service) for a in light if a.service is not None}) == 3


def test_a_whole_action_gives_its_summary(db: Database) -> None:
    action = plan.create_action(
        db, "Debrief", Strategy.DEBRIEFING, DAY, owner_name="Ffion", due_on=DAY
    )
    summary = action.summary()
    assert type(summary) is plan.ActionSummary
    assert summary == plan.list_action_summaries(db)[0]
    assert (summary.title, summary.owner, summary.plan_order) == (
        "Debrief",
        "Ffion",
        (DAY, action.id),
    )
