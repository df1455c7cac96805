"""How incident records are kept: whether initials are allowed, and for how long records stay.

Incident records are personal data about vulnerable people, so the defaults are the private
ones: reference codes only, and three years before a record is due for deletion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from rrn_desktop.base.vocabulary import PersonIdentity
from rrn_desktop.content.loader import rule_pack_for
from rrn_desktop.core.dates import add_months, long_date
from rrn_desktop.core.services import the_organisation
from rrn_desktop.core.validation import Input, InputError, validated
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Incident, RetentionRemoval, Service

MIN_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 240


@dataclass(frozen=True)
class IncidentSettings:
    identity: PersonIdentity
    retention_months: int

    @property
    def retention_text(self) -> str:
        years, months = divmod(self.retention_months, 12)
        if months == 0:
            return plural(years, "year")
        return plural(self.retention_months, "month")


class _SettingsInput(Input):
    identity: PersonIdentity | None = None
    retention_months: int | None = Field(
        default=None, ge=MIN_RETENTION_MONTHS, le=MAX_RETENTION_MONTHS
    )


def allows_initials(session: Session) -> bool:
    return the_organisation(session).incident_identity is PersonIdentity.INITIALS


def incident_settings(db: Database) -> IncidentSettings:
    with db.transaction() as session:
        organisation = the_organisation(session)
        return IncidentSettings(
            organisation.incident_identity, organisation.incident_retention_months
        )


def update_incident_settings(
    db: Database,
    *,
    identity: PersonIdentity | None = None,
    retention_months: int | None = None,
) -> IncidentSettings:
    try:
        data = validated(_SettingsInput, identity=identity, retention_months=retention_months)
    except InputError as error:
        raise InputError(
            f"Keep incident records for between {MIN_RETENTION_MONTHS} and "
            f"{MAX_RETENTION_MONTHS} months."
        ) from error
    with db.transaction() as session:
        organisation = the_organisation(session)
        if data.identity is not None:
            organisation.incident_identity = data.identity
        if data.retention_months is not None:
            organisation.incident_retention_months = data.retention_months
    return incident_settings(db)


# --- retention ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiredRecord:
    """Just enough to decide on deletion: no names, no account of what happened."""

    id: int
    reference: str
    service_name: str
    occurred_on: dt.date


@dataclass(frozen=True)
class Removal:
    removed_on: dt.date
    incident_count: int
    older_than: dt.date

    def describe(self) -> str:
        return (
            f"{long_date(self.removed_on)}: {plural(self.incident_count, 'incident record')} from "
            f"before {long_date(self.older_than)} deleted"
        )


def retention_cut_off(settings: IncidentSettings, today: dt.date) -> dt.date:
    """Records of incidents before this day are past the organisation's retention period."""
    return add_months(today, -settings.retention_months)


def kept_months(settings: IncidentSettings, service: Service) -> int:
    """How long a service's records are kept: the organisation's period, or longer where the
    recording rules of the service's nation and sector ask for longer."""
    rules = rule_pack_for(service.jurisdiction, service.sector)
    by_law = 12 * rules.retention_years if rules and rules.retention_years else 0
    return max(settings.retention_months, by_law)


def _past(settings: IncidentSettings, row: Incident, today: dt.date) -> bool:
    return row.occurred_at.date() < add_months(today, -kept_months(settings, row.service))


def past_retention(db: Database, today: dt.date) -> list[ExpiredRecord]:
    settings = incident_settings(db)
    cut_off = retention_cut_off(settings, today)  # no service keeps records for less
    with db.transaction() as session:
        rows = session.scalars(
            select(Incident)
            .where(Incident.occurred_at < dt.datetime.combine(cut_off, dt.time()))
            .order_by(Incident.occurred_at)
        ).all()
        return [
            ExpiredRecord(row.id, row.reference, row.service.name, row.occurred_at.date())
            for row in rows
            if _past(settings, row, today)
        ]


def delete_past_retention(db: Database, incident_ids: list[int], today: dt.date) -> int:
    """Delete the chosen records, all or none, keeping a count of how many went."""
    settings = incident_settings(db)
    cut_off = retention_cut_off(settings, today)
    with db.transaction() as session:
        rows = session.scalars(select(Incident).where(Incident.id.in_(incident_ids))).all()
        if len(rows) != len(set(incident_ids)):
            raise InputError("Some of the chosen records no longer exist; refresh the list.")
        too_new = [row.reference for row in rows if not _past(settings, row, today)]
        if too_new:
            raise InputError(
                "These records are still inside the retention period and were not deleted: "
                + ", ".join(too_new)
                + "."
            )
        for row in rows:
            session.delete(row)
        if rows:
            session.add(RetentionRemoval(incident_count=len(rows), older_than=cut_off))
        return len(rows)


def removal_history(db: Database) -> list[Removal]:
    with db.transaction() as session:
        rows = session.scalars(select(RetentionRemoval).order_by(RetentionRemoval.id)).all()
        return [Removal(r.removed_at.date(), r.incident_count, r.older_than) for r in rows]
