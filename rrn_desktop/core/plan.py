"""The restraint reduction plan: the pledge, and every action wherever it came from."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    ACTION_SOURCE_LABELS,
    ACTION_STATUS_LABELS,
    OPEN_ACTION_STATUSES,
    PRIORITY_LABELS,
    STRATEGY_LABELS,
    ActionSource,
    ActionStatus,
    Priority,
    Strategy,
)
from rrn_desktop.core.dates import add_months, long_date
from rrn_desktop.core.evidence import (
    EvidenceInfo,
    discard_copy,
    forget_content,
    keep_content,
    stored_copy,
)
from rrn_desktop.core.plan_records import PLEDGE_YEARS, ActionCounts, current_pledge_in
from rrn_desktop.core.plan_records import PledgeInfo as PledgeInfo
from rrn_desktop.core.services import ServiceInfo, service_info
from rrn_desktop.core.validation import Input, InputError, LongText, Name, ShortText, validated
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.errors import ChangedElsewhereError
from rrn_desktop.storage.models import (
    Action,
    ActionEvidenceFile,
    ActionNote,
    ActionStatusChange,
    Benchmark,
    Incident,
    LearningPoint,
    LearningReview,
    OutcomeReading,
    Pledge,
    Restriction,
    Service,
    StaffPledge,
)

# What "move forward" does: one keystroke takes an action one step on.
NEXT_STATUS = {
    ActionStatus.PLANNED: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.DONE,
}


@dataclass(frozen=True)
class StatusChange:
    status: ActionStatus
    changed_on: dt.date
    note: str
    recorded_at: dt.datetime

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class ProgressNote:
    noted_on: dt.date
    text: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Reading:
    value: float
    read_on: dt.date
    note: str


@dataclass(frozen=True)
class ActionSummary:
    """An action as the plan's lists show it: its own columns, its service and where it came
    from, without its history, notes, readings or evidence (see ActionInfo for those)."""

    id: int
    service: ServiceInfo | None
    title: str
    description: str
    strategy: Strategy
    owner_name: str
    owner_role: str
    start_on: dt.date | None
    due_on: dt.date | None
    priority: Priority
    status: ActionStatus
    dropped_reason: str
    outcome_measure: str
    outcome_unit: str
    outcome_baseline: float | None
    outcome_target: float | None
    source: ActionSource
    source_detail: str
    benchmark_id: int | None
    item_code: str | None
    restriction_id: int | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def plan_order(self) -> tuple[dt.date, int]:
        """Where the action comes in the plan: soonest due first, undated last."""
        return (self.due_on or dt.date.max, self.id)

    @property
    def owner(self) -> str:
        return ", ".join(part for part in (self.owner_name, self.owner_role) if part)

    @property
    def strategy_label(self) -> str:
        return STRATEGY_LABELS[self.strategy]

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[self.status]

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS[self.priority]

    @property
    def source_label(self) -> str:
        return ACTION_SOURCE_LABELS[self.source]


@dataclass(frozen=True)
class ActionInfo(ActionSummary):
    """An action whole: its summary, with its status history, progress log, outcome readings
    and evidence files."""

    status_changes: tuple[StatusChange, ...]
    notes: tuple[ProgressNote, ...]
    readings: tuple[Reading, ...]
    evidence_files: tuple[EvidenceInfo, ...]
    # How many times it has been saved: a save made from an older copy is refused.
    row_version: int = 1

    def summary(self) -> ActionSummary:
        """The same action as the plan's lists hold it."""
        return ActionSummary(
            **{f.name: getattr(self, f.name) for f in dataclasses.fields(ActionSummary)}
        )

    def done_on(self) -> dt.date | None:
        if self.status is not ActionStatus.DONE or not self.status_changes:
            return None
        return self.status_changes[-1].changed_on

    @property
    def latest_reading(self) -> Reading | None:
        return self.readings[-1] if self.readings else None

    def outcome_text(self) -> str:
        """'Restraints a month: 12 → 7 (5 May 2026) → 4', or '' when nothing is measured."""
        if not self.outcome_measure:
            return ""
        unit = f" {self.outcome_unit}" if self.outcome_unit else ""

        def number(value: float | None) -> str:
            return "not set" if value is None else f"{value:g}{unit}"

        latest = self.latest_reading
        now = (
            f"{number(latest.value)} ({long_date(latest.read_on)})" if latest else "no reading yet"
        )
        return (
            f"{self.outcome_measure}: baseline {number(self.outcome_baseline)} → latest {now} "
            f"→ target {number(self.outcome_target)}"
        )


