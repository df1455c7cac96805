"""The tables of the data file, as typed SQLAlchemy models."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from rrn_desktop.base.vocabulary import (
    NOT_RATED,
    ActionSource,
    ActionStatus,
    Answer,
    AppliesTo,
    ChangeKind,
    ChecklistAnswer,
    EventKind,
    Involvement,
    Jurisdiction,
    PersonIdentity,
    Priority,
    Purpose,
    RestraintType,
    RestrictionStatus,
    ReviewFrequency,
    Sector,
    Strategy,
)

# Stable constraint names let Alembic's batch mode rebuild tables on SQLite predictably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uid() -> str:
    return str(uuid.uuid4())


def new_laptop_id() -> str:
    """This copy of the data's own id in the version vectors (LAPTOP_ID_KEY, below)."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    # The same record keeps the same uid on every laptop, so bundles can be merged without
    # mixing records up; the integer id stays local to one data file.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)


def table_of(mapped: type[Base] | Mapper[Any]) -> Table:
    """The table a model (or its mapper) is stored in. SQLAlchemy types it as any FROM clause,
    since a class may be mapped over a join; every model here maps one plain table."""
    table = mapped.local_table if isinstance(mapped, Mapper) else mapped.__table__
    assert isinstance(table, Table)
    return table


# This laptop's own id in the version vectors below: made once, by the migration that brought
# them in (0007), and kept in app_setting under this key.
LAPTOP_ID_KEY = "laptop_id"
VERSIONS = "versions"
_LAPTOP = text(f"(SELECT value FROM app_setting WHERE key = '{LAPTOP_ID_KEY}')")
_OWN_ENTRY = literal('$."').op("||")(_LAPTOP).op("||")(literal('"'))


def versions_column() -> Column[dict[str, int]]:
    """How many times each laptop has changed a record: {laptop id: count}, "{}" for a record
    whose history is unknown (saved before version vectors came in).

    The data file counts by itself: every insert starts the count at 1 for this laptop and every
    update adds 1, whichever code made the change, so no edit can forget to count. The column is
    left out of the mapped attributes (``exclude_properties``) for the same reason, and so that
    the record of changes never lists it as an edit; bundle_versions reads and writes it."""
    return Column(
        VERSIONS,
        JSON,
        nullable=False,
        server_default="{}",
        default=func.json_object(_LAPTOP, 1),
        onupdate=func.json_set(
            text(VERSIONS),
            _OWN_ENTRY,
            func.coalesce(func.json_extract(text(VERSIONS), _OWN_ENTRY), 0) + 1,
        ),
    )


VERSIONED = {"exclude_properties": [VERSIONS]}

# How many times a record has been saved, so that on a shared database a save that would
# overwrite someone else's newer change is refused (SQLAlchemy checks it in every UPDATE).
ROW_VERSION = "row_version"


def row_version_column() -> Mapped[int]:
    # Bundle imports update with plain SQL, which the ORM's count does not see: they add 1 too.
    return mapped_column(
        ROW_VERSION,
        Integer,
        nullable=False,
        server_default="1",
        onupdate=text(f"{ROW_VERSION} + 1"),
    )


def checked_edits(versions: Mapped[int]) -> dict[str, object]:
    return {**VERSIONED, "version_id_col": versions}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _enum(enum_class: type[StrEnum], name: str) -> Enum:
    # Store the readable value, and keep SQLite free of CHECK constraints that would need a table
    # rebuild every time a later version adds a choice.
    return Enum(
        enum_class,
        name=name,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=False,
        length=40,
    )


DEFAULT_RETENTION_MONTHS = 36


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    incident_identity: Mapped[PersonIdentity] = mapped_column(
        _enum(PersonIdentity, "person_identity"),
        default=PersonIdentity.REFERENCE_ONLY,
        server_default=PersonIdentity.REFERENCE_ONLY.value,
    )
    incident_retention_months: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_RETENTION_MONTHS, server_default=str(DEFAULT_RETENTION_MONTHS)
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    services: Mapped[list[Service]] = relationship(back_populates="organisation")


