"""The head office picture: every service on one report, in bands rather than a league table
(core.group_picture says why and how it is counted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph

from rrn_desktop.core.group_picture import (
    NO_BENCHMARK,
    NOT_SCORED,
    GroupPicture,
    ServicePicture,
    group_picture,
)
from rrn_desktop.core.periods import Period
from rrn_desktop.core.service_size import rate_text
from rrn_desktop.core.services import organisation_name
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.catalogue import Progress, ReportRequest
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

REPORT_TITLE = "Head office picture"
NO_BENCHMARK_SHORT = "No benchmark"  # a column heading
BANDS_TITLE = "Training against the Standards, in bands"
SERVICES_TITLE = "Each service"
ACTIVITY_TITLE = "Restrictions, plan and incidents"

_WHY_BANDS = (
    "Services are listed by name, never ranked. Each section of the latest Training Standards "
    "benchmark is shown as the band its score falls in, and the group as how many services are "
    "in each band: a league table would reward the services that record least and shame "
    "those that record honestly. Incident figures are rates against each service's size where "
    "the size is recorded; a high rate with full records is often the better sign."
)


def _band_words(picture: ServicePicture, ctx: GroupPicture) -> list[Paragraph]:
    if picture.benchmark_held_on is None:
        return [hs.muted(NO_BENCHMARK)]
    lines = []
    for section in ctx.sections:
        band = picture.bands.get(section.id)
        label = band.label if band is not None else NOT_SCORED
        lines.append(hs.text(f"{section.column_title}: {label}", hs.cell_line_style()))
    return lines


def _bands_table(ctx: GroupPicture) -> list[Flowable]:
    labels = [label for label, _count in ctx.band_counts(ctx.sections[0].id)]
    rows = [
        [section.heading, *(str(count) for _label, count in ctx.band_counts(section.id))]
        for section in ctx.sections
    ]
    labels = [NO_BENCHMARK_SHORT if label == NO_BENCHMARK else label for label in labels]
    share = 0.7 / len(labels)
    return [
        hs.heading(BANDS_TITLE, 2),
        hs.para(
            f"How many of the {plural(len(ctx.services), 'service')} have each band in each "
            f"section of their latest benchmark held by {hs.long_date(ctx.period.end)}."
        ),
        hs.data_table(["Section", *labels], rows, [0.3, *([share] * len(labels))]),
    ]


def _services_table(ctx: GroupPicture) -> list[Flowable]:
    rows = [
        [
            picture.service.name,
            hs.long_date(picture.benchmark_held_on) if picture.benchmark_held_on else "None yet",
            _band_words(picture, ctx),
            hs.long_datetime(picture.last_arrived) if picture.last_arrived else "Not by bundle",
        ]
        for picture in ctx.services
    ]
    return [
        hs.heading(SERVICES_TITLE, 2),
        hs.data_table(
            ["Service", "Latest benchmark", "Bands by section", "Data last arrived"],
            rows,
            [0.3, 0.18, 0.3, 0.22],
        ),
    ]


def _activity_table(ctx: GroupPicture) -> list[Flowable]:
    rows = []
    for picture in ctx.services:
        rate = (
            f"{rate_text(picture.monthly_rate)} {picture.measure.rate_words} a month"
            if picture.monthly_rate is not None
            else "no size recorded"
        )
        rows.append(
            [
                picture.service.name,
                f"{picture.in_place} in place; {picture.restriction_trend}",
                f"{picture.actions_open} open ({picture.actions_overdue} overdue), "
                f"{picture.actions_done} done",
                f"{picture.incidents} ({rate})",
                str(picture.red_flag_count) if picture.red_flag_count else "None",
            ]
        )
    return [
        hs.heading(ACTIVITY_TITLE, 2),
        hs.para(
            f"Blanket restrictions and the plan as they stood on {hs.long_date(ctx.today)}; "
            f"incidents that began {ctx.period.words}, with the red flags they raised."
        ),
        hs.data_table(
            ["Service", "Blanket restrictions", "Plan actions", "Incidents", "Red flags"],
            rows,
            [0.26, 0.22, 0.2, 0.2, 0.12],
        ),
    ]


def build_story(ctx: GroupPicture, organisation: str, generated_at: dt.datetime) -> list[Flowable]:
    return [
        *hs.cover_heading(
            organisation=organisation,
            report_title=REPORT_TITLE,
            subtitle=f"{plural(len(ctx.services), 'service')}, {ctx.period.words}",
            facts=[
                ("Period", ctx.period.words),
                ("Restrictions and plan as of", hs.long_date(ctx.today)),
                ("Date generated", hs.long_datetime(generated_at)),
            ],
            purpose_note=hs.safe(_WHY_BANDS),
        ),
        *_bands_table(ctx),
        *_services_table(ctx),
        *_activity_table(ctx),
    ]


def write_group_report(
    db: Database,
    out: Path,
    *,
    period: Period | None = None,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write the head office picture of every service the person may see."""
    today = today or dt.date.today()
    period = period or Period.last_12_months(today)
    job = ReportJob(out, progress)
    ctx = group_picture(db, period, today)
    job.step(0.15)
    organisation = organisation_name(db)
    generated_at = dt.datetime.now().replace(microsecond=0)
    return job.finish(
        build_story(ctx, organisation, generated_at),
        title=REPORT_TITLE,
        header=f"{organisation} · {REPORT_TITLE} · {period.words}",
        footer_note=f"period {period.words}",
        author=organisation,
        subject=f"{organisation}: head office picture, {period.words}",
    )


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: Progress | None
) -> ReportResult:
    """The catalogue's way in."""
    return write_group_report(db, out, period=request.period, progress=progress)