@functools.lru_cache(maxsize=1024)
def _held_on(day: dt.date) -> str:
    # Thousands of actions share a few hundred benchmarks: each date is written out once.
    return long_date(day)


def _describe_source(
    source: ActionSource,
    item_code: str | None,
    benchmark: tuple[dt.date, str] | None,
    restriction: tuple[str, str] | None,
    incident: tuple[str, str] | None,
) -> str:
    """Where an action came from, in words. benchmark is (held on, service name), restriction
    (title, service name) and incident (reference, service name), each None when gone."""
    if source is ActionSource.BENCHMARK_ITEM and benchmark is not None:
        held_on, service_name = benchmark
        return f"Benchmark item {item_code}, benchmark of {_held_on(held_on)} ({service_name})"
    if source is ActionSource.RESTRICTION and restriction is not None:
        title, service_name = restriction
        return f"Blanket restriction '{title}' ({service_name})"
    if source is ActionSource.LEARNING_POINT:
        if incident is None:
            return "A post-incident learning point (the incident record has since been deleted)"
        reference, service_name = incident
        return f"Learning point from the review of incident {reference} ({service_name})"
    return ACTION_SOURCE_LABELS[source]


def _source_detail(row: Action) -> str:
    source = row.source
    benchmark = row.benchmark if source is ActionSource.BENCHMARK_ITEM else None
    restriction = row.restriction if source is ActionSource.RESTRICTION else None
    point = row.learning_point if source is ActionSource.LEARNING_POINT else None
    incident = point.review.incident if point is not None else None
    return _describe_source(
        source,
        row.item_code,
        (benchmark.held_on, benchmark.service.name) if benchmark is not None else None,
        (restriction.title, restriction.service.name) if restriction is not None else None,
        (incident.reference, incident.service.name) if incident is not None else None,
    )


def _info(db: Database, row: Action) -> ActionInfo:
    evidence_dir = db.evidence_dir
    return ActionInfo(
        id=row.id,
        service=service_info(row.service) if row.service else None,
        title=row.title,
        description=row.description,
        strategy=row.strategy,
        owner_name=row.owner_name,
        owner_role=row.owner_role,
        start_on=row.start_on,
        due_on=row.due_on,
        priority=row.priority,
        status=row.status,
        dropped_reason=row.dropped_reason,
        outcome_measure=row.outcome_measure,
        outcome_unit=row.outcome_unit,
        outcome_baseline=row.outcome_baseline,
        outcome_target=row.outcome_target,
        source=row.source,
        source_detail=_source_detail(row),
        benchmark_id=row.benchmark_id,
        item_code=row.item_code,
        restriction_id=row.restriction_id,
        status_changes=tuple(
            StatusChange(c.status, c.changed_on, c.note, c.recorded_at) for c in row.status_changes
        ),
        notes=tuple(ProgressNote(n.noted_on, n.text, n.recorded_at) for n in row.notes),
        readings=tuple(Reading(r.value, r.read_on, r.note) for r in row.readings),
        evidence_files=tuple(
            EvidenceInfo(
                e.id, e.original_name, evidence_dir / e.stored_name, e.sha256, e.size_bytes
            )
            for e in row.evidence_files
        ),
        row_version=row.row_version,
    )


