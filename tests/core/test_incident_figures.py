"""The anonymised figures: counts by type and month, timeliness, and learning themes."""

from __future__ import annotations

import datetime as dt

from rrn_desktop.base.vocabulary import Involvement, RestraintType, Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.incident_figures import figures_for, learning_themes
from rrn_desktop.core.periods import Period
from rrn_desktop.core.services import create_service
from rrn_desktop.storage.database import Database

NOW = dt.datetime(2026, 11, 24, 12)


def test_each_incident_counts_in_its_month_and_under_each_type(db: Database) -> None:
    ward = create_service(db, "Heron Ward", Sector.HEALTH).id
    both = incidents.record_incident(
        db,
        ward,
        "A1",
        dt.datetime(2026, 10, 3, 9),
        ["physical-seated-hold", "chemical-prn"],
        now=NOW,
    )
    incidents.record_incident(
        db, ward, "A2", dt.datetime(2026, 10, 30, 23), ["physical-escort"], now=NOW
    )
    incidents.record_incident(
        db, ward, "A3", dt.datetime(2025, 11, 1, 9), ["physical-escort"], now=NOW
    )
    incidents.save_person_support(db, both.id, dt.date(2026, 10, 6))  # the last day in time
    incidents.save_review(
        db, both.id, dt.date(2026, 10, 7), "Ann Lee", lead_not_involved=True, today=NOW.date()
    )
    figures = figures_for(db, ward, Period.last_12_months(NOW.date()), NOW)
    assert figures.period.words == "25 November 2025 to 24 November 2026"
    assert f"{figures.months[0].month:%Y-%m}" == "2025-11"  # A3 began a day too early
    october = next(f for f in figures.months if f.month == dt.date(2026, 10, 1))
    assert october.incidents == 2
    assert october.by_type[RestraintType.PHYSICAL] == 2
    assert october.by_type[RestraintType.CHEMICAL] == 1
    assert (october.support_percent, october.review_percent) == (50, 0)
    assert figures.totals.incidents == 2
    assert sum(month.incidents for month in figures.months) == 2


def test_the_last_12_months_end_today_and_hold_its_day_a_year_ago_plus_one(db: Database) -> None:
    ward = create_service(db, "Heron Ward", Sector.HEALTH).id
    for reference, day in [("OUT", 24), ("IN", 25)]:
        incidents.record_incident(
            db, ward, reference, dt.datetime(2025, 11, day, 9), ["physical-escort"], now=NOW
        )
    figures = figures_for(db, ward, Period.last_12_months(NOW.date()), NOW)
    assert [i.reference for i in figures.incidents] == ["IN"]
    assert len(figures.months) == 13  # November 2025 and November 2026 each in part


def test_an_incident_whose_72_hours_are_not_up_is_due_not_failed(db: Database) -> None:
    ward = create_service(db, "Heron Ward", Sector.HEALTH).id
    incidents.record_incident(
        db, ward, "NEW", NOW - dt.timedelta(minutes=1), ["physical-escort"], now=NOW
    )
    figures = figures_for(db, ward, Period.last_12_months(NOW.date()), NOW)
    assert figures.totals.incidents == 1
    assert figures.totals.support_percent is None
    assert figures.totals.support.text == "due by 27 Nov 2026 11:59"
    assert figures.totals.review.text == "due by 27 Nov 2026 11:59"
    assert figures.totals.reviews_missing == 0
    incidents.record_incident(
        db, ward, "OLD", NOW - dt.timedelta(days=5), ["physical-escort"], now=NOW
    )
    figures = figures_for(db, ward, Period.last_12_months(NOW.date()), NOW)
    assert figures.totals.support.text == "0% (1 more due by 27 Nov 2026 11:59)"
    assert figures.totals.reviews_missing == 1


def test_learning_themes_never_carry_a_name_initials_or_reference(db: Database) -> None:
    school = create_service(db, "Oak School", Sector.EDUCATION).id
    incident = incidents.record_incident(
        db, school, "INC-77", dt.datetime(2026, 11, 1, 9), ["physical-escort"], now=NOW
    )
    incidents.add_staff(db, incident.id, "Priya Shah", Involvement.INVOLVED)
    incidents.save_review(
        db, incident.id, dt.date(2026, 11, 2), "Ann Lee", lead_not_involved=True, today=NOW.date()
    )
    incidents.add_learning_point(
        db,
        incident.id,
        "Priya and Ann agreed INC-77 showed the corridor is too busy.",
        "environment_sensory",
    )
    [theme] = learning_themes(incidents.list_incidents(db))
    assert theme.label == "The environment and sensory needs"
    assert theme.points == (
        "[removed] and [removed] agreed [removed] showed the corridor is too busy.",
    )
