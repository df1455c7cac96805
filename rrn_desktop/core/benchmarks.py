"""Benchmarks against a content pack: starting, rating, evidence, sign-off, reopening."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    ACTION_STATUS_LABELS,
    NOT_RATED,
    OPEN_ACTION_STATUSES,
    PURPOSE_LABELS,
    ActionSource,
    ActionStatus,
    AnswerKey,
    EventKind,
    Purpose,
    Strategy,
)
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.dates import brief_date, long_date
from rrn_desktop.core.evidence import (
    EvidenceInfo,
    discard_copy,
    forget_content,
    keep_content,
    stored_copy,
)
from rrn_desktop.core.instrument_catalogue import (
    DEFAULT_INSTRUMENT,
    benchmark_pack,
    current_text,
    keep_copy,
    load_copy,
)
from rrn_desktop.core.plan import new_action, record_status
from rrn_desktop.core.scoring import rated_count
from rrn_desktop.core.services import ServiceInfo, service_info
from rrn_desktop.core.validation import Input, InputError, LongText, Name, ShortText, validated
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import (
    Benchmark,
    BenchmarkEvent,
    EvidenceFile,
    ItemResponse,
    Participant,
    Service,
)


class LockedError(UserFacingError):
    """A signed-off benchmark was asked to change."""


@dataclass(frozen=True)
class ParticipantInfo:
    name: str
    role: str = ""
    lived_experience: bool = False


@dataclass(frozen=True)
class ResponseInfo:
    code: str
    rating: AnswerKey = NOT_RATED
    notes: str = ""
    evidence_refs: str = ""
    evidence_files: tuple[EvidenceInfo, ...] = ()
    # The item's action lives on the plan; these show it here (one source of truth).
    action_id: int | None = None
    action_status: ActionStatus | None = None
    action_text: str = ""
    action_owner: str = ""
    action_due: dt.date | None = None

    @property
    def needs_action(self) -> bool:
        return self.action_status is not None and self.action_status is not ActionStatus.DROPPED

    @property
    def action_status_label(self) -> str:
        return ACTION_STATUS_LABELS[self.action_status] if self.action_status else ""


@dataclass(frozen=True)
class EventInfo:
    kind: EventKind
    by_name: str
    by_role: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class BenchmarkInfo:
    id: int
    service: ServiceInfo
    pack_id: str
    pack_version: str
    pack_sha256: str | None  # the kept copy of the pack it was made with
    held_on: dt.date
    purpose: Purpose
    signed_off_by: str | None
    signed_off_role: str | None
    signed_off_on: dt.date | None
    participants: tuple[ParticipantInfo, ...] = ()
    responses: dict[str, ResponseInfo] = field(default_factory=dict)
    events: tuple[EventInfo, ...] = ()

    @property
    def signed_off(self) -> bool:
        return self.signed_off_on is not None

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]

    @property
    def status_label(self) -> str:
        if self.signed_off:
            return f"Signed off {brief_date(self.signed_off_on)}"
        return "Reopened for changes" if self.events else "In progress"

    @property
    def title(self) -> str:
        return f"{brief_date(self.held_on)} · {self.purpose_label}"

    def response(self, code: str) -> ResponseInfo:
        return self.responses.get(code, ResponseInfo(code=code))

    def ratings(self) -> dict[str, AnswerKey]:
        return {code: response.rating for code, response in self.responses.items()}

    @property
    def unrated_count(self) -> int:
        """Items with no answer yet ("Not applicable" is an answer)."""
        pack = self.pack()
        return pack.item_count - rated_count(pack, self.ratings())

    def pack(self) -> ContentPack:
        return benchmark_pack(self.pack_id, self.pack_sha256)


class _ParticipantInput(Input):
    name: Name
    role: ShortText = ""
    lived_experience: bool = False


class _ResponseUpdate(Input):
    notes: LongText | None = None
    evidence_refs: LongText | None = None
    needs_action: bool | None = None
    action_text: LongText | None = None
    action_owner: ShortText | None = None
    action_due: dt.date | None = None


class _SignOffInput(Input):
    name: Name
    role: Name
    on: dt.date


class _ReopenInput(Input):
    by_name: Name
    by_role: ShortText = ""
    reason: Name


def _evidence_info(db: Database, row: EvidenceFile) -> EvidenceInfo:
    return EvidenceInfo(
        id=row.id,
        original_name=row.original_name,
        stored_path=db.evidence_dir / row.stored_name,
        sha256=row.sha256,
        size_bytes=row.size_bytes,
    )


def _detail(db: Database, benchmark: Benchmark) -> BenchmarkInfo:
    session = object_session(benchmark)
    if session is not None:
        load_copy(session, benchmark.pack_sha256)
    return BenchmarkInfo(
        id=benchmark.id,
        service=service_info(benchmark.service),
        pack_id=benchmark.pack_id,
        pack_version=benchmark.pack_version,
        pack_sha256=benchmark.pack_sha256,
        held_on=benchmark.held_on,
        purpose=benchmark.purpose,
        signed_off_by=benchmark.signed_off_by,
        signed_off_role=benchmark.signed_off_role,
        signed_off_on=benchmark.signed_off_on,
        participants=tuple(
            ParticipantInfo(p.name, p.role, p.lived_experience) for p in benchmark.participants
        ),
        responses=_responses(db, benchmark),
        events=tuple(
            # Stored in UTC; shown in the computer's own time zone.
            EventInfo(
                e.kind, e.by_name, e.by_role, e.reason, e.at.replace(tzinfo=dt.UTC).astimezone()
            )
            for e in benchmark.events
        ),
    )


# Everything _detail() reads, fetched in one query per table rather than one per row.
_WHOLE_BENCHMARK = [
    selectinload(Benchmark.responses).selectinload(ItemResponse.evidence_files),
    selectinload(Benchmark.participants),
    selectinload(Benchmark.events),
    selectinload(Benchmark.service),
    selectinload(Benchmark.actions),
]


def _responses(db: Database, benchmark: Benchmark) -> dict[str, ResponseInfo]:
    actions = {action.item_code: action for action in benchmark.actions if action.item_code}
    responses = {}
    for r in benchmark.responses:
        action = actions.get(r.item_code)
        responses[r.item_code] = ResponseInfo(
            code=r.item_code,
            rating=r.rating,
            notes=r.notes,
            evidence_refs=r.evidence_refs,
            evidence_files=tuple(_evidence_info(db, e) for e in r.evidence_files),
            action_id=action.id if action else None,
            action_status=action.status if action else None,
            action_text=action.title if action else "",
            action_owner=action.owner_name if action else "",
            action_due=action.due_on if action else None,
        )
    return responses


def _load(session: Session, benchmark_id: int) -> Benchmark:
    benchmark = session.get(Benchmark, benchmark_id, options=_WHOLE_BENCHMARK)
    if benchmark is None:
        raise UserFacingError("That benchmark no longer exists.")
    return benchmark


def _editable(session: Session, benchmark_id: int) -> Benchmark:
    benchmark = _load(session, benchmark_id)
    if benchmark.signed_off_on is not None:
        raise LockedError(
            "This benchmark is signed off, so it cannot be changed. Reopen it first if a "
            "change is really needed; the reopening is recorded."
        )
    return benchmark


def _pack_of(session: Session, benchmark: Benchmark) -> ContentPack:
    load_copy(session, benchmark.pack_sha256)
    return benchmark_pack(benchmark.pack_id, benchmark.pack_sha256)


def _response_row(session: Session, benchmark: Benchmark, code: str) -> ItemResponse:
    pack = _pack_of(session, benchmark)
    if code not in {item.code for _section, item in pack.items()}:
        raise UserFacingError(f"Item {code} is not part of this benchmark's content pack.")
    for row in benchmark.responses:
        if row.item_code == code:
            return row
    row = ItemResponse(item_code=code)
    benchmark.responses.append(row)
    session.flush()
    return row


def start_benchmark(
    db: Database,
    service_id: int,
    held_on: dt.date,
    purpose: Purpose,
    participants: list[ParticipantInfo],
    pack_id: str = DEFAULT_INSTRUMENT,
) -> BenchmarkInfo:
    """A new benchmark of the instrument ``pack_id`` as it stands here now (its newest
    version), keeping a copy of that pack with it."""
    people = [
        validated(_ParticipantInput, name=p.name, role=p.role, lived_experience=p.lived_experience)
        for p in participants
    ]
    with db.transaction() as session:
        service = session.get(Service, service_id)
        if service is None:
            raise UserFacingError("That service no longer exists.")
        text, pack = current_text(session, pack_id)
        benchmark = Benchmark(
            service=service,
            pack_id=pack.id,
            pack_version=pack.version,
            pack_sha256=keep_copy(session, text, pack),
            held_on=held_on,
            purpose=Purpose(purpose),
            participants=[
                Participant(name=p.name, role=p.role, lived_experience=p.lived_experience)
                for p in people
            ],
        )
        session.add(benchmark)
        session.flush()
        return _detail(db, benchmark)


def get_benchmark(db: Database, benchmark_id: int) -> BenchmarkInfo:
    with db.transaction() as session:
        return _detail(db, _load(session, benchmark_id))


def list_benchmarks(db: Database, service_id: int) -> list[BenchmarkInfo]:
    """Every benchmark of a service, newest first, with its ratings (for progress and scores)."""
    with db.transaction() as session:
        rows = session.scalars(
            select(Benchmark)
            .where(Benchmark.service_id == service_id)
            .order_by(Benchmark.held_on.desc(), Benchmark.id.desc())
            .options(*_WHOLE_BENCHMARK)
        ).all()
        return [_detail(db, row) for row in rows]


def previous_benchmark(db: Database, benchmark: BenchmarkInfo) -> BenchmarkInfo | None:
    """The benchmark of the same service and pack held just before this one."""
    history = [
        b for b in list_benchmarks(db, benchmark.service.id) if b.pack_id == benchmark.pack_id
    ]
    ids = [b.id for b in history]
    position = ids.index(benchmark.id)
    return history[position + 1] if position + 1 < len(history) else None


def latest_benchmark(db: Database, service_id: int | None = None) -> BenchmarkInfo:
    with db.transaction() as session:
        query = select(Benchmark.id).order_by(Benchmark.held_on.desc(), Benchmark.id.desc())
        if service_id is not None:
            query = query.where(Benchmark.service_id == service_id)
        benchmark_id = session.scalars(query.limit(1)).first()
    if benchmark_id is None:
        raise UserFacingError(
            "There is no benchmark yet"
            + (" for that service." if service_id is not None else ".")
            + " Start one in the app, or run 'rrn-desktop demo' to see an example."
        )
    return get_benchmark(db, benchmark_id)


def set_rating(db: Database, benchmark_id: int, code: str, rating: AnswerKey) -> ResponseInfo:
    """Answer an item with one of its pack's answers (by key)."""
    with db.transaction() as session:
        benchmark = _editable(session, benchmark_id)
        row = _response_row(session, benchmark, code)
        pack = _pack_of(session, benchmark)
        if rating not in {option.key for option in pack.rating_scale}:
            raise UserFacingError(f"'{rating}' is not an answer of {pack.title}.")
        row.rating = str(rating)
        session.flush()
        return _detail(db, benchmark).response(code)