WHOLE_ACTION = [
    selectinload(Action.status_changes),
    selectinload(Action.notes),
    selectinload(Action.readings),
    selectinload(Action.evidence_files),
    selectinload(Action.service),
    selectinload(Action.benchmark).selectinload(Benchmark.service),
    selectinload(Action.restriction).selectinload(Restriction.service),
    selectinload(Action.learning_point)
    .selectinload(LearningPoint.review)
    .selectinload(LearningReview.incident)
    .selectinload(Incident.service),
]


def _row(session: Session, action_id: int) -> Action:
    row = session.get(Action, action_id, options=WHOLE_ACTION)
    if row is None:
        raise UserFacingError("That action no longer exists.")
    return row


def loaded_action(db: Database, session: Session, action_id: int) -> ActionInfo:
    """An action just added in this session, read back whole."""
    return _info(db, _row(session, action_id))


def new_action(
    *,
    title: str,
    strategy: Strategy,
    on: dt.date,
    source: ActionSource = ActionSource.PLAN,
    service: Service | None = None,
    **fields: object,
) -> Action:
    """An action row with its first status recorded; the caller adds it to a session."""
    return Action(
        title=title,
        strategy=strategy,
        source=source,
        service=service,
        start_on=on,
        status=ActionStatus.PLANNED,
        status_changes=[
            ActionStatusChange(
                status=ActionStatus.PLANNED, changed_on=on, note="Added to the plan."
            )
        ],
        **fields,
    )


def record_status(row: Action, status: ActionStatus, on: dt.date, note: str = "") -> None:
    latest = row.status_changes[-1].changed_on if row.status_changes else None
    if latest is not None and on < latest:
        raise InputError(
            f"The date of a change cannot be before the last one ({long_date(latest)})."
        )
    row.status = status
    row.status_changes.append(ActionStatusChange(status=status, changed_on=on, note=note))


# --- actions -----------------------------------------------------------------------------------


class _ActionFields(Input):
    title: Name | None = None
    description: LongText | None = None
    strategy: Strategy | None = None
    owner_name: ShortText | None = None
    owner_role: ShortText | None = None
    start_on: dt.date | None = None
    due_on: dt.date | None = None
    priority: Priority | None = None
    outcome_measure: LongText | None = None
    outcome_unit: ShortText | None = None
    outcome_baseline: float | None = None
    outcome_target: float | None = None


def _check_dates(row: Action) -> None:
    if row.start_on and row.due_on and row.due_on < row.start_on:
        raise InputError(
            f"The due date ({long_date(row.due_on)}) cannot be before the start date "
            f"({long_date(row.start_on)})."
        )


def create_action(
    db: Database,
    title: str,
    strategy: Strategy,
    on: dt.date,
    *,
    service_id: int | None = None,
    restriction_id: int | None = None,
    **fields: object,
) -> ActionInfo:
    data = validated(_ActionFields, title=title, strategy=strategy, **fields)
    values = {name: getattr(data, name) for name in data.model_fields_set - {"title", "strategy"}}
    with db.transaction() as session:
        service = session.get(Service, service_id) if service_id is not None else None
        source = ActionSource.PLAN
        if restriction_id is not None:
            restriction = session.get(Restriction, restriction_id)
            if restriction is None:
                raise UserFacingError("That register entry no longer exists.")
            service, source = restriction.service, ActionSource.RESTRICTION
            values["restriction_id"] = restriction_id
        row = new_action(
            title=data.title or title,
            strategy=Strategy(strategy),
            on=on,
            source=source,
            service=service,
            **values,
        )
        _check_dates(row)
        session.add(row)
        session.flush()
        return _info(db, _row(session, row.id))


def update_action(
    db: Database, action_id: int, *, opened: int | None = None, **changes: object
) -> ActionInfo:
    """Save changes to an action. ``opened``: the ``row_version`` of the copy the changes were
    made to; if someone else has saved the action since, nothing is saved and
    ChangedElsewhereError carries their version."""
    data = validated(_ActionFields, **changes)
    with db.transaction() as session:
        row = _row(session, action_id)
        if opened is not None and row.row_version != opened:
            raise ChangedElsewhereError(theirs=_info(db, row))
        for name in data.model_fields_set:
            value = getattr(data, name)
            if name in ("title", "strategy", "priority") and value is None:
                continue
            setattr(row, name, value)
        _check_dates(row)
        session.flush()
        return _info(db, row)


