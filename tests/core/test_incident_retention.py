"""Incident settings and retention: private defaults, and deletion that keeps only a count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import PersonIdentity, Sector
from rrn_desktop.core import incidents, plan
from rrn_desktop.core.incident_settings import (
    delete_past_retention,
    incident_settings,
    past_retention,
    removal_history,
    update_incident_settings,
)
from rrn_desktop.core.services import create_service
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database
from tests.conftest import reopen

TODAY = dt.date(2026, 11, 24)


def _incident(db: Database, service_id: int, reference: str, when: dt.datetime) -> int:
    return incidents.record_incident(
        db, service_id, reference, when, ["physical-escort"], now=dt.datetime(2026, 11, 24, 12)
    ).id


def test_settings_start_private_and_are_kept_after_reopening(data_dir: Path, db: Database) -> None:
    settings = incident_settings(db)
    assert (settings.identity, settings.retention_text) == (
        PersonIdentity.REFERENCE_ONLY,
        "3 years",
    )
    update_incident_settings(db, identity=PersonIdentity.INITIALS, retention_months=30)
    with pytest.raises(InputError, match="between 12 and 240 months"):
        update_incident_settings(db, retention_months=6)
    db.close()
    with reopen(db) as reopened:
        settings = incident_settings(reopened)
    assert (settings.identity, settings.retention_months) == (PersonIdentity.INITIALS, 30)
    assert settings.retention_text == "30 months"


def test_records_past_retention_are_listed_and_deleted_leaving_a_count(db: Database) -> None:
    service = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE).id
    old = _incident(db, service, "INC-2023-001", dt.datetime(2023, 11, 1, 10))
    kept = _incident(db, service, "INC-2024-001", dt.datetime(2023, 11, 30, 10))
    incidents.save_review(
        db, old, dt.date(2023, 11, 2), "Ann Lee", lead_not_involved=True, today=TODAY
    )
    reviewed = incidents.add_learning_point(db, old, "Keep the garden gate open in the day.")
    action = incidents.point_to_action(db, reviewed.review.points[0].id, dt.date(2023, 11, 3))

    expired = past_retention(db, TODAY)
    assert [r.reference for r in expired] == ["INC-2023-001"]
    with pytest.raises(InputError, match="still inside the retention period"):
        delete_past_retention(db, [old, kept], TODAY)
    assert len(incidents.list_incidents(db)) == 2  # nothing half-deleted

    assert delete_past_retention(db, [old], TODAY) == 1
    assert [i.reference for i in incidents.list_incidents(db)] == ["INC-2024-001"]
    [removal] = removal_history(db)
    assert removal.older_than == dt.date(2023, 11, 24)
    assert "1 incident record from before 24 November 2023 deleted" in removal.describe()
    assert plan.get_action(db, action.id).title == "Keep the garden gate open in the day."


def test_a_mental_health_units_records_are_kept_three_years_whatever_the_setting(
    db: Database,
) -> None:
    update_incident_settings(db, retention_months=12)
    ward = create_service(db, "Ward Ŵ", Sector.HEALTH)  # England: the Act keeps them 3 years
    home = create_service(db, "Home", Sector.ADULT_SOCIAL_CARE)  # no longer rule: 12 months
    two_years_ago = dt.datetime.combine(TODAY - dt.timedelta(days=730), dt.time(10, 0))
    kept = incidents.record_incident(
        db, ward.id, "W-OLD", two_years_ago, ["physical-standing-hold"]
    )
    gone = incidents.record_incident(
        db, home.id, "H-OLD", two_years_ago, ["physical-standing-hold"]
    )
    assert [record.reference for record in past_retention(db, TODAY)] == ["H-OLD"]
    with pytest.raises(InputError, match="W-OLD"):
        delete_past_retention(db, [kept.id, gone.id], TODAY)
    assert delete_past_retention(db, [gone.id], TODAY) == 1
    four_years_on = TODAY + dt.timedelta(days=365 * 2)
    assert [record.reference for record in past_retention(db, four_years_on)] == ["W-OLD"]
