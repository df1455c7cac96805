"""The register as a table model, so long registers stay fast and can be sorted and filtered."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core.dates import brief_date
from rrn_desktop.core.restrictions import RestrictionInfo
from rrn_desktop.gui.record_model import Index, RecordModel
from rrn_desktop.gui.theme import warning_colour

COLUMNS = ("Restriction", "Category", "Applies to", "Status", "Next review")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class RegisterModel(RecordModel[RestrictionInfo]):
    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self.record(index.row())
        column = index.column()
        overdue = entry.overdue(self.today)
        if role == ID_ROLE:
            return entry.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column, overdue)
        if role == SORT_ROLE:
            if column == 4:
                return (entry.next_review_on or dt.date.max).toordinal()
            return self._text(entry, column, overdue).casefold()
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and overdue:
            return warning_colour()
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return entry.description or entry.title
        return None

    def _text(self, entry: RestrictionInfo, column: int, overdue: bool) -> str:
        if column == 0:
            return entry.title
        if column == 1:
            return entry.category_title(shipped_checklist())
        if column == 2:
            return entry.applies_to_label
        if column == 3:
            return entry.status_label
        if entry.ended:
            return "Not needed"
        review = f"{brief_date(entry.next_review_on)}" if entry.next_review_on else "Not set"
        # The word, not only the colour, says it is overdue.
        return f"OVERDUE: {review}" if overdue else review