def update_response(db: Database, benchmark_id: int, code: str, **changes: object) -> ResponseInfo:
    """Save the fields given (notes, evidence references, the action) and nothing else."""
    data = validated(_ResponseUpdate, **changes)
    with db.transaction() as session:
        benchmark = _editable(session, benchmark_id)
        row = _response_row(session, benchmark, code)
        for name in data.model_fields_set & {"notes", "evidence_refs"}:
            setattr(row, name, getattr(data, name))
        _update_item_action(session, benchmark, code, data)
        session.flush()
        session.expire(benchmark, ["actions"])
        return _detail(db, benchmark).response(code)


ACTION_FIELDS = {"action_text": "title", "action_owner": "owner_name", "action_due": "due_on"}


def _update_item_action(
    session: Session, benchmark: Benchmark, code: str, data: _ResponseUpdate
) -> None:
    """Flagging an item creates its one action on the plan; unflagging drops it (kept, dated)."""
    action = next((a for a in benchmark.actions if a.item_code == code), None)
    # A change is dated today, but never before the action's last change (a benchmark may be
    # dated ahead).
    today = max([dt.date.today()] + ([action.status_changes[-1].changed_on] if action else []))
    if data.needs_action and action is None:
        item = next(i for _s, i in _pack_of(session, benchmark).items() if i.code == code)
        action = new_action(
            title=data.action_text or f"Act on item {code}: {item.text}",
            strategy=Strategy.WORKFORCE,
            on=benchmark.held_on,
            source=ActionSource.BENCHMARK_ITEM,
            service=benchmark.service,
            benchmark=benchmark,
            item_code=code,
        )
        session.add(action)
    elif data.needs_action and action is not None and action.status is ActionStatus.DROPPED:
        record_status(
            action, ActionStatus.PLANNED, today, "Needed again: flagged on the benchmark."
        )
        action.dropped_reason = ""
    elif (
        data.needs_action is False and action is not None and action.status in OPEN_ACTION_STATUSES
    ):
        reason = "No longer needed: the benchmark item is no longer flagged."
        record_status(action, ActionStatus.DROPPED, today, reason)
        action.dropped_reason = reason
    for name, column in ACTION_FIELDS.items():
        if name in data.model_fields_set:
            if action is None:
                raise InputError("Tick 'needs action' before describing the action.")
            value = getattr(data, name)
            if column == "title" and not (value or "").strip():
                continue  # an action always keeps a title
            setattr(action, column, value)


