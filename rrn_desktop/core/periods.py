"""The span of days a figure counts over: one value that travels from the screen or the command
line to every count, so two places asked about the same period can never disagree about which
days it holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rrn_desktop.base.errors import InputError
from rrn_desktop.core.dates import add_months, long_date, month_starts

# Reports count day by day: a period of centuries would run for minutes, and no record is
# older than the Training Standards (2019) or dated beyond next year.
EARLIEST = dt.date(2000, 1, 1)
LONGEST_YEARS = 10


def latest_day(today: dt.date) -> dt.date:
    """The last day a chosen period may reach: the end of next year."""
    return dt.date(today.year + 1, 12, 31)


def _refuse_out_of_range(day: dt.date, today: dt.date) -> None:
    if day < EARLIEST:
        raise InputError(
            f"{long_date(day)} is too early: a report covers dates from {long_date(EARLIEST)} "
            "onwards. Choose a later date."
        )
    if day > latest_day(today):
        raise InputError(
            f"{long_date(day)} is too late: a report covers dates up to "
            f"{long_date(latest_day(today))}. Choose an earlier date."
        )


@dataclass(frozen=True)
class Period:
    """The days counted, both ends included, and how they were chosen (in words)."""

    start: dt.date
    end: dt.date
    basis: str  # e.g. "the last 12 months", "the pledge period", "the dates chosen"

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InputError(
                f"The period cannot start on {long_date(self.start)}: that is after it ends, on "
                f"{long_date(self.end)}."
            )

    @classmethod
    def last_months(cls, today: dt.date, count: int) -> Period:
        """The ``count`` months ending today: from the day after this date ``count`` months
        ago, to today."""
        start = add_months(today, -count) + dt.timedelta(days=1)
        return cls(start, today, f"the last {count} months")

    @classmethod
    def calendar_months(cls, today: dt.date, count: int) -> Period:
        """Whole calendar months, the last being the one holding today (counted up to today)."""
        start = month_starts(today, count)[0]
        return cls(start, today, f"the {count} calendar months from {long_date(start)}")

    @classmethod
    def last_12_months(cls, today: dt.date) -> Period:
        return cls.last_months(today, 12)

    @classmethod
    def chosen(cls, start: dt.date | None, end: dt.date | None, today: dt.date) -> Period:
        """The dates a person picked; a missing start means the 12 months up to the end, a
        missing end means today. Dates outside those a report can cover (see
        `_refuse_out_of_range`) are refused before any counting begins."""
        if start is None and end is None:
            return cls.last_12_months(today)
        last = end or today
        _refuse_out_of_range(last, today)
        if start is None:
            first = cls.last_12_months(last).start
            return cls(first, last, f"the 12 months up to {long_date(last)}")
        _refuse_out_of_range(start, today)
        if start < add_months(last, -12 * LONGEST_YEARS) + dt.timedelta(days=1):
            raise InputError(
                f"The period from {long_date(start)} to {long_date(last)} is longer than "
                f"{LONGEST_YEARS} years, the most a report covers. Choose a shorter period."
            )
        return cls(start, last, "the dates chosen")

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def holds_time(self, moment: dt.datetime) -> bool:
        return self.holds(moment.date())

    @property
    def words(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"

    @property
    def named(self) -> str:
        """How a figure names its period: "the last 12 months (5 December 2025 to 4 December
        2026)", or just the dates when they were chosen by hand."""
        if self.basis == "the dates chosen":
            return self.words
        return f"{self.basis} ({self.words})"

    @property
    def during(self) -> str:
        """The period after a count: "in the last 12 months (…)", "from 1 May 2026 to …"."""
        if self.basis == "the dates chosen":
            return f"from {self.words}"
        return f"in {self.named}"

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches, oldest first (the first
        and last may be counted only in part)."""
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return month_starts(self.end, count)