def get_action(db: Database, action_id: int) -> ActionInfo:
    with db.transaction() as session:
        return _info(db, _row(session, action_id))


def list_actions(db: Database) -> list[ActionInfo]:
    """Every action, soonest due first (undated last)."""
    with db.transaction() as session:
        rows = session.scalars(select(Action).options(*WHOLE_ACTION)).all()
        actions = [_info(db, row) for row in rows]
    return sorted(actions, key=lambda a: (a.due_on or dt.date.max, a.id))


def list_action_summaries(db: Database) -> list[ActionSummary]:
    """Every action as the plan's lists show it, soonest due first (undated last, as
    list_actions): one query, with no history, notes, readings or evidence (get_action reads
    one action whole)."""
    action_service = aliased(Service)
    benchmark_service = aliased(Service)
    restriction_service = aliased(Service)
    incident_service = aliased(Service)
    query = (
        select(
            Action.id,
            Action.title,
            Action.description,
            Action.strategy,
            Action.owner_name,
            Action.owner_role,
            Action.start_on,
            Action.due_on,
            Action.priority,
            Action.status,
            Action.dropped_reason,
            Action.outcome_measure,
            Action.outcome_unit,
            Action.outcome_baseline,
            Action.outcome_target,
            Action.source,
            Action.benchmark_id,
            Action.item_code,
            Action.restriction_id,
            action_service.id,
            action_service.name,
            action_service.sector,
            action_service.jurisdiction,
            Benchmark.held_on,
            benchmark_service.name,
            Restriction.title,
            restriction_service.name,
            Incident.reference,
            incident_service.name,
        )
        .outerjoin(action_service, Action.service_id == action_service.id)
        .outerjoin(Benchmark, Action.benchmark_id == Benchmark.id)
        .outerjoin(benchmark_service, Benchmark.service_id == benchmark_service.id)
        .outerjoin(Restriction, Action.restriction_id == Restriction.id)
        .outerjoin(restriction_service, Restriction.service_id == restriction_service.id)
        .outerjoin(LearningPoint, LearningPoint.action_id == Action.id)
        .outerjoin(LearningReview, LearningPoint.review_id == LearningReview.id)
        .outerjoin(Incident, LearningReview.incident_id == Incident.id)
        .outerjoin(incident_service, Incident.service_id == incident_service.id)
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
    )
    services: dict[int, ServiceInfo] = {}
    actions = []
    with db.transaction() as session:
        for (
            action_id,
            title,
            description,
            strategy,
            owner_name,
            owner_role,
            start_on,
            due_on,
            priority,
            status,
            dropped_reason,
            outcome_measure,
            outcome_unit,
            outcome_baseline,
            outcome_target,
            source,
            benchmark_id,
            item_code,
            restriction_id,
            service_id,
            service_name,
            sector,
            jurisdiction,
            held_on,
            benchmark_service_name,
            restriction_title,
            restriction_service_name,
            incident_reference,
            incident_service_name,
        ) in session.connection().execute(query):  # no ORM objects: rows only
            service = None
            if service_id is not None:
                service = services.get(service_id)
                if service is None:
                    service = services[service_id] = ServiceInfo(
                        service_id, service_name, sector, jurisdiction
                    )
            source_detail = _describe_source(
                source,
                item_code,
                None if held_on is None else (held_on, benchmark_service_name),
                None
                if restriction_title is None
                else (restriction_title, restriction_service_name),
                None if incident_reference is None else (incident_reference, incident_service_name),
            )
            actions.append(
                ActionSummary(
                    id=action_id,
                    service=service,
                    title=title,
                    description=description,
                    strategy=strategy,
                    owner_name=owner_name,
                    owner_role=owner_role,
                    start_on=start_on,
                    due_on=due_on,
                    priority=priority,
                    status=status,
                    dropped_reason=dropped_reason,
                    outcome_measure=outcome_measure,
                    outcome_unit=outcome_unit,
                    outcome_baseline=outcome_baseline,
                    outcome_target=outcome_target,
                    source=source,
                    source_detail=source_detail,
                    benchmark_id=benchmark_id,
                    item_code=item_code,
                    restriction_id=restriction_id,
                )
            )
    return actions