def attach_evidence(db: Database, benchmark_id: int, code: str, source: Path) -> EvidenceInfo:
    """Copy the file into the data folder, so the record survives the original moving."""
    with stored_copy(db.evidence_dir, source) as copy, db.transaction() as session:
        benchmark = _editable(session, benchmark_id)
        row = _response_row(session, benchmark, code)
        evidence = EvidenceFile(
            original_name=copy.original_name,
            stored_name=copy.stored_name,
            sha256=copy.sha256,
            size_bytes=copy.size_bytes,
        )
        row.evidence_files.append(evidence)
        keep_content(db, session, copy)
        session.flush()
        return _evidence_info(db, evidence)


def remove_evidence(db: Database, benchmark_id: int, evidence_id: int) -> None:
    with db.transaction() as session:
        _editable(session, benchmark_id)
        evidence = session.get(EvidenceFile, evidence_id)
        if evidence is None or evidence.response.benchmark_id != benchmark_id:
            raise UserFacingError("That evidence file is no longer attached.")
        stored_name = evidence.stored_name
        session.delete(evidence)
        forget_content(db, session, stored_name)
    # The row is gone for good before the copy is removed: a failure never leaves a broken link.
    discard_copy(db.evidence_dir, stored_name)


def set_participants(db: Database, benchmark_id: int, participants: list[ParticipantInfo]) -> None:
    people = [
        validated(_ParticipantInput, name=p.name, role=p.role, lived_experience=p.lived_experience)
        for p in participants
    ]
    with db.transaction() as session:
        benchmark = _editable(session, benchmark_id)
        benchmark.participants = [
            Participant(name=p.name, role=p.role, lived_experience=p.lived_experience)
            for p in people
        ]


