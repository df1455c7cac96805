"""A service's size month by month, and incidents read as rates against it, checked against
figures worked out here from generated records."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest

from rrn_desktop.base.errors import InputError
from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.service_size import month_rate, set_sizes, sizes_of
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.figures_export import export_figures
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.storage.database import Database
from tests.conftest import reopen
from tests.reports.helpers import read_pdf

TODAY = dt.date(2026, 11, 20)
FIRST = dt.date(2025, 12, 1)  # the 12 calendar months up to November 2026


@pytest.mark.parametrize(("sector", "per"), [(Sector.HEALTH, 1000), (Sector.EDUCATION, 100)])
def test_rates_match_a_count_made_by_hand(
    db: Database, tmp_path: Path, sector: Sector, per: int
) -> None:
    rng = random.Random(f"rates {sector}")
    service = create_service(db, f"Service {sector} ŵ", sector)
    counts: dict[dt.date, int] = {}
    for number in range(40):
        month = add_months(FIRST, rng.randrange(12))
        when = dt.datetime.combine(month.replace(day=rng.randint(1, 19)), dt.time(9))
        incidents.record_incident(
            db, service.id, f"R-{number}", when, ["physical-standing-hold"], now=when
        )
        counts[month] = counts.get(month, 0) + 1
    sizes = {add_months(FIRST, k): rng.randint(50, 900) for k in range(12) if k != 4}
    set_sizes(db, service.id, {**sizes, add_months(FIRST, 4): None})

    out = tmp_path / "figures.csv"
    export_figures(db, out, service.id, TODAY)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["Month"]: row for row in csv.DictReader(handle)}
    rate_column = next(name for name in next(iter(rows.values())) if name.startswith("Rate per"))
    assert rate_column.endswith(f"{per:,} occupied bed-days" if per == 1000 else "pupils or places")
    for month, size in sizes.items():
        expected = counts.get(month, 0) * per / size
        assert float(rows[f"{month:%Y-%m}"][rate_column]) == pytest.approx(expected, abs=0.005)
    assert rows[f"{add_months(FIRST, 4):%Y-%m}"][rate_column] == ""  # no size: no rate

    overall = sum(counts.get(m, 0) for m in sizes) * per / sum(sizes.values())
    report = write_incidents_report(db, tmp_path / "f.pdf", service_id=service.id, today=TODAY)
    assert f"over the months with a size recorded: {overall:.1f}" in read_pdf(report.path).flat


def test_sizes_are_kept_cleared_and_checked(db: Database, data_dir: Path) -> None:
    ward = create_service(db, "Ward", Sector.HEALTH)
    set_sizes(db, ward.id, {dt.date(2026, 3, 17): 820, dt.date(2026, 4, 1): 790})
    set_sizes(db, ward.id, {dt.date(2026, 4, 1): None, dt.date(2026, 3, 1): 830})
    with pytest.raises(InputError, match="from 0 to 10,000,000"):
        set_sizes(db, ward.id, {dt.date(2026, 5, 1): -3})
    db.close()
    with reopen(db) as reopened:
        assert sizes_of(reopened, ward.id) == {dt.date(2026, 3, 1): 830}


def test_a_months_rate_is_counted_as_the_figures_count(db: Database) -> None:
    home = create_service(db, "Home", Sector.CHILDRENS_SERVICES)
    for number, day in enumerate((2, 9, 30)):
        when = dt.datetime(2026, 9, day, 21, 0)
        incidents.record_incident(db, home.id, f"K-{number}", when, ["physical-escort"], now=when)
    incidents.record_incident(  # the month after: not counted
        db, home.id, "K-9", dt.datetime(2026, 10, 1, 0, 5), ["physical-escort"]
    )
    with pytest.raises(InputError, match="no size recorded for September 2026"):
        month_rate(db, home, dt.date(2026, 9, 15), dt.datetime(2026, 11, 1))
    set_sizes(db, home.id, {dt.date(2026, 9, 1): 6})
    found = month_rate(db, home, dt.date(2026, 9, 15), dt.datetime(2026, 11, 1))
    assert found.value == pytest.approx(3 * 100 / 6)
    assert found.words == (
        "Incidents per 100 pupils or places in September 2026: 3 incidents, 6 pupils or places"
    )
