"""The period's incident figures and learning themes, anonymised, for a board or commissioner.

Order: cover; document control; how to read this report; summary; incidents each month (the
chart, then the figures as tables); for the whole organisation, each service side by side; the
learning themes; finally a sign-off block to complete on paper. With no incidents in the
period, the report says so after document control and stops.

Nothing in it can point at a person: no reference code, no initials, no name of a member of
staff, a witness or a review lead. Learning points are printed only after
:func:`rrn_desktop.core.incident_figures.learning_themes` has replaced every name, initials and
reference recorded on any incident with "[removed]".

The inspection pack prints everything between the document control and the sign-off
(:func:`body`) as one of its parts, over its own period (:func:`incidents_context`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from rrn_desktop.base.vocabulary import (
    RED_FLAG_LABELS,
    REPEATED_USE_TIMES,
    RESTRAINT_TYPE_LABELS,
    RestraintType,
)
from rrn_desktop.content.incident_models import IncidentPack
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core.breakdowns import Breakdowns, breakdowns
from rrn_desktop.core.dates import brief_month, month_end, month_year
from rrn_desktop.core.deadlines import WithinDeadline, due_by_words, percent
from rrn_desktop.core.incident_figures import (
    REMOVED,
    PeriodFigures,
    ThemeSummary,
    Totals,
    add_up,
    as_of,
    figures_for,
    learning_themes,
)
from rrn_desktop.core.incidents import IncidentInfo, list_incidents
from rrn_desktop.core.periods import Period
from rrn_desktop.core.recording_duties import Compliance, compliance
from rrn_desktop.core.service_size import measure_for, rate, rate_text, sizes_of
from rrn_desktop.core.services import ServiceInfo, list_services, organisation_name
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import layout
from rrn_desktop.reports.catalogue import Progress, ReportRequest
from rrn_desktop.reports.fonts import BOLD
from rrn_desktop.reports.incident_chart import incidents_by_type_chart
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.reports.plan_report import scope_service
from rrn_desktop.storage.database import Database

__all__ = [
    "NO_INCIDENTS",
    "REPORT_TITLE",
    "IncidentsContext",
    "ReportResult",
    "body",
    "incidents_context",
    "measures",
    "month_tables",
    "write_incidents_report",
]

REPORT_TITLE = "Incident figures and learning"
NO_INCIDENTS = "No incidents were recorded in this period."
POINTS_PER_THEME = 5
ALL_SERVICES = hs.ALL_SERVICES
_COVER_NOTE = (
    "How many restrictive interventions there were, of which types, month by month; how "
    "often the people involved were offered support, and a learning review held, within 72 "
    "hours; and what the reviews learned. <b>The figures are anonymised</b>: there are no "
    "names, initials or reference codes in this report, so it can go to a board, a "
    "commissioner or an inspector. It is a record for reducing restrictive practice, not a "
    "score: there is no pass mark, and progress is shown against the service's own earlier "
    "months."
)

# Where a type's name is wider than its column, it breaks at these points instead.
_TYPE_BREAKS: dict[RestraintType, str] = {
    RestraintType.MECHANICAL: "Mech-<br/>anical",
    RestraintType.ENVIRONMENTAL: "Environ-<br/>mental",
    RestraintType.PSYCHOLOGICAL: "Psycho-<br/>logical",
    RestraintType.SURVEILLANCE: "Surveil-<br/>lance",
    RestraintType.BLANKET: "Blanket<br/>restriction",
}
_MONTH_COLUMN = 0.14  # of the text width
_CHART_HEIGHT = 66 * mm  # with its heading, under a third of a page
_CELL_PADDING = 8  # left and right padding of a table cell, together


@dataclass(frozen=True)
class _ServiceLine:
    service: ServiceInfo
    totals: Totals


@dataclass(frozen=True)
class IncidentsContext(hs.ServiceScope):
    organisation: str
    service: ServiceInfo | None  # None: every service
    services: list[ServiceInfo]
    today: dt.date  # the day the figures are printed as of
    generated_at: dt.datetime  # the 72-hour measures count the incidents whose time is up by then
    figures: PeriodFigures
    themes: list[ThemeSummary]
    by_service: list[_ServiceLine]  # empty unless several services are reported together
    pack: IncidentPack
    sizes: dict[dt.date, int]  # one service's size by month (none for every service at once)
    groups: Breakdowns  # the incidents by the person's age band and characteristics

    @property
    def totals(self) -> Totals:
        return self.figures.totals

    @property
    def incidents(self) -> list[IncidentInfo]:
        return self.figures.incidents

    @property
    def start(self) -> dt.date:
        return self.figures.period.start

    @property
    def end(self) -> dt.date:
        return self.figures.period.end

    @property
    def where(self) -> str:
        return "in any service" if self.service is None else f"in {self.service.name}"

    @property
    def period(self) -> str:
        return self.figures.period.words

    @property
    def period_in_full(self) -> str:
        return self.figures.period.named

    @property
    def types(self) -> list[RestraintType]:
        """The types used at least once in the period."""
        return [kind for kind in RestraintType if self.totals.by_type[kind]]

    @property
    def points(self) -> int:
        return sum(len(theme.points) for theme in self.themes)

    @property
    def recording_law(self) -> Compliance:
        """The period's records against their services' recording rules, as of the day."""
        return compliance(incident.legal_check(self.today) for incident in self.incidents)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    """ "5 (71%)", or a dash when there is nothing to share out."""
    value = percent(part, whole)
    return hs.NOTHING if value is None else f"{part} ({value}%)"


def _month(month: dt.date) -> str:
    return brief_month(month)


def _bold_row(values: Sequence[str]) -> tuple[Flowable, ...]:
    return tuple(hs.para(hs.safe(value), hs.styles().small_bold) for value in values)


def _total_line(rows: int) -> list[hs.StyleCommand]:
    return [("LINEABOVE", (0, rows), (-1, rows), 1.0, hs.INK)]


def _timed(measure: WithinDeadline) -> str:
    """ "7 of 10 (70%)", then those whose 72 hours are not up yet ("due by …")."""
    parts = []
    if measure.counted:
        parts.append(f"{measure.met} of {measure.counted} ({measure.percent}%)")
    if len(measure.due_by) == 1:
        parts.append(due_by_words(measure.due_by[0]))
    elif measure.due_by:
        parts.append(f"{len(measure.due_by)} not due yet")
    return "; ".join(parts) or hs.NOTHING


def measures(total: Totals) -> list[str]:
    """Incidents, support in time, review in time and actions arising, as table cells."""
    return [
        str(total.incidents),
        _timed(total.support),
        _timed(total.review),
        str(total.actions_arising),
    ]


# ---------------------------------------------------------------------------------------------
# Opening pages
# ---------------------------------------------------------------------------------------------


def _cover(ctx: IncidentsContext) -> list[Flowable]:
    facts: list[tuple[str, object]] = [
        ("Organisation", ctx.organisation),
        ("Services" if ctx.service is None else "Service", ctx.scope_in_full),
        ("Period", ctx.period_in_full),
        ("Incidents in the period", str(ctx.totals.incidents)),
        ("Figures as they stood on", hs.long_date(ctx.today)),
    ]
    return hs.cover_heading(
        organisation=ctx.organisation,
        report_title=REPORT_TITLE,
        subtitle=f"{ctx.scope} · {ctx.period}",
        purpose_note=_COVER_NOTE,
        facts=facts,
    )


def _document_control(ctx: IncidentsContext) -> list[Flowable]:
    anonymised = (
        "Yes: counts only, with learning points stripped of every name, initials and "
        f"reference code recorded on an incident (shown as {REMOVED})"
    )
    return hs.pack_document_control(
        [
            ("Report", REPORT_TITLE),
            ("Organisation", ctx.organisation),
            ("Scope", ctx.scope_in_full),
            ("Period", ctx.period_in_full),
            ("Incidents counted", str(ctx.totals.incidents)),
            ("Anonymised", anonymised),
        ],
        pack_title=ctx.pack.title,
        pack_version=ctx.pack.version,
        generated_at=ctx.generated_at,
        status="A printed copy of the figures on the date above. The incident records kept in "
        "RRN Self-Audit are the live record: support and reviews added later change them.",
    )


def _partial_months(ctx: IncidentsContext) -> str:
    """Which months are only counted in part, in words."""
    first, last = ctx.figures.months[0].month, ctx.figures.months[-1].month
    words = ""
    if ctx.start != first:
        words += (
            f" {month_year(first)} is counted from {hs.long_date(ctx.start)}, "
            "the start of the period."
        )
    if ctx.end == ctx.today:
        words += (
            f" {month_year(last)} is counted up to {hs.long_date(ctx.end)}, the day the report was "
            "made, so it may not be complete."
        )
    elif ctx.end != month_end(last):
        words += (
            f" {month_year(last)} is counted up to {hs.long_date(ctx.end)}, the end of the period."
        )
    return words


def _how_to_read(ctx: IncidentsContext) -> list[Flowable]:
    return [
        *hs.section_start("How to read this report"),
        hs.para(
            "<b>What counts as an incident.</b> Each use of a restrictive intervention that "
            "was recorded, of any of the eight types of restraint. An incident counts in the "
            f"month it began.{_partial_months(ctx)} One in which two types were used (for "
            "example a hold and then seclusion) counts once under each type, so the counts by "
            "type can add up to more than the number of incidents."
        ),
        hs.para(
            "<b>Support within 72 hours</b> means that the person, and every member of staff "
            "and every witness recorded, were each offered support within 72 hours of the "
            "incident. If any one of them was not, or it is not recorded, the incident does "
            "not count as supported in time."
        ),
        hs.para(
            "<b>Review within 72 hours</b> means that a learning review, led by someone who was "
            "not involved, was held within 72 hours of the incident. <b>Actions arising</b> "
            "are the learning points that became actions on the restraint reduction plan."
        ),
        hs.para(
            "<b>Repeated use on one person</b> counts the incidents on anyone restrained "
            f"{REPEATED_USE_TIMES} times or more in the period, linked by the code the service "
            "gives the person (incidents with no such code cannot be linked)."
        ),
        hs.para(
            "<b>Anonymised.</b> Everything is counted, never named: no reference code, initials "
            "or name is printed. Where a reviewer wrote a name or reference into a learning "
            f"point, it is shown as {REMOVED}. Small numbers in a small service can still "
            "point to someone: share the report with care. There is no pass mark and no target "
            "set by the app: compare a service with its own earlier months, not with other "
            "services, which support different people."
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------


def _headline(ctx: IncidentsContext) -> str:
    total = ctx.totals
    words = f"<b>{plural(total.incidents, 'incident')}</b> {ctx.figures.period.during}"
    words += f"; support offered within 72 hours: {total.support.text}"
    words += f"; a learning review within 72 hours: {total.review.text}"
    return words + "."


def _summary_rows(ctx: IncidentsContext) -> list[tuple[str, str]]:
    total = ctx.totals
    months = ctx.figures.months
    most = max(f.incidents for f in months)
    busiest = " and ".join(_month(f.month) for f in months if f.incidents == most)
    return [
        ("Incidents", str(total.incidents)),
        ("Support offered to everyone within 72 hours", _timed(total.support)),
        ("Learning review held within 72 hours", _timed(total.review)),
        ("Learning reviews missing (72 hours passed, none held)", str(total.reviews_missing)),
        ("Learning points recorded", str(ctx.points)),
        ("Actions arising (added to the plan)", str(ctx.totals.actions_arising)),
        ("The most in one month", f"{most} ({busiest})"),
        (
            "Red flags (prone, 10 minutes or more, injury, rapid tranquillisation, seclusion, "
            "repeated use on one person)",
            _red_flags(total),
        ),
        *_law_rows(ctx),
    ]


def _red_flags(total: Totals) -> str:
    """The flags raised, each with its share of the incidents; "None" when none was."""
    raised = [
        f"{RED_FLAG_LABELS[flag]}: {_share(count, total.incidents)}"
        for flag, count in total.red_flags.items()
        if count
    ]
    return "; ".join(raised) or "None"


def _law_rows(ctx: IncidentsContext) -> list[tuple[str, str]]:
    """Only where recording rules apply to some of the records."""
    law = ctx.recording_law
    if not law.checked:
        return []
    return [("Records complete and on time, against the recording law", law.text)]


def _by_type(ctx: IncidentsContext) -> list[Flowable]:
    count = ctx.totals.incidents
    rows = [
        (RESTRAINT_TYPE_LABELS[kind], _share(ctx.totals.by_type[kind], count))
        for kind in sorted(ctx.types, key=lambda kind: -ctx.totals.by_type[kind])
    ]
    unused = [RESTRAINT_TYPE_LABELS[kind] for kind in RestraintType if kind not in ctx.types]
    flowables: list[Flowable] = [
        hs.heading("Types of intervention used", 2),
        hs.data_table(["Type", "Incidents using it (share of all)"], rows, [0.45, 0.35]),
    ]
    if unused:
        flowables += [
            Spacer(1, 2 * mm),
            hs.para(
                "Not used in the period: " + hs.safe("; ".join(unused)) + ".", hs.styles().small
            ),
        ]
    return flowables


def _summary(ctx: IncidentsContext) -> list[Flowable]:
    return [
        *hs.section_start("Summary"),
        hs.para(_headline(ctx)),
        hs.data_table(["Measure", "For the period"], _summary_rows(ctx), [0.55, 0.25]),
        Spacer(1, 2 * mm),
        *_by_type(ctx),
    ]


def _nothing_to_show(ctx: IncidentsContext) -> list[Flowable]:
    return [
        *hs.section_start("Summary"),
        hs.para(f"<b>{NO_INCIDENTS}</b>"),
        hs.para(
            f"No restrictive intervention was recorded {hs.safe(ctx.where)} between "
            f"{hs.long_date(ctx.start)} and {hs.long_date(ctx.end)}, so there are "
            "no figures, support or review timings, or learning themes to show."
        ),
        hs.para(
            "If incidents did happen in this period, they have not been recorded in RRN "
            "Self-Audit yet: the figures can only be as complete as the records.",
            hs.styles().body_muted,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Month by month
# ---------------------------------------------------------------------------------------------


def _chart(ctx: IncidentsContext, *, tables_follow: bool) -> list[Flowable]:
    # The heading moves with the chart; together they stand under a third of a page, so a
    # chart moved on to the next page never leaves more than that empty.
    return [
        hs.heading("Incidents each month, by type", 2),
        incidents_by_type_chart(ctx.figures.months, ctx.types, height=_CHART_HEIGHT),
        Spacer(1, 2 * mm),
        hs.para(
            "The number over each bar is the number of incidents that began that month. "
            "Each bar is divided by the types used; an incident that used two types "
            "is counted under both, so a bar can stand a little higher than its "
            "number." + (" The same figures are in the tables below." if tables_follow else ""),
            hs.styles().small_muted,
        ),
    ]


def _timing_table(ctx: IncidentsContext) -> list[Flowable]:
    rows: list[Sequence[object]] = [(_month(f.month), *measures(f)) for f in ctx.figures.months]
    rows.append(_bold_row(["Period", *measures(ctx.totals)]))
    return [
        *layout.loose_heading("Support, reviews and actions each month", 3),
        hs.data_table(
            [
                "Month",
                "Incidents",
                "Support within 72 hours",
                "Review within 72 hours",
                "Actions arising",
            ],
            rows,
            [0.18, 0.14, 0.24, 0.24, 0.2],
            extra_style=_total_line(len(rows)),
        ),
    ]


def _widest_line(markup: str) -> float:
    widest: float = max(stringWidth(line, BOLD, hs.SMALL_SIZE) for line in markup.split("<br/>"))
    return widest


def _type_widths(kinds: Sequence[RestraintType]) -> list[float] | None:
    """Fractions of the text width for the month's column and each type's, each wide enough
    for its name (broken over lines where it has to be), or None when they do not all fit."""
    width = hs.CONTENT_WIDTH
    needs = [
        _widest_line(_TYPE_BREAKS.get(kind, RESTRAINT_TYPE_LABELS[kind])) + _CELL_PADDING
        for kind in kinds
    ]
    spare = width * (1 - _MONTH_COLUMN) - sum(needs)
    if spare < 0:
        return None
    return [_MONTH_COLUMN, *((need + spare / len(kinds)) / width for need in needs)]


def _type_header(kind: RestraintType, room: float) -> str:
    """The type's name, broken over lines where it is wider than ``room``."""
    label = RESTRAINT_TYPE_LABELS[kind]
    if stringWidth(label, BOLD, hs.SMALL_SIZE) <= room:
        return hs.safe(label)
    return _TYPE_BREAKS.get(kind, hs.safe(label))


