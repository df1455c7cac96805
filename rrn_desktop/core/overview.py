"""The start screen's view of the organisation: what each service has, and what needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from rrn_desktop.core.incidents import IncidentInfo, overdue_reviews
from rrn_desktop.core.plan import (
    ActionCounts,
    ActionInfo,
    count_actions,
    current_pledge,
    list_actions,
)
from rrn_desktop.core.restrictions import RestrictionInfo, list_restrictions, overdue_entries
from rrn_desktop.core.services import ServiceInfo, list_services
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Benchmark


@dataclass(frozen=True)
class ServiceOverview:
    service: ServiceInfo
    latest_benchmark: dt.date | None
    restrictions_in_place: int
    overdue: tuple[RestrictionInfo, ...]
    missing_reviews: tuple[IncidentInfo, ...] = ()

    @property
    def overdue_text(self) -> str:
        count = len(self.overdue)
        if not count:
            return ""
        return f"{count} review{'s' if count != 1 else ''} overdue"

    @property
    def missing_reviews_text(self) -> str:
        count = len(self.missing_reviews)
        if not count:
            return ""
        return f"{count} learning review{'s' if count != 1 else ''} missing"

    @property
    def attention_text(self) -> str:
        """Everything overdue in the service, in a few words for the list of services."""
        return "; ".join(t for t in (self.overdue_text, self.missing_reviews_text) if t)


def organisation_overview(
    db: Database, today: dt.date, now: dt.datetime | None = None
) -> list[ServiceOverview]:
    with db.transaction() as session:
        latest = dict(
            session.execute(
                select(Benchmark.service_id, func.max(Benchmark.held_on)).group_by(
                    Benchmark.service_id
                )
            ).all()
        )
    by_service: dict[int, list[RestrictionInfo]] = {}
    for entry in list_restrictions(db):
        by_service.setdefault(entry.service.id, []).append(entry)
    missing: dict[int, list[IncidentInfo]] = {}
    for incident in overdue_reviews(db, now or dt.datetime.now()):
        missing.setdefault(incident.service.id, []).append(incident)
    overview = []
    for service in list_services(db):
        entries = by_service.get(service.id, [])
        overview.append(
            ServiceOverview(
                service=service,
                latest_benchmark=latest.get(service.id),
                restrictions_in_place=sum(1 for e in entries if e.in_place),
                overdue=tuple(overdue_entries(entries, today)),
                missing_reviews=tuple(missing.get(service.id, [])),
            )
        )
    return overview


@dataclass(frozen=True)
class PlanSummary:
    counts: ActionCounts
    overdue: tuple[ActionInfo, ...]
    renewal: str  # a prompt to renew the pledge, or ""
    has_pledge: bool

    @property
    def text(self) -> str:
        c = self.counts
        overdue = f"{c.overdue} OVERDUE" if c.overdue else "none overdue"
        return f"Restraint reduction plan: {c.open} actions open ({overdue}), {c.done} done."


def plan_summary(db: Database, today: dt.date) -> PlanSummary:
    actions = list_actions(db)
    pledge = current_pledge(db)
    return PlanSummary(
        counts=count_actions(actions, today),
        overdue=tuple(a for a in actions if a.overdue(today)),
        renewal=pledge.renewal_text(today) if pledge else "",
        has_pledge=pledge is not None,
    )
