"""Reading the record of changes, and undoing a deletion from it within 30 days.

The entries are written by storage/change_log.py as each change is saved; this module shows them
(for one record, or for the whole organisation) and brings deleted records back.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, Enum, ForeignKey, String, Table, cast, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapper, Session

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import RESTRAINT_TYPE_LABELS, ChangeKind, RestraintType
from rrn_desktop.core.dates import brief_moment, long_date, long_moment
from rrn_desktop.core.user import shown_name
from rrn_desktop.core.validation import InputError
from rrn_desktop.core.wording import plural
from rrn_desktop.storage import change_log
from rrn_desktop.storage.change_log import (
    NOT_COMPARED,
    RESTORING_KEY,
    UNDO_DAYS,
    field_label,
    mapper_for,
)
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Base, ChangeLogEntry, Restriction

KIND_LABELS = {
    ChangeKind.CREATED: "Added",
    ChangeKind.EDITED: "Edited",
    ChangeKind.DELETED: "Deleted",
    ChangeKind.SIGNED_OFF: "Signed off",
    ChangeKind.REOPENED: "Reopened",
    ChangeKind.RESTORED: "Brought back",
}
# Deleted on their own, these cannot come back: a file whose copy went with it, or rows that an
# edit replaced (bringing them back would add a second copy beside the replacement).
NOT_UNDONE_ALONE = {
    "evidence_file": "The evidence file itself was removed with it: attach the file again.",
    "action_evidence_file": "The evidence file itself was removed with it: attach the file again.",
    "participant": "Participants are changed by editing the benchmark's list of people.",
    "incident_intervention": "The kinds of intervention are changed by editing the incident.",
    "benchmark_event": "Sign-offs and reopenings stay as they happened.",
}
EVIDENCE_TABLES = {"evidence_file", "action_evidence_file"}
TEXT_LIMIT = 80


def _column(table: str, name: str) -> Any:
    known = Base.metadata.tables.get(table)
    return known.c.get(name) if known is not None else None


# How a link to another record reads: which record is not something a person can read here.
LINKED = "linked"


def show_value(table: str, name: str, value: object) -> str:
    """A stored value as a person reads it: dates in words, choices by name, yes or no."""
    if value is None or value == "" or value == {}:
        return "(blank)"
    column = _column(table, name)
    kind = column.type if column is not None else None
    if column is not None and column.foreign_keys:
        return LINKED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(kind, DateTime) and isinstance(value, str):
        moment = dt.datetime.fromisoformat(value)
        return long_moment(moment)
    if isinstance(kind, Date) and isinstance(value, str):
        return long_date(dt.date.fromisoformat(value))
    if name == "restraint_type" and isinstance(value, str) and value in RESTRAINT_TYPE_LABELS:
        return RESTRAINT_TYPE_LABELS[RestraintType(value)]
    # An answer's key reads as its words ("partly_met": "Partly met"), as the choices do.
    answer = (table, name) == ("item_response", "rating")
    if (answer or isinstance(kind, Enum)) and isinstance(value, str):
        return value.replace("_", " ").capitalize()
    if isinstance(value, dict):
        return "; ".join(f"{key.replace('_', ' ')}: {item}" for key, item in value.items())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _shortened(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= TEXT_LIMIT else words[: TEXT_LIMIT - 1].rstrip() + "…"


@dataclass(frozen=True)
class FieldChange:
    table: str
    field: str
    before: object
    after: object
    initial: bool = False  # a value given when the record was added (or brought back)

    @property
    def label(self) -> str:
        return field_label(self.field).capitalize()

    @property
    def before_text(self) -> str:
        return show_value(self.table, self.field, self.before)

    @property
    def after_text(self) -> str:
        return show_value(self.table, self.field, self.after)

    def text(self, full: bool = False) -> str:
        """ "Status: Active → Reducing", or "Rating: Met" for a value given when it was added."""
        shown = (lambda t: t) if full else _shortened
        if self.initial:
            return f"{self.label}: {shown(self.after_text)}"
        return f"{self.label}: {shown(self.before_text)} → {shown(self.after_text)}"


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: dt.datetime  # UTC, as stored
    by: str
    kind: ChangeKind
    table_name: str
    record_uid: str
    summary: str
    changes: tuple[FieldChange, ...]
    kept_copy: tuple[FieldChange, ...]  # a deleted record's values, while it can be undone
    batch: str
    within: tuple[str, ...]
    has_copy: bool  # a deletion that kept what is needed to undo it
    details_removed: bool  # about a person and deleted for good: what it said is not kept

    @property
    def by_label(self) -> str:
        return shown_name(self.by)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def local_at(self) -> dt.datetime:
        return self.at.replace(tzinfo=dt.UTC).astimezone()

    @property
    def when_text(self) -> str:
        moment = self.local_at
        return brief_moment(moment)

    def details_text(self) -> str:
        """Everything the entry says, one line per changed field."""
        lines = [self.summary + ("." if not self.summary.endswith((".", "?", "!")) else "")]
        lines += [change.text(full=True) for change in self.changes]
        if self.kept_copy:
            lines.append("As it was when deleted:")
            lines += [f"  {value.text(full=True)}" for value in self.kept_copy]
        if self.details_removed:
            lines.append("The details were removed when the record was deleted for good.")
        return "\n".join(lines)


def _entry(row: ChangeLogEntry) -> HistoryEntry:
    details: dict[str, Any] = row.details or {}
    initial = row.kind in (ChangeKind.CREATED, ChangeKind.RESTORED)
    as_stored = ("id", "at", "by", "kind", "table_name", "record_uid", "summary")
    return HistoryEntry(
        **{name: getattr(row, name) for name in as_stored},
        changes=tuple(
            FieldChange(row.table_name, name, before, after, initial)
            for name, (before, after) in details.get("changes", {}).items()
        ),
        kept_copy=tuple(
            FieldChange(row.table_name, name, None, value, initial=True)
            for name, value in details.get("snapshot", {}).items()
            if name not in NOT_COMPARED and not name.endswith("_id") and value not in (None, "", {})
        ),
        batch=details.get("batch", ""),
        within=tuple(details.get("within", ())),
        has_copy="snapshot" in details,
        details_removed=bool(details.get("removed")),
    )


_NEWEST_FIRST = (ChangeLogEntry.at.desc(), ChangeLogEntry.id.desc())


def history_for(db: Database, uid: str) -> list[HistoryEntry]:
    """A record's changes, and its parts' (an incident's staff, review and points), newest first."""
    mentions = cast(ChangeLogEntry.details, String).like(f'%"{uid}"%')
    with db.transaction() as session:
        rows = session.scalars(
            select(ChangeLogEntry)
            .where(or_(ChangeLogEntry.record_uid == uid, mentions))
            .order_by(*_NEWEST_FIRST)
        ).all()
        return [_entry(row) for row in rows]


def record_uid(db: Database, table: str, record_id: int) -> str | None:
    known = Base.metadata.tables.get(table)
    if known is None:
        raise ValueError(f"no table called {table}")
    with db.transaction() as session:
        return session.scalar(select(known.c.uid).where(known.c.id == record_id))


def history_of(db: Database, table: str, record_id: int) -> list[HistoryEntry]:
    """history_for() by the record's table and id, as the screens know it."""
    uid = record_uid(db, table, record_id)
    return [] if uid is None else history_for(db, uid)


def recent_changes(
    db: Database,
    limit: int = 200,
    since: dt.datetime | None = None,
    kinds: Iterable[ChangeKind] | None = None,
    words: str = "",
) -> list[HistoryEntry]:
    """The organisation's latest changes, newest first (since: UTC, as stored), optionally only
    of some kinds, and only those whose summary or author has every one of the words."""
    query = select(ChangeLogEntry).order_by(*_NEWEST_FIRST).limit(limit)
    if since is not None:
        query = query.where(ChangeLogEntry.at >= since)
    if kinds is not None:
        query = query.where(ChangeLogEntry.kind.in_(list(kinds)))
    for word in words.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                ChangeLogEntry.summary.ilike(pattern, escape="\\"),
                ChangeLogEntry.by.ilike(pattern, escape="\\"),
            )
        )
    with db.transaction() as session:
        return [_entry(row) for row in session.scalars(query).all()]


