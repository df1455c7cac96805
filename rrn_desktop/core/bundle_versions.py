"""Which copy of a record is newer, by counting changes rather than reading clocks.

Each record people edit carries a version vector: how many times each laptop has changed it,
``{laptop id: count}`` (the data file keeps the counts itself: storage.models.versions_column).
Comparing two copies' vectors says what happened without trusting any clock:

- every count in one is at least the other's: that copy has seen every change the other has,
  and more (or the same ones), so it is newer (or the same);
- each has a count above the other's: both laptops changed the record since they last
  exchanged it, and only a person can say which version to keep.

An empty vector means the history is unknown (a record saved before vectors came in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from rrn_desktop.storage.models import LAPTOP_ID_KEY, VERSIONS, AppSetting, Base

Vector = dict[str, int]
_CHUNK = 500


class Order(Enum):
    SAME = "same"
    HERE_NEWER = "here_newer"
    BUNDLE_NEWER = "bundle_newer"
    BOTH_CHANGED = "both_changed"


def compare(here: Mapping[str, int], there: Mapping[str, int]) -> Order:
    """How this laptop's copy stands to the bundle's."""
    laptops = set(here) | set(there)
    here_more = any(here.get(laptop, 0) > there.get(laptop, 0) for laptop in laptops)
    there_more = any(there.get(laptop, 0) > here.get(laptop, 0) for laptop in laptops)
    if here_more and there_more:
        return Order.BOTH_CHANGED
    if there_more:
        return Order.BUNDLE_NEWER
    return Order.HERE_NEWER if here_more else Order.SAME


def merged(here: Mapping[str, int], there: Mapping[str, int]) -> Vector:
    """Every change either copy has seen."""
    return {
        laptop: max(here.get(laptop, 0), there.get(laptop, 0))
        for laptop in sorted(set(here) | set(there))
    }


def resolved(here: Mapping[str, int], there: Mapping[str, int], laptop: str) -> Vector:
    """The vector of a version chosen between two that both changed: newer than either, so the
    choice is final when either laptop meets the other's copy again."""
    both = merged(here, there)
    both[laptop] = both.get(laptop, 0) + 1
    return both


def laptop_id(session: Session) -> str:
    """This data folder's own id in the vectors (made by migration 0007)."""
    value = session.scalar(select(AppSetting.value).where(AppSetting.key == LAPTOP_ID_KEY))
    if not value:  # pragma: no cover - every data file at 0007 has one
        raise RuntimeError("the data file has no laptop id")
    return value


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def read_versions(session: Session, model: type[Base], ids: Iterable[int]) -> dict[int, Vector]:
    """The vectors of these records, by local id."""
    table = _table(model)
    wanted = sorted(set(ids))
    found: dict[int, Vector] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = session.execute(select(table.c.id, table.c[VERSIONS]).where(table.c.id.in_(chunk)))
        found.update((record_id, dict(vector or {})) for record_id, vector in rows)
    return found


def write_versions(session: Session, model: type[Base], vectors: Mapping[int, Vector]) -> None:
    """Set these records' vectors as they are, not counted as a change here, and without
    touching their updated_at (which would otherwise move to now)."""
    if not vectors:
        return
    table = _table(model)
    values: dict[str, Any] = {VERSIONS: bindparam("new_versions")}
    if "updated_at" in table.c:
        values["updated_at"] = table.c.updated_at
    statement = update(table).where(table.c.id == bindparam("record_id")).values(values)
    session.connection().execute(
        statement,
        [{"record_id": record_id, "new_versions": vector} for record_id, vector in vectors.items()],
    )
