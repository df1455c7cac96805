"""The start screen's view of the organisation: what each service has, and what needs attention.

Everything here is counted or picked out in plain SQL (storage.plain_reading): only the few
columns the screen shows are read, so it stays quick however many actions, incidents and register
entries there are, and it can be drawn before the ORM has loaded. The window asks the same
questions, through the same functions, once it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rrn_desktop.base.pack_ids import TRAINING_STANDARDS_PACK_ID
from rrn_desktop.base.vocabulary import (
    IN_PLACE_STATUSES,
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Jurisdiction,
    Sector,
)
from rrn_desktop.core.dates import brief_moment, long_date
from rrn_desktop.core.deadlines import (
    SUPPORT_WINDOW,
    IncidentTimes,
    WithinDeadline,
    reviews_in_time,
    support_in_time,
)
from rrn_desktop.core.periods import Period
from rrn_desktop.core.plan_records import ActionCounts, current_pledge_in
from rrn_desktop.core.recording_duties import answers_from_json, check_record, record_facts
from rrn_desktop.core.service_info import (
    WHOLE_ORGANISATION,
    ServiceInfo,
    organisation_name_in,
    services_by_name,
)
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.plain_reading import (
    PlainReader,
    stored_date,
    stored_date_or_none,
    stored_moment,
)

if TYPE_CHECKING:  # the packs' models need pydantic, which the first screen does without
    from rrn_desktop.content.recording_rules import RulePack


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
class Instrument:
    """A self-assessment some service has a benchmark on, as the start screen names it."""

    pack_id: str
    title: str


@dataclass(frozen=True)
class ServiceOverview:
    service: ServiceInfo
    latest_benchmark: dt.date | None  # on any instrument
    restrictions_in_place: int
    overdue: tuple[OverdueEntry, ...]
    missing_reviews: tuple[MissingReview, ...] = ()
    # The latest benchmark on each instrument the service has used, by the pack's id.
    latest_by_instrument: dict[str, dt.date] = field(default_factory=dict)

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

# Register entries still on the register (not deleted) and in place.
_IN_PLACE = "deleted_at IS NULL AND status IN ({in})"
# Incidents more than 72 hours old (the moment is given) with no learning review held.
_MISSING_REVIEW = (
    "NOT EXISTS (SELECT 1 FROM learning_review WHERE learning_review.incident_id = incident.id) "
    "AND occurred_at <= ?"
)


def _only(sql: str, service_id: int | None) -> tuple[str, tuple[int, ...]]:
    """The query's condition narrowed to one service, or left for every service: the query
    says where with "{only}"."""
    if service_id is None:
        return sql.replace("{only}", ""), ()
    return sql.replace("{only}", "AND service_id = ?"), (service_id,)


def _overdue_entries(
    reader: PlainReader, today: dt.date, service_id: int | None
) -> dict[int, list[OverdueEntry]]:
    """Soonest review date first; entries due the same day in the order they were found."""
    sql, narrowed = _only(
        f"SELECT service_id, id, title, next_review_on FROM restriction WHERE {_IN_PLACE} "
        "AND next_review_on < ? {only} ORDER BY next_review_on, identified_on, id",
        service_id,
    )
    found: dict[int, list[OverdueEntry]] = {}
    for owner, entry_id, title, due in reader.rows_where_in(
        sql, IN_PLACE_STATUSES, today, *narrowed
    ):
        # next_review_on < today leaves out entries with no review date.
        found.setdefault(owner, []).append(OverdueEntry(entry_id, title, stored_date(due)))
    return found


def _missing_reviews(
    reader: PlainReader, now: dt.datetime, service_id: int | None
) -> dict[int, list[MissingReview]]:
    """Oldest incident first."""
    sql, narrowed = _only(
        f"SELECT service_id, id, reference, occurred_at FROM incident WHERE {_MISSING_REVIEW} "
        "{only} ORDER BY occurred_at, id",
        service_id,
    )
    found: dict[int, list[MissingReview]] = {}
    for owner, incident_id, reference, occurred_at in reader.rows(
        sql, now - SUPPORT_WINDOW, *narrowed
    ):
        found.setdefault(owner, []).append(
            MissingReview(incident_id, reference, stored_moment(occurred_at))
        )
    return found


def _overviews(
    reader: PlainReader,
    services: list[ServiceInfo],
    today: dt.date,
    now: dt.datetime,
    service_id: int | None = None,
) -> list[ServiceOverview]:
    """A row for each service given; service_id narrows every query to that one service."""
    sql, narrowed = _only(
        "SELECT service_id, pack_id, MAX(held_on) FROM benchmark WHERE 1 = 1 {only} "
        "GROUP BY service_id, pack_id",
        service_id,
    )
    latest: dict[int, dict[str, dt.date]] = {}
    for owner, pack_id, held_on in reader.rows(sql, *narrowed):
        latest.setdefault(owner, {})[pack_id] = stored_date(held_on)
    sql, narrowed = _only(
        f"SELECT service_id, COUNT(*) FROM restriction WHERE {_IN_PLACE} {{only}} "
        "GROUP BY service_id",
        service_id,
    )
    in_place: dict[int, int] = dict(reader.rows_where_in(sql, IN_PLACE_STATUSES, *narrowed))
    overdue = _overdue_entries(reader, today, service_id)
    missing = _missing_reviews(reader, now, service_id)
    return [
        ServiceOverview(
            service=service,
            latest_benchmark=max(latest.get(service.id, {}).values(), default=None),
            restrictions_in_place=in_place.get(service.id, 0),
            overdue=tuple(overdue.get(service.id, ())),
            missing_reviews=tuple(missing.get(service.id, ())),
            latest_by_instrument=latest.get(service.id, {}),
        )
        for service in services
    ]


def organisation_overview(
    reader: PlainReader, today: dt.date, now: dt.datetime | None = None
) -> list[ServiceOverview]:
    """Every service, by name: its latest benchmark, and what in it needs attention."""
    return _overviews(reader, services_by_name(reader), today, now or dt.datetime.now())


def service_overview(
    reader: PlainReader, service_id: int, today: dt.date, now: dt.datetime | None = None
) -> ServiceOverview | None:
    """One service's row of the organisation overview (None once the service has gone)."""
    service = next((s for s in services_by_name(reader) if s.id == service_id), None)
    if service is None:
        return None
    return _overviews(reader, [service], today, now or dt.datetime.now(), service_id)[0]