def forget_expired(db: Database, now: dt.datetime) -> int:
    """Drop the copies kept to undo deletions older than 30 days (and an incident's details)."""
    with db.transaction() as session:
        return change_log.forget_expired(session.connection(), now)


# --- undoing a deletion --------------------------------------------------------------------------


# What change_log keeps in a deletion's details (JSON): "within", the uids of the records it
# belonged to; "snapshot", its columns as they were.
def _within(entry: ChangeLogEntry) -> list[str]:
    return typing.cast(list[str], entry.details.get("within", []))


def _snapshot(entry: ChangeLogEntry) -> dict[str, Any]:
    return typing.cast(dict[str, Any], entry.details["snapshot"])


def _batch(session: Session, entry: ChangeLogEntry) -> list[ChangeLogEntry]:
    """Every row the same operation deleted, owners before their parts."""
    rows = session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.at == entry.at,
            ChangeLogEntry.kind == ChangeKind.DELETED,
            ChangeLogEntry.details["batch"].as_string() == entry.details.get("batch"),
        )
    ).all()
    return sorted(rows or [entry], key=lambda row: (len(_within(row)), row.id))


def _age_refusal(entry: ChangeLogEntry, now: dt.datetime) -> str | None:
    if now - entry.at > dt.timedelta(days=UNDO_DAYS):
        return (
            f"Deletions can be undone for {UNDO_DAYS} days. This one was made on "
            f"{long_date(entry.at.date())}, so it stays in the record but cannot be undone."
        )
    return None


