"""A fictional pledge and restraint reduction plan for the demo, dated back from today."""

from __future__ import annotations

import datetime as dt

from rrn_desktop.base.vocabulary import ActionStatus, Priority, Strategy
from rrn_desktop.core import plan, restrictions
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.storage.database import Database

PLEDGE = (
    "Brambleford Care Partnership (a fictional demo organisation) commits to reducing the use "
    "of restraint and restrictive practice in every service: by listening to the people we "
    "support and their families, by learning from every incident, and by training staff in "
    "ways that prevent crises before they start."
)


def _months(today: dt.date, count: int) -> dt.date:
    return add_months(today, count)


def load_demo_plan(
    db: Database, care_home: ServiceInfo, childrens_home: ServiceInfo, today: dt.date
) -> None:
    plan.make_pledge(
        db,
        PLEDGE,
        _months(today, -22),  # the two years end soon, so the renewal prompt shows
        signed_by="Morgan Example",
        signed_role="Chief executive (fictional)",
        published=True,
        published_where="On the organisation's website and in each home's entrance hall.",
    )
    plan.add_staff_pledge(
        db,
        "Rhian Sample, training lead",
        "Observe one shift a month to see training in use.",
        _months(today, -14),
        _months(today, 1),
    )
    plan.add_staff_pledge(
        db,
        "Night support worker, Willow House",
        "Offer a drink and a chat before any other step when someone cannot sleep.",
        _months(today, -10),
        _months(today, -1),
    )

    def action(
        title: str,
        strategy: Strategy,
        start: int,
        due: int,
        *,
        service_id: int | None = None,
        **fields: object,
    ) -> int:
        return plan.create_action(
            db,
            title,
            strategy,
            _months(today, start),
            service_id=service_id,
            restriction_id=None,
            due_on=_months(today, due),
            **fields,
        ).id

    leadership = action(
        "Board receives a restraint reduction report every quarter",
        Strategy.LEADERSHIP,
        -20,
        -8,
        owner_name="Morgan Example",
        owner_role="Chief executive",
        priority=Priority.HIGH,
    )
    plan.move_forward(db, leadership, _months(today, -18))
    plan.add_note(db, leadership, _months(today, -15), "First quarterly report presented.")
    plan.move_forward(db, leadership, _months(today, -9))

    data = action(
        "Cut uses of physical restraint at Willow House",
        Strategy.DATA,
        -18,
        3,
        service_id=care_home.id,
        owner_name="Rhian Sample",
        owner_role="Deputy manager",
        priority=Priority.HIGH,
        # Matches the demo's incident records: about three a month at first, one a month now.
        outcome_measure="Incidents with physical restraint a month",
        outcome_baseline=3,
        outcome_target=1,
        description="Review every use of restraint monthly and share the figures with staff.",
    )
    plan.move_forward(db, data, _months(today, -17))
    for months_ago, value in ((-15, 3), (-11, 2), (-7, 2), (-3, 1), (-1, 1)):
        plan.add_reading(db, data, value, _months(today, months_ago), "Monthly figures")
    plan.add_note(db, data, _months(today, -6), "Night-time incidents fell after the new routine.")
    plan.add_note(db, data, _months(today, -2), "Two staff trained as data champions.")

    workforce = action(
        "Refresher training for all night staff",
        Strategy.WORKFORCE,
        -6,
        -1,
        service_id=care_home.id,
        owner_name="Lee Placeholder",
        owner_role="Training coordinator",
        priority=Priority.HIGH,
    )
    plan.move_forward(db, workforce, _months(today, -5))
    plan.add_note(db, workforce, _months(today, -3), "Half the night team trained; rest booked.")

    tools = action(
        "Sensory plans for every young person at Kestrel Lodge",
        Strategy.TOOLS,
        -12,
        -2,
        service_id=childrens_home.id,
        owner_name="Casey Specimen",
        owner_role="Registered manager",
        outcome_measure="Young people with a sensory plan",
        outcome_unit="%",
        outcome_baseline=20,
        outcome_target=100,
    )
    for months_ago, value in ((-9, 40), (-5, 60), (-2, 80)):
        plan.add_reading(db, tools, value, _months(today, months_ago))

    involvement = action(
        "People we support help interview new staff",
        Strategy.INVOLVEMENT,
        -16,
        -6,
        owner_name="Drew Mockford",
        owner_role="HR lead",
    )
    plan.move_forward(db, involvement, _months(today, -15))
    plan.move_forward(db, involvement, _months(today, -7))

    debrief = action(
        "Welfare debrief offered within 72 hours after every incident",
        Strategy.DEBRIEFING,
        -10,
        2,
        owner_name="Rhian Sample",
        owner_role="Deputy manager",
        outcome_measure="Incidents with a debrief offered within 72 hours",
        outcome_unit="%",
        outcome_baseline=35,
        outcome_target=95,
    )
    plan.move_forward(db, debrief, _months(today, -9))
    for months_ago, value in ((-8, 50), (-4, 72), (-1, 85)):
        plan.add_reading(db, debrief, value, _months(today, months_ago))

    dropped = action(
        "Buy a new CCTV system for the garden",
        Strategy.TOOLS,
        -14,
        -10,
        service_id=care_home.id,
        owner_name="Morgan Example",
    )
    plan.set_status(
        db,
        dropped,
        ActionStatus.DROPPED,
        _months(today, -12),
        "Cameras would add a restriction; a self-closing gate was chosen instead.",
    )

    # Actions that came from the register: reducing the locked front door, and the kitchen.
    for entry in restrictions.list_restrictions(db):
        if entry.title in ("Locked front and exit doors", "Kitchen locked or off limits"):
            plan.create_action(
                db,
                f"Reduce or remove: {entry.title}",
                Strategy.TOOLS,
                _months(today, -4),
                restriction_id=entry.id,
                owner_name="Registered manager",
                due_on=_months(today, 2),
            )
