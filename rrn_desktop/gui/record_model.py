"""A table of records (register entries, actions) that each have an id: the shared plumbing."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


Record = TypeVar("Record", bound=_HasId)


class RecordModel(QAbstractTableModel, Generic[Record]):
    """Rows are records as of a given day (what is overdue depends on it); subclasses say what
    each column shows through data()."""

    columns: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[Record] = []
        self.today = dt.date.today()

    def set_records(self, records: list[Record], today: dt.date) -> None:
        self.beginResetModel()
        self._records, self.today = records, today
        self.endResetModel()

    def record(self, row: int) -> Record:
        return self._records[row]

    def row_of(self, record_id: int) -> int | None:
        return next((row for row, r in enumerate(self._records) if r.id == record_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None