def attention_by_service(
    reader: PlainReader, today: dt.date, now: dt.datetime | None = None
) -> dict[int, Attention]:
    """How many reviews are overdue and learning reviews missing in each service (ids with
    nothing overdue are left out): two counts, for labelling the list of services."""
    now = now or dt.datetime.now()
    overdue: dict[int, int] = dict(
        reader.rows_where_in(
            f"SELECT service_id, COUNT(*) FROM restriction WHERE {_IN_PLACE} "
            "AND next_review_on < ? GROUP BY service_id",
            IN_PLACE_STATUSES,
            today,
        )
    )
    missing: dict[int, int] = dict(
        reader.rows(
            f"SELECT service_id, COUNT(*) FROM incident WHERE {_MISSING_REVIEW} "
            "GROUP BY service_id",
            now - SUPPORT_WINDOW,
        )
    )
    return {
        service_id: Attention(overdue.get(service_id, 0), missing.get(service_id, 0))
        for service_id in overdue.keys() | missing.keys()
    }


# --- incidents in the last 12 months -----------------------------------------------------------


@dataclass(frozen=True)
class ServiceFigures:
    """A service's incidents in a period, and how often support and learning came in time:
    counted as its incident figures count them (core.incident_figures), from the dates alone."""

    incidents: int
    support: WithinDeadline
    review: WithinDeadline


