"""The incident figures of the last 12 months as a CSV file, for the returns services make:
counts by month and type, the red flags, and the kinds of intervention by their Mental Health
Services Data Set code; or the same incidents by age band and characteristic, small numbers
hidden. Never a name, initials or a reference code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from rrn_desktop.base.saving import check_writable, save_atomically
from rrn_desktop.base.vocabulary import (
    RED_FLAG_LABELS,
    RESTRAINT_TYPE_LABELS,
    RedFlag,
    RestraintType,
)
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core.breakdowns import Breakdowns, breakdowns
from rrn_desktop.core.incident_figures import MonthFigures, as_of, figures_for, mhsds_codes
from rrn_desktop.core.periods import Period
from rrn_desktop.core.service_size import SizeMeasure, measure_for, rate, sizes_of
from rrn_desktop.core.services import list_services
from rrn_desktop.storage.database import Database

FIGURES_MONTHS = 12
NO_CODE = "Kinds with no data set code"


def code_heading(code: str) -> str:
    """ "MHSDS 01: Floor hold — face down (prone)", naming the pack's kinds with that code."""
    if not code:
        return NO_CODE
    kinds = [k.label for k in incident_pack().interventions if k.mhsds_code == code]
    return f"MHSDS {code}: {'; '.join(kinds)}"


def figures_header(measure: SizeMeasure | None = None) -> list[str]:
    sized = [f"Size ({measure.what})", f"Rate {measure.rate_words}"] if measure else []
    return [
        "Month",
        "Incidents",
        *(RESTRAINT_TYPE_LABELS[kind] for kind in RestraintType),
        *(f"Red flag: {RED_FLAG_LABELS[flag]}" for flag in RedFlag),
        *(code_heading(code) for code in mhsds_codes()),
        *sized,
    ]


def figures_csv(
    months: Sequence[MonthFigures],
    sizes: Mapping[dt.date, int] | None = None,
    measure: SizeMeasure | None = None,
) -> str:
    """One row a month; the data set columns count the kinds of intervention used, so an
    incident using two kinds counts under each. With one service's sizes and measure, each
    month's size and rate follow (empty where no size is recorded)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(figures_header(measure))
    for row in months:
        size = (sizes or {}).get(row.month)
        monthly_rate = rate(row.incidents, size, measure) if measure else None
        sized = (
            [size or "", "" if monthly_rate is None else f"{monthly_rate:.2f}"] if measure else []
        )
        writer.writerow(
            [
                f"{row.month:%Y-%m}",
                row.incidents,
                *(row.by_type[kind] for kind in RestraintType),
                *(row.red_flags[flag] for flag in RedFlag),
                *(row.by_mhsds_code[code] for code in mhsds_codes()),
                *sized,
            ]
        )
    return buffer.getvalue()


GROUPS_HEADER = ["Question", "Group", "Incidents"]


def groups_csv(groups: Breakdowns) -> str:
    """One row a group, hidden figures as words; with no table to give, one row saying why."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(GROUPS_HEADER)
    for table in groups.tables:
        for group in table.groups:
            writer.writerow([table.question, group.group, group.text])
    writer.writerow(["Note", groups.note, ""])
    return buffer.getvalue()


def export_figures(
    db: Database, out: Path, service_id: int | None, today: dt.date, *, by_group: bool = False
) -> int:
    """Write the 12 calendar months up to today's, month by month or (``by_group``) by the
    person's age band and characteristics; returns the number of incidents counted.
    UTF-8 with a byte-order mark, so that Excel opens it with the right characters."""
    check_writable(out, "export")
    period = Period.calendar_months(today, FIGURES_MONTHS)
    figures = figures_for(db, service_id, period, as_of(today, dt.datetime.now()))
    if by_group:
        text = groups_csv(breakdowns(figures.incidents))
    elif service_id is None:
        text = figures_csv(figures.months)
    else:
        sector = next(s.sector for s in list_services(db) if s.id == service_id)
        text = figures_csv(figures.months, sizes_of(db, service_id), measure_for(sector))
    save_atomically(text.encode("utf-8-sig"), out, "export")
    return figures.totals.incidents
