"""The start screen's view of the organisation: what each service has, and what needs attention.

Everything here is counted or picked out in SQL: only the few columns each screen shows are read,
so the start screen stays quick however many actions, incidents and register entries there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar, TypeVarTuple, cast

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, func, select
from sqlalchemy.orm import Session

from rrn_desktop.base.vocabulary import IN_PLACE_STATUSES, OPEN_ACTION_STATUSES, ActionStatus
from rrn_desktop.core.dates import brief_moment, long_date
from rrn_desktop.core.incidents import SUPPORT_WINDOW
from rrn_desktop.core.plan import ActionCounts, current_pledge
from rrn_desktop.core.services import (
    WHOLE_ORGANISATION,
    ServiceInfo,
    list_services,
    service_info,
)
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Action, Benchmark, Incident, Restriction, Service


def _overdue_text(count: int) -> str:
    return f"{plural(count, 'review')} overdue" if count else ""


def _missing_text(count: int) -> str:
    return f"{plural(count, 'learning review')} missing" if count else ""


def _attention_text(overdue: int, missing: int) -> str:
    return "; ".join(t for t in (_overdue_text(overdue), _missing_text(missing)) if t)


@dataclass(frozen=True)
class OverdueEntry:
    """A register entry in place whose review date has passed: what the screens say of it."""

    id: int
    title: str
    next_review_on: dt.date


@dataclass(frozen=True)
class MissingReview:
    """An incident more than 72 hours old with no learning review held."""

    id: int
    reference: str
    occurred_at: dt.datetime

    @property
    def review_due_by(self) -> dt.datetime:
        return self.occurred_at + SUPPORT_WINDOW


@dataclass(frozen=True)
class OverdueAction:
    """An open action on the plan past its due date, and the service it is for (None when it
    is for the whole organisation)."""

    id: int
    title: str
    due_on: dt.date
    service: ServiceInfo | None = None


@dataclass(frozen=True)
class Attention:
    """How many things in one service are overdue: enough to label it in the list of services."""

    overdue: int = 0
    missing_reviews: int = 0

    @property
    def text(self) -> str:
        return _attention_text(self.overdue, self.missing_reviews)


@dataclass(frozen=True)
class ServiceOverview:
    service: ServiceInfo
    latest_benchmark: dt.date | None
    restrictions_in_place: int
    overdue: tuple[OverdueEntry, ...]
    missing_reviews: tuple[MissingReview, ...] = ()

    @property
    def overdue_text(self) -> str:
        return _overdue_text(len(self.overdue))

    @property
    def missing_reviews_text(self) -> str:
        return _missing_text(len(self.missing_reviews))

    @property
    def attention_text(self) -> str:
        """Everything overdue in the service, in a few words for the list of services."""
        return _attention_text(len(self.overdue), len(self.missing_reviews))

    @property
    def attention(self) -> Attention:
        return Attention(len(self.overdue), len(self.missing_reviews))


# --- the questions, each one narrow query ------------------------------------------------------


def _in_place() -> ColumnElement[bool]:
    """Register entries still on the register (not deleted) and in place."""
    return and_(Restriction.deleted_at.is_(None), Restriction.status.in_(IN_PLACE_STATUSES))


def _overdue_entry(today: dt.date) -> ColumnElement[bool]:
    return and_(_in_place(), Restriction.next_review_on < today)


def _missing_review(now: dt.datetime) -> ColumnElement[bool]:
    return and_(~Incident.review.has(), Incident.occurred_at <= now - SUPPORT_WINDOW)


_Columns = TypeVarTuple("_Columns")
_Value = TypeVar("_Value")


def _only(
    query: Select[*_Columns], column: SQLColumnExpression[int], service_id: int | None
) -> Select[*_Columns]:
    """The query narrowed to one service, or left for every service."""
    return query if service_id is None else query.where(column == service_id)


def _by_service(session: Session, query: Select[int, _Value]) -> dict[int, _Value]:
    """{service id: value} from a query of (service id, value) rows."""
    return {service_id: value for service_id, value in session.execute(query)}


def _overdue_entries(
    session: Session, today: dt.date, service_id: int | None
) -> dict[int, list[OverdueEntry]]:
    """Soonest review date first; entries due the same day in the order they were found."""
    query = (
        select(
            Restriction.service_id, Restriction.id, Restriction.title, Restriction.next_review_on
        )
        .where(_overdue_entry(today))
        .order_by(Restriction.next_review_on, Restriction.identified_on, Restriction.id)
    )
    found: dict[int, list[OverdueEntry]] = {}
    for owner, entry_id, title, due in session.execute(
        _only(query, Restriction.service_id, service_id)
    ):
        # next_review_on < today leaves out entries with no review date.
        found.setdefault(owner, []).append(OverdueEntry(entry_id, title, cast(dt.date, due)))
    return found


def _missing_reviews(
    session: Session, now: dt.datetime, service_id: int | None
) -> dict[int, list[MissingReview]]:
    """Oldest incident first."""
    query = (
        select(Incident.service_id, Incident.id, Incident.reference, Incident.occurred_at)
        .where(_missing_review(now))
        .order_by(Incident.occurred_at, Incident.id)
    )
    found: dict[int, list[MissingReview]] = {}
    for owner, incident_id, reference, occurred_at in session.execute(
        _only(query, Incident.service_id, service_id)
    ):
        found.setdefault(owner, []).append(MissingReview(incident_id, reference, occurred_at))
    return found


def _overviews(
    db: Database,
    services: list[ServiceInfo],
    today: dt.date,
    now: dt.datetime,
    service_id: int | None = None,
) -> list[ServiceOverview]:
    """A row for each service given; service_id narrows every query to that one service."""
    with db.transaction() as session:
        latest = _by_service(
            session,
            _only(
                select(Benchmark.service_id, func.max(Benchmark.held_on)).group_by(
                    Benchmark.service_id
                ),
                Benchmark.service_id,
                service_id,
            ),
        )
        in_place = _by_service(
            session,
            _only(
                select(Restriction.service_id, func.count())
                .where(_in_place())
                .group_by(Restriction.service_id),
                Restriction.service_id,
                service_id,
            ),
        )
        overdue = _overdue_entries(session, today, service_id)
        missing = _missing_reviews(session, now, service_id)
    return [
        ServiceOverview(
            service=service,
            latest_benchmark=latest.get(service.id),
            restrictions_in_place=in_place.get(service.id, 0),
            overdue=tuple(overdue.get(service.id, ())),
            missing_reviews=tuple(missing.get(service.id, ())),
        )
        for service in services
    ]


def organisation_overview(
    db: Database, today: dt.date, now: dt.datetime | None = None
) -> list[ServiceOverview]:
    """Every service, by name: its latest benchmark, and what in it needs attention."""
    return _overviews(db, list_services(db), today, now or dt.datetime.now())


def service_overview(
    db: Database, service_id: int, today: dt.date, now: dt.datetime | None = None
) -> ServiceOverview | None:
    """One service's row of the organisation overview (None once the service has gone)."""
    with db.transaction() as session:
        row = session.get(Service, service_id)
        service = service_info(row) if row is not None else None
    if service is None:
        return None
    return _overviews(db, [service], today, now or dt.datetime.now(), service_id)[0]


