"""Dates as people write and read them, and the calendar arithmetic of months that do not all
have the same length."""

from __future__ import annotations

import calendar
import datetime as dt
import re

# The written-out forms live in base so that storage's messages can use them too; they are
# re-exported here, beside the typed form and the parsing, for the layers above.
from rrn_desktop.base.date_words import (
    MONTH_NAMES,
    brief_date,
    brief_moment,
    brief_month,
    clock_time,
    day_month,
    day_month_time,
    long_date,
    long_moment,
    month_year,
)
from rrn_desktop.base.errors import InputError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MONTH_NAMES",
    "TYPE_A_DATE",
    "add_months",
    "brief_date",
    "brief_moment",
    "brief_month",
    "clock_time",
    "day_month",
    "day_month_time",
    "long_date",
    "long_moment",
    "month_end",
    "month_starts",
    "month_year",
    "parse_day",
    "short_date",
]


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


def short_date(day: dt.date | None) -> str:
    """A date as it is typed in the UK: 31/12/2026 ("" for none)."""
    return "" if day is None else f"{day:%d/%m/%Y}"


TYPE_A_DATE = "Type the date as day/month/year, for example 31/12/2026."
FIRST_YEAR, LAST_YEAR = 1900, 2199

_NUMBERS = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d+)")
_MONTHS = {
    spelt: number
    for number, name in enumerate(MONTH_NAMES, start=1)
    for spelt in (name.lower(), name[:3].lower())
} | {"sept": 9}


def parse_day(text: str) -> dt.date | None:
    """The date a person typed: 31/12/2026, 1/2/2026, 31-12-2026, 31.12.2026 or 31 Dec 2026;
    None when nothing is typed. Raises InputError saying, in plain words, what is wrong."""
    typed = " ".join(text.split()).lower()
    if not typed:
        return None
    if numbers := _NUMBERS.fullmatch(typed):
        day, month, year = int(numbers[1]), int(numbers[3]), numbers[4]
        if not 1 <= month <= 12:
            raise InputError(f"There is no month {month}. {TYPE_A_DATE}")
    elif words := _WORDS.fullmatch(typed):
        day, year = int(words[1]), words[3]
        if words[2] not in _MONTHS:
            raise InputError(
                "Type the month as a number or a name, for example 31/12/2026 or 31 Dec 2026."
            )
        month = _MONTHS[words[2]]
    else:
        raise InputError(TYPE_A_DATE)
    if len(year) != 4 or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise InputError("Type the year in full, for example 31/12/2026.")
    return _checked_day(int(year), month, day)


def _checked_day(year: int, month: int, day: int) -> dt.date:
    if not 1 <= day <= 31:
        raise InputError(f"No month has a day {day}. {TYPE_A_DATE}")
    if day > calendar.monthrange(year, month)[1]:
        if month == 2 and day == 29:
            raise InputError(f"There is no 29 February in {year}: it is not a leap year.")
        raise InputError(f"There is no {day} {MONTH_NAMES[month - 1]}.")
    return dt.date(year, month, day)