def _incident_times(reader: PlainReader, period: Period) -> dict[int, list[IncidentTimes]]:
    """The dates of each service's incidents that began in the period, by service id."""
    welfare: dict[int, list[dt.date | None]] = {}
    for incident_id, offered_on in reader.rows(
        "SELECT incident_staff.incident_id, incident_staff.welfare_offered_on "
        "FROM incident_staff JOIN incident ON incident.id = incident_staff.incident_id "
        "WHERE incident.occurred_at >= ? ORDER BY incident_staff.id",
        period.since,
    ):
        welfare.setdefault(incident_id, []).append(stored_date_or_none(offered_on))
    found: dict[int, list[IncidentTimes]] = {}
    for incident_id, owner, occurred_at, support_on, review_on in reader.rows(
        "SELECT incident.id, incident.service_id, incident.occurred_at, "
        "person_support.offered_on, learning_review.held_on FROM incident "
        "LEFT JOIN person_support ON person_support.incident_id = incident.id "
        "LEFT JOIN learning_review ON learning_review.incident_id = incident.id "
        "WHERE incident.occurred_at >= ?",
        period.since,
    ):
        moment = stored_moment(occurred_at)
        if period.holds_time(moment):
            found.setdefault(owner, []).append(
                IncidentTimes(
                    moment,
                    stored_date_or_none(support_on),
                    tuple(welfare.get(incident_id, ())),
                    stored_date_or_none(review_on),
                )
            )
    return found


