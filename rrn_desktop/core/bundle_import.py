"""Merging a bundle into this laptop's data: first what would change, then all of it or none.

The rules, record by record (a record is matched by its uid, or, for the few kinds listed with a
natural key in bundle_format.TABLES, by what it is about: the rating of one item in one
benchmark, the answer to one checklist prompt at one service):

- Not here yet: added.
- Here already, for the records people edit (benchmarks, ratings, register entries, actions,
  incidents, support and learning reviews): decided by their version vectors, not by any clock
  (bundle_versions). Updated when the bundle's copy has seen every change this laptop's has and
  more; skipped when it has seen no change this laptop's has not. When both laptops changed the
  record since they last exchanged it, it is a conflict: nothing is imported until a person has
  chosen, for each, to keep this laptop's version or take the bundle's; the chosen version gets
  a vector newer than both, and the other is written into the record of changes. Only when
  neither copy has a vector (both saved before vectors came in) does the later ``updated_at``
  win, as before.
- Here already, for kinds that are never edited: updated when the bundle's copy was recorded
  later, otherwise skipped. A kind with no time of its own (participants, interventions, staff,
  learning points) follows its owner: it is updated only when its owner is updated (newer in
  the bundle, or the bundle's version chosen) and it differs.
- Times more than a day ahead of this laptop's clock are pointed out in the preview: the other
  laptop's clock may be wrong.
- Deleted here (the change log says so): skipped, so a bundle cannot bring back a record this
  laptop deleted on purpose, or at the end of its retention period. Its parts go with it.
- A benchmark signed off here is left exactly as it is unless the bundle's copy of the
  benchmark is newer; a newer signed-off benchmark arrives whole, as it was signed off.
- The organisation is never imported: services join this laptop's organisation. A service
  whose name is taken here by a different service is added as "Name (from bundle)". An
  incident whose reference is taken here is added with "-2" (or "-3"...) after it. Initials
  are left out when this organisation knows people by reference code only.
- Deletions are not carried: a record removed on the other laptop stays here.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Enum as SqlEnum
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rrn_desktop.base.vocabulary import ChangeKind, PersonIdentity
from rrn_desktop.core.bundle_format import (
    EVIDENCE_FOLDER,
    PORTABLE_NAME,
    Bundle,
    BundleError,
    ByteProgress,
    Progress,
    copy_hashing,
)
from rrn_desktop.core.bundle_tables import EVIDENCE_TABLES, SPECS, TABLES, TableSpec, field_name
from rrn_desktop.core.bundle_versions import (
    Order,
    Vector,
    compare,
    laptop_id,
    merged,
    read_versions,
    resolved,
    write_versions,
)
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.evidence import keep_content
from rrn_desktop.core.file_types import HEAD_BYTES, risk_of, stored_suffix
from rrn_desktop.core.history import LINKED, show_value
from rrn_desktop.core.services import the_organisation
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.change_log import USER_NAME_KEY, field_label, record_name, to_json
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import (
    AppSetting,
    ChangeLogEntry,
    DataArrival,
    Incident,
    Organisation,
    Service,
    table_of,
    utc_now,
)

_CHUNK = 500
SERVICE_NAME_LIMIT = 200
REFERENCE_LIMIT = 40
# A clock this far ahead of this laptop's is more than time zones and drift: pointed out.
FUTURE_MARGIN = dt.timedelta(days=1)
# A value longer than this is hard to compare by eye with the other laptop's: where the two
# differ is pointed out as well (both are still given whole).
LONG_VALUE = 300
# How much of the text the two versions share is shown either side of where they differ.
EXCERPT_CONTEXT = 40
# The most of the differing part itself an excerpt shows; the whole value has the rest.
EXCERPT_DIFFERENCE = 160


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    SAME_OR_OLDER = "same_or_older"
    DELETED_HERE = "deleted_here"
    SIGNED_OFF_HERE = "signed_off_here"
    # Changed on both laptops since they last met: waits for a person's choice.
    CONFLICT = "conflict"
    # Changed on both laptops, and this laptop's version chosen.
    KEPT_HERE = "kept_here"


CHANGES = (Outcome.ADDED, Outcome.UPDATED)
SKIP_LABELS = {
    Outcome.SAME_OR_OLDER: "Skipped (this laptop's copy is the same or newer)",
    Outcome.DELETED_HERE: "Skipped (deleted on this laptop)",
    Outcome.SIGNED_OFF_HERE: "Skipped (part of a benchmark signed off on this laptop)",
    Outcome.KEPT_HERE: "Kept as chosen (this laptop's version of a record changed on both)",
}


class Choice(StrEnum):
    """Which version of a record changed on both laptops to keep."""

    KEEP_HERE = "keep-here"
    TAKE_BUNDLE = "take-bundle"


CHOICE_LABELS = {
    Choice.KEEP_HERE: "Keep this laptop's version",
    Choice.TAKE_BUNDLE: "Take the bundle's version",
}
HERE_LEAD = "On this laptop: "
BUNDLE_LEAD = "In the bundle: "


@dataclass(frozen=True)
class FieldDifference:
    """One field of a record changed on both laptops, as a person reads it: its label and the
    two values, each whole (never cut short: the person has to see what they are choosing)."""

    label: str  # "Description"
    here: str  # this laptop's value, as a person reads it
    bundle: str  # the bundle's value, the same way

    @property
    def long(self) -> bool:
        """Too long to compare by eye: where the two differ is pointed out too."""
        return max(len(self.here), len(self.bundle)) > LONG_VALUE

    @property
    def same_words(self) -> bool:
        """The two read the same, line breaks and spacing aside (or both are links)."""
        return self.here.split() == self.bundle.split()

    @property
    def remark(self) -> str:
        """When the two read the same: what it is that differs (else "")."""
        if not self.same_words:
            return ""
        if self.here == LINKED:
            return "Each links to a different record."
        return "The two differ only in spaces or line breaks."

    def where_they_differ(self) -> tuple[str, str]:
        """The part of each value where the two differ, with a few words either side and "…"
        where text is left out: for long values, so the difference is found without reading
        both whole. Spacing and line breaks are evened out."""
        return _excerpts(" ".join(self.here.split()), " ".join(self.bundle.split()))

    def lines(self) -> list[str]:
        """As plain text: the label, then (indented under it) where long values differ, then
        each value whole on a line of its own, its own line breaks kept and indented further."""
        lines = [f"{self.label}:"]
        if self.remark:
            lines.append(f"  {self.remark}")
        elif self.long:
            here, bundle = self.where_they_differ()
            lines += ["  Where they differ:", f"    {HERE_LEAD}{here}"]
            lines += [f"    {BUNDLE_LEAD}{bundle}", "  The two versions whole:"]
        indent = "    " if self.long and not self.remark else "  "
        for lead, value in ((HERE_LEAD, self.here), (BUNDLE_LEAD, self.bundle)):
            lines.append(indent + lead + value.replace("\n", "\n  " + indent))
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())


def _excerpts(here: str, bundle: str) -> tuple[str, str]:
    """Each text around the first and last places where it differs from the other."""
    shortest = min(len(here), len(bundle))
    start = next((i for i in range(shortest) if here[i] != bundle[i]), shortest)
    # The same ending, not reaching back into the same beginning.
    same_end = 0
    while same_end < shortest - start and here[-1 - same_end] == bundle[-1 - same_end]:
        same_end += 1
    # Start the context at a word, a little before the first difference.
    begin = here.rfind(" ", 0, max(start - EXCERPT_CONTEXT, 0)) + 1
    if begin <= 0 or start <= EXCERPT_CONTEXT:
        begin = 0
    return (
        _excerpt(here, begin, len(here) - same_end),
        _excerpt(bundle, begin, len(bundle) - same_end),
    )


def _excerpt(text: str, begin: int, stop: int) -> str:
    """text[begin:stop] and a few words after it; a very long middle is cut (with "…")."""
    before = "…" if begin else ""
    if stop - begin > EXCERPT_CONTEXT + EXCERPT_DIFFERENCE:
        return before + text[begin : begin + EXCERPT_CONTEXT + EXCERPT_DIFFERENCE].rstrip() + "…"
    end = text.find(" ", stop + EXCERPT_CONTEXT)
    end = len(text) if end < 0 else end
    return before + text[begin:end] + ("…" if end < len(text) else "")


@dataclass(frozen=True)
class Conflict:
    """A record both laptops changed since they last exchanged it."""

    table: str
    uid: str  # the bundle's uid for it
    name: str  # as the record of changes names it: "Register entry 'Kitchen locked'"
    where: str  # the service it belongs to, or ""
    differences: tuple[FieldDifference, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.table, self.uid

    @property
    def title(self) -> str:
        return f"{self.name} at {self.where}" if self.where else self.name

    def lines(self) -> list[str]:
        """The record's title, then each field that differs (see FieldDifference.lines)."""
        return [self.title] + [line for d in self.differences for line in d.lines()]

    def text(self) -> str:
        """Plain text, a line each: "Register entry 'Kitchen locked' at Willow House",
        "Title:", "  On this laptop: Kitchen locked from 11pm", "  In the bundle: ..."."""
        return "\n".join(self.lines())


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@dataclass
class ImportPlan:
    """What importing a bundle does to this laptop's data, record by record."""

    bundle: Bundle
    outcomes: dict[str, dict[str, Outcome]]
    notes: list[str] = field(default_factory=list)
    # bundle uid → local id, for records already here and for records outside the bundle.
    _ids: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    # (table, uid) → column values that differ from the bundle's (a renamed service...).
    _overrides: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)
    applied: bool = False
    # Every record changed on both laptops, chosen or not, in the order of TABLES.
    conflicts: list[Conflict] = field(default_factory=list)
    # (table, uid) → the version a person chose; carried into apply_import's fresh plan.
    choices: dict[tuple[str, str], Choice] = field(default_factory=dict)
    # (table, uid) → the version vector its record has after the import.
    _vectors: dict[tuple[str, str], Vector] = field(default_factory=dict, repr=False)

    def choose(self, conflict: Conflict, choice: Choice) -> None:
        self.choices[conflict.key] = choice

    def choose_all(self, choice: Choice) -> None:
        for conflict in self.conflicts:
            self.choose(conflict, choice)

    @property
    def unresolved(self) -> list[Conflict]:
        """Conflicts still waiting for a choice: the import cannot go ahead while any do."""
        return [conflict for conflict in self.conflicts if conflict.key not in self.choices]

    def counts(self, outcome: Outcome) -> dict[str, int]:
        """Records with this outcome, by table, in the order of TABLES."""
        found = Counter(
            table
            for table, outcomes in self.outcomes.items()
            for decided in outcomes.values()
            if decided is outcome
        )
        return {spec.table: found[spec.table] for spec in TABLES if found[spec.table]}

    def count(self, outcome: Outcome) -> int:
        return sum(self.counts(outcome).values())

    @property
    def added(self) -> int:
        return self.count(Outcome.ADDED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def skipped(self) -> int:
        return sum(self.count(outcome) for outcome in SKIP_LABELS)

    @property
    def changes(self) -> int:
        return self.added + self.updated

    def _listing(self, outcome: Outcome) -> str:
        return ", ".join(
            plural(count, SPECS[table].singular, SPECS[table].plural)
            for table, count in self.counts(outcome).items()
        )

    def describe(self) -> str:
        """Plain lines: where the bundle came from, then what is added, updated and skipped."""
        manifest = self.bundle.manifest
        services = manifest.scope.services
        scope = "every service" if manifest.scope.everything else ""
        if services:
            names = ", ".join(service.name for service in services)
            scope = f"{scope}: {names}" if scope else names
        lines = [
            f"{self.bundle.path.name}: {scope or 'no services'}, from {manifest.organisation}, "
            f"made on {long_date(manifest.created_at.date())} by RRN Self-Audit "
            f"{manifest.app_version}."
        ]
        for outcome, label in ((Outcome.ADDED, "Added"), (Outcome.UPDATED, "Updated")):
            if listing := self._listing(outcome):
                lines.append(f"{label}: {listing}.")
        for outcome, label in SKIP_LABELS.items():
            if count := self.count(outcome):
                lines.append(f"{label}: {plural(count, 'record', 'records')}.")
        if self.conflicts:
            waiting = len(self.unresolved)
            lines.append(
                f"Changed on both laptops since they last exchanged them: "
                f"{plural(len(self.conflicts), 'record', 'records')}"
                + (f", {waiting} waiting for your choice." if waiting else ", all chosen.")
            )
        lines.extend(self.notes)
        return "\n".join(lines)

    @property
    def summary(self) -> str:
        """One line for after the import: '12 added, 3 updated, 40 skipped'."""
        done = "Imported" if self.applied else "To import"
        both = f", {len(self.conflicts)} changed on both laptops" if self.conflicts else ""
        return (
            f"{done} from {self.bundle.path.name}: {self.added} added, {self.updated} updated, "
            f"{self.skipped} skipped{both}."
        )


def _unused(
    original: str, taken: Callable[[str], bool], ending: Callable[[int], str], limit: int
) -> str:
    """The original, or the first numbered variant of it that is not taken here."""
    name, number = original, 1
    while taken(name):
        suffix = ending(number)
        name = original[: limit - len(suffix)] + suffix
        number += 1
    return name


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _rows_where(session: Session, spec: TableSpec, column: str, values: Iterable[Any]) -> list[Any]:
    attribute = getattr(spec.model, column)
    return [
        row
        for chunk in _chunks(set(values))
        for row in session.scalars(select(spec.model).where(attribute.in_(chunk))).all()
    ]


class _Planner:
    def __init__(
        self,
        session: Session,
        bundle: Bundle,
        evidence_dir: Path,
        choices: dict[tuple[str, str], Choice] | None = None,
    ) -> None:
        self.session = session
        self.bundle = bundle
        self.evidence_dir = evidence_dir
        self.outcomes: dict[str, dict[str, Outcome]] = {spec.table: {} for spec in TABLES}
        self.ids: dict[str, dict[str, int]] = {spec.table: {} for spec in TABLES}
        self.rows: dict[str, dict[str, Any]] = {spec.table: {} for spec in TABLES}
        self.overrides: dict[tuple[str, str], dict[str, Any]] = {}
        self.notes: list[str] = list(bundle.notes)  # what reading it tidied
        self.frozen: set[str] = set()  # benchmarks signed off here and not newer in the bundle
        self.whole: set[str] = set()  # benchmarks arriving whole, as signed off in the bundle
        self.benchmark_of: dict[str, str] = {}  # rating uid → its benchmark's uid
        self.choices = dict(choices or {})
        self.here_vectors: dict[str, dict[int, Vector]] = {spec.table: {} for spec in TABLES}
        self.vectors: dict[tuple[str, str], Vector] = {}
        self.conflicts: list[Conflict] = []
        self.laptop = laptop_id(session)

    def refuse(self, reason: str) -> BundleError:
        return BundleError(
            f"{self.bundle.path.name} cannot be imported: {reason}. Nothing was changed."
        )

    # --- links -----------------------------------------------------------------------------

    def check_links(self) -> None:
        """Every link points to a record in the bundle or on this laptop."""
        in_bundle = {t: {r.uid for r in records} for t, records in self.bundle.records.items()}
        outside: dict[str, dict[str, str]] = {}  # table → uid → the kind of record pointing
        for spec in TABLES:
            for column, table in spec.links.items():
                name = field_name(spec, table_of(spec.model).columns[column])
                for record in self.bundle.records[spec.table]:
                    uid = getattr(record, name)
                    if uid is not None and uid not in in_bundle[table]:
                        outside.setdefault(table, {})[uid] = spec.singular
        for table, pointing in outside.items():
            spec = SPECS[table]
            for row in _rows_where(self.session, spec, "uid", pointing):
                self.ids[table][row.uid] = row.id
            missing = [uid for uid in pointing if uid not in self.ids[table]]
            if missing:
                kind = pointing[missing[0]]
                raise self.refuse(
                    f"{_a(kind)} {kind} in it refers to {_a(spec.singular)} {spec.singular} "
                    "that is neither in the bundle nor on this laptop"
                )

    def link(self, spec: TableSpec, record: Any, column: str) -> tuple[str, Any]:
        """Where a link leads: ('here', local id), ('new', uid) for a record being added,
        ('gone', outcome) for one that is not coming, or ('none', None)."""
        uid = getattr(record, field_name(spec, table_of(spec.model).columns[column]))
        if uid is None:
            return "none", None
        table = spec.links[column]
        if uid in self.ids[table]:
            return "here", self.ids[table][uid]
        outcome = self.outcomes[table][uid]
        return ("new", uid) if outcome is Outcome.ADDED else ("gone", outcome)

    def canonical(self, spec: TableSpec, record: Any) -> dict[str, Any]:
        """The record's column values, links as local ids where the linked record is here."""
        values: dict[str, Any] = {}
        for column in spec.columns:
            if column.name in spec.links:
                where, value = self.link(spec, record, column.name)
                values[column.name] = value if where in ("here", "none") else (where, value)
            else:
                values[column.name] = getattr(record, column.name)
        return values

    # --- deciding --------------------------------------------------------------------------

    def plan_table(self, spec: TableSpec) -> None:
        records = self.bundle.records[spec.table]
        if not records:
            return
        found = {
            row.uid: row for row in _rows_where(self.session, spec, "uid", (r.uid for r in records))
        }
        self.match_keys(spec, records, found)
        if spec.versioned:
            self.here_vectors[spec.table] = read_versions(
                self.session, spec.model, (row.id for row in found.values())
            )
        unmatched = [r.uid for r in records if r.uid not in found]
        deleted = self.deleted_here(spec, unmatched)
        for record in records:
            row = found.get(record.uid)
            if row is not None:
                self.ids[spec.table][record.uid] = row.id
                self.rows[spec.table][record.uid] = row
            self.outcomes[spec.table][record.uid] = self.decide(spec, record, row, deleted)
        self.check_enforced_keys(spec, records)

    def match_keys(self, spec: TableSpec, records: list[Any], found: dict[str, Any]) -> None:
        """Find records made separately on both laptops that are about the same thing."""
        if not spec.natural_key:
            return
        unmatched = {}
        for record in records:
            if record.uid not in found:
                key = spec.key_of(self.canonical(spec, record))
                if key is not None and isinstance(key[0], int):
                    unmatched[record.uid] = key
        if not unmatched:
            return
        bundle_uids = {r.uid for r in records}
        candidates: dict[tuple[Any, ...], Any] = {}
        for row in _rows_where(
            self.session, spec, spec.natural_key[0], {key[0] for key in unmatched.values()}
        ):
            key = spec.key_of({column.name: getattr(row, column.name) for column in spec.columns})
            if key is not None and row.uid not in bundle_uids:
                candidates.setdefault(key, row)
        for uid, key in unmatched.items():
            row = candidates.pop(key, None)
            if row is not None:
                found[uid] = row

    def deleted_here(self, spec: TableSpec, uids: list[str]) -> set[str]:
        last: dict[str, ChangeKind] = {}
        for chunk in _chunks(uids):
            entries = self.session.execute(
                select(ChangeLogEntry.record_uid, ChangeLogEntry.kind)
                .where(
                    ChangeLogEntry.table_name == spec.table,
                    ChangeLogEntry.record_uid.in_(chunk),
                    ChangeLogEntry.kind.in_(
                        [ChangeKind.CREATED, ChangeKind.DELETED, ChangeKind.RESTORED]
                    ),
                )
                .order_by(ChangeLogEntry.id)
            ).all()
            last.update({uid: kind for uid, kind in entries})
        return {uid for uid, kind in last.items() if kind is ChangeKind.DELETED}

    def benchmark_uid(self, spec: TableSpec, record: Any) -> str | None:
        if not spec.in_benchmark:
            return None
        if spec.table == "evidence_file":
            return self.benchmark_of.get(record.response_uid)
        # Records are pydantic models made at run time (bundle_format), so typed Any.
        return cast("str | None", record.benchmark_uid)

    def decide(self, spec: TableSpec, record: Any, row: Any, deleted: set[str]) -> Outcome:
        for column in spec.links:
            where, value = self.link(spec, record, column)
            if where == "gone" and not table_of(spec.model).columns[column].nullable:
                return cast(Outcome, value)  # its owner is not coming, so neither is it
        benchmark = self.benchmark_uid(spec, record)
        if spec.table == "item_response" and benchmark is not None:
            self.benchmark_of[record.uid] = benchmark
        if row is None:
            if record.uid in deleted:
                return Outcome.DELETED_HERE
            outcome = Outcome.ADDED
        elif benchmark in self.whole:
            outcome = Outcome.UPDATED if self.differs(spec, record, row) else Outcome.SAME_OR_OLDER
        elif spec.versioned:
            outcome = self.by_versions(spec, record, row)
        elif spec.stamp is not None:
            outcome = self.by_time(spec, record, row)
        else:
            # A table with no stamp of its own always has an owner to follow (bundle_tables).
            assert spec.owner is not None
            owner_uid = getattr(record, field_name(spec, table_of(spec.model).columns[spec.owner]))
            owner_newer = self.outcomes[spec.links[spec.owner]].get(owner_uid) is Outcome.UPDATED
            changed = owner_newer and self.differs(spec, record, row)
            outcome = Outcome.UPDATED if changed else Outcome.SAME_OR_OLDER
        if benchmark in self.frozen and outcome in (*CHANGES, Outcome.CONFLICT):
            return Outcome.SIGNED_OFF_HERE
        if outcome is Outcome.CONFLICT:
            outcome = self.settle(spec, record, row)
        if spec.versioned and outcome in CHANGES and (spec.table, record.uid) not in self.vectors:
            here = {} if row is None else self.here_vectors[spec.table][row.id]
            self.vectors[(spec.table, record.uid)] = merged(here, record.versions)
        if spec.table == "benchmark" and row is not None:
            newer = outcome is Outcome.UPDATED
            if newer and record.signed_off_on is not None:
                self.whole.add(record.uid)
            if not newer and row.signed_off_on is not None:
                self.frozen.add(record.uid)
        return outcome

    def by_time(self, spec: TableSpec, record: Any, row: Any) -> Outcome:
        assert spec.stamp is not None
        newer = getattr(record, spec.stamp) > getattr(row, spec.stamp)
        return Outcome.UPDATED if newer else Outcome.SAME_OR_OLDER

    def by_versions(self, spec: TableSpec, record: Any, row: Any) -> Outcome:
        """Newer by the counts of changes; by time only when neither copy has counts."""
        here, there = self.here_vectors[spec.table][row.id], record.versions
        if not here and not there:
            return self.by_time(spec, record, row)
        order = compare(here, there)
        if order is Order.BUNDLE_NEWER:
            return Outcome.UPDATED
        if order is Order.BOTH_CHANGED:
            if self.differences(spec, record, row):
                return Outcome.CONFLICT
            # Both made the same change: nothing to choose, but each has now seen the other's.
            self.vectors[(spec.table, record.uid)] = merged(here, there)
        return Outcome.SAME_OR_OLDER

    def settle(self, spec: TableSpec, record: Any, row: Any) -> Outcome:
        """A conflict: listed, and settled as chosen (or left waiting for a choice)."""
        conflict = self.conflict(spec, record, row)
        self.conflicts.append(conflict)
        choice = self.choices.get(conflict.key)
        if choice is None:
            return Outcome.CONFLICT
        here = self.here_vectors[spec.table][row.id]
        self.vectors[conflict.key] = resolved(here, record.versions, self.laptop)
        return Outcome.UPDATED if choice is Choice.TAKE_BUNDLE else Outcome.KEPT_HERE

    def differences(self, spec: TableSpec, record: Any, row: Any) -> list[str]:
        """The columns whose values differ, leaving out the times the laptops' clocks wrote."""
        skipped = {"stored_name", spec.stamp, *spec.clock_columns}
        return [
            name
            for name, value in self.canonical(spec, record).items()
            if name not in skipped and getattr(row, name) != value
        ]

    def differs(self, spec: TableSpec, record: Any, row: Any) -> bool:
        return bool(self.differences(spec, record, row))

    def conflict(self, spec: TableSpec, record: Any, row: Any) -> Conflict:
        values = self.canonical(spec, record)
        differences = tuple(
            FieldDifference(
                field_label(name).capitalize(),
                _shown(spec.table, name, getattr(row, name)),
                _shown(spec.table, name, values[name]),
            )
            for name in self.differences(spec, record, row)
        )
        local = {column.name: to_json(getattr(row, column.name)) for column in spec.columns}
        name = record_name(spec.table, local)
        return Conflict(
            spec.table,
            record.uid,
            name[:1].upper() + name[1:],
            self.service_of(spec, row),
            differences,
        )

    def service_of(self, spec: TableSpec, row: Any) -> str:
        """The name of the service a record here belongs to, through its owners."""
        while row is not None and not hasattr(row, "service_id") and spec.owner is not None:
            # The link is read from the row in hand, before moving up to its owner's table.
            owner = spec.owner
            spec = SPECS[spec.links[owner]]
            row = self.session.get(spec.model, getattr(row, owner))
        service_id = getattr(row, "service_id", None)
        service = None if service_id is None else self.session.get(Service, service_id)
        return "" if service is None else service.name

    def flag_future(self) -> None:
        """Point out times far ahead of this laptop's clock: the other laptop's may be wrong."""
        limit = utc_now() + FUTURE_MARGIN
        ahead: list[dt.datetime] = []
        for spec in TABLES:
            for record in self.bundle.records[spec.table]:
                times = [getattr(record, column) for column in spec.clock_columns]
                if late := [time for time in times if time is not None and time > limit]:
                    ahead.append(max(late))
        if ahead:
            records = plural(len(ahead), "record is", "records are")
            self.notes.append(
                f"{records} dated in the future (as late as {long_date(max(ahead).date())}): "
                "the other laptop's clock may be wrong. Which copy of a record is newer is "
                "decided by counting each laptop's changes, not by these dates."
            )

    def check_enforced_keys(self, spec: TableSpec, records: list[Any]) -> None:
        if not spec.key_enforced:
            return
        seen: set[tuple[Any, ...]] = set()
        for record in records:
            key = spec.key_of(self.canonical(spec, record))
            if key is None:
                continue
            if key in seen:
                raise self.refuse(f"it holds two {spec.plural} for the same thing")
            seen.add(key)

    # --- names that must stay unique here ------------------------------------------------------

    def added(self, table: str) -> list[Any]:
        outcomes = self.outcomes[table]
        return [r for r in self.bundle.records[table] if outcomes[r.uid] is Outcome.ADDED]

    def override(self, table: str, uid: str, **values: Any) -> None:
        self.overrides.setdefault((table, uid), {}).update(values)

    def rename(self, table: str, record: Any, column: str, new: str, what: str) -> None:
        """Give an added record a name not taken here, and say so (what: 'service name')."""
        old = getattr(record, column)
        if new == old:
            return
        self.override(table, record.uid, **{column: new})
        thing, word = what.split()
        quote = "'" if table == "service" else ""
        self.notes.append(
            f"The {what} {quote}{old}{quote} is added as {quote}{new}{quote}: this laptop "
            f"already has a different {thing} with that {word}."
        )

    def rename_services(self) -> None:
        taken = {name.casefold() for name in self.session.scalars(select(Service.name))}
        for record in self.added("service"):
            name = _unused(
                record.name,
                lambda name: name.casefold() in taken,
                lambda n: " (from bundle)" if n == 1 else f" (from bundle {n})",
                SERVICE_NAME_LIMIT,
            )
            taken.add(name.casefold())
            self.rename("service", record, "name", name, "service name")

    def rename_incidents(self) -> None:
        used = {
            ref: id_ for ref, id_ in self.session.execute(select(Incident.reference, Incident.id))
        }
        for record in self.bundle.records["incident"]:
            outcome = self.outcomes["incident"][record.uid]
            own_id = self.ids["incident"].get(record.uid)
            if outcome is Outcome.UPDATED and used.get(record.reference) not in (None, own_id):
                # The reference is another incident's here: this one keeps its own.
                own = self.rows["incident"][record.uid].reference
                self.override("incident", record.uid, reference=own)
            if outcome is not Outcome.ADDED:
                continue
            reference = _unused(
                record.reference, used.__contains__, lambda n: f"-{n + 1}", REFERENCE_LIMIT
            )
            used[reference] = -1
            self.rename("incident", record, "reference", reference, "incident reference")

    def drop_initials(self) -> None:
        organisation = self.session.scalars(select(Organisation).order_by(Organisation.id)).first()
        if organisation is not None and organisation.incident_identity is PersonIdentity.INITIALS:
            return
        dropped = 0
        for record in self.bundle.records["incident"]:
            if self.outcomes["incident"][record.uid] in CHANGES and record.person_initials:
                self.override("incident", record.uid, person_initials="")
                dropped += 1
        if dropped:
            records = plural(dropped, "incident record", "incident records")
            self.notes.append(
                f"Initials are left out of {records}: this organisation knows people by "
                "reference code only."
            )

    def evidence_heads(self, names: list[str]) -> dict[str, bytes]:
        """The first bytes of these evidence files in the bundle, to see what they really are."""
        if not names:
            return {}
        try:
            with zipfile.ZipFile(self.bundle.path) as archive:
                heads = {}
                for name in names:
                    with archive.open(EVIDENCE_FOLDER + name) as handle:
                        heads[name] = handle.read(HEAD_BYTES)
                return heads
        except (KeyError, OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise self.refuse("it changed or was damaged after it was checked") from error

    def name_evidence(self) -> None:
        """A name free here for each evidence file being added, under an extension safe to open:
        the bundle's own name is kept only when it is both (file_types decides what is safe)."""
        taken = {
            name
            for table in EVIDENCE_TABLES
            for name in self.session.scalars(select(table_of(SPECS[table].model).c.stored_name))
        }
        if self.evidence_dir.is_dir():
            taken.update(os.listdir(self.evidence_dir))
        added = [(table, record) for table in EVIDENCE_TABLES for record in self.added(table)]
        heads = self.evidence_heads([record.stored_name for _table, record in added])
        for table, record in added:
            name = record.stored_name
            head = heads[name]
            suffix = stored_suffix(name, head)
            if name in taken or not PORTABLE_NAME.fullmatch(name) or name[32:] != suffix:
                name = uuid.uuid4().hex + suffix
                self.override(table, record.uid, stored_name=name)
            taken.add(name)
            if risk := risk_of(name, head):
                shown = record.original_name
                self.notes.append(
                    f"The evidence file '{shown}' {risk.is_what(shown)}, so it is kept under a "
                    "name no program opens, and RRN Self-Audit warns before doing anything with it."
                )

    def run(self) -> ImportPlan:
        self.check_links()
        for spec in TABLES:
            self.plan_table(spec)
        self.rename_services()
        self.rename_incidents()
        self.drop_initials()
        self.name_evidence()
        self.flag_future()
        return ImportPlan(
            self.bundle,
            self.outcomes,
            self.notes,
            self.ids,
            self.overrides,
            conflicts=self.conflicts,
            choices=self.choices,
            _vectors=self.vectors,
        )


def _shown(table: str, name: str, value: object) -> str:
    if isinstance(value, tuple):  # a link to a record the bundle is adding
        return LINKED
    # Whole, with its own line breaks: a person choosing between two notes reads both to the end.
    text = show_value(table, name, to_json(value))
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def plan_import(db: Database, bundle: Bundle) -> ImportPlan:
    """What importing the bundle would add, update and skip; changes nothing."""
    with db.transaction() as session:
        return _Planner(session, bundle, db.evidence_dir).run()


# --- applying ----------------------------------------------------------------------------------


def _target_name(plan: ImportPlan, table: str, record: Any) -> str:
    name: str = plan._overrides.get((table, record.uid), {}).get("stored_name", record.stored_name)
    return name


def _evidence_jobs(plan: ImportPlan) -> list[tuple[Any, str]]:
    """The evidence records being added, each with the name its file gets here."""
    return [
        (record, _target_name(plan, table, record))
        for table in EVIDENCE_TABLES
        for record in plan.bundle.records[table]
        if plan.outcomes[table][record.uid] is Outcome.ADDED
    ]


def _copy_evidence(
    bundle: Bundle,
    evidence_dir: Path,
    jobs: list[tuple[Any, str]],
    copied: list[Path],
    progress: Progress | None,
) -> None:
    if not jobs:
        return
    name = bundle.path.name
    done = ByteProgress(sum(bundle.evidence[r.stored_name].size_bytes for r, _ in jobs), progress)
    try:
        with zipfile.ZipFile(bundle.path) as archive:
            for record, stored_name in jobs:
                entry = bundle.evidence[record.stored_name]
                target = evidence_dir / stored_name
                partial = target.with_name(stored_name + ".partial")
                try:
                    with (
                        archive.open(EVIDENCE_FOLDER + entry.name) as source,
                        partial.open("wb") as sink,
                    ):
                        sha256, size = copy_hashing(source, sink, entry.size_bytes, done)
                    if (sha256, size) != (entry.sha256, entry.size_bytes):
                        raise BundleError(
                            f"{name} cannot be imported: the evidence file "
                            f"'{record.original_name}' changed after the bundle was checked. "
                            "Nothing was changed."
                        )
                    partial.replace(target)
                    copied.append(target)
                finally:
                    partial.unlink(missing_ok=True)
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise BundleError(
            f"{name} cannot be imported: it changed or was damaged after it was checked. "
            "Nothing was changed."
        ) from error
    except OSError as error:
        raise BundleError(
            f"The evidence files in {name} could not be copied into the data folder "
            f"({error.strerror or error}). Nothing was changed."
        ) from error


def _values(
    plan: ImportPlan, spec: TableSpec, record: Any, ids: dict[str, dict[str, int]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in spec.columns:
        value = getattr(record, field_name(spec, column))
        if column.name in spec.links and value is not None:
            value = ids[spec.links[column.name]].get(value)  # None: a record that is not coming
        elif isinstance(value, StrEnum) and not isinstance(column.type, SqlEnum):
            value = value.value
        values[column.name] = value
    values.update(plan._overrides.get((spec.table, record.uid), {}))
    return values


def _write(session: Session, plan: ImportPlan) -> None:
    ids = {table: dict(known) for table, known in plan._ids.items()}
    organisation_id = the_organisation(session).id
    for spec in TABLES:
        added: list[tuple[str, Any]] = []
        for record in plan.bundle.records[spec.table]:
            outcome = plan.outcomes[spec.table][record.uid]
            if outcome not in CHANGES:
                continue
            values = _values(plan, spec, record, ids)
            if spec.model is Service:
                values["organisation_id"] = organisation_id
            if outcome is Outcome.ADDED:
                row = spec.model(uid=record.uid, **values)
                session.add(row)
                added.append((record.uid, row))
            else:
                existing = session.get(spec.model, ids[spec.table][record.uid])
                values.pop("stored_name", None)  # the file here keeps its name
                for name, value in values.items():
                    setattr(existing, name, value)
        session.flush()
        ids[spec.table].update((uid, row.id) for uid, row in added)
        if spec.versioned:
            vectors = {
                ids[table][uid]: vector
                for (table, uid), vector in plan._vectors.items()
                if table == spec.table
            }
            write_versions(session, spec.model, vectors)
    _note_choices(session, plan)


def _note_choices(session: Session, plan: ImportPlan) -> None:
    """Each conflict settled goes into the record of changes with the version not chosen, so
    that it is never lost: the bundle's when this laptop's was kept, this laptop's (as it was
    before the import) when the bundle's was taken."""
    settled = [c for c in plan.conflicts if c.key in plan.choices]
    if not settled:
        return
    by = session.scalar(select(AppSetting.value).where(AppSetting.key == USER_NAME_KEY)) or ""
    batch = str(uuid.uuid4())
    source = plan.bundle.path.name
    for conflict in settled:
        spec = SPECS[conflict.table]
        row = session.get_one(spec.model, plan._ids[conflict.table][conflict.uid])
        if plan.choices[conflict.key] is Choice.KEEP_HERE:
            how = f"this laptop's version kept; the version in {source} was"
            other = {d.label: d.bundle for d in conflict.differences}
        else:
            how = f"the version in {source} taken; this laptop's version was"
            other = {d.label: d.here for d in conflict.differences}
        # One line in the history's list; the details keep the values' line breaks.
        values = "; ".join(
            f"{label.lower()} {' '.join(value.split())}" for label, value in other.items()
        )
        session.add(
            ChangeLogEntry(
                by=by,
                kind=ChangeKind.EDITED,
                table_name=conflict.table,
                record_uid=row.uid,
                summary=f"{conflict.name} changed on both laptops: {how} {values}",
                details={
                    "batch": batch,
                    "conflict": {
                        "chosen": plan.choices[conflict.key].value,
                        "bundle": source,
                        "not_chosen": other,
                    },
                },
            )
        )


def _note_arrival(session: Session, plan: ImportPlan) -> None:
    """When each service's records came in, and from which bundle: head office's view of whose
    data is up to date. An import that changed nothing still counts as having arrived."""
    manifest = plan.bundle.manifest
    service_ids = session.scalars(
        select(Service.id).where(Service.uid.in_([r.uid for r in plan.bundle.records["service"]]))
    ).all()
    records = sum(manifest.counts.values())
    for service_id in service_ids:
        session.add(
            DataArrival(
                service_id=service_id,
                bundle_made_at=manifest.created_at,
                bundle_name=plan.bundle.path.name[:400],
                records=records,
            )
        )


def apply_import(db: Database, plan: ImportPlan, progress: Progress | None = None) -> ImportPlan:
    """Import in one transaction: everything planned, or (on any failure) nothing at all.

    The plan is made again inside the transaction, so an edit made since it was shown cannot be
    overwritten by a decision taken before it; the plan returned is the one carried out. A
    record changed on both laptops is imported only as the plan's choices say; while any is
    left without a choice, nothing is.

    ``progress`` follows the evidence files being copied in (the slow part). Whatever it raises
    stops the import with nothing changed: the files copied so far are removed and the
    transaction is rolled back. Once the last block is copied it is not called again."""
    bundle = plan.bundle
    copied: list[Path] = []  # removed again if the import does not finish
    try:
        with db.transaction() as session:
            fresh = _Planner(session, bundle, db.evidence_dir, plan.choices).run()
            if waiting := fresh.unresolved:
                raise BundleError(
                    f"{bundle.path.name} was not imported: "
                    f"{plural(len(waiting), 'record was', 'records were')} changed on both "
                    "laptops, and which version to keep has not been chosen. Nothing was changed."
                )
            _copy_evidence(bundle, db.evidence_dir, _evidence_jobs(fresh), copied, progress)
            for path in copied:
                keep_content(db, session, path.name)
            try:
                _write(session, fresh)
                _note_arrival(session, fresh)
            except IntegrityError as error:
                raise BundleError(
                    f"{bundle.path.name} cannot be imported: its records clash with records on "
                    f"this laptop ({str(error.orig)[:200]}). Nothing was changed."
                ) from error
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    fresh.applied = True
    return fresh
