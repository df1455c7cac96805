"""A table of records (register entries, actions) that each have an id: the shared plumbing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from rrn_desktop.gui.full_text import show_full_text_on_hover
from rrn_desktop.gui.text_size import follow_row_height

Index = QModelIndex | QPersistentModelIndex
# A column sized to its contents reads this many rows at most (those in view first), not every
# row: a list of thousands would be read through on every change.
SIZE_SAMPLE_ROWS = 100


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

    def records(self) -> Sequence[Record]:
        """Every record, in the model's own order (not the table's sorting)."""
        return self._records

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


def record_table(proxy: QSortFilterProxyModel, name: str, parent: QWidget) -> QTableView:
    """A read-only table of records: one whole row chosen at a time, sorted by a click on a
    heading, but first shown in the order the records came in."""
    table = QTableView(parent)
    table.setModel(proxy)
    show_full_text_on_hover(table)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
    follow_row_height(table)
    return table


def index_to_show(
    model: RecordModel, proxy: QSortFilterProxyModel, record_id: int | None
) -> QModelIndex | None:
    """Where a record is in the sorted table, or the first row when it is gone; None if empty."""
    row = model.row_of(record_id) if record_id is not None else None
    if row is None:
        row = 0 if model.rowCount() else None
    if row is None:
        return None
    return proxy.mapFromSource(model.index(row, 0))