def sign_off(db: Database, benchmark_id: int, name: str, role: str, on: dt.date) -> None:
    data = validated(_SignOffInput, name=name, role=role, on=on)
    with db.transaction() as session:
        benchmark = _editable(session, benchmark_id)
        if data.on > dt.date.today():
            raise InputError("The sign-off date cannot be in the future.")
        if data.on < benchmark.held_on:
            raise InputError(
                "The sign-off date cannot be before the benchmark was held on "
                f"{long_date(benchmark.held_on)}."
            )
        benchmark.signed_off_by = data.name
        benchmark.signed_off_role = data.role
        benchmark.signed_off_on = data.on
        benchmark.events.append(
            BenchmarkEvent(kind=EventKind.SIGNED_OFF, by_name=data.name, by_role=data.role)
        )


def reopen(db: Database, benchmark_id: int, by_name: str, reason: str, by_role: str = "") -> None:
    data = validated(_ReopenInput, by_name=by_name, by_role=by_role, reason=reason)
    with db.transaction() as session:
        benchmark = _load(session, benchmark_id)
        if benchmark.signed_off_on is None:
            raise InputError("This benchmark is not signed off, so there is nothing to reopen.")
        benchmark.signed_off_by = benchmark.signed_off_role = None
        benchmark.signed_off_on = None
        benchmark.events.append(
            BenchmarkEvent(
                kind=EventKind.REOPENED,
                by_name=data.by_name,
                by_role=data.by_role,
                reason=data.reason,
            )
        )
