"""The 72-hour measures: support offered, and a learning review held, within 72 hours of an
incident. One definition, whether an incident was read whole (IncidentInfo) or only its dates
were (the start screen's figures, read before the ORM loads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rrn_desktop.base.date_words import brief_moment, day_month, day_month_time

SUPPORT_WINDOW = dt.timedelta(hours=72)


def within_72_hours(occurred_at: dt.datetime, on: dt.date | None) -> bool:
    """Whether something done on a day (no time recorded) fell within 72 hours of the incident.

    A day counts when it is no later than the day on which the 72 hours run out.
    """
    return on is not None and on <= (occurred_at + SUPPORT_WINDOW).date()


class Timed(Protocol):
    """What the 72-hour measures need to know of an incident."""

    @property
    def review_due_by(self) -> dt.datetime: ...

    @property
    def support_within_72_hours(self) -> bool: ...

    @property
    def review_within_72_hours(self) -> bool: ...


@dataclass(frozen=True)
class IncidentTimes:
    """When an incident happened, and the days support was offered and learning reviewed."""

    occurred_at: dt.datetime
    person_support_on: dt.date | None  # None: no support for the person recorded yet
    staff_welfare_on: tuple[dt.date | None, ...]  # one for each member of staff involved
    review_held_on: dt.date | None  # None: no learning review yet

    @property
    def review_due_by(self) -> dt.datetime:
        return self.occurred_at + SUPPORT_WINDOW

    def review_overdue(self, now: dt.datetime) -> bool:
        return self.review_held_on is None and now >= self.review_due_by

    @property
    def review_within_72_hours(self) -> bool:
        return within_72_hours(self.occurred_at, self.review_held_on)

    @property
    def support_within_72_hours(self) -> bool:
        """The person, and everyone involved or watching, were all offered support in time."""
        return within_72_hours(self.occurred_at, self.person_support_on) and all(
            within_72_hours(self.occurred_at, on) for on in self.staff_welfare_on
        )


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def due_by_words(moment: dt.datetime) -> str:
    return f"due by {brief_moment(moment)}"


@dataclass(frozen=True)
class WithinDeadline:
    """A 72-hour measure, such as support offered or a learning review held within 72 hours.

    Only incidents whose 72 hours have passed are counted, met or not: an incident recorded a
    minute ago has not failed anything yet. The others wait, with the time their 72 hours end.
    """

    met: int = 0
    counted: int = 0
    due_by: tuple[dt.datetime, ...] = ()  # the others' deadlines, soonest first

    @property
    def percent(self) -> int | None:
        return percent(self.met, self.counted)

    @property
    def text(self) -> str:
        """ "70%"; "70% (1 more due by 7 Dec 2026 14:00)"; "due by 7 Dec 2026 14:00" while
        none has had its 72 hours; "no incidents" with none to count."""
        if not self.due_by:
            return "no incidents" if self.percent is None else f"{self.percent}%"
        soonest = due_by_words(self.due_by[0])
        waiting = len(self.due_by)
        if self.percent is None:
            return soonest if waiting == 1 else f"{waiting} not due yet, the first {soonest}"
        if waiting == 1:
            return f"{self.percent}% (1 more {soonest})"
        return f"{self.percent}% ({waiting} more not due yet, the first {soonest})"

    @property
    def brief(self) -> str:
        """The same in a table cell's room: "64%", "64% (1 due 6 Dec)", "due by 6 Dec 16:40"."""
        if not self.due_by:
            return self.text
        soonest = self.due_by[0]
        if self.percent is None and len(self.due_by) == 1:
            return f"due by {day_month_time(soonest)}"
        waiting = (
            f"1 due {day_month(soonest)}"
            if len(self.due_by) == 1
            else f"{len(self.due_by)} due from {day_month(soonest)}"
        )
        return waiting if self.percent is None else f"{self.percent}% ({waiting})"


def _measure(
    incidents: Sequence[Timed], met: Callable[[Timed], bool], now: dt.datetime
) -> WithinDeadline:
    counted = [i for i in incidents if i.review_due_by <= now]
    return WithinDeadline(
        met=sum(met(i) for i in counted),
        counted=len(counted),
        due_by=tuple(sorted(i.review_due_by for i in incidents if i.review_due_by > now)),
    )


def support_in_time(incidents: Sequence[Timed], now: dt.datetime) -> WithinDeadline:
    return _measure(incidents, lambda i: i.support_within_72_hours, now)


def reviews_in_time(incidents: Sequence[Timed], now: dt.datetime) -> WithinDeadline:
    return _measure(incidents, lambda i: i.review_within_72_hours, now)