def actions_for_restriction(db: Database, restriction_id: int) -> list[ActionInfo]:
    """The actions planned for one register entry, soonest due first (undated last)."""
    with db.transaction() as session:
        rows = session.scalars(
            select(Action).where(Action.restriction_id == restriction_id).options(*WHOLE_ACTION)
        ).all()
        actions = [_info(db, row) for row in rows]
    return sorted(actions, key=lambda a: (a.due_on or dt.date.max, a.id))


def move_forward(db: Database, action_id: int, on: dt.date) -> ActionInfo:
    """Planned → in progress → done, one step at a time."""
    with db.transaction() as session:
        row = _row(session, action_id)
        following = NEXT_STATUS.get(row.status)
        if following is None:
            raise InputError(
                f"This action is {ACTION_STATUS_LABELS[row.status].lower()}: there is no next step."
            )
        record_status(row, following, on)
        session.flush()
        return _info(db, row)


def set_status(
    db: Database, action_id: int, status: ActionStatus, on: dt.date, note: str = ""
) -> ActionInfo:
    status = ActionStatus(status)
    note = note.strip()
    if status is ActionStatus.DROPPED and not note:
        raise InputError("Say why the action is being dropped.")
    with db.transaction() as session:
        row = _row(session, action_id)
        if row.status is status:
            raise InputError(f"It is already {ACTION_STATUS_LABELS[status].lower()}.")
        record_status(row, status, on, note)
        row.dropped_reason = note if status is ActionStatus.DROPPED else ""
        session.flush()
        return _info(db, row)


def add_note(db: Database, action_id: int, on: dt.date, text: str) -> ActionInfo:
    if not text.strip():
        raise InputError("The progress note cannot be left empty.")
    with db.transaction() as session:
        row = _row(session, action_id)
        row.notes.append(ActionNote(noted_on=on, text=text.strip()))
        session.flush()
        return _info(db, row)


def add_reading(
    db: Database, action_id: int, value: float, on: dt.date, note: str = ""
) -> ActionInfo:
    with db.transaction() as session:
        row = _row(session, action_id)
        if not row.outcome_measure:
            raise InputError("Say what is being measured before recording a reading.")
        row.readings.append(OutcomeReading(value=float(value), read_on=on, note=note.strip()))
        session.flush()
        return _info(db, row)


def attach_action_evidence(db: Database, action_id: int, source_file: Path) -> ActionInfo:
    with stored_copy(db.evidence_dir, source_file) as copy, db.transaction() as session:
        row = _row(session, action_id)
        row.evidence_files.append(
            ActionEvidenceFile(
                original_name=copy.original_name,
                stored_name=copy.stored_name,
                sha256=copy.sha256,
                size_bytes=copy.size_bytes,
            )
        )
        keep_content(db, session, copy)
        session.flush()
        return _info(db, row)


def remove_action_evidence(db: Database, action_id: int, evidence_id: int) -> None:
    with db.transaction() as session:
        evidence = session.get(ActionEvidenceFile, evidence_id)
        if evidence is None or evidence.action_id != action_id:
            raise UserFacingError("That evidence file is no longer attached.")
        stored_name = evidence.stored_name
        session.delete(evidence)
        forget_content(db, session, stored_name)
    discard_copy(db.evidence_dir, stored_name)


def count_actions(actions: Sequence[ActionSummary], today: dt.date) -> ActionCounts:
    return ActionCounts(
        open=sum(1 for a in actions if a.is_open),
        overdue=sum(1 for a in actions if a.overdue(today)),
        done=sum(1 for a in actions if a.status is ActionStatus.DONE),
    )