def figures_by_service(
    reader: PlainReader, period: Period, now: dt.datetime
) -> dict[int, ServiceFigures]:
    """Each service's figures for the period (those with no incident in it are left out)."""
    return {
        owner: ServiceFigures(len(times), support_in_time(times, now), reviews_in_time(times, now))
        for owner, times in _incident_times(reader, period).items()
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


def plan_summary(reader: PlainReader, today: dt.date) -> PlanSummary:
    by_status: dict[str, int] = dict(
        reader.rows('SELECT status, COUNT(*) FROM "action" GROUP BY status')
    )
    overdue = tuple(
        OverdueAction(
            action_id,
            title,
            stored_date(due_on),  # due_on < today leaves out actions with no due date
            ServiceInfo(service_id, name, Sector(sector), Jurisdiction(nation))
            if service_id is not None
            else None,
        )
        for action_id, title, due_on, service_id, name, sector, nation in reader.rows_where_in(
            'SELECT "action".id, "action".title, "action".due_on, service.id, service.name, '
            'service.sector, service.jurisdiction FROM "action" '
            'LEFT JOIN service ON "action".service_id = service.id '
            'WHERE "action".status IN ({in}) AND "action".due_on < ? '
            'ORDER BY "action".due_on, "action".id',
            OPEN_ACTION_STATUSES,
            today,
        )
    )
    pledge = current_pledge_in(reader)
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


# --- recording duties -------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyGaps:
    """A service's incident records in a period that fall short of its recording rules."""

    service: ServiceInfo
    rules_title: str
    short: tuple[int, ...]  # ids of records missing a fact the rules ask for, oldest first
    overdue: tuple[int, ...]  # ids of records with a deadline passed and not met, oldest first

    @property
    def first(self) -> int:
        """The record to open first: the oldest that needs something done."""
        return min((*self.short, *self.overdue))

    @property
    def line(self) -> AttentionLine:
        parts = []
        if self.short:
            parts.append(
                f"{plural(len(self.short), 'incident record')} missing facts the law asks for"
            )
        if self.overdue:
            parts.append(
                f"{plural(len(self.overdue), 'incident record')} past a recording deadline"
            )
        return AttentionLine(
            self.service.name,
            f"{' and '.join(parts)} ({self.rules_title})",
            service_id=self.service.id,
            incident_id=self.first,
        )


# The incident's own columns record_facts reads, by the names it takes them under.
_FACT_COLUMNS = (
    "place",
    "reason",
    "tried_first",
    "who_told",
    "in_plan",
    "person_injured",
    "staff_injured",
    "duration_minutes",
)
_RECORD_COLUMNS = (
    "SELECT incident.id, incident.service_id, incident.occurred_at, "
    + "".join(f"incident.{column}, " for column in _FACT_COLUMNS)
    + "incident.sector_answers, "
    "(SELECT COUNT(*) FROM incident_intervention WHERE incident_id = incident.id), "
    "(SELECT COUNT(*) FROM incident_staff WHERE incident_id = incident.id), "
    "(SELECT COUNT(*) FROM incident_staff WHERE incident_id = incident.id "
    "AND welfare_offered_on IS NULL), "
    "EXISTS (SELECT 1 FROM person_support WHERE incident_id = incident.id), "
    "EXISTS (SELECT 1 FROM learning_review WHERE incident_id = incident.id) "
    "FROM incident WHERE incident.occurred_at >= ? ORDER BY incident.occurred_at, incident.id"
)


def duty_gaps(
    reader: PlainReader,
    services: list[ServiceInfo],
    rules: Sequence[RulePack],
    period: Period,
    today: dt.date,
) -> list[DutyGaps]:
    """Each service whose records in the period fall short of its rules, in the list's order."""
    covering = {
        service.id: pack
        for service in services
        for pack in rules
        if pack.covers(service.jurisdiction, service.sector)
    }
    short: dict[int, list[int]] = {}
    overdue: dict[int, list[int]] = {}
    for row in reader.rows(_RECORD_COLUMNS, period.since):
        incident_id, owner, stored_at, *columns, answers, kinds, staff, without, support, review = (
            row
        )
        occurred_at = stored_moment(stored_at)
        pack = covering.get(owner)
        if pack is None or not period.holds_time(occurred_at):
            continue
        facts = record_facts(
            occurred_at=occurred_at,
            **dict(zip(_FACT_COLUMNS, columns, strict=True)),
            answers=answers_from_json(answers),
            kinds=kinds,
            staff=staff,
            staff_without_welfare=without,
            person_support=bool(support),
            learning_review=bool(review),
        )
        check = check_record(pack, facts, today)
        if check is None:
            continue
        if check.missing:
            short.setdefault(owner, []).append(incident_id)
        if check.overdue:
            overdue.setdefault(owner, []).append(incident_id)
    return [
        DutyGaps(
            service,
            covering[service.id].title,
            tuple(short.get(service.id, ())),
            tuple(overdue.get(service.id, ())),
        )
        for service in services
        if service.id in short or service.id in overdue
    ]


# --- the whole start screen --------------------------------------------------------------------


@dataclass(frozen=True)
class StartScreen:
    """Everything the start screen and the list of services show, read in one go."""

    organisation: str
    rows: list[ServiceOverview]  # every service, by name
    period: Period  # what the incident figures count
    figures: dict[int, ServiceFigures]  # by service id; none for a service with no incident
    plan: PlanSummary
    # Records short of their recording rules; None until the rules are loaded (the first screen
    # is drawn before them: loading them costs as much as drawing it).
    duties: list[DutyGaps] | None = None
    # Every instrument with a benchmark, the Training Standards first, then by title.
    instruments: tuple[Instrument, ...] = ()

    @property
    def services(self) -> list[ServiceInfo]:
        return [row.service for row in self.rows]

    @property
    def attention(self) -> list[AttentionLine]:
        """What needs attention, records short of the recording rules last."""
        return attention_lines(self.rows, self.plan) + [gap.line for gap in self.duties or ()]

    def figures_for(self, service_id: int) -> ServiceFigures:
        return self.figures.get(service_id) or ServiceFigures(0, WithinDeadline(), WithinDeadline())


def start_screen(
    reader: PlainReader,
    today: dt.date,
    now: dt.datetime,
    rules: Sequence[RulePack] | None = None,
) -> StartScreen:
    """rules: the recording rules to check records against; None leaves them unchecked."""
    period = Period.last_12_months(today)
    rows = organisation_overview(reader, today, now)
    services = [row.service for row in rows]
    return StartScreen(
        organisation=organisation_name_in(reader),
        rows=rows,
        period=period,
        figures=figures_by_service(reader, period, now),
        plan=plan_summary(reader, today),
        duties=None if rules is None else duty_gaps(reader, services, rules, period, today),
        instruments=_instruments_used(reader, rows),
    )


def _instruments_used(reader: PlainReader, rows: list[ServiceOverview]) -> tuple[Instrument, ...]:
    """Named by the title of the newest copy kept of each pack (its id if none is kept)."""
    used = {pack_id for row in rows for pack_id in row.latest_by_instrument}
    titles: dict[str, str] = {}
    for pack_id, title in reader.rows(
        "SELECT pack_id, title FROM instrument_pack ORDER BY added_at, id"
    ):
        titles[pack_id] = title
    found = [Instrument(pack_id, titles.get(pack_id, pack_id)) for pack_id in used]
    return tuple(
        sorted(found, key=lambda i: (i.pack_id != TRAINING_STANDARDS_PACK_ID, i.title.casefold()))
    )
