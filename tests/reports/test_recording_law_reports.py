"""The recording law on paper: the incident record says what the law still asks, and the
figures count the records complete and on time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rrn_desktop.base.vocabulary import Answer, Involvement, Jurisdiction, Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.incident_report import write_incident_report
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.storage.database import Database
from tests.reports.helpers import read_pdf

TODAY = dt.date(2026, 10, 20)
WHEN = dt.datetime(2026, 10, 15, 14, 30)


def _school(db: Database) -> int:
    school = create_service(db, "Ysgol Ŵ <&> Academy", Sector.EDUCATION, Jurisdiction.SCOTLAND)
    full = incidents.record_incident(
        db,
        school.id,
        "S-1",
        WHEN,
        ["physical-standing-hold"],
        now=WHEN,
        duration_minutes=3,
        place="Playground",
        tried_first="Space and a calm voice.",
        in_plan=Answer.YES,
        sector_answers={
            "pupil_has_send": "yes",
            "parents_told_on": "2026-10-15",
            "reported_by": "Class teacher",
            "what_happened_before": "A row over a ball.",
            "observers": "Two pupils.",
            "authority_told_on": "2026-10-16",
            "full_record_on": "2026-10-19",
        },
    )
    incidents.add_staff(db, full.id, "Staff A", Involvement.INVOLVED, role="Teacher")
    gap = incidents.record_incident(
        db, school.id, "S-2", WHEN, ["physical-standing-hold"], now=WHEN, place=""
    )
    return gap.id


def test_the_incident_record_says_what_the_law_still_asks(db: Database, tmp_path: Path) -> None:
    gap = _school(db)
    text = read_pdf(write_incident_report(db, gap, tmp_path / "gap.pdf", today=TODAY).path).flat
    assert "What the law asks: Schools in Scotland: recording restraint and seclusion" in text
    assert "Not complete" in text
    assert "Missing Where it happened" in text
    assert "Parents or carers told (the same day; in exceptional cases within 24 hours): " in text
    assert "OVERDUE since 16 October 2026" in text


def test_the_figures_count_records_complete_and_on_time(db: Database, tmp_path: Path) -> None:
    _school(db)
    result = write_incidents_report(db, tmp_path / "figures.pdf", today=TODAY)
    text = read_pdf(result.path).flat
    assert "Records complete and on time, against the recording law" in text
    assert "1 of 2 records complete and on time (1 complete, 1 on time)" in text
