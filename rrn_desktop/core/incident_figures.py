"""Anonymised incident figures: counts by type and month, how often support and learning came in
time, and the themes of what was learned. Nothing here carries a name, initials or reference."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rrn_desktop.content.checklist_models import RestraintType
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core.dates import month_starts
from rrn_desktop.core.incidents import IncidentInfo, list_incidents
from rrn_desktop.storage.database import Database

FIGURE_MONTHS = 12


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    incidents: int
    by_type: dict[RestraintType, int]
    support_in_time: int
    reviews_in_time: int
    actions_arising: int

    @property
    def support_percent(self) -> int | None:
        return percent(self.support_in_time, self.incidents)

    @property
    def review_percent(self) -> int | None:
        return percent(self.reviews_in_time, self.incidents)


def monthly_figures(
    incidents: Iterable[IncidentInfo], months: Sequence[dt.date]
) -> list[MonthFigures]:
    """One row per month (given by its first day), counting each incident in the month it began.

    An incident using two types counts once under each, so the types can add up to more than
    the number of incidents.
    """
    grouped: dict[dt.date, list[IncidentInfo]] = {month: [] for month in months}
    for incident in incidents:
        month = incident.occurred_at.date().replace(day=1)
        if month in grouped:
            grouped[month].append(incident)
    return [
        MonthFigures(
            month=month,
            incidents=len(items),
            by_type={
                kind: sum(kind in item.restraint_types for item in items) for kind in RestraintType
            },
            support_in_time=sum(item.support_within_72_hours for item in items),
            reviews_in_time=sum(item.review_within_72_hours for item in items),
            actions_arising=sum(len(item.action_ids) for item in items),
        )
        for month, items in grouped.items()
    ]


def figures_for(
    db: Database, service_id: int | None, today: dt.date, months: int = FIGURE_MONTHS
) -> list[MonthFigures]:
    starts = month_starts(today, months)
    since = dt.datetime.combine(starts[0], dt.time())
    return monthly_figures(list_incidents(db, service_id, since=since), starts)


@dataclass(frozen=True)
class Totals:
    incidents: int
    by_type: dict[RestraintType, int]
    support_percent: int | None
    review_percent: int | None
    actions_arising: int


def totals(figures: Sequence[MonthFigures]) -> Totals:
    count = sum(f.incidents for f in figures)
    return Totals(
        incidents=count,
        by_type={kind: sum(f.by_type[kind] for f in figures) for kind in RestraintType},
        support_percent=percent(sum(f.support_in_time for f in figures), count),
        review_percent=percent(sum(f.reviews_in_time for f in figures), count),
        actions_arising=sum(f.actions_arising for f in figures),
    )


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
    names = [incident.reference, incident.person_initials]
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
