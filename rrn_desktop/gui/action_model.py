"""Actions as a table model, with the filters a manager or commissioner uses."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from rrn_desktop.core.plan import ActionInfo
from rrn_desktop.gui.record_model import Index, RecordModel
from rrn_desktop.storage.models import ActionSource, ActionStatus

COLUMNS = ("Action", "Strategy", "Owner", "Service", "Due", "Status", "From")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_COLOUR = QColor("#b00020")
WHOLE_ORGANISATION = "Whole organisation"


def status_text(action: ActionInfo, today: dt.date) -> str:
    # Overdue is said in words, never by colour alone.
    return f"{action.status_label}, OVERDUE" if action.overdue(today) else action.status_label


class ActionModel(RecordModel[ActionInfo]):
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
            if column == 4:
                return (action.due_on or dt.date.max).toordinal()
            return self._text(action, column).casefold()
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and action.overdue(self.today)
            and column in (4, 5)
        ):
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole:
            return action.source_detail if column == 6 else action.title
        return None

    def _text(self, action: ActionInfo, column: int) -> str:
        if column == 0:
            return action.title
        if column == 1:
            return action.strategy_label
        if column == 2:
            return action.owner
        if column == 3:
            return action.service.name if action.service else WHOLE_ORGANISATION
        if column == 4:
            return f"{action.due_on:%d %b %Y}" if action.due_on else "No date"
        if column == 5:
            return status_text(action, self.today)
        return action.source_label


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
        if self.status == "open" and not action.is_open:
            return False
        if self.status == "overdue" and not action.overdue(model.today):
            return False
        if self.status in {s.value for s in ActionStatus} and action.status != self.status:
            return False
        if self.owner and self.owner.casefold() not in action.owner.casefold():
            return False
        if self.service_id != "all":
            action_service = action.service.id if action.service else None
            if action_service != self.service_id:
                return False
        return self.source is None or action.source is self.source