def _refusal(db: Database, session: Session, entry: ChangeLogEntry, now: dt.datetime) -> str | None:
    """Why this deletion cannot be undone, or None if it can."""
    details = entry.details or {}
    if entry.kind is not ChangeKind.DELETED:
        return "Only a deletion can be undone here."
    if details.get("retention"):
        return "Records deleted at the end of their retention period are gone for good."
    if details.get("soft"):
        register_entry = session.scalars(
            select(Restriction).where(Restriction.uid == entry.record_uid)
        ).first()
        if register_entry is None:
            return "That register entry no longer exists."
        if register_entry.deleted_at is None:
            return "It has already been brought back."
        return _age_refusal(entry, now)
    batch = _batch(session, entry)
    uids = {row.record_uid for row in batch}
    for row in batch:
        if change_log.all_uids(session.connection(), row.table_name, [row.record_uid]):
            return "It has already been brought back."
    refusal = _age_refusal(entry, now)
    if refusal:
        return refusal
    for row in batch:
        if "snapshot" not in row.details:
            return "What is needed to bring it back was not kept."
        alone = not uids.intersection(_within(row))
        if alone and row.table_name in NOT_UNDONE_ALONE:
            return NOT_UNDONE_ALONE[row.table_name]
        if row.table_name in EVIDENCE_TABLES:
            stored = _snapshot(row).get("stored_name", "")
            if not (db.evidence_dir / stored).is_file():
                return NOT_UNDONE_ALONE[row.table_name]
    return None


def undoable_deletions(db: Database, now: dt.datetime) -> list[HistoryEntry]:
    """Deletions of the last 30 days that can still be undone, newest first."""
    cut_off = now - dt.timedelta(days=UNDO_DAYS)
    with db.transaction() as session:
        rows = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.kind == ChangeKind.DELETED, ChangeLogEntry.at >= cut_off)
            .order_by(*_NEWEST_FIRST)
        ).all()
        return [_entry(row) for row in rows if _refusal(db, session, row, now) is None]