# --- the pledge --------------------------------------------------------------------------------


class _PledgeInput(Input):
    statement: LongText | None = None
    made_on: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    signed_by: ShortText | None = None
    signed_role: ShortText | None = None
    published: bool | None = None
    published_where: LongText | None = None


def _pledge_info(row: Pledge) -> PledgeInfo:
    return PledgeInfo(
        row.id,
        row.statement,
        row.made_on,
        row.period_start,
        row.period_end,
        row.signed_by,
        row.signed_role,
        row.published,
        row.published_where,
    )


def current_pledge(db: Database) -> PledgeInfo | None:
    with db.reading() as reader:
        return current_pledge_in(reader)


def make_pledge(db: Database, statement: str, made_on: dt.date, **fields: object) -> PledgeInfo:
    """A new pledge for two years from the day it is made (a renewal is a new pledge)."""
    if not statement.strip():
        raise InputError("Write the pledge before saving it.")
    data = validated(_PledgeInput, **fields)
    with db.transaction() as session:
        row = Pledge(
            statement=statement.strip(),
            made_on=made_on,
            period_start=made_on,
            period_end=add_months(made_on, 12 * PLEDGE_YEARS),
            **{name: getattr(data, name) for name in data.model_fields_set},
        )
        session.add(row)
        session.flush()
        return _pledge_info(row)


def update_pledge(db: Database, pledge_id: int, **changes: object) -> PledgeInfo:
    data = validated(_PledgeInput, **changes)
    with db.transaction() as session:
        row = session.get(Pledge, pledge_id)
        if row is None:
            raise UserFacingError("That pledge no longer exists.")
        # Every pledge column is required: a field given as None is left as it was.
        for name in data.model_fields_set:
            value = getattr(data, name)
            if value is not None:
                setattr(row, name, value)
        if row.period_end <= row.period_start:
            raise InputError("The pledge period must end after it starts.")
        session.flush()
        return _pledge_info(row)


@dataclass(frozen=True)
class StaffPledgeInfo:
    id: int
    person: str
    commitment: str
    made_on: dt.date
    review_on: dt.date | None
    review_notes: str


class _StaffPledgeInput(Input):
    person: Name
    commitment: LongText
    made_on: dt.date
    review_on: dt.date | None = None
    review_notes: LongText = ""


def list_staff_pledges(db: Database) -> list[StaffPledgeInfo]:
    with db.transaction() as session:
        rows = session.scalars(
            select(StaffPledge).order_by(StaffPledge.made_on, StaffPledge.id)
        ).all()
        return [
            StaffPledgeInfo(r.id, r.person, r.commitment, r.made_on, r.review_on, r.review_notes)
            for r in rows
        ]


def add_staff_pledge(
    db: Database, person: str, commitment: str, made_on: dt.date, review_on: dt.date | None = None
) -> StaffPledgeInfo:
    if not commitment.strip():
        raise InputError("Write the action this person commits to.")
    data = validated(
        _StaffPledgeInput,
        person=person,
        commitment=commitment.strip(),
        made_on=made_on,
        review_on=review_on,
    )
    with db.transaction() as session:
        row = StaffPledge(
            person=data.person,
            commitment=data.commitment,
            made_on=data.made_on,
            review_on=data.review_on,
        )
        session.add(row)
        session.flush()
        return StaffPledgeInfo(row.id, row.person, row.commitment, row.made_on, row.review_on, "")


def review_staff_pledge(
    db: Database, pledge_id: int, notes: str, next_review: dt.date | None
) -> None:
    with db.transaction() as session:
        row = session.get(StaffPledge, pledge_id)
        if row is None:
            raise UserFacingError("That pledge no longer exists.")
        row.review_notes, row.review_on = notes.strip(), next_review


def delete_staff_pledge(db: Database, pledge_id: int) -> None:
    with db.transaction() as session:
        row = session.get(StaffPledge, pledge_id)
        if row is not None:
            session.delete(row)
