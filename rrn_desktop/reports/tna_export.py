"""The anonymised counts a training needs analysis asks for, as a CSV file.

Training Standard 1.1.1 asks for two years of incident data; the file holds counts by month and
type only, never a name, initials or a reference code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from rrn_desktop.base.saving import check_writable, save_atomically
from rrn_desktop.base.vocabulary import RESTRAINT_TYPE_LABELS, RestraintType
from rrn_desktop.core.incident_figures import MonthFigures, as_of, figures_for
from rrn_desktop.core.periods import Period
from rrn_desktop.storage.database import Database

TNA_MONTHS = 24
TNA_HEADER = ["Month", "Incidents"] + [RESTRAINT_TYPE_LABELS[kind] for kind in RestraintType]


def tna_csv(figures: Sequence[MonthFigures]) -> str:
    """One row per month, one column per type of restrictive intervention."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TNA_HEADER)
    for row in figures:
        writer.writerow(
            [f"{row.month:%Y-%m}", row.incidents] + [row.by_type[kind] for kind in RestraintType]
        )
    return buffer.getvalue()


def export_tna(db: Database, out: Path, service_id: int | None, today: dt.date) -> int:
    """Write the 24 calendar months up to today's; returns the number of incidents counted.

    UTF-8 with a byte-order mark, so that Excel opens it with the right characters.
    """
    check_writable(out, "export")
    # Whole months: a CSV row has no room to say a month was counted only in part.
    period = Period.calendar_months(today, TNA_MONTHS)
    figures = figures_for(db, service_id, period, as_of(today, dt.datetime.now()))
    save_atomically(tna_csv(figures.months).encode("utf-8-sig"), out, "export")
    return figures.totals.incidents
