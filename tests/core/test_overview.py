"""The start screen's "Needs attention": every line names the service it is about."""

from __future__ import annotations

import datetime as dt

from rrn_desktop.base.vocabulary import Purpose, RestraintType, Sector, Strategy
from rrn_desktop.core import benchmarks, incidents, plan, restrictions
from rrn_desktop.core.overview import attention_lines, organisation_overview, plan_summary
from rrn_desktop.core.services import create_service
from rrn_desktop.storage.database import Database
from tests.plain_reading import asked

TODAY = dt.date(2026, 5, 14)
NOW = dt.datetime(2026, 5, 14, 12, 0)
LATE = TODAY - dt.timedelta(days=10)


def test_each_overdue_line_names_its_service_or_the_whole_organisation(db: Database) -> None:
    home = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE).id
    school = create_service(db, "Kestrel School", Sector.EDUCATION).id
    plan.make_pledge(db, "We will reduce restraint.", dt.date(2024, 5, 1))
    everyone = plan.create_action(db, "Board training", Strategy.LEADERSHIP, LATE, due_on=LATE)
    entry = restrictions.add_custom_restriction(
        db, home, "Locked kitchen", "other", RestraintType.ENVIRONMENTAL, dt.date(2026, 1, 1)
    )
    restrictions.update_restriction(db, entry, next_review_on=LATE)
    for_entry = plan.create_action(
        db, "Open the kitchen", Strategy.DATA, LATE, restriction_id=entry, due_on=LATE
    )
    benchmark = benchmarks.start_benchmark(db, school, LATE, Purpose.SELF_AUDIT, [])
    code = benchmark.pack().sections[0].items[0].code
    benchmarks.update_response(
        db, benchmark.id, code, needs_action=True, action_text="Refresher", action_due=LATE
    )
    incident = incidents.record_incident(
        db, school, "INC-1", NOW - dt.timedelta(days=5), ["physical-standing-hold"], now=NOW
    )

    lines = attention_lines(
        asked(db, organisation_overview, TODAY, NOW), asked(db, plan_summary, TODAY)
    )
    texts = [line.text for line in lines]

    assert texts[0].startswith("Whole organisation: The pledge period ended on 1 May 2026")
    assert "Whole organisation: action 'Board training' OVERDUE since 4 May 2026" in texts
    assert "Willow House: action 'Open the kitchen' OVERDUE since 4 May 2026" in texts
    assert "Kestrel School: action 'Refresher' OVERDUE since 4 May 2026" in texts
    assert any(t.startswith("Kestrel School: learning review for incident INC-1") for t in texts)
    assert "Willow House: review of 'Locked kitchen' OVERDUE since 4 May 2026" in texts
    assert len(lines) == 6
    # Each line leads to its own record.
    by_text = {line.text.split(":")[1].strip(): line for line in lines}
    assert by_text["action 'Board training' OVERDUE since 4 May 2026"].action_id == everyone.id
    assert by_text["action 'Board training' OVERDUE since 4 May 2026"].service_id is None
    assert by_text["action 'Open the kitchen' OVERDUE since 4 May 2026"].action_id == for_entry.id
    missing = next(line for line in lines if line.incident_id is not None)
    assert (missing.service_id, missing.incident_id) == (school, incident.id)
    overdue = next(line for line in lines if line.restriction_id is not None)
    assert (overdue.service_id, overdue.restriction_id) == (home, entry)


def test_nothing_overdue_gives_no_lines(db: Database) -> None:
    home = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE).id
    plan.create_action(db, "Not due yet", Strategy.DATA, TODAY, service_id=home, due_on=TODAY)
    assert (
        attention_lines(
            asked(db, organisation_overview, TODAY, NOW), asked(db, plan_summary, TODAY)
        )
        == []
    )
