"""Dates and times written out the one way the screens, the paper and the messages all use:
the day without a leading zero, the month in English words (whatever the computer's language),
the time on the 24-hour clock.

    brief_date      5 Mar 2025               a narrow column
    long_date       5 March 2025             a sentence or a heading
    brief_moment    5 Mar 2025 14:05         a narrow column, with the time
    long_moment     5 March 2025 at 14:05    a sentence, with the time
    day_month       5 Mar                    a table cell, within days of today
    day_month_time  5 Mar 14:05              a table cell, a deadline within days of now
    month_year      March 2025
    brief_month     Mar 2025

Dates as they are typed (31/12/2026) are core.dates' business; a file name's stamp is not for
reading and keeps its own sortable form."""

from __future__ import annotations

import datetime as dt

# Spelt out here, not taken from strftime's %B or the calendar module, which follow the locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(day: dt.date) -> str:
    return MONTH_NAMES[day.month - 1]


def month_abbreviation(day: dt.date) -> str:
    return MONTH_NAMES[day.month - 1][:3]


def clock_time(moment: dt.datetime) -> str:
    """14:05: the 24-hour clock, as UK care records write it."""
    return f"{moment:%H:%M}"


def brief_date(day: dt.date | None) -> str:
    """5 Mar 2025, for a narrow column ("" for none)."""
    return "" if day is None else f"{day.day} {month_abbreviation(day)} {day.year}"


def long_date(day: dt.date | None) -> str:
    """5 March 2025 ("no date" for none)."""
    return "no date" if day is None else f"{day.day} {month_name(day)} {day.year}"


def brief_moment(moment: dt.datetime) -> str:
    """5 Mar 2025 14:05."""
    return f"{brief_date(moment)} {clock_time(moment)}"


def long_moment(moment: dt.datetime) -> str:
    """5 March 2025 at 14:05."""
    return f"{long_date(moment)} at {clock_time(moment)}"


def day_month(day: dt.date) -> str:
    """5 Mar: only where the year goes without saying, such as a deadline days away."""
    return f"{day.day} {month_abbreviation(day)}"


def day_month_time(moment: dt.datetime) -> str:
    """5 Mar 14:05: a 72-hour deadline in a table cell, where the year goes without saying."""
    return f"{day_month(moment)} {clock_time(moment)}"


def month_year(day: dt.date) -> str:
    """March 2025."""
    return f"{month_name(day)} {day.year}"


def brief_month(day: dt.date) -> str:
    """Mar 2025."""
    return f"{month_abbreviation(day)} {day.year}"
