"""Fictional blanket restrictions registers for the demo: 20 months of finding and reducing.

Dates are counted back from today, so the demo always shows a recent history and an overdue
review, whenever it is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rrn_desktop.base.vocabulary import (
    AppliesTo,
    ChecklistAnswer,
    RestraintType,
    RestrictionStatus,
    ReviewFrequency,
)
from rrn_desktop.core import restrictions
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.storage.database import Database

REVIEWERS = ["Morgan Example (registered manager)", "Rhian Sample (deputy manager)"]


@dataclass(frozen=True)
class DemoEntry:
    code: str | None  # a checklist code, or None for one added by hand
    found_months_ago: int
    why: str
    plan: str
    # (status, months ago, note) after it was found, oldest first
    changes: tuple[tuple[RestrictionStatus, int, str], ...] = ()
    overdue_days: int = 0  # >0: the next review date passed that many days ago
    title: str = ""
    category: str = "building"
    child: dict[str, Any] = field(default_factory=dict)


WILLOW_HOUSE = [
    DemoEntry(
        "BR-ROU-04",
        20,
        "Night staff worried about scalds when only two staff are on.",
        "Try a kettle with a cool-touch jug and check each person's own risk.",
        (
            (RestrictionStatus.REDUCING, 15, "Hot drinks offered until 10pm."),
            (RestrictionStatus.REMOVED, 11, "Drinks available at any time; no incidents since."),
        ),
    ),
    DemoEntry(
        "BR-BLD-02",
        20,
        "The laundry and sluice rooms hold chemicals.",
        "Lock only the chemical cupboards, not the rooms.",
        ((RestrictionStatus.INDIVIDUALISED, 8, "Only the sluice is locked; laundry open."),),
    ),
    DemoEntry(
        "BR-ROU-02",
        20,
        "A set bedtime was inherited from the previous provider.",
        "Ask each person about their own routine and write it in their plan.",
        (
            (RestrictionStatus.REDUCING, 12, "Bedtimes agreed person by person for most."),
            (RestrictionStatus.REMOVED, 5, "No set bedtime for anyone now."),
        ),
    ),
    DemoEntry(
        "BR-BLD-01",
        20,
        "Two people are at risk if they leave alone; the door is locked for all.",
        "Fit a keypad with the code displayed for those who can safely use it.",
        overdue_days=12,
    ),
    DemoEntry(
        "BR-SAF-03",
        18,
        "Cameras in corridors after a fall at night went unseen.",
        "Turn off cameras in lounges; review need for corridor cameras every six months.",
        ((RestrictionStatus.REDUCING, 6, "Lounge cameras switched off."),),
    ),
    DemoEntry(
        "BR-SAF-07",
        20,
        "Bed rails fitted on every bed when the home opened.",
        "Assess each person; use low beds and crash mats instead where safe.",
        ((RestrictionStatus.INDIVIDUALISED, 12, "Rails kept for two people after assessment."),),
    ),
    DemoEntry(
        "BR-POS-01",
        16,
        "Spending limits set after money went missing.",
        "Individual money plans agreed with each person and their family.",
        ((RestrictionStatus.REDUCING, 3, "Five people now manage their own money."),),
    ),
    DemoEntry(
        None,
        14,
        "The gate was padlocked after a delivery van left it open.",
        "Fit a self-closing gate so the padlock can go.",
        title="Garden gate padlocked at night",
        category="building",
    ),
]

KESTREL_LODGE = [
    DemoEntry(
        "BR-CON-08",
        19,
        "Phones were collected so that young people sleep and go to school.",
        "Agree phone plans child by child with each placing authority.",
        child={
            "placing_authority_agreed": True,
            "in_placement_plan": True,
            "child_view": "Young person A said having the phone at night would help them "
            "feel less lonely; Young person B said they sleep better without it.",
        },
    ),
    DemoEntry(
        "BR-CON-09",
        19,
        "Friends were limited after a difficult weekend.",
        "Plan time with friends in each child's placement plan.",
        ((RestrictionStatus.REMOVED, 6, "Each child's plan now covers seeing friends."),),
        child={
            "placing_authority_agreed": True,
            "in_placement_plan": True,
            "child_view": "The young people said it felt like a punishment for everyone.",
        },
    ),
    DemoEntry(
        "BR-ROU-06",
        19,
        "The kitchen is locked at night after knives went missing.",
        "Lock the knife drawer only, and open the kitchen for supper together.",
        ((RestrictionStatus.REDUCING, 4, "Kitchen open until 9pm with staff."),),
        overdue_days=3,
        child={
            "placing_authority_agreed": False,
            "in_placement_plan": False,
            "child_view": "They want to make toast when they cannot sleep.",
        },
    ),
    DemoEntry(
        "BR-BLD-09",
        19,
        "High handles were fitted on the office and kitchen doors.",
        "Remove them: this counts as restraint and was recorded as such.",
        ((RestrictionStatus.REMOVED, 12, "Handles lowered; recorded in the restraint log."),),
        child={
            "placing_authority_agreed": False,
            "in_placement_plan": False,
            "child_view": "Young person C, who uses a wheelchair, could not open doors.",
        },
    ),
    DemoEntry(
        "BR-SAF-12",
        18,
        "A points system applied to every child.",
        "Replace with individual plans that reward what each child is working on.",
        ((RestrictionStatus.INDIVIDUALISED, 4, "Points used only where a child chose it."),),
        child={
            "placing_authority_agreed": True,
            "in_placement_plan": True,
            "child_view": "Most said the points felt unfair; one liked seeing progress.",
        },
    ),
]


def add_entry(db: Database, service: ServiceInfo, spec: DemoEntry, today: dt.date) -> None:
    found = add_months(today, -spec.found_months_ago)
    if spec.code is not None:
        entry_id = restrictions.answer_checklist(
            db, service.id, spec.code, ChecklistAnswer.YES, found
        )
        assert entry_id is not None
    else:
        entry_id = restrictions.add_custom_restriction(
            db, service.id, spec.title, spec.category, RestraintType.ENVIRONMENTAL, found
        )
    restrictions.update_restriction(
        db,
        entry_id,
        description=f"{spec.why.split(';')[0].rstrip('.')}. Applies to everyone living here.",
        applies_to=AppliesTo.EVERYONE,
        rationale=spec.why,
        risk="Harm to people living here if nothing were in place.",
        individual_risk_assessment=False,
        legal_basis="Duty of care; Mental Capacity Act best-interests decision where needed.",
        alternatives="Discussed at the restraint reduction group (fictional demo).",
        consulted="People living here, their families and advocates, staff.",
        informed="Everyone affected, in their preferred way of communicating.",
        authorised_by_role="Registered manager",
        authorised_on=found,
        review_frequency=ReviewFrequency.QUARTERLY,
        reduction_plan=spec.plan,
        **spec.child,
    )
    # Reviews every three months while it was still a blanket restriction.
    ended = add_months(today, -spec.changes[-1][1]) if spec.changes else None
    in_place_at_end = not spec.changes or spec.changes[-1][0] in (
        RestrictionStatus.ACTIVE,
        RestrictionStatus.REDUCING,
    )
    reviews: list[dt.date] = []
    day = add_months(found, 3)
    while day < today and (in_place_at_end or ended is None or day < ended):
        reviews.append(day)
        day = add_months(day, 3)
    if spec.overdue_days and reviews:
        reviews[-1] = today - dt.timedelta(days=90 + spec.overdue_days)
    for number, reviewed_on in enumerate(reviews):
        is_last = number == len(reviews) - 1
        restrictions.record_review(
            db,
            entry_id,
            reviewed_on,
            REVIEWERS[number % len(REVIEWERS)],
            "Still needed for now; reduction plan discussed."
            if not is_last
            else "Reviewed with the people it affects.",
            today - dt.timedelta(days=spec.overdue_days) if is_last and spec.overdue_days else None,
        )
    for status, months_ago, note in spec.changes:
        restrictions.change_status(db, entry_id, status, add_months(today, -months_ago), note)


def load_demo_restrictions(
    db: Database, care_home: ServiceInfo, childrens_home: ServiceInfo, today: dt.date
) -> None:
    for spec in WILLOW_HOUSE:
        add_entry(db, care_home, spec, today)
    for spec in KESTREL_LODGE:
        add_entry(db, childrens_home, spec, today)
    for code in ("BR-CON-01", "BR-ROU-01", "BR-SAF-01"):
        restrictions.answer_checklist(
            db, care_home.id, code, ChecklistAnswer.NO, add_months(today, -20)
        )