def attention_by_service(
    db: Database, today: dt.date, now: dt.datetime | None = None
) -> dict[int, Attention]:
    """How many reviews are overdue and learning reviews missing in each service (ids with
    nothing overdue are left out): two counts, for labelling the list of services."""
    now = now or dt.datetime.now()
    with db.transaction() as session:
        overdue = _by_service(
            session,
            select(Restriction.service_id, func.count())
            .where(_overdue_entry(today))
            .group_by(Restriction.service_id),
        )
        missing = _by_service(
            session,
            select(Incident.service_id, func.count())
            .where(_missing_review(now))
            .group_by(Incident.service_id),
        )
    return {
        service_id: Attention(overdue.get(service_id, 0), missing.get(service_id, 0))
        for service_id in overdue.keys() | missing.keys()
    }


# --- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    counts: ActionCounts
    overdue: tuple[OverdueAction, ...]
    renewal: str  # a prompt to renew the pledge, or ""
    has_pledge: bool

    @property
    def text(self) -> str:
        c = self.counts
        overdue = f"{c.overdue} OVERDUE" if c.overdue else "none overdue"
        return f"Restraint reduction plan: {c.open} actions open ({overdue}), {c.done} done."


def plan_summary(db: Database, today: dt.date) -> PlanSummary:
    with db.transaction() as session:
        by_status = dict(
            session.execute(select(Action.status, func.count()).group_by(Action.status)).all()
        )
        overdue = tuple(
            OverdueAction(
                action_id,
                title,
                cast(dt.date, due_on),  # due_on < today leaves out actions with no due date
                ServiceInfo(service_id, name, sector) if service_id is not None else None,
            )
            for action_id, title, due_on, service_id, name, sector in session.execute(
                select(
                    Action.id, Action.title, Action.due_on, Service.id, Service.name, Service.sector
                )
                .outerjoin(Service, Action.service_id == Service.id)
                .where(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_on < today)
                .order_by(Action.due_on, Action.id)
            )
        )
    pledge = current_pledge(db)
    return PlanSummary(
        counts=ActionCounts(
            open=sum(by_status.get(status, 0) for status in OPEN_ACTION_STATUSES),
            overdue=len(overdue),
            done=by_status.get(ActionStatus.DONE, 0),
        ),
        overdue=overdue,
        renewal=pledge.renewal_text(today) if pledge else "",
        has_pledge=pledge is not None,
    )


# --- what needs attention ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionLine:
    """One line of the start screen's "Needs attention": where it is, what is the matter, and
    the record that opening the line leads to (none of them: the pledge, on the plan)."""

    where: str  # the service's name, or WHOLE_ORGANISATION
    what: str
    service_id: int | None = None
    action_id: int | None = None
    incident_id: int | None = None
    restriction_id: int | None = None

    @property
    def text(self) -> str:
        return f"{self.where}: {self.what}"


def attention_lines(overview: list[ServiceOverview], summary: PlanSummary) -> list[AttentionLine]:
    """Everything overdue, each line naming its service: the pledge and the plan's actions
    first, then each service's missing learning reviews and overdue register reviews."""
    lines = []
    if summary.renewal:
        lines.append(AttentionLine(WHOLE_ORGANISATION, summary.renewal))
    for action in summary.overdue:
        service = action.service
        lines.append(
            AttentionLine(
                service.name if service else WHOLE_ORGANISATION,
                f"action '{action.title}' OVERDUE since {long_date(action.due_on)}",
                service_id=service.id if service else None,
                action_id=action.id,
            )
        )
    for row in overview:
        name, service_id = row.service.name, row.service.id
        for incident in row.missing_reviews:
            lines.append(
                AttentionLine(
                    name,
                    f"learning review for incident {incident.reference} MISSING "
                    f"(due by {brief_moment(incident.review_due_by)})",
                    service_id=service_id,
                    incident_id=incident.id,
                )
            )
        for entry in row.overdue:
            lines.append(
                AttentionLine(
                    name,
                    f"review of '{entry.title}' OVERDUE since {long_date(entry.next_review_on)}",
                    service_id=service_id,
                    restriction_id=entry.id,
                )
            )
    return lines
