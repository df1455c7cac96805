"""How big a service was month by month, and incident figures read as rates against it: per
1,000 occupied bed-days on a ward (as mental health returns count them), per 100 pupils or
places elsewhere. Comparing a rate, not a count, is fair to a month with more people in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from rrn_desktop.base.errors import InputError
from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.base.wording import plural
from rrn_desktop.core.dates import month_end
from rrn_desktop.core.incident_figures import figures_for
from rrn_desktop.core.periods import Period
from rrn_desktop.core.service_info import ServiceInfo
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Service, ServiceSize

LARGEST = 10_000_000


@dataclass(frozen=True)
class SizeMeasure:
    what: str  # what is counted each month
    per: int  # the rate is incidents per this many of them

    @property
    def rate_words(self) -> str:
        return f"per {self.per:,} {self.what}"


BED_DAYS = SizeMeasure("occupied bed-days", 1000)
PEOPLE = SizeMeasure("pupils or places", 100)


def measure_for(sector: Sector) -> SizeMeasure:
    return BED_DAYS if sector is Sector.HEALTH else PEOPLE


def rate(incidents: int, size: int | None, measure: SizeMeasure) -> float | None:
    """None where the month's size is not recorded (or nought): no rate can be worked out."""
    return None if not size else incidents * measure.per / size


def rate_text(value: float | None) -> str:
    return "no size recorded" if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class MonthRate:
    """One month's incidents against the service's size that month."""

    month: dt.date
    incidents: int
    size: int
    measure: SizeMeasure

    @property
    def value(self) -> float:
        return self.incidents * self.measure.per / self.size

    @property
    def words(self) -> str:
        return (
            f"Incidents {self.measure.rate_words} in {self.month:%B %Y}: "
            f"{plural(self.incidents, 'incident')}, {self.size:,} {self.measure.what}"
        )


def month_rate(db: Database, service: ServiceInfo, month: dt.date, now: dt.datetime) -> MonthRate:
    """The rate for the month holding ``month``, counted as the incident figures count; an
    InputError, in plain words, when the month's size has not been recorded."""
    first = month.replace(day=1)
    size = sizes_of(db, service.id).get(first)
    if not size:
        raise InputError(
            f"{service.name} has no size recorded for {first:%B %Y}: give it under "
            "Service size… on the service's incidents tab first."
        )
    period = Period(first, month_end(first), f"{first:%B %Y}")
    incidents = figures_for(db, service.id, period, now).totals.incidents
    return MonthRate(first, incidents, size, measure_for(service.sector))


def set_sizes(db: Database, service_id: int, sizes: dict[dt.date, int | None]) -> None:
    """Record each month's size (None clears it); months are given by any day in them."""
    for month, amount in sizes.items():
        if amount is not None and not 0 <= amount <= LARGEST:
            raise InputError(
                f"A service's size must be a whole number from 0 to {LARGEST:,}, "
                f"not {amount:,} ({month:%B %Y})."
            )
    with db.transaction() as session:
        if session.get(Service, service_id) is None:
            raise InputError("That service no longer exists.")
        kept = {
            row.month: row
            for row in session.scalars(
                select(ServiceSize).where(ServiceSize.service_id == service_id)
            )
        }
        for month, amount in sizes.items():
            first = month.replace(day=1)
            row = kept.get(first)
            if amount is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(ServiceSize(service_id=service_id, month=first, amount=amount))
            elif row.amount != amount:
                row.amount = amount


def sizes_of(db: Database, service_id: int) -> dict[dt.date, int]:
    """Each recorded month's size, by the month's first day."""
    with db.transaction() as session:
        return {
            month: amount
            for month, amount in session.execute(
                select(ServiceSize.month, ServiceSize.amount).where(
                    ServiceSize.service_id == service_id
                )
            )
        }