def why_not_undoable(db: Database, entry_id: int, now: dt.datetime) -> str | None:
    with db.transaction() as session:
        entry = session.get(ChangeLogEntry, entry_id)
        if entry is None:
            return "That entry is no longer in the record of changes."
        return _refusal(db, session, entry, now)


def _python_value(mapper: Mapper[Any], name: str, value: object) -> object:
    column = mapper.columns[name]
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(str(value))
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(str(value))
    if isinstance(column.type, Enum) and column.type.enum_class is not None:
        return column.type.enum_class(value)
    return value


def _unique_clash(error: IntegrityError) -> tuple[str, str] | None:
    """The table and column a unique rule was broken on, as SQLite or PostgreSQL says it."""
    message = str(error.orig)
    found = re.search(r"UNIQUE constraint failed: (\w+)\.(\w+)", message)
    if found:
        return found.group(1), found.group(2)
    table = getattr(getattr(error.orig, "diag", None), "table_name", None)
    found = re.search(r"Key \((\w+)\)=", message)
    return (table, found.group(1)) if table and found else None


def _clash(error: IntegrityError, entry: ChangeLogEntry) -> InputError:
    message = str(error.orig)
    found = _unique_clash(error)
    if found and found[1] not in ("id", "uid"):
        table, name = found
        return InputError(
            f"It cannot be brought back: a record added since it was deleted has the same "
            f"{field_label(name)}. Change that {table.replace('_', ' ')}'s {field_label(name)} "
            "first, then try again."
        )
    if "FOREIGN KEY" in message or "foreign key constraint" in message:
        return InputError(
            "It cannot be brought back: the record it belonged to has since been deleted."
        )
    return InputError(f"It cannot be brought back ({entry.summary}): {message}.")


def _restore_rows(session: Session, batch: list[ChangeLogEntry], entry: ChangeLogEntry) -> None:
    """Insert each row as it was, owners first; an id taken since gets a new one."""
    new_ids: dict[tuple[str, object], int] = {}  # (table, id in the snapshot) -> id now
    for row in batch:
        mapper = mapper_for(row.table_name)
        assert mapper is not None
        values = {
            name: _python_value(mapper, name, value)
            for name, value in _snapshot(row).items()
            if name in mapper.columns
        }
        for column in mapper.local_table.columns:
            for key in column.foreign_keys:
                assert isinstance(key, ForeignKey)
                moved = new_ids.get((key.column.table.name, values.get(column.key)))
                if moved is not None:
                    values[column.key] = moved
        old_id = values["id"]
        if session.get(mapper.class_, old_id) is not None:
            del values["id"]
        record = mapper.class_(**values)
        session.add(record)
        try:
            session.flush()
        except IntegrityError as error:
            raise _clash(error, entry) from error
        table = mapper.local_table
        assert isinstance(table, Table)
        if record.id != old_id:
            new_ids[(table.name, old_id)] = record.id


def undo_deletion(db: Database, entry_id: int, now: dt.datetime) -> str:
    """Bring back what one deletion removed, as it was; returns a sentence saying what came back."""
    with db.transaction() as session:
        entry = session.get(ChangeLogEntry, entry_id)
        if entry is None:
            raise UserFacingError("That entry is no longer in the record of changes.")
        refusal = _refusal(db, session, entry, now)
        if refusal is not None:
            raise InputError(refusal)
        session.info[RESTORING_KEY] = entry.id
        if entry.details.get("soft"):
            row = session.scalars(
                select(Restriction).where(Restriction.uid == entry.record_uid)
            ).one()
            row.deleted_at = None
            return f"{entry.summary.removesuffix(' deleted')} is back."
        batch = _batch(session, entry)
        _restore_rows(session, batch, entry)
        top = batch[0]
        parts = len(batch) - 1
        also = f", with {plural(parts, 'linked record')}" if parts else ""
        name = re.sub(r" (deleted|removed from .*)$", "", top.summary)
        return f"{name} is back{also}."