class Service(Base):
    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[Sector] = mapped_column(_enum(Sector, "sector"))
    # Whose recording law applies (England unless told otherwise: most users are there).
    jurisdiction: Mapped[Jurisdiction] = mapped_column(
        _enum(Jurisdiction, "jurisdiction"), default=Jurisdiction.ENGLAND, server_default="england"
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship(back_populates="services")
    benchmarks: Mapped[list[Benchmark]] = relationship(back_populates="service")


class DataArrival(Base):
    """A bundle's records of one service brought into this data (head office's view of when
    each service's data last arrived). Kept here: bundles do not carry it."""

    __tablename__ = "data_arrival"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    arrived_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    bundle_made_at: Mapped[dt.datetime] = mapped_column(DateTime)
    bundle_name: Mapped[str] = mapped_column(String(400))
    records: Mapped[int] = mapped_column(Integer)


class ServiceSize(Base):
    """How big a service was in a month, so incident figures can be read as rates: occupied
    bed-days for a ward, the number of pupils or places elsewhere."""

    __tablename__ = "service_size"
    __table_args__ = (UniqueConstraint("service_id", "month"), versions_column())
    __mapper_args__ = VERSIONED

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)  # its first day
    amount: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class InstrumentPack(Base):
    """The exact text of a self-assessment pack a benchmark was made with, or that the
    organisation added: kept by its hash, so that editing or upgrading a pack never rewrites
    a past result."""

    __tablename__ = "instrument_pack"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pack_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(400))
    content: Mapped[str] = mapped_column(Text)
    # Added by the organisation (offered for new benchmarks), or a copy kept for a benchmark.
    added: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Benchmark(Base):
    __tablename__ = "benchmark"
    __table_args__ = (versions_column(),)
    __mapper_args__ = VERSIONED

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    pack_id: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(100))
    # The stored copy of the pack it was made with (instrument_pack.sha256).
    pack_sha256: Mapped[str | None] = mapped_column(String(64))
    held_on: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose, "purpose"))
    signed_off_by: Mapped[str | None] = mapped_column(String(200))
    signed_off_role: Mapped[str | None] = mapped_column(String(200))
    signed_off_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    service: Mapped[Service] = relationship(back_populates="benchmarks")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="benchmark", cascade="all, delete-orphan", order_by="Participant.id"
    )
    responses: Mapped[list[ItemResponse]] = relationship(
        back_populates="benchmark", cascade="all, delete-orphan"
    )
    events: Mapped[list[BenchmarkEvent]] = relationship(
        back_populates="benchmark", cascade="all, delete-orphan", order_by="BenchmarkEvent.id"
    )
    actions: Mapped[list[Action]] = relationship(back_populates="benchmark")


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    benchmark_id: Mapped[int] = mapped_column(ForeignKey("benchmark.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    lived_experience: Mapped[bool] = mapped_column(Boolean, default=False)

    benchmark: Mapped[Benchmark] = relationship(back_populates="participants")


class ItemResponse(Base):
    __tablename__ = "item_response"
    __table_args__ = (UniqueConstraint("benchmark_id", "item_code"), versions_column())
    __mapper_args__ = VERSIONED

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    benchmark_id: Mapped[int] = mapped_column(ForeignKey("benchmark.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(40))
    # The answer's key in the benchmark's pack (its scale is the pack's own).
    rating: Mapped[str] = mapped_column(String(40), default=NOT_RATED)
    notes: Mapped[str] = mapped_column(Text, default="")
    evidence_refs: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    benchmark: Mapped[Benchmark] = relationship(back_populates="responses")
    evidence_files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )


class EvidenceContent(Base):
    """An evidence file's bytes, on a shared database (a data folder keeps them as files in its
    evidence folder, and leaves this table empty)."""

    __tablename__ = "evidence_content"

    stored_name: Mapped[str] = mapped_column(String(400), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceFile(Base):
    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("item_response.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(400))
    stored_name: Mapped[str] = mapped_column(String(400), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    response: Mapped[ItemResponse] = relationship(back_populates="evidence_files")


class BenchmarkEvent(Base):
    """Sign-offs and deliberate reopenings, kept so the record shows what happened and why."""

    __tablename__ = "benchmark_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    benchmark_id: Mapped[int] = mapped_column(ForeignKey("benchmark.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))
    by_name: Mapped[str] = mapped_column(String(200))
    by_role: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    benchmark: Mapped[Benchmark] = relationship(back_populates="events")


class ServiceChecklistAnswer(Base):
    """The answer to "is this in place here?" for one checklist prompt at one service."""

    __tablename__ = "checklist_answer"
    __table_args__ = (UniqueConstraint("service_id", "item_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(40))
    answer: Mapped[ChecklistAnswer] = mapped_column(_enum(ChecklistAnswer, "checklist_answer"))
    answered_on: Mapped[dt.date] = mapped_column(Date)


class Restriction(Base):
    """One entry on a service's blanket restrictions register."""

    __tablename__ = "restriction"
    __table_args__ = (versions_column(),)
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = checked_edits(row_version)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    checklist_code: Mapped[str | None] = mapped_column(String(40))
    category_id: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    restraint_type: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    applies_to: Mapped[AppliesTo] = mapped_column(
        _enum(AppliesTo, "applies_to"), default=AppliesTo.EVERYONE
    )
    applies_to_detail: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    risk: Mapped[str] = mapped_column(Text, default="")
    individual_risk_assessment: Mapped[bool | None] = mapped_column(Boolean)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    alternatives: Mapped[str] = mapped_column(Text, default="")
    consulted: Mapped[str] = mapped_column(Text, default="")
    informed: Mapped[str] = mapped_column(Text, default="")
    authorised_by_role: Mapped[str] = mapped_column(String(200), default="")
    authorised_on: Mapped[dt.date | None] = mapped_column(Date)
    review_frequency: Mapped[ReviewFrequency] = mapped_column(
        _enum(ReviewFrequency, "review_frequency"), default=ReviewFrequency.MONTHLY
    )
    last_reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    reduction_plan: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RestrictionStatus] = mapped_column(
        _enum(RestrictionStatus, "restriction_status"), default=RestrictionStatus.ACTIVE
    )
    identified_on: Mapped[dt.date] = mapped_column(Date)
    placing_authority_agreed: Mapped[bool | None] = mapped_column(Boolean)
    in_placement_plan: Mapped[bool | None] = mapped_column(Boolean)
    child_view: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)
    # Deleting only marks the entry, so the deletion can be undone.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    service: Mapped[Service] = relationship()

    status_changes: Mapped[list[RestrictionStatusChange]] = relationship(
        back_populates="restriction",
        cascade="all, delete-orphan",
        order_by="(RestrictionStatusChange.changed_on, RestrictionStatusChange.id)",
    )
    reviews: Mapped[list[RestrictionReview]] = relationship(
        back_populates="restriction",
        cascade="all, delete-orphan",
        order_by="(RestrictionReview.reviewed_on, RestrictionReview.id)",
    )


class RestrictionStatusChange(Base):
    __tablename__ = "restriction_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    restriction_id: Mapped[int] = mapped_column(ForeignKey("restriction.id"), index=True)
    status: Mapped[RestrictionStatus] = mapped_column(
        _enum(RestrictionStatus, "restriction_status")
    )
    changed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    restriction: Mapped[Restriction] = relationship(back_populates="status_changes")


class RestrictionReview(Base):
    __tablename__ = "restriction_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    restriction_id: Mapped[int] = mapped_column(ForeignKey("restriction.id"), index=True)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    reviewed_by: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    restriction: Mapped[Restriction] = relationship(back_populates="reviews")


class Pledge(Base):
    """The organisation's commitment for a two-year period; a renewal starts a new row."""

    __tablename__ = "pledge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement: Mapped[str] = mapped_column(Text)
    made_on: Mapped[dt.date] = mapped_column(Date)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    signed_role: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_where: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class StaffPledge(Base):
    """One person's own commitment to one action."""

    __tablename__ = "staff_pledge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person: Mapped[str] = mapped_column(String(200))
    commitment: Mapped[str] = mapped_column(Text)
    made_on: Mapped[dt.date] = mapped_column(Date)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    review_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Action(Base):
    """One action on the restraint reduction plan, wherever it came from."""

    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("benchmark_id", "item_code"), versions_column())
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = checked_edits(row_version)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    strategy: Mapped[Strategy] = mapped_column(_enum(Strategy, "strategy"))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_role: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    priority: Mapped[Priority] = mapped_column(_enum(Priority, "priority"), default=Priority.MEDIUM)
    status: Mapped[ActionStatus] = mapped_column(
        _enum(ActionStatus, "action_status"), default=ActionStatus.PLANNED
    )
    dropped_reason: Mapped[str] = mapped_column(Text, default="")
    outcome_measure: Mapped[str] = mapped_column(Text, default="")
    outcome_unit: Mapped[str] = mapped_column(String(60), default="")
    outcome_baseline: Mapped[float | None] = mapped_column()
    outcome_target: Mapped[float | None] = mapped_column()
    source: Mapped[ActionSource] = mapped_column(
        _enum(ActionSource, "action_source"), default=ActionSource.PLAN
    )
    # Where it came from: a benchmark item (one action per item at most) or a restriction.
    benchmark_id: Mapped[int | None] = mapped_column(ForeignKey("benchmark.id"), index=True)
    item_code: Mapped[str | None] = mapped_column(String(40))
    restriction_id: Mapped[int | None] = mapped_column(ForeignKey("restriction.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    service: Mapped[Service | None] = relationship()
    benchmark: Mapped[Benchmark | None] = relationship(back_populates="actions")
    restriction: Mapped[Restriction | None] = relationship()
    learning_point: Mapped[LearningPoint | None] = relationship(back_populates="action")
    status_changes: Mapped[list[ActionStatusChange]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ActionStatusChange.changed_on, ActionStatusChange.id)",
    )
    notes: Mapped[list[ActionNote]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ActionNote.noted_on, ActionNote.id)",
    )
    readings: Mapped[list[OutcomeReading]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(OutcomeReading.read_on, OutcomeReading.id)",
    )
    evidence_files: Mapped[list[ActionEvidenceFile]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionEvidenceFile.id"
    )


class ActionStatusChange(Base):
    __tablename__ = "action_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus, "action_status"))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    action: Mapped[Action] = relationship(back_populates="status_changes")


class ActionNote(Base):
    """A dated entry in an action's progress log."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    noted_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    action: Mapped[Action] = relationship(back_populates="notes")


class OutcomeReading(Base):
    __tablename__ = "outcome_reading"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    value: Mapped[float] = mapped_column()
    read_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    action: Mapped[Action] = relationship(back_populates="readings")


class ActionEvidenceFile(Base):
    __tablename__ = "action_evidence_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(400))
    stored_name: Mapped[str] = mapped_column(String(400), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    action: Mapped[Action] = relationship(back_populates="evidence_files")


class Incident(Base):
    """One restrictive intervention. The person is known by a reference code, not a name."""

    __tablename__ = "incident"
    __table_args__ = (versions_column(),)
    row_version: Mapped[int] = row_version_column()
    __mapper_args__ = checked_edits(row_version)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    person_initials: Mapped[str] = mapped_column(String(10), default="")
    # A code the service gives the person, the same on each of their incidents, so repeated
    # use on one person can be counted without a name.
    person_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Answers to the incident pack's questions about the person (age band, characteristics),
    # keyed by the pack's ids; counted only in breakdowns that hide small numbers.
    person_details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    tried_first: Mapped[str] = mapped_column(Text, default="")
    in_plan: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    person_injured: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    staff_injured: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    injury_details: Mapped[str] = mapped_column(Text, default="")
    who_told: Mapped[str] = mapped_column(Text, default="")
    # Answers to the sector's own questions, keyed by the incident pack's field ids.
    sector_answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    service: Mapped[Service] = relationship()
    interventions: Mapped[list[IncidentIntervention]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentIntervention.id"
    )
    staff: Mapped[list[IncidentStaff]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentStaff.id"
    )
    person_support: Mapped[PersonSupport | None] = relationship(
        back_populates="incident", cascade="all, delete-orphan"
    )
    review: Mapped[LearningReview | None] = relationship(
        back_populates="incident", cascade="all, delete-orphan"
    )


class IncidentIntervention(Base):
    __tablename__ = "incident_intervention"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    kind_code: Mapped[str] = mapped_column(String(60))
    # Kept beside the kind so the counts by type survive a pack that renames or drops a kind.
    restraint_type: Mapped[RestraintType] = mapped_column(_enum(RestraintType, "restraint_type"))

    incident: Mapped[Incident] = relationship(back_populates="interventions")


class IncidentStaff(Base):
    """A member of staff involved, or a witness, with the welfare support offered to them."""

    __tablename__ = "incident_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    involvement: Mapped[Involvement] = mapped_column(_enum(Involvement, "involvement"))
    welfare_offered_on: Mapped[dt.date | None] = mapped_column(Date)
    welfare_taken_up: Mapped[Answer] = mapped_column(
        _enum(Answer, "answer"), default=Answer.UNKNOWN
    )
    referral: Mapped[str] = mapped_column(Text, default="")

    incident: Mapped[Incident] = relationship(back_populates="staff")


class PersonSupport(Base):
    """Support for the person who was restrained: kept apart from the learning review."""

    __tablename__ = "person_support"
    __table_args__ = (versions_column(),)
    __mapper_args__ = VERSIONED

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), unique=True)
    offered_on: Mapped[dt.date] = mapped_column(Date)
    offered_by_role: Mapped[str] = mapped_column(String(200), default="")
    taken_up: Mapped[Answer] = mapped_column(_enum(Answer, "answer"), default=Answer.UNKNOWN)
    communication: Mapped[str] = mapped_column(Text, default="")
    own_account: Mapped[str] = mapped_column(Text, default="")
    help_next_time: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    incident: Mapped[Incident] = relationship(back_populates="person_support")


class LearningReview(Base):
    __tablename__ = "learning_review"
    __table_args__ = (versions_column(),)
    __mapper_args__ = VERSIONED

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), unique=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    lead_name: Mapped[str] = mapped_column(String(200))
    lead_role: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    during: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    what_helped: Mapped[str] = mapped_column(Text, default="")
    could_be_different: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)

    incident: Mapped[Incident] = relationship(back_populates="review")
    points: Mapped[list[LearningPoint]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="LearningPoint.id"
    )


class LearningPoint(Base):
    __tablename__ = "learning_point"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("learning_review.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    theme: Mapped[str] = mapped_column(String(60), default="")
    # The action stays on the plan when the incident is deleted at the end of its retention period.
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="SET NULL"), unique=True
    )

    review: Mapped[LearningReview] = relationship(back_populates="points")
    action: Mapped[Action | None] = relationship(back_populates="learning_point")


class RetentionRemoval(Base):
    """A count of incident records deleted at the end of their retention period: no details."""

    __tablename__ = "retention_removal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    removed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    incident_count: Mapped[int] = mapped_column(Integer)
    older_than: Mapped[dt.date] = mapped_column(Date)


class ChangeLogEntry(Base):
    """Who changed which record, when, and what changed: kept for the inspector's question."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    by: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[ChangeKind] = mapped_column(_enum(ChangeKind, "change_kind"))
    table_name: Mapped[str] = mapped_column(String(60))
    record_uid: Mapped[str] = mapped_column(String(36), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # JSON: the changed fields as {"field": [before, after]}, or the whole record when deleted.
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class AppSetting(Base):
    """Settings kept with the data, such as the name recorded against each change."""

    __tablename__ = "app_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str] = mapped_column(Text, default="")
