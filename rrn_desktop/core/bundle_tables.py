"""Which tables travel in a bundle, in which order, and how each one merges.

Every record is matched by its uid. A few kinds also have a natural key: what the record is
about (the rating of item 1.1.1 in one benchmark), so that the same thing recorded separately on
two laptops becomes one record, not two (and, where the data file allows only one, not a clash).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Column, DateTime

from rrn_desktop.storage.models import (
    ROW_VERSION,
    VERSIONS,
    Action,
    ActionEvidenceFile,
    ActionNote,
    ActionStatusChange,
    Base,
    Benchmark,
    BenchmarkEvent,
    EvidenceFile,
    Incident,
    IncidentIntervention,
    IncidentStaff,
    InstrumentPack,
    ItemResponse,
    LearningPoint,
    LearningReview,
    OutcomeReading,
    Participant,
    PersonSupport,
    Pledge,
    Restriction,
    RestrictionReview,
    RestrictionStatusChange,
    Service,
    ServiceChecklistAnswer,
    ServiceSize,
    StaffPledge,
    table_of,
)


def _normalised(text: object) -> object:
    return " ".join(text.split()).casefold() if isinstance(text, str) else text


@dataclass(frozen=True)
class TableSpec:
    """One table in a bundle.

    ``owner`` is the link to the record this one belongs to (a rating belongs to its benchmark).
    ``stamp`` is the column telling which of two copies is newer; a table without one follows
    its owner: its records change only when the owner's copy in the bundle is newer. A
    ``versioned`` table (the records people edit) is decided by version vectors first
    (bundle_versions); its stamp decides only between two copies whose histories are unknown.
    ``natural_key`` names the columns that make two records with different uids the same thing
    (the rating of item 1.1.1 in one benchmark, made on two laptops): the first column is always
    a link. ``key_enforced`` means the data file allows only one record per key.
    """

    model: type[Base]
    singular: str
    plural: str
    owner: str | None = None
    stamp: str | None = None
    natural_key: tuple[str, ...] = ()
    key_enforced: bool = False
    key_when: Callable[[Mapping[str, Any]], bool] | None = None
    folded: frozenset[str] = frozenset()
    # Part of a benchmark: left alone while the benchmark is signed off on this laptop.
    in_benchmark: bool = False

    @property
    def table(self) -> str:
        return table_of(self.model).name

    @cached_property
    def versioned(self) -> bool:
        return VERSIONS in table_of(self.model).columns

    @cached_property
    def columns(self) -> list[Column[Any]]:
        """The columns that travel: not the local id, the uid and the version vector (both
        carried apart) or the service's organisation (a service joins the organisation of the
        laptop it is imported into)."""
        skipped = {"id", "uid", VERSIONS, ROW_VERSION}  # each copy counts its own saves
        if self.model is Service:
            skipped.add("organisation_id")
        return [c for c in table_of(self.model).columns if c.name not in skipped]

    @cached_property
    def clock_columns(self) -> list[str]:
        """The times the laptop's clock wrote (when added, updated, recorded), not ones a
        person entered."""
        return [
            c.name for c in self.columns if isinstance(c.type, DateTime) and c.default is not None
        ]

    @cached_property
    def links(self) -> dict[str, str]:
        """Link column → the table it points into."""
        return {
            fk.parent.name: fk.column.table.name
            for fk in table_of(self.model).foreign_keys
            if fk.parent.name != "organisation_id"
        }

    def key_of(self, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        if not self.natural_key or any(values[name] is None for name in self.natural_key):
            return None
        if self.key_when is not None and not self.key_when(values):
            return None
        return tuple(
            _normalised(values[name]) if name in self.folded else values[name]
            for name in self.natural_key
        )


def _linked_entry(values: Mapping[str, Any]) -> bool:
    return values["deleted_at"] is None


_UPDATED, _RECORDED, _ADDED = "updated_at", "recorded_at", "added_at"
# Parents before children, so an import can insert in this order. Each row: the table, the link
# to the record it belongs to, the column saying which copy is newer, and the natural key ("!"
# after it where the data file allows one record per key, "~" before a name compared ignoring
# case and spacing).
_RULES: tuple[tuple[type[Base], str | None, str | None, str], ...] = (
    (Service, None, "created_at", ""),
    (ServiceSize, "service_id", _UPDATED, "service_id month !"),
    (Benchmark, "service_id", _UPDATED, ""),
    # The packs the benchmarks were made with; the same text has the same uid on every laptop.
    (InstrumentPack, None, _ADDED, ""),
    (Participant, "benchmark_id", None, "benchmark_id ~name"),
    (ItemResponse, "benchmark_id", _UPDATED, "benchmark_id item_code !"),
    (EvidenceFile, "response_id", _ADDED, "response_id sha256 original_name"),
    (BenchmarkEvent, "benchmark_id", "at", ""),
    (ServiceChecklistAnswer, "service_id", "answered_on", "service_id item_code !"),
    # The entry a checklist answer opened: one per prompt while it is on the register.
    (Restriction, "service_id", _UPDATED, "service_id checklist_code"),
    (RestrictionStatusChange, "restriction_id", _RECORDED, ""),
    (RestrictionReview, "restriction_id", _RECORDED, ""),
    (Pledge, None, "created_at", ""),
    (StaffPledge, None, "created_at", ""),
    (Action, None, _UPDATED, "benchmark_id item_code !"),
    (ActionStatusChange, "action_id", _RECORDED, ""),
    (ActionNote, "action_id", _RECORDED, ""),
    (OutcomeReading, "action_id", _RECORDED, ""),
    (ActionEvidenceFile, "action_id", _ADDED, "action_id sha256 original_name"),
    (Incident, "service_id", _UPDATED, ""),
    (IncidentIntervention, "incident_id", None, "incident_id kind_code"),
    (IncidentStaff, "incident_id", None, "incident_id ~name"),
    (PersonSupport, "incident_id", _UPDATED, "incident_id !"),
    (LearningReview, "incident_id", _UPDATED, "incident_id !"),
    (LearningPoint, "review_id", None, ""),
)
# What people call each kind of record, one and many.
_WORDS = {
    "service": "service/services",
    "service_size": "monthly service size/monthly service sizes",
    "benchmark": "benchmark/benchmarks",
    "instrument_pack": "self-assessment pack/self-assessment packs",
    "participant": "benchmark participant/benchmark participants",
    "item_response": "item rating/item ratings",
    "evidence_file": "benchmark evidence file/benchmark evidence files",
    "benchmark_event": "sign-off or reopening/sign-offs and reopenings",
    "checklist_answer": "checklist answer/checklist answers",
    "restriction": "register entry/register entries",
    "restriction_status_change": "register status change/register status changes",
    "restriction_review": "register review/register reviews",
    "pledge": "pledge/pledges",
    "staff_pledge": "staff pledge/staff pledges",
    "action": "action/actions",
    "action_status_change": "action status change/action status changes",
    "action_note": "progress note/progress notes",
    "outcome_reading": "outcome reading/outcome readings",
    "action_evidence_file": "action evidence file/action evidence files",
    "incident": "incident record/incident records",
    "incident_intervention": "intervention/interventions",
    "incident_staff": "staff or witness entry/staff and witness entries",
    "person_support": "support record/support records",
    "learning_review": "learning review/learning reviews",
    "learning_point": "learning point/learning points",
}
# The parts of a benchmark, left alone while it is signed off here.
_IN_BENCHMARK = {"participant", "item_response", "evidence_file", "benchmark_event"}


def _spec(model: type[Base], owner: str | None, stamp: str | None, key: str) -> TableSpec:
    table = model.__tablename__
    singular, plural = _WORDS[table].split("/")
    words = key.split()
    columns = tuple(word.lstrip("~") for word in words if word != "!")
    return TableSpec(
        model,
        singular,
        plural,
        owner=owner,
        stamp=stamp,
        natural_key=columns,
        key_enforced="!" in words,
        key_when=_linked_entry if model is Restriction else None,
        folded=frozenset(word[1:] for word in words if word.startswith("~")),
        in_benchmark=table in _IN_BENCHMARK,
    )


TABLES: tuple[TableSpec, ...] = tuple(_spec(*rule) for rule in _RULES)
SPECS: dict[str, TableSpec] = {spec.table: spec for spec in TABLES}
EVIDENCE_TABLES = ("evidence_file", "action_evidence_file")


def link_field(column_name: str) -> str:
    """The name a link column travels under: ``service_id`` → ``service_uid``."""
    return column_name.removesuffix("_id") + "_uid"


def field_name(spec: TableSpec, column: Column[Any]) -> str:
    return link_field(column.name) if column.name in spec.links else column.name
