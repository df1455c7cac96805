"""Actions as a table model, with the filters a manager or commissioner uses."""

from __future__ import annotations

import bisect
import datetime as dt

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt

from rrn_desktop.base.vocabulary import ACTION_STATUS_LABELS, ActionSource, ActionStatus
from rrn_desktop.core.dates import brief_date
from rrn_desktop.core.plan import ActionSummary
from rrn_desktop.core.services import WHOLE_ORGANISATION
from rrn_desktop.gui.record_model import Index, RecordModel
from rrn_desktop.gui.theme import warning_colour

COLUMNS = ("Action", "Strategy", "Owner", "Service", "Due", "Status", "From")
DUE_COLUMN = 4
STATUS_COLUMN = 5
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
NO_DUE_DATE = "No date"
STATUS_VALUES = frozenset(s.value for s in ActionStatus)


def status_text(action: ActionSummary, today: dt.date) -> str:
    # Overdue is said in words, never by colour alone.
    return f"{action.status_label}, OVERDUE" if action.overdue(today) else action.status_label


def due_text(action: ActionSummary) -> str:
    return f"{brief_date(action.due_on)}" if action.due_on else NO_DUE_DATE


def widest_texts(column: int) -> tuple[str, ...]:
    """What the due and status columns can hold, so they are sized without reading each row."""
    if column == DUE_COLUMN:
        # Every month's short name, on a two-digit day.
        return (NO_DUE_DATE, *(f"{brief_date(dt.date(2000, month, 28))}" for month in range(1, 13)))
    return tuple(f"{label}, OVERDUE" for label in ACTION_STATUS_LABELS.values())


class ActionModel(RecordModel[ActionSummary]):
    """The actions soonest due first (undated last), as the plan lists them."""

    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        action = self.record(index.row())
        column = index.column()
        if role == ID_ROLE:
            return action.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(action, column)
        if role == SORT_ROLE:
            if column == DUE_COLUMN:
                return (action.due_on or dt.date.max).toordinal()
            return self._text(action, column).casefold()
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column in (DUE_COLUMN, STATUS_COLUMN)
            and action.overdue(self.today)
        ):
            return warning_colour()
        if role == Qt.ItemDataRole.ToolTipRole:
            return action.source_detail if column == 6 else action.title
        return None

    def _text(self, action: ActionSummary, column: int) -> str:
        if column == 0:
            return action.title
        if column == 1:
            return action.strategy_label
        if column == 2:
            return action.owner
        if column == 3:
            return action.service.name if action.service else WHOLE_ORGANISATION
        if column == DUE_COLUMN:
            return due_text(action)
        if column == STATUS_COLUMN:
            return status_text(action, self.today)
        return action.source_label

    def put(self, action: ActionSummary) -> None:
        """Add the action, or change it where it is, moving it if its due date moved it: the
        rest of the rows are left alone, and a chosen row stays chosen."""
        records = self._records
        row = self.row_of(action.id)
        if row is None:
            at = bisect.bisect(records, action.plan_order, key=lambda a: a.plan_order)
            self.beginInsertRows(QModelIndex(), at, at)
            records.insert(at, action)
            self.endInsertRows()
            return
        old = records[row]
        records[row] = action
        if old.plan_order != action.plan_order:
            # Where it goes among the others (counted without it), then where Qt counts that.
            others = records[:row] + records[row + 1 :]
            at = bisect.bisect(others, action.plan_order, key=lambda a: a.plan_order)
            destination = at if at <= row else at + 1
            if self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination):
                records[:] = [*others[:at], action, *others[at:]]
                self.endMoveRows()
                row = at
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))


class ActionFilter(QSortFilterProxyModel):
    """Status (or "open" / "overdue"), owner text, service and where the action came from."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status: str = "all"
        self.owner = ""
        self.service_id: int | str | None = "all"
        self.source: ActionSource | None = None
        self.setSortRole(SORT_ROLE)

    def set_filters(
        self,
        *,
        status: str,
        owner: str,
        service_id: int | str | None,
        source: ActionSource | None,
    ) -> None:
        self.status, self.owner, self.service_id, self.source = status, owner, service_id, source
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, _parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ActionModel)
        action = model.record(source_row)
        status = self.status
        if status == "open" and not action.is_open:
            return False
        if status == "overdue" and not action.overdue(model.today):
            return False
        if status in STATUS_VALUES and action.status != status:
            return False
        if self.owner and self.owner.casefold() not in action.owner.casefold():
            return False
        if self.service_id != "all":
            action_service = action.service.id if action.service else None
            if action_service != self.service_id:
                return False
        return self.source is None or action.source is self.source