def _type_table(ctx: IncidentsContext) -> list[Flowable]:
    """A column for each of the eight types where they fit, else for those used."""
    kinds: list[RestraintType] = list(RestraintType)
    widths = _type_widths(kinds)
    if widths is None:
        kinds = ctx.types
        widths = _type_widths(kinds) or [1 / (len(kinds) + 1)] * (len(kinds) + 1)
    st = hs.styles()
    header = [
        "Month",
        *(
            hs.para(_type_header(kind, fraction * hs.CONTENT_WIDTH - _CELL_PADDING), st.small_bold)
            for kind, fraction in zip(kinds, widths[1:], strict=True)
        ),
    ]
    rows: list[tuple[object, ...]] = [
        (_month(f.month), *(str(f.by_type[kind]) for kind in kinds)) for f in ctx.figures.months
    ]
    rows.append(_bold_row(["Period", *(str(ctx.totals.by_type[kind]) for kind in kinds)]))
    return [
        *layout.loose_heading("Types of intervention each month", 3),
        hs.data_table(header, rows, widths, extra_style=_total_line(len(rows))),
        Spacer(1, 2 * mm),
        hs.para(
            "An incident that used two types counts under each, so a month's row can add up to "
            "more than its number of incidents."
            + ("" if len(kinds) == len(RestraintType) else " Types not used are left out."),
            st.small_muted,
        ),
    ]


