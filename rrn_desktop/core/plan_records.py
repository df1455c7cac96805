"""The plan as the start screen sums it up: how many actions are open, overdue and done, and the
organisation's pledge with when it is due for renewal. The pledge is read with plain SQL, so the
start screen can prompt for a renewal before the ORM loads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rrn_desktop.base.date_words import long_date
from rrn_desktop.storage.plain_reading import PlainReader, stored_date

PLEDGE_YEARS = 2
RENEWAL_WARNING_DAYS = 60


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int
    done: int


@dataclass(frozen=True)
class PledgeInfo:
    id: int
    statement: str
    made_on: dt.date
    period_start: dt.date
    period_end: dt.date
    signed_by: str
    signed_role: str
    published: bool
    published_where: str

    def renewal_due(self, today: dt.date) -> bool:
        return today >= self.period_end - dt.timedelta(days=RENEWAL_WARNING_DAYS)

    def renewal_text(self, today: dt.date) -> str:
        if today > self.period_end:
            return f"The pledge period ended on {long_date(self.period_end)}: renew the pledge."
        if self.renewal_due(today):
            return f"The pledge period ends on {long_date(self.period_end)}: time to renew it."
        return ""


def current_pledge_in(reader: PlainReader) -> PledgeInfo | None:
    """The pledge whose period began last (the newest, when two began the same day)."""
    found = reader.rows(
        "SELECT id, statement, made_on, period_start, period_end, signed_by, signed_role, "
        "published, published_where FROM pledge ORDER BY period_start DESC, id DESC LIMIT 1"
    )
    if not found:
        return None
    pledge_id, statement, made_on, start, end, signed_by, role, published, where = found[0]
    return PledgeInfo(
        pledge_id,
        statement,
        stored_date(made_on),
        stored_date(start),
        stored_date(end),
        signed_by,
        role,
        bool(published),
        where,
    )
