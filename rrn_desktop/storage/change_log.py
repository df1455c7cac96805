"""The record of changes: who added, edited, signed off, reopened or deleted which record, and when.

A listener on the Database's sessions notes what each flush changed. When the transaction
commits, the notes become change_log rows inside the same transaction, so a change and its record
are saved together or not at all. Notes are merged per transaction (a row added and then rated in
one operation is one entry), and an edit follows on from the same person's edit of the same record
a few minutes earlier (typing that autosaves every pause is one entry, not twenty).

Deletions keep a copy of each row (its snapshot), so that they can be undone for UNDO_DAYS. Every
row deleted by one operation shares a batch, so an incident comes back with its staff, support,
review and learning points. Incident records deleted at the end of their retention period keep no
copy, and the details of their earlier changes are removed too: the point of deleting them is
that the personal details go. For the same reason a copy kept for undoing goes once the deletion
can no longer be undone (forget_expired), and for a record about a person, its details with it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    cast,
    delete,
    event,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import InstanceState, Mapper, Session, sessionmaker
from sqlalchemy.orm.interfaces import ONETOMANY

from rrn_desktop.base.date_words import brief_date
from rrn_desktop.base.vocabulary import ChangeKind
from rrn_desktop.storage.models import (
    ROW_VERSION,
    AppSetting,
    Base,
    ChangeLogEntry,
    new_uid,
    table_of,
    utc_now,
)

USER_NAME_KEY = "user_name"
UNDO_DAYS = 30
# An edit this soon after the same person's last edit of the same fields of a record joins that
# entry: autosave while typing makes one entry, not one per pause.
FOLLOW_ON = dt.timedelta(minutes=5)
RESTORING_KEY = "rrn_change_log_restoring"  # session.info: the id of the deletion being undone
_PENDING_KEY = "rrn_change_log_pending"
_LOG = table_of(ChangeLogEntry)

NOT_LOGGED = {
    "change_log",
    "app_setting",
    "retention_removal",
    "instrument_pack",
    "evidence_content",  # the evidence file's record is logged; its bytes are not a change
    "data_arrival",  # bookkeeping of imports, shown on its own
}
# Bookkeeping that changes by itself: never a change worth recording on its own.
NOT_COMPARED = {
    "id",
    "uid",
    "created_at",
    "updated_at",
    "recorded_at",
    "deleted_at",
    "at",
    ROW_VERSION,
}
# Records about a person: when they are deleted for good, the details of their changes go too.
PERSONAL_TABLES = {
    "incident",
    "incident_intervention",
    "incident_staff",
    "person_support",
    "learning_review",
    "learning_point",
}
NAME_LIMIT = 60


# --- JSON-safe values ----------------------------------------------------------------------------


def to_json(value: object) -> Any:
    """A column value as JSON can hold it: dates as ISO text, choices as their stored value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# --- how records are named -----------------------------------------------------------------------


def _short(text: object) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= NAME_LIMIT else words[: NAME_LIMIT - 1].rstrip() + "…"


def _day(value: object) -> str:
    if isinstance(value, str):
        text = value
        try:
            value = dt.date.fromisoformat(text[:10])
        except ValueError:
            return text
    if isinstance(value, dt.date):
        return brief_date(value)
    return "no date"


def _words(value: object) -> str:
    text = str(to_json(value) or "")
    return text.replace("_", " ")


Namer = Callable[[Mapping[str, Any]], str]
_NAMES: dict[str, Namer] = {
    "organisation": lambda v: f"organisation '{_short(v.get('name'))}'",
    "service": lambda v: f"service '{_short(v.get('name'))}'",
    "service_size": lambda v: f"size for {_day(v.get('month'))}",
    "benchmark": lambda v: f"benchmark of {_day(v.get('held_on'))}",
    "participant": lambda v: f"participant '{_short(v.get('name'))}'",
    "item_response": lambda v: f"item {v.get('item_code')}",
    "evidence_file": lambda v: f"evidence file '{_short(v.get('original_name'))}'",
    "benchmark_event": lambda v: f"{_words(v.get('kind'))} note",
    "checklist_answer": lambda v: f"checklist answer {v.get('item_code')}",
    "restriction": lambda v: f"register entry '{_short(v.get('title'))}'",
    "restriction_status_change": lambda v: f"status change to {_words(v.get('status'))}",
    "restriction_review": lambda v: f"review of {_day(v.get('reviewed_on'))}",
    "pledge": lambda v: f"pledge of {_day(v.get('made_on'))}",
    "staff_pledge": lambda v: f"personal pledge by {_short(v.get('person'))}",
    "action": lambda v: f"action '{_short(v.get('title'))}'",
    "action_status_change": lambda v: f"status change to {_words(v.get('status'))}",
    "action_note": lambda v: f"progress note of {_day(v.get('noted_on'))}",
    "outcome_reading": lambda v: f"reading of {_day(v.get('read_on'))}",
    "action_evidence_file": lambda v: f"evidence file '{_short(v.get('original_name'))}'",
    # The person restrained is never named; nor is anything they said, even in a summary.
    "incident": lambda v: f"incident {v.get('reference')}",
    "incident_intervention": lambda v: f"intervention '{_words(v.get('kind_code'))}'",
    "incident_staff": lambda _v: "person involved or witness",
    "person_support": lambda _v: "support for the person",
    "learning_review": lambda _v: "learning review",
    "learning_point": lambda _v: "learning point",
}

