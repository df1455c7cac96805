"""The figures CSV: counts by month, red flags and the data set's codes, checked against
figures worked out here from the records made."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from rrn_desktop.base.vocabulary import RED_FLAG_LABELS, Answer, RedFlag, Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.figures_export import NO_CODE, export_figures
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.storage.database import Database
from tests.reports.helpers import read_pdf

TODAY = dt.date(2026, 11, 20)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_red_flags_and_codes_are_counted_as_worked_out_by_hand(
    db: Database, tmp_path: Path
) -> None:
    ward = create_service(db, "Ward Ŵ <&>", Sector.HEALTH)
    records = [
        # (when, kinds, minutes, person injured)
        (dt.datetime(2026, 10, 3, 9), ["physical-floor-prone"], 4, Answer.NO),
        (
            dt.datetime(2026, 10, 9, 9),
            ["physical-standing-hold", "environmental-seclusion"],
            12,
            Answer.YES,
        ),
        (dt.datetime(2026, 10, 20, 9), ["chemical-rapid-tranquillisation"], 30, Answer.NO),
        (dt.datetime(2026, 11, 2, 9), ["physical-brief-hold"], 10, Answer.NO),
    ]
    for number, (when, kinds, minutes, hurt) in enumerate(records):
        incidents.record_incident(
            db,
            ward.id,
            f"W-{number}",
            when,
            kinds,
            now=when,
            duration_minutes=minutes,
            person_injured=hurt,
        )
    out = tmp_path / "figures ŵ.csv"
    assert export_figures(db, out, ward.id, TODAY) == 4
    rows = {row["Month"]: row for row in _rows(out)}
    assert len(rows) == 12
    october, november = rows["2026-10"], rows["2026-11"]

    def flag(row: dict[str, str], which: RedFlag) -> int:
        return int(row[f"Red flag: {RED_FLAG_LABELS[which]}"])

    assert october["Incidents"] == "3" and november["Incidents"] == "1"
    assert flag(october, RedFlag.PRONE) == 1
    # 12 minutes held; 30 minutes of medicine is not a hold; a 10-minute brief hold is.
    assert (flag(october, RedFlag.LONG), flag(november, RedFlag.LONG)) == (1, 1)
    assert flag(october, RedFlag.INJURY) == 1
    assert flag(october, RedFlag.RAPID_TRANQUILLISATION) == 1
    assert flag(october, RedFlag.SECLUSION) == 1
    assert october["MHSDS 01: Floor hold — face down (prone)"] == "1"
    assert october["MHSDS 07: Standing hold"] == "1"
    # Seclusion and rapid tranquillisation have no code this app can vouch for.
    assert october[NO_CODE] == "2" and november[NO_CODE] == "1"
    assert "W-0" not in out.read_text(encoding="utf-8-sig")


def test_the_figures_report_names_the_red_flags_raised(db: Database, tmp_path: Path) -> None:
    ward = create_service(db, "Ward", Sector.HEALTH)
    for number, kinds in enumerate((["physical-floor-prone"], ["physical-standing-hold"])):
        when = dt.datetime(2026, 10, 3 + number, 9)
        incidents.record_incident(db, ward.id, f"R-{number}", when, kinds, now=when)
    text = read_pdf(write_incidents_report(db, tmp_path / "f.pdf", today=TODAY).path).flat
    assert (
        "Red flags (prone, 10 minutes or more, injury, rapid tranquillisation, seclusion, "
        "repeated use on one person)" in text
    )
    assert "Prone (face-down) restraint: 1 (50%)" in text
    assert "Someone injured" not in text  # not raised: not listed