def _each_month(ctx: IncidentsContext, *, tables: bool) -> list[Flowable]:
    flowables = [
        *hs.section_start("Month by month"),
        hs.para(
            "How many incidents began in each month of the period, and the types of "
            "intervention used"
            + ("; then, month by month, how soon support and a review followed." if tables else ".")
        ),
        *_chart(ctx, tables_follow=tables),
    ]
    if tables:
        flowables += [Spacer(1, 4 * mm), *month_tables(ctx)]
    return flowables


def _rates(ctx: IncidentsContext) -> list[Flowable]:
    """Each month's incidents against the service's size, where its size was recorded."""
    if ctx.service is None or not any(f.month in ctx.sizes for f in ctx.figures.months):
        return []
    measure = measure_for(ctx.service.sector)
    rows = [
        (
            _month(f.month),
            str(f.incidents),
            f"{ctx.sizes[f.month]:,}" if f.month in ctx.sizes else hs.NOTHING,
            rate_text(rate(f.incidents, ctx.sizes.get(f.month), measure)),
        )
        for f in ctx.figures.months
    ]
    sized = [f for f in ctx.figures.months if ctx.sizes.get(f.month)]
    overall = rate(sum(f.incidents for f in sized), sum(ctx.sizes[f.month] for f in sized), measure)
    return [
        *hs.section_start("Rates"),
        hs.para(
            f"Incidents {measure.rate_words}, month by month, so that a month with more people "
            f"in it compares fairly; over the months with a size recorded: "
            f"<b>{rate_text(overall)}</b>."
        ),
        hs.data_table(
            ["Month", "Incidents", measure.what.capitalize(), f"Rate {measure.rate_words}"],
            rows,
            [0.2, 0.15, 0.25, 0.3],
        ),
    ]


