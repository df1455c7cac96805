"""Calendar arithmetic the register needs: months that do not all have the same length."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months on, or the month's last day where that day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(month_start: dt.date) -> dt.date:
    return month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1])


def month_starts(last: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` months ending with the month holding `last`, oldest first."""
    first_of_last = last.replace(day=1)
    return [add_months(first_of_last, offset) for offset in range(1 - count, 1)]


def long_date(day: dt.date | None) -> str:
    return "no date" if day is None else f"{day.day} {day:%B %Y}"