FIELD_LABELS = {
    "held_on": "date held",
    "due_on": "due date",
    "start_on": "start date",
    "made_on": "date made",
    "occurred_at": "date and time",
    "restraint_type": "type of restraint",
    "owner_name": "owner's name",
    "owner_role": "owner's role",
    "kind_code": "kind",
    "action_id": "action on the plan",
    "in_plan": "in the person's plan",
    "signed_off_by": "signed off by",
    "signed_off_role": "signed off role",
    "signed_off_on": "signed off on",
    "incident_identity": "how the person is named",
    "incident_retention_months": "months incident records are kept",
    "evidence_refs": "evidence references",
    "child_view": "the child's own view",
}


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    for ending in ("_on", "_at", "_id"):
        if name.endswith(ending):
            name = name[: -len(ending)]
    return name.replace("_", " ")


def record_name(table: str, values: Mapping[str, Any]) -> str:
    namer = _NAMES.get(table)
    return namer(values) if namer else table.replace("_", " ")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def summary(
    kind: ChangeKind,
    thing: str,
    owner: str,
    changes: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> str:
    """The entry in one plain sentence: "Register entry 'Kitchen locked' edited: status"."""
    fields = ", ".join(field_label(name) for name in changes)
    if kind is ChangeKind.CREATED:
        text = f"{thing} added" + (f" to {owner}" if owner else "")
    elif kind is ChangeKind.EDITED:
        text = f"{thing}" + (f" on {owner}" if owner else "") + f" edited: {fields}"
    elif kind is ChangeKind.DELETED:
        text = f"{thing} removed from {owner}" if owner else f"{thing} deleted"
        if extra.get("retention"):
            text += " at the end of its retention period"
    elif kind is ChangeKind.RESTORED:
        text = f"{thing} brought back" + (f" on {owner}" if owner else "")
    else:
        event = extra.get("event", {})
        who = event.get("by_name", "")
        role = event.get("by_role", "")
        by = f" by {who}" + (f" ({role})" if role else "") if who else ""
        verb = "signed off" if kind is ChangeKind.SIGNED_OFF else "reopened"
        reason = f": {_short(event['reason'])}" if event.get("reason") else ""
        text = f"{thing} {verb}{by}{reason}"
    return _capital(text)


# --- notes taken during a transaction ------------------------------------------------------------


@dataclass
class _Note:
    kind: ChangeKind
    table: str
    uid: str
    record_id: int | None
    thing: str
    owner: str = ""
    within: list[str] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    snapshot: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def signature(self) -> tuple[object, ...] | None:
        """What a child row holds, for spotting a row deleted and added back unchanged."""
        values: Mapping[str, Any] | None
        if self.kind is ChangeKind.DELETED and self.snapshot is not None:
            values = self.snapshot
        elif self.kind is ChangeKind.CREATED:
            values = self.extra.get("values")
        else:
            return None
        if values is None:
            return None
        return (
            self.table,
            *sorted((k, repr(v)) for k, v in values.items() if k not in NOT_COMPARED),
        )


@dataclass
class _Pending:
    notes: dict[tuple[str, str], _Note] = field(default_factory=dict)
    events: dict[int, dict[str, Any]] = field(default_factory=dict)  # benchmark id -> event
    retention: bool = False
    name_changed: bool = False
    written: bool = False
    edited: list[str] = field(default_factory=list)  # uids whose edits were just recorded
    edited_at: dt.datetime | None = None

    def add(self, note: _Note) -> None:
        key = (note.table, note.uid)
        old = self.notes.pop(key, None)
        merged = note if old is None else _merge(old, note)
        if merged is not None:
            self.notes[key] = merged


@cache
def _column_order(table: str) -> dict[str, int]:
    mapper = mapper_for(table)
    return {key: index for index, key in enumerate(_column_keys(mapper) if mapper else [])}


def merge_changes(
    table: str, first: Mapping[str, list[Any]], then: Mapping[str, list[Any]]
) -> dict[str, list[Any]]:
    """Two edits as one: each field from its first 'before' to its last 'after'."""
    merged = {name: list(pair) for name, pair in first.items()}
    for name, (before, after) in then.items():
        merged[name] = [merged[name][0] if name in merged else before, after]
    order = _column_order(table)
    return {
        name: pair
        for name, pair in sorted(merged.items(), key=lambda item: order.get(item[0], len(order)))
        if pair[0] != pair[1]
    }


def _merge(old: _Note, new: _Note) -> _Note | None:
    if old.kind is ChangeKind.CREATED:
        if new.kind is ChangeKind.DELETED:
            return None  # added and removed in one go: nothing happened
        for name, (_before, after) in new.changes.items():
            old.changes[name] = [None, after]
            old.extra.setdefault("values", {})[name] = after
        old.changes = {k: v for k, v in old.changes.items() if v[1] not in (None, "")}
        old.thing, old.owner = new.thing, new.owner or old.owner
        return old
    if new.kind is ChangeKind.EDITED:
        old.changes = merge_changes(old.table, old.changes, new.changes)
        old.thing = new.thing
        return old
    if old.kind is ChangeKind.EDITED and new.kind in (ChangeKind.SIGNED_OFF, ChangeKind.REOPENED):
        new.changes = merge_changes(old.table, old.changes, new.changes)
    return new


def _pending(session: Session) -> _Pending:
    pending = session.info.get(_PENDING_KEY)
    if pending is None:
        pending = session.info[_PENDING_KEY] = _Pending()
    return pending


# --- which rows belong to which ------------------------------------------------------------------

# child table -> (the child's key holding its owner's id, the owner's mapper), found from the
# relationships that delete their rows with their owner (an incident's staff, a review's points).
_OWNERS: dict[str, tuple[str, Mapper[Any]]] = {}


def owners() -> dict[str, tuple[str, Mapper[Any]]]:
    if not _OWNERS:
        for mapper in Base.registry.mappers:
            for relation in mapper.relationships:
                if relation.direction is ONETOMANY and relation.cascade.delete_orphan:
                    (column,) = relation.remote_side
                    child = relation.mapper
                    key = child.get_property_by_column(column).key
                    _OWNERS[table_of(child).name] = (key, mapper)
    return _OWNERS


@cache
def mapper_for(table: str) -> Mapper[Any] | None:
    for mapper in Base.registry.mappers:
        if table_of(mapper).name == table:
            return mapper
    return None


class _Ancestry:
    """Owner uids and the top owner's name, looked up once per flush."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[tuple[str, int], tuple[list[str], str]] = {}

    # Keyed by column name; SQLAlchemy's rows also allow the column object as a key.
    def _values(self, mapper: Mapper[Any], record_id: int) -> Mapping[Any, Any] | None:
        key = mapper.identity_key_from_primary_key((record_id,))
        loaded = self._session.identity_map.get(key)
        if loaded is not None:
            return _state_of(loaded).dict
        table = table_of(mapper)
        row = (
            self._session.connection()
            .execute(select(table).where(table.c.id == record_id))
            .mappings()
            .first()
        )
        return row

    def of(self, table: str, values: Mapping[str, Any]) -> tuple[list[str], str]:
        owner = owners().get(table)
        if owner is None:
            return [], ""
        key, mapper = owner
        owner_id = values.get(key)
        if owner_id is None:
            return [], ""
        owner_table = table_of(mapper).name
        cached = self._cache.get((owner_table, owner_id))
        if cached is None:
            owner_values = self._values(mapper, owner_id)
            if owner_values is None or not owner_values.get("uid"):
                cached = ([], "")
            else:
                above, top = self.of(owner_table, owner_values)
                cached = (
                    [owner_values["uid"], *above],
                    top or record_name(owner_table, owner_values),
                )
            self._cache[(owner_table, owner_id)] = cached
        return cached


def _state_of(instance: object) -> InstanceState[Any]:
    # inspect() of an arbitrary object is typed Any; of a mapped instance it is its state.
    state: InstanceState[Any] = inspect(instance)
    return state


# --- what one flush changed ----------------------------------------------------------------------


def _column_keys(mapper: Mapper[Any]) -> list[str]:
    return [attr.key for attr in mapper.column_attrs]


def _edits(state: InstanceState[Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    committed = state.committed_state
    if not committed:
        return changes
    for key in _column_keys(state.mapper):  # in the table's order, whatever order they changed
        if key in NOT_COMPARED or key not in committed:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = to_json(history.deleted[0]) if history.deleted else None
        after = to_json(history.added[0]) if history.added else None
        if before != after:
            changes[key] = [before, after]
    return changes


def _snapshot(state: InstanceState[Any]) -> dict[str, Any] | None:
    """Every column as the row held it, or None if some value was never loaded."""
    values: dict[str, Any] = {}
    for key in _column_keys(state.mapper):
        history = state.attrs[key].history
        if history.deleted:
            value = history.deleted[0]
        elif history.unchanged:
            value = history.unchanged[0]
        elif key in state.dict:
            value = state.dict[key]
        else:
            return None
        values[key] = to_json(value)
    return values


def _initial_values(state: InstanceState[Any]) -> dict[str, Any]:
    return {
        key: to_json(state.dict.get(key))
        for key in _column_keys(state.mapper)
        if key not in NOT_COMPARED
    }


def _after_flush(session: Session, flush_context: Any) -> None:
    pending = _pending(session)
    restoring = session.info.get(RESTORING_KEY)
    new = {_state_of(instance) for instance in session.new}
    ancestry = _Ancestry(session)
    for state, (is_delete, list_only) in list(flush_context.states.items()):
        if list_only:
            continue
        table = state.mapper.local_table.name
        if table in NOT_LOGGED:
            if table == "retention_removal" and state in new:
                pending.retention = True
            elif table == "app_setting" and state.dict.get("key") == USER_NAME_KEY:
                pending.name_changed = True
            continue
        values = state.dict
        if table == "benchmark_event" and state in new:
            # Folded into the benchmark's own entry: "signed off by ..." or "reopened by ...".
            pending.events[values.get("benchmark_id")] = {
                "by_name": values.get("by_name", ""),
                "by_role": values.get("by_role", ""),
                "reason": values.get("reason", ""),
            }
            continue
        uid = values.get("uid")
        if not uid:
            continue
        within, owner = ancestry.of(table, values)
        note = _Note(
            kind=ChangeKind.EDITED,
            table=table,
            uid=uid,
            record_id=values.get("id"),
            thing=record_name(table, values),
            owner=owner,
            within=within,
        )
        if state in new:
            initial = _initial_values(state)
            note.kind = ChangeKind.RESTORED if restoring else ChangeKind.CREATED
            note.changes = {
                key: [None, value]
                for key, value in initial.items()
                if value not in (None, "", {}) and not key.endswith("_id")
            }
            note.extra["values"] = initial
        elif is_delete:
            note.kind = ChangeKind.DELETED
            note.snapshot = _snapshot(state)
        else:
            note.changes = _edits(state)
            _special_kinds(state, note)
        if restoring:
            note.extra["undoes"] = restoring
        pending.add(note)


def _special_kinds(state: InstanceState[Any], note: _Note) -> None:
    """Soft deletion and sign-off are edits to one column that mean more than an edit."""
    deleted_at = state.attrs["deleted_at"].history if "deleted_at" in state.attrs else None
    if deleted_at is not None and deleted_at.has_changes():
        before = deleted_at.deleted[0] if deleted_at.deleted else None
        after = deleted_at.added[0] if deleted_at.added else None
        if (before is None) != (after is None):
            note.kind = ChangeKind.DELETED if after is not None else ChangeKind.RESTORED
            note.extra["soft"] = True
            return
    if note.table == "benchmark" and "signed_off_on" in note.changes:
        before, after = note.changes["signed_off_on"]
        if before is None and after is not None:
            note.kind = ChangeKind.SIGNED_OFF
        elif before is not None and after is None:
            note.kind = ChangeKind.REOPENED


# --- writing the notes when the transaction commits ----------------------------------------------


def _drop_replaced(notes: list[_Note]) -> list[_Note]:
    """A child row deleted and added again with the same values (a list saved unchanged)."""
    added: dict[tuple[object, ...], list[_Note]] = {}
    for note in notes:
        if note.kind is ChangeKind.CREATED and note.table in owners():
            signature = note.signature()
            if signature is not None:
                added.setdefault(signature, []).append(note)
    if not added:
        return notes
    dropped: set[int] = set()
    for note in notes:
        if note.kind is ChangeKind.DELETED and note.table in owners():
            twins = added.get(note.signature() or ())
            if twins:
                dropped.update((id(note), id(twins.pop())))
    return [note for note in notes if id(note) not in dropped]


def _details(note: _Note, batch: str) -> dict[str, Any]:
    details: dict[str, Any] = {"batch": batch}
    if note.within:
        details["within"] = note.within
    if note.changes:
        details["changes"] = note.changes
    if note.snapshot is not None:
        details["snapshot"] = note.snapshot
    for key in ("soft", "retention", "event", "undoes"):
        if key in note.extra:
            details[key] = note.extra[key]
    return details


def _remove_personal_details(connection: Connection, uids: list[str], owners_: list[str]) -> None:
    """Keep that a change happened, and when; drop what the record said."""
    if not uids and not owners_:
        return
    text = cast(_LOG.c.details, String)
    condition = or_(_LOG.c.record_uid.in_(uids), *(text.like(f'%"{u}"%') for u in owners_))
    for row in connection.execute(select(_LOG.c.id, _LOG.c.details).where(condition)).all():
        kept = {key: row.details.get(key) for key in ("batch", "within", "retention", "soft")}
        kept = {key: value for key, value in kept.items() if value is not None}
        connection.execute(
            update(_LOG).where(_LOG.c.id == row.id).values(details={**kept, "removed": True})
        )


def forget_expired(connection: Connection, now: dt.datetime) -> int:
    """Copies kept only to undo a deletion go once it can no longer be undone."""
    cut_off = now - dt.timedelta(days=UNDO_DAYS)
    rows = connection.execute(
        select(_LOG.c.id, _LOG.c.table_name, _LOG.c.record_uid, _LOG.c.details).where(
            _LOG.c.kind == ChangeKind.DELETED,
            _LOG.c.at < cut_off,
            _LOG.c.details["snapshot"].as_string().is_not(None),
        )
    ).all()
    personal = [row.record_uid for row in rows if row.table_name in PERSONAL_TABLES]
    _remove_personal_details(connection, personal, [])
    for row in rows:
        if row.table_name not in PERSONAL_TABLES:
            details = {key: value for key, value in row.details.items() if key != "snapshot"}
            connection.execute(update(_LOG).where(_LOG.c.id == row.id).values(details=details))
    return len(rows)


def _latest_edits(connection: Connection, uids: list[str], now: dt.datetime) -> dict[str, Any]:
    """Each record's latest entry, when it is a recent edit that a new edit may join."""
    if not uids:
        return {}
    rows = connection.execute(
        select(_LOG.c.id, _LOG.c.record_uid, _LOG.c.kind, _LOG.c.by, _LOG.c.details)
        .where(_LOG.c.record_uid.in_(uids), _LOG.c.at >= now - FOLLOW_ON)
        .order_by(_LOG.c.id)
    ).all()
    latest = {row.record_uid: row for row in rows}
    return {uid: row for uid, row in latest.items() if row.kind is ChangeKind.EDITED}


def _follow_on(connection: Connection, earlier: Any, note: _Note, now: dt.datetime) -> None:
    changes = merge_changes(note.table, earlier.details.get("changes", {}), note.changes)
    if not changes:
        # Changed and changed back within minutes: nothing to record after all.
        connection.execute(delete(_LOG).where(_LOG.c.id == earlier.id))
        return
    connection.execute(
        update(_LOG)
        .where(_LOG.c.id == earlier.id)
        .values(
            at=now,
            summary=summary(note.kind, note.thing, note.owner, changes, note.extra),
            details={**earlier.details, "changes": changes},
        )
    )


def _stored_name(connection: Connection) -> str:
    value = connection.execute(
        select(AppSetting.value).where(AppSetting.key == USER_NAME_KEY)
    ).scalar()
    return value or ""


class _Recorder:
    """The listener for one Database. It remembers two things between transactions, both only
    to save a query on every save: the user's name, and which records were edited lately."""

    def __init__(self, person: Callable[[], str] | None = None) -> None:
        self._name: str | None = None
        self._edited: dict[str, dt.datetime] = {}
        self._person = person

    def _user_name(self, connection: Connection, pending: _Pending) -> str:
        if self._person is not None:  # a shared database: the person at this machine
            return self._person()
        # A name set in the same transaction as other changes (the first start) is the name
        # they are made under; it is remembered only once the transaction is saved.
        if pending.name_changed:
            return _stored_name(connection)
        if self._name is None:
            self._name = _stored_name(connection)
        return self._name

    def before_commit(self, session: Session) -> None:
        session.flush()
        pending: _Pending | None = session.info.get(_PENDING_KEY)
        if pending is not None and pending.notes and not pending.written:
            self._write(session.connection(), pending)
            pending.written = True

    def after_commit(self, session: Session) -> None:
        pending: _Pending | None = session.info.pop(_PENDING_KEY, None)
        if pending is None:
            return
        if pending.name_changed:
            self._name = None
        if pending.edited_at is not None:
            cut_off = pending.edited_at - FOLLOW_ON
            self._edited = {uid: at for uid, at in self._edited.items() if at >= cut_off}
            self._edited.update(dict.fromkeys(pending.edited, pending.edited_at))

    def _write(self, connection: Connection, pending: _Pending) -> None:
        notes = _drop_replaced(list(pending.notes.values()))
        if not notes:
            return
        now = utc_now()
        batch = str(uuid.uuid4())
        by = self._user_name(connection, pending)
        for note in notes:
            if (
                note.table == "benchmark"
                and note.record_id is not None
                and note.kind in (ChangeKind.SIGNED_OFF, ChangeKind.REOPENED)
            ):
                event = pending.events.get(note.record_id)
                if event:
                    note.extra["event"] = event
        deletions = [note for note in notes if note.kind is ChangeKind.DELETED]
        if pending.retention:
            gone = [n for n in deletions if n.table in PERSONAL_TABLES and not n.extra.get("soft")]
            for note in gone:
                note.snapshot = None
                note.changes = {}
                note.extra["retention"] = True
            _remove_personal_details(
                connection,
                [note.uid for note in gone],
                [note.uid for note in gone if note.table == "incident"],
            )
        edited = [note.uid for note in notes if note.kind is ChangeKind.EDITED and note.changes]
        recent = [uid for uid in edited if uid in self._edited]
        latest = _latest_edits(connection, recent, now)
        rows = []
        # A record's parts first, so that, newest first, the record itself heads its batch.
        for note in sorted(notes, key=lambda note: -len(note.within)):
            if note.kind is ChangeKind.EDITED:
                earlier = latest.get(note.uid)
                # The same person going on with the same field (autosave while typing).
                if (
                    earlier is not None
                    and earlier.by == by
                    and not earlier.details.get("changes", {}).keys().isdisjoint(note.changes)
                ):
                    _follow_on(connection, earlier, note, now)
                    continue
                if not note.changes:
                    continue
            rows.append(
                {
                    "uid": new_uid(),
                    "at": now,
                    "by": by,
                    "kind": note.kind,
                    "table_name": note.table,
                    "record_uid": note.uid,
                    "summary": summary(note.kind, note.thing, note.owner, note.changes, note.extra),
                    "details": _details(note, batch),
                }
            )
        if rows:
            connection.execute(insert(_LOG), rows)
        if deletions:
            forget_expired(connection, now)
        pending.edited, pending.edited_at = edited, now


def _forget_notes(session: Session, *_args: object) -> None:
    session.info.pop(_PENDING_KEY, None)


def install(sessions: sessionmaker[Session], person: Callable[[], str] | None = None) -> None:
    """Record every change made through these sessions, under the name in the data (one
    person's laptop) or the one ``person`` gives (a shared database)."""
    recorder = _Recorder(person)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", recorder.before_commit)
    event.listen(sessions, "after_commit", recorder.after_commit)
    event.listen(sessions, "after_soft_rollback", _forget_notes)


def all_uids(connection: Connection, table: str, uids: Iterable[str]) -> set[str]:
    """Which of these uids a table holds now."""
    mapper = mapper_for(table)
    if mapper is None:
        return set()
    target = table_of(mapper)
    return set(
        connection.execute(select(target.c.uid).where(target.c.uid.in_(list(uids)))).scalars()
    )