def _by_group(ctx: IncidentsContext) -> list[Flowable]:
    """The incidents by age band and characteristic, only where some are recorded and there
    are enough incidents to count by group."""
    groups = ctx.groups
    if not groups.tables:
        return []
    flowables: list[Flowable] = [
        *hs.section_start("By age band and characteristic"),
        hs.para(
            f"The period's {plural(groups.incidents, 'incident')} counted by what was recorded "
            f"about the person, to see whether restraint falls more on some groups. "
            f"{groups.note}"
        ),
    ]
    for table in groups.tables:
        flowables.append(
            KeepTogether(
                [
                    hs.heading(table.question, 3),
                    hs.data_table(
                        ["Group", "Incidents"],
                        [(group.group, group.text) for group in table.groups],
                        [0.6, 0.3],
                    ),
                ]
            )
        )
    return flowables


def month_tables(ctx: IncidentsContext) -> list[Flowable]:
    """Each month's incidents, support and reviews in time, actions arising and types."""
    return [*_timing_table(ctx), Spacer(1, 4 * mm), *_type_table(ctx)]


def _services(ctx: IncidentsContext) -> list[Flowable]:
    if not ctx.by_service:
        return []
    rows: list[Sequence[object]] = [
        (line.service.name, line.service.sector_label, *measures(line.totals))
        for line in ctx.by_service
    ]
    rows.append(_bold_row([ALL_SERVICES, "", *measures(ctx.totals)]))
    opener, heading = hs.section_start("Each service")
    # A short table, not split: a totals row alone on a page would be read out of context.
    return [
        opener,
        *layout.keep_if_short(
            [
                heading,
                hs.para(
                    f"The period's figures for each service, {ctx.period}. Services support "
                    "different people: compare each with its own earlier figures rather than "
                    "with one another."
                ),
                hs.data_table(
                    [
                        "Service",
                        "Type of service",
                        "Incidents",
                        "Support within 72 hours",
                        "Review within 72 hours",
                        "Actions arising",
                    ],
                    rows,
                    [0.24, 0.17, 0.12, 0.17, 0.17, 0.13],
                    extra_style=_total_line(len(rows)),
                ),
            ]
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Learning themes
# ---------------------------------------------------------------------------------------------


def _point_style() -> ParagraphStyle:
    return ParagraphStyle(
        "IncidentsPoint",
        parent=hs.styles().small,
        leftIndent=5 * mm,
        bulletIndent=1 * mm,
        spaceAfter=3,
    )


def _distinct(points: Sequence[str]) -> list[tuple[str, int]]:
    """Each different point once, with how often it was made, the most often first."""
    counts: dict[str, tuple[str, int]] = {}
    for point in points:
        key = " ".join(point.split()).casefold()
        first, count = counts.get(key, (point, 0))
        counts[key] = (first, count + 1)
    return sorted(counts.values(), key=lambda pair: -pair[1])


def _theme(theme: ThemeSummary) -> list[Flowable]:
    st = hs.styles()
    acted = f"{theme.actions} became {'an action' if theme.actions == 1 else 'actions'}"
    lines: list[Flowable] = [
        hs.heading(theme.label, 3),
        hs.para(
            f"{plural(len(theme.points), 'learning point')}; {acted}. "
            f"<i>{hs.safe(theme.description)}</i>",
            st.small_muted,
        ),
        Spacer(1, 1.5 * mm),
    ]
    style = _point_style()
    shown = _distinct(theme.points)[:POINTS_PER_THEME]
    for point, count in shown:
        times = f" <i>({count} times)</i>" if count > 1 else ""
        lines.append(hs.para(f"<bullet>•</bullet>{hs.safe(point)}{times}", style))
    more = len(theme.points) - sum(count for _point, count in shown)
    if more > 0:
        lines.append(hs.para(f"… and {more} more.", st.small_muted))
    # A theme's heading and first points stay together; its later points may run on.
    return [KeepTogether(lines[:5]), *lines[5:], Spacer(1, 3 * mm)]


def _themes(ctx: IncidentsContext) -> list[Flowable]:
    flowables: list[Flowable] = [*hs.section_start("Learning themes")]
    if not ctx.themes:
        reviewed = sum(incident.review is not None for incident in ctx.incidents)
        flowables.append(
            hs.para(
                f"No learning points were recorded in the period "
                f"({plural(reviewed, 'learning review')} held)."
            )
        )
        return flowables
    rows = [(t.label, str(len(t.points)), str(t.actions)) for t in ctx.themes]
    rows.append(_bold_row(["All themes", str(ctx.points), str(sum(t.actions for t in ctx.themes))]))
    flowables += [
        hs.para(
            "What the learning reviews found, grouped by theme, the most common first. Up to "
            f"{POINTS_PER_THEME} different points are printed for each theme, a point made more "
            "than once only once, with how many times. Any name, initials or reference code "
            f"recorded on an incident is shown as {REMOVED}."
        ),
        hs.data_table(
            ["Theme", "Learning points", "Became actions"],
            rows,
            [0.5, 0.22, 0.22],
            extra_style=_total_line(len(rows)),
        ),
        Spacer(1, 4 * mm),
    ]
    for theme in ctx.themes:
        flowables += _theme(theme)
    return flowables


def body(ctx: IncidentsContext, *, monthly: bool = True) -> list[Flowable]:
    """The figures and learning themes, or a short statement that there were no incidents.
    Without ``monthly``, the tables of each month's figures are left to :func:`month_tables`
    (the inspection pack prints them in its appendix)."""
    if not ctx.incidents:
        return _nothing_to_show(ctx)
    return [
        *_how_to_read(ctx),
        *_summary(ctx),
        *_rates(ctx),
        *_by_group(ctx),
        *_each_month(ctx, tables=monthly),
        *_services(ctx),
        *_themes(ctx),
    ]


def build_story(ctx: IncidentsContext) -> list[Flowable]:
    return [
        *_cover(ctx),
        *_document_control(ctx),
        *body(ctx),
        Spacer(1, 8 * mm),
        *hs.paper_sign_off("these figures"),
    ]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _names_only(incident: IncidentInfo) -> IncidentInfo:
    """The incident without its learning points: it lends its names, initials and reference to
    the scrubbing, but none of its points to the themes."""
    if incident.review is None:
        return incident
    return replace(incident, review=replace(incident.review, points=()))


def _scrubbed_themes(db: Database, incidents: list[IncidentInfo]) -> list[ThemeSummary]:
    """The period's themes, scrubbed of what any incident records, not just the period's:
    a point may name someone who was there at another time or in another service."""
    counted = {incident.id for incident in incidents}
    others = [_names_only(i) for i in list_incidents(db) if i.id not in counted]
    return learning_themes([*incidents, *others])


def _by_service(services: list[ServiceInfo], figures: PeriodFigures) -> list[_ServiceLine]:
    """Each service's share of the period's incidents, added up the same way as the whole."""
    return [
        _ServiceLine(
            service,
            add_up([i for i in figures.incidents if i.service.id == service.id], figures.now),
        )
        for service in services
    ]


def incidents_context(
    db: Database,
    *,
    service: ServiceInfo | None,
    period: Period,
    today: dt.date,
    generated_at: dt.datetime,
) -> IncidentsContext:
    """The figures for the incidents that began in ``period``, in ``service`` or (None) in
    every service, month by month, with the 72-hour measures as they stood at
    ``generated_at``."""
    services = sorted(list_services(db), key=lambda s: (s.name.casefold(), s.id))
    service_id = service.id if service is not None else None
    figures = figures_for(db, service_id, period, as_of(today, generated_at))
    return IncidentsContext(
        organisation=organisation_name(db),
        service=service,
        services=services if service is None else [service],
        today=today,
        generated_at=generated_at,
        figures=figures,
        themes=_scrubbed_themes(db, figures.incidents),
        by_service=_by_service(services, figures) if service is None and len(services) > 1 else [],
        pack=incident_pack(),
        sizes=sizes_of(db, service.id) if service is not None else {},
        groups=breakdowns(figures.incidents),
    )


def write_incidents_report(
    db: Database,
    out: Path,
    *,
    service_id: int | None = None,
    period: Period | None = None,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write the anonymised incident figures as a PDF at ``out`` (replacing any file there).

    ``service_id=None`` counts every service, and shows them side by side when there are
    several. The period is by default the last 12 months up to ``today``.
    ``progress`` receives fractions from 0 to 1. With no incidents in the period the report
    is short and says so; raises UserFacingError for a service that no longer exists."""
    generated_at = dt.datetime.now().replace(microsecond=0)
    today = today or generated_at.date()
    job = ReportJob(out, progress)
    ctx = incidents_context(
        db,
        service=scope_service(db, service_id),
        period=period or Period.last_12_months(today),
        today=today,
        generated_at=generated_at,
    )
    job.step(0.1)
    # The PDF's own details first, then what every page prints at its head and foot.
    return job.finish(
        build_story(ctx),
        title=REPORT_TITLE,
        subject=f"{ctx.scope}: incident figures, {ctx.period}",
        author=ctx.organisation,
        header=f"{ctx.scope} · {REPORT_TITLE} · {ctx.period}",
        footer_note="anonymised",
    )


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: Progress | None
) -> ReportResult:
    """The catalogue's way in."""
    return write_incidents_report(
        db, out, service_id=request.service_id, period=request.period, progress=progress
    )
