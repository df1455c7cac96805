"""One period, one set of incident figures: the start screen, a service's incidents tab, the
incidents report, the inspection pack and the spreadsheet all say the same count, support and
review figures for the same 12 months, on the demo and on organisations hypothesis makes up."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import incidents
from rrn_desktop.core.dates import brief_moment, day_month_time
from rrn_desktop.core.incident_figures import Totals, figures_for
from rrn_desktop.core.overview import start_screen
from rrn_desktop.core.periods import Period
from rrn_desktop.core.services import ServiceInfo, create_service, find_service
from rrn_desktop.gui.incidents_panel import IncidentsPanel
from rrn_desktop.gui.overview_page import COLUMNS, OverviewPage
from rrn_desktop.reports.incidents_report import measures, write_incidents_report
from rrn_desktop.reports.pack_report import write_pack_report
from rrn_desktop.reports.xlsx_export import export_xlsx
from rrn_desktop.storage.database import Database, open_database
from tests.plain_reading import asked
from tests.reports.helpers import read_pdf

WILLOW = "Willow House care home (demo)"


@dataclass(frozen=True)
class Shown:
    """What one place shows for a service: the count, then support and review in time."""

    where: str
    incidents: str
    support: str
    review: str


def _expected(totals: Totals) -> tuple[str, str, str]:
    return str(totals.incidents), totals.support.text, totals.review.text


def _start_screen(db: Database, service: ServiceInfo, qtbot) -> Shown:
    page = OverviewPage()
    qtbot.addWidget(page)
    page.show_screen(asked(db, start_screen, dt.date.today(), dt.datetime.now()))
    row = next(
        r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == service.name
    )
    assert page.table.columnCount() == len(COLUMNS)  # the demo's benchmarks are on one instrument
    cell = [page.table.item(row, c).text() for c in range(len(COLUMNS))]
    assert "the last 12 months" in page.figures_period.text()
    return Shown("start screen", cell[4], cell[5], cell[6])


def _incidents_tab(db: Database, service: ServiceInfo, qtbot) -> Shown:
    panel = IncidentsPanel(db)
    qtbot.addWidget(panel)
    panel.show_service(service)
    period = Period.last_12_months(dt.date.today())
    # The tab says it in a sentence: read the three figures back out of it.
    found = re.match(
        rf"The last 12 months \({period.words}\): (\d+) incidents?\. Support offered within 72 "
        r"hours: (.*?)\. Learning reviews within 72 hours: (.*?)\. ",
        panel.summary.text(),
    )
    assert found, panel.summary.text()
    return Shown("incidents tab", *found.groups())


def _incidents_report(db: Database, service: ServiceInfo, folder: Path) -> Shown:
    out = folder / "incidents.pdf"
    write_incidents_report(db, out, service_id=service.id)
    found = re.search(
        r"(\d+) incidents? in the last 12 months \([^)]*\); support offered within 72 hours: "
        r"(.*?); a learning review within 72 hours: (.*?)\. ",
        read_pdf(out).flat,
    )
    assert found
    return Shown("incidents report", *found.groups())


def _pack_prints(db: Database, service: ServiceInfo, folder: Path, totals: Totals) -> None:
    """The pack's summary prints the same cells as the incidents report's own table."""
    out = folder / "pack.pdf"
    write_pack_report(db, out, service_id=service.id)
    line = " ".join(measures(totals)[:3])
    assert line in read_pdf(out).flat, line


def _spreadsheet(db: Database, service: ServiceInfo, folder: Path) -> tuple[int, object, object]:
    out = folder / "export.xlsx"
    export_xlsx(db, out, service_id=service.id)
    sheet = load_workbook(out)["Period figures"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == service.name)
    return (
        row[header.index("Incidents")],
        row[header.index("Support within 72 hours (%)")],
        row[header.index("Review within 72 hours (%)")],
    )


def _check_everywhere(db: Database, service: ServiceInfo, folder: Path, qtbot) -> Totals:
    period = Period.last_12_months(dt.date.today())
    totals = figures_for(db, service.id, period, dt.datetime.now()).totals
    expected = _expected(totals)
    shown = [_start_screen(db, service, qtbot)]
    if totals.incidents:
        shown += [_incidents_tab(db, service, qtbot), _incidents_report(db, service, folder)]
        _pack_prints(db, service, folder, totals)
    start = shown[0]
    # The start screen's cells are brief: the percentage, and when the others are due.
    assert (start.incidents, start.support, start.review) == (
        str(totals.incidents),
        totals.support.brief,
        totals.review.brief,
    )
    for place in shown[1:]:
        assert (place.incidents, place.support, place.review) == expected, place.where
    assert _spreadsheet(db, service, folder) == (
        totals.incidents,
        totals.support_percent,
        totals.review_percent,
    )
    return totals


def test_the_demo_gives_the_same_figures_everywhere(
    demo_db: Database, tmp_path: Path, qtbot
) -> None:
    totals = _check_everywhere(demo_db, find_service(demo_db, WILLOW), tmp_path, qtbot)
    assert totals.incidents > 0 and totals.support_percent is not None


def test_a_just_recorded_incident_is_due_not_failed(db: Database, tmp_path: Path, qtbot) -> None:
    service = create_service(db, "Aspen Court", Sector.HEALTH)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    incidents.record_incident(
        db, service.id, "INC-1", now - dt.timedelta(minutes=1), ["physical-escort"], now=now
    )
    totals = _check_everywhere(db, service, tmp_path, qtbot)
    assert totals.support.text.startswith("due by ")
    due = now - dt.timedelta(minutes=1) + dt.timedelta(hours=72)
    assert totals.support.text == f"due by {brief_moment(due)}"
    start = _start_screen(db, service, qtbot)
    assert start.support == f"due by {day_month_time(due)}"
    panel = IncidentsPanel(db)
    qtbot.addWidget(panel)
    panel.show_service(service)
    assert panel.model.index(0, 3).data() == f"Due by {day_month_time(due)}"  # not "late"


# --- organisations hypothesis makes up ---------------------------------------------------------

_DAY = st.integers(min_value=0, max_value=6)
_INCIDENT = st.tuples(
    st.integers(min_value=0, max_value=400 * 24),  # hours before now it began
    st.one_of(st.none(), _DAY),  # days after it that support was offered
    st.one_of(st.none(), _DAY),  # days after it that the review was held
    st.booleans(),  # in the second service
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(made=st.lists(_INCIDENT, min_size=1, max_size=25))
def test_made_up_organisations_give_the_same_figures_everywhere(
    made: list[tuple[int, int | None, int | None, bool]], qtbot
) -> None:
    now = dt.datetime.now().replace(second=0, microsecond=0)
    with tempfile.TemporaryDirectory() as folder, open_database(Path(folder) / "data") as db:
        services = [
            create_service(db, "Oak ŵ <&> School", Sector.EDUCATION),
            create_service(db, "Heron Ward", Sector.HEALTH),
        ]
        for number, (hours, support, review, second) in enumerate(made):
            began = now - dt.timedelta(hours=hours)
            record = incidents.record_incident(
                db,
                services[second].id,
                f"R{number}",
                began,
                ["physical-escort"],
                now=now,
            )
            if support is not None and began.date() + dt.timedelta(support) <= now.date():
                incidents.save_person_support(db, record.id, began.date() + dt.timedelta(support))
            if review is not None and began.date() + dt.timedelta(review) <= now.date():
                incidents.save_review(
                    db,
                    record.id,
                    began.date() + dt.timedelta(review),
                    "Rhian Lloyd",
                    lead_not_involved=True,
                    today=now.date(),
                )
        for service in services:
            _check_everywhere(db, service, Path(folder), qtbot)
