"""The incident list as a table model: reference, when, what kind, and whether support and the
learning review happened in time."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from rrn_desktop.core.dates import brief_date, brief_moment, day_month_time
from rrn_desktop.core.incidents import IncidentInfo
from rrn_desktop.gui.record_model import Index, RecordModel
from rrn_desktop.gui.theme import warning_colour

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
REVIEW_COLUMN = 2


def support_text(incident: IncidentInfo, now: dt.datetime) -> str:
    """Until its 72 hours are up, support not yet complete is due, not late."""
    if incident.support_within_72_hours:
        return "In time"
    if now < incident.review_due_by:
        return f"Due by {day_month_time(incident.review_due_by)}"
    return "Not recorded" if incident.person_support is None else "Late or incomplete"


def review_text(incident: IncidentInfo, now: dt.datetime) -> str:
    review = incident.review
    if review is not None:
        late = "" if incident.review_within_72_hours else " (late)"
        return f"Held {brief_date(review.held_on)}{late}"
    due_by = incident.review_due_by
    # The word, not only the colour, says it is missing. A missed deadline may be long past, so
    # it has its year; one still to come is within 72 hours, where the year goes without saying.
    if incident.review_overdue(now):
        return f"MISSING (due {brief_moment(due_by)})"
    return f"Due by {day_month_time(due_by)}"


class IncidentModel(RecordModel[IncidentInfo]):
    columns = ("Reference", "When", "Learning review", "Support", "Types")

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.now = dt.datetime.now()

    def set_incidents(self, incidents: list[IncidentInfo], now: dt.datetime) -> None:
        self.now = now
        self.set_records(incidents, now.date())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        incident = self.record(index.row())
        column = index.column()
        if role == ID_ROLE:
            return incident.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(incident, column)
        if role == SORT_ROLE:
            if column == 1:
                return incident.occurred_at.isoformat()
            return self._text(incident, column).casefold()
        overdue = incident.review_overdue(self.now)
        if role == Qt.ItemDataRole.ForegroundRole and column == REVIEW_COLUMN and overdue:
            return warning_colour()
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return incident.kinds_text
        return None

    def _text(self, incident: IncidentInfo, column: int) -> str:
        if column == 0:
            return incident.reference
        if column == 1:
            return brief_moment(incident.occurred_at)
        if column == 2:
            return review_text(incident, self.now)
        if column == 3:
            return support_text(incident, self.now)
        return incident.types_text
