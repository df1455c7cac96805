"""Anonymised incident figures: counts by type and month, how often support and learning came in
time, and the themes of what was learned. Nothing here carries a name, initials or reference."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rrn_desktop.base.vocabulary import REPEATED_USE_TIMES, RedFlag, RestraintType
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core.deadlines import WithinDeadline, reviews_in_time, support_in_time
from rrn_desktop.core.incidents import IncidentInfo, list_incidents
from rrn_desktop.core.periods import Period
from rrn_desktop.storage.database import Database


@cache
def mhsds_codes() -> tuple[str, ...]:
    """The data set's codes the incident pack maps its kinds to, in order, then "" for
    the kinds it maps to none."""
    return (*sorted({k.mhsds_code for k in incident_pack().interventions if k.mhsds_code}), "")


@dataclass(frozen=True)
class Totals:
    """What a set of incidents adds up to; the same sums for a month and for a whole period."""

    incidents: int
    by_type: dict[RestraintType, int]
    support: WithinDeadline
    review: WithinDeadline
    actions_arising: int
    reviews_missing: int  # 72 hours passed and still no learning review
    red_flags: dict[RedFlag, int]  # incidents raising each, in RedFlag's order
    # Kinds of intervention used, by their Mental Health Services Data Set code ("": a kind
    # with no matching code), for a mental health unit's return.
    by_mhsds_code: dict[str, int]

    @property
    def support_percent(self) -> int | None:
        return self.support.percent

    @property
    def review_percent(self) -> int | None:
        return self.review.percent


def add_up(incidents: Sequence[IncidentInfo], now: dt.datetime) -> Totals:
    """An incident using two types counts once under each, so the types can add up to more
    than the number of incidents."""
    by_type = dict.fromkeys(RestraintType, 0)
    for incident in incidents:
        for kind in incident.restraint_types:
            by_type[kind] += 1
    return Totals(
        incidents=len(incidents),
        by_type=by_type,
        support=support_in_time(incidents, now),
        review=reviews_in_time(incidents, now),
        actions_arising=sum(len(i.action_ids) for i in incidents),
        reviews_missing=sum(i.review_overdue(now) for i in incidents),
        red_flags={
            **{flag: sum(flag in i.red_flags for i in incidents) for flag in RedFlag},
            RedFlag.REPEATED: len(repeated_use(incidents)),
        },
        by_mhsds_code=_by_code(incidents),
    )


def person_key(incident: IncidentInfo) -> str:
    """The person's code as it is compared: "p-07 " and "P-07" are one person."""
    return incident.person_code.strip().casefold()


def repeated_use(incidents: Sequence[IncidentInfo]) -> list[IncidentInfo]:
    """The incidents on a person restrained REPEATED_USE_TIMES times or more among these
    (only incidents with a person code can be linked to one person)."""
    times = Counter(person_key(i) for i in incidents if person_key(i))
    return [i for i in incidents if times[person_key(i)] >= REPEATED_USE_TIMES]


def _by_code(incidents: Sequence[IncidentInfo]) -> dict[str, int]:
    counted = dict.fromkeys(mhsds_codes(), 0)
    for incident in incidents:
        for code in incident.mhsds_codes:
            counted[code or ""] += 1
    return counted


@dataclass(frozen=True)
class MonthFigures(Totals):
    month: dt.date = dt.date.min  # its first day


@dataclass(frozen=True)
class PeriodFigures:
    """The figures for the incidents that began in a period, as a whole and month by month
    (the first and last months may be counted only in part, as the period holds them)."""

    period: Period
    now: dt.datetime  # the 72-hour measures are as they stood then
    incidents: list[IncidentInfo]
    totals: Totals
    months: list[MonthFigures]


def period_figures(
    incidents: Iterable[IncidentInfo], period: Period, now: dt.datetime
) -> PeriodFigures:
    """The one way every screen, report and export counts incidents over a period: those that
    began on a day the period holds, with the 72-hour measures as of ``now``."""
    kept = [i for i in incidents if period.holds_time(i.occurred_at)]
    grouped: dict[dt.date, list[IncidentInfo]] = {month: [] for month in period.months}
    for incident in kept:
        grouped[incident.occurred_at.date().replace(day=1)].append(incident)
    months = [
        MonthFigures(**vars(add_up(items, now)), month=month) for month, items in grouped.items()
    ]
    return PeriodFigures(period, now, kept, add_up(kept, now), months)


def as_of(today: dt.date, now: dt.datetime) -> dt.datetime:
    """The moment figures printed "as they stood on" ``today`` are measured at: now, or the end
    of that day when it has passed."""
    return now if today >= now.date() else dt.datetime.combine(today, dt.time.max)


def figures_for(
    db: Database, service_id: int | None, period: Period, now: dt.datetime
) -> PeriodFigures:
    """``service_id=None`` counts every service."""
    return period_figures(list_incidents(db, service_id, since=period.since), period, now)


# --- learning themes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeSummary:
    label: str
    description: str
    points: tuple[str, ...]
    actions: int


REMOVED = "[removed]"


def scrubber(identifiers: Iterable[str]) -> Callable[[str], str]:
    """A function that replaces every given name, initials or reference in a text, so a report
    of themes cannot point back at a person even when a reviewer wrote one into a learning
    point. One pattern serves them all: a plan can have hundreds of actions to scrub."""
    wanted = sorted({i.strip() for i in identifiers if i.strip()}, key=len, reverse=True)
    if not wanted:
        return lambda text: text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(map(re.escape, wanted)) + r")(?!\w)", re.IGNORECASE
    )
    return lambda text: pattern.sub(REMOVED, text)


def without_identifiers(text: str, identifiers: Iterable[str]) -> str:
    return scrubber(identifiers)(text)


def identifiers(incident: IncidentInfo) -> list[str]:
    names = [incident.reference, incident.person_initials, incident.person_code]
    for person in incident.staff:
        names.append(person.name)
        names.extend(part for part in person.name.split() if len(part) > 2)
    if incident.review is not None:
        names.append(incident.review.lead_name)
        names.extend(part for part in incident.review.lead_name.split() if len(part) > 2)
    return names


def learning_themes(incidents: Sequence[IncidentInfo]) -> list[ThemeSummary]:
    """Learning points grouped by theme, most common first, scrubbed of anything identifying."""
    names = [name for incident in incidents for name in identifiers(incident)]
    pack = incident_pack()
    grouped: dict[str, list[tuple[str, bool]]] = {}
    for incident in incidents:
        if incident.review is None:
            continue
        for point in incident.review.points:
            grouped.setdefault(point.theme, []).append(
                (without_identifiers(point.text, names), point.action_id is not None)
            )
    summaries = []
    for theme_id, points in grouped.items():
        theme = pack.theme(theme_id)
        summaries.append(
            ThemeSummary(
                label=theme.label if theme else "Not given a theme",
                description=theme.description if theme else "",
                points=tuple(text for text, _ in points),
                actions=sum(acted for _, acted in points),
            )
        )
    return sorted(summaries, key=lambda s: (-len(s.points), s.label))
