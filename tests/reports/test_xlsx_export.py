"""The spreadsheet export, opened with openpyxl and checked for what a commissioner would see."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import RESTRAINT_TYPE_LABELS, RestraintType, Sector, Strategy
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core.benchmarks import list_benchmarks
from rrn_desktop.core.incident_figures import figures_for
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.periods import Period
from rrn_desktop.core.plan import create_action, list_actions
from rrn_desktop.core.restrictions import (
    add_custom_restriction,
    list_restrictions,
    update_restriction,
)
from rrn_desktop.core.scoring import band_text, section_scores
from rrn_desktop.core.services import create_service, list_services, organisation_name
from rrn_desktop.reports.output import ReportCancelled
from rrn_desktop.reports.xlsx_export import (
    CUT_NOTE,
    DATE_FORMAT,
    EXCEL_CELL_LIMIT,
    FIGURE_MONTHS,
    WHOLE_ORGANISATION,
    clean_text,
    export_xlsx,
)
from rrn_desktop.storage.database import Database, open_database

SHEETS = [
    "About",
    "Benchmark items",
    "Section scores",
    "Restrictions",
    "Actions",
    "Incidents",
    "Period figures",
    "Incident figures",
    "By group",
    "Head office",
]
TODAY = dt.date.today()  # the demo is dated from the day it is loaded


@dataclass(frozen=True)
class Exported:
    db: Database
    anonymous: Workbook
    personal: Workbook
    one_service: Workbook
    service_name: str
    rows: dict[str, int]


def table(sheet: Worksheet) -> list[dict[str, object]]:
    """The sheet's rows as header → value, as a filter would see them."""
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def headers(sheet: Worksheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def every_text(book: Workbook, *sheets: str) -> str:
    return "\n".join(
        str(value)
        for sheet in (book[name] for name in sheets or book.sheetnames)
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.fixture(scope="module")
def exported(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    """The demo exported three ways, built once for the module."""
    folder = tmp_path_factory.mktemp("xlsx")
    data = shutil.copytree(demo_template, folder / "demo-data")
    with open_database(data) as db:
        willow = next(s for s in list_services(db) if s.name.startswith("Willow"))
        paths = {name: folder / f"{name}.xlsx" for name in ("anonymous", "personal", "one")}
        result = export_xlsx(db, paths["anonymous"], today=TODAY)
        export_xlsx(db, paths["personal"], include_personal=True, today=TODAY)
        export_xlsx(db, paths["one"], service_id=willow.id, today=TODAY)
        yield Exported(
            db=db,
            anonymous=load_workbook(paths["anonymous"]),
            personal=load_workbook(paths["personal"]),
            one_service=load_workbook(paths["one"]),
            service_name=willow.name,
            rows=result.sheet_rows,
        )


def test_every_sheet_is_there_with_a_bold_frozen_filtered_header(exported: Exported) -> None:
    book = exported.anonymous
    assert book.sheetnames == SHEETS
    for name in SHEETS[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.auto_filter.ref == sheet.dimensions
        assert sheet.max_row == exported.rows[name] + 1
    assert headers(book["Benchmark items"])[:8] == [
        "Service",
        "Self-assessment",
        "Version",
        "Benchmark date",
        "Purpose",
        "Status",
        "Signed off on",
        "Latest",
    ]
    assert {"Item code", "Rating", "Linked action", "Previous rating"} <= set(
        headers(book["Benchmark items"])
    )
    assert {"Score (%)", "RAG band"} <= set(headers(book["Section scores"]))
    assert {"Restriction", "Review overdue", "Linked actions"} <= set(headers(book["Restrictions"]))
    assert {"Action", "Source detail", "Overdue", "Target"} <= set(headers(book["Actions"]))
    assert headers(book["Incidents"])[:3] == ["No.", "Service", "Date"]
    assert headers(book["Incident figures"])[:3] == ["Service", "Month", "Incidents"]


def test_the_about_sheet_says_what_the_file_is(exported: Exported) -> None:
    about = every_text(exported.anonymous, "About")
    assert organisation_name(exported.db) in about
    assert "All services" in about
    assert "Anonymised" in about
    for name in SHEETS[1:]:
        assert name in about
    counts = {
        row[0]: row[2]
        for row in exported.anonymous["About"].iter_rows(values_only=True)
        if row[0] in SHEETS
    }
    assert counts == exported.rows
    assert "INCLUDES PERSONAL DETAILS" in every_text(exported.personal, "About")
    assert exported.service_name in every_text(exported.one_service, "About")


def test_benchmark_items_are_one_row_per_item_with_the_ratings_recorded(
    exported: Exported,
) -> None:
    rows = table(exported.anonymous["Benchmark items"])
    seen = {(r["Service"], r["Benchmark date"].date(), r["Item code"]): r for r in rows}
    expected = 0
    latest = 0
    for service in list_services(exported.db):
        history = list_benchmarks(exported.db, service.id)
        if history:
            latest += history[0].pack().item_count
        for benchmark, earlier in zip(history, [*history[1:], None], strict=False):
            pack = benchmark.pack()
            expected += pack.item_count
            for _section, item in pack.items():
                row = seen[(service.name, benchmark.held_on, item.code)]
                assert row["Rating"] == pack.option(benchmark.response(item.code).rating).label
                previous = earlier.response(item.code).rating if earlier else None
                assert row["Previous rating"] == (pack.option(previous).label if previous else None)
                assert row["Linked action"] == (benchmark.response(item.code).action_text or None)
    assert len(rows) == expected == exported.rows["Benchmark items"]
    assert sum(r["Latest"] == "Yes" for r in rows) == latest


def test_section_scores_match_the_scoring(exported: Exported) -> None:
    rows = table(exported.anonymous["Section scores"])
    scored = {(r["Service"], r["Benchmark date"].date(), r["Section"]): r for r in rows}
    count = 0
    for service in list_services(exported.db):
        for benchmark in list_benchmarks(exported.db, service.id):
            pack = benchmark.pack()
            for score in section_scores(pack, benchmark.ratings()):
                row = scored[(service.name, benchmark.held_on, score.section.id)]
                assert row["Score (%)"] == score.percent
                assert row["RAG band"] == band_text(score.band, pack.rag)
                count += 1
    assert len(rows) == count


def test_restrictions_and_actions_match_the_register_and_the_plan(exported: Exported) -> None:
    restrictions = table(exported.anonymous["Restrictions"])
    assert [r["Restriction"] for r in restrictions] == [
        e.title for e in list_restrictions(exported.db)
    ]
    actions = table(exported.anonymous["Actions"])
    plan = list_actions(exported.db)
    assert [r["Action ID"] for r in actions] == [a.id for a in plan]
    for row, action in zip(actions, plan, strict=True):
        assert row["Status"] == action.status_label
        assert row["Service"] == (action.service.name if action.service else WHOLE_ORGANISATION)
        if "[removed]" not in str(row["Action"]):
            assert row["Action"] == action.title
    linked = [a for a in plan if a.restriction_id is not None]
    assert linked
    for action in linked:
        entry = next(r for r in restrictions if r["Restriction"] in action.source_detail)
        assert action.title in entry["Linked actions"]


def test_incidents_are_anonymised_unless_personal_details_are_asked_for(
    exported: Exported,
) -> None:
    incidents = list_incidents(exported.db)
    rows = table(exported.anonymous["Incidents"])
    assert len(rows) == len(incidents)
    assert [r["No."] for r in rows] == list(range(1, len(incidents) + 1))
    assert "Reference" not in headers(exported.anonymous["Incidents"])
    assert "INC-" not in every_text(exported.anonymous)
    shown = every_text(exported.anonymous, "Incidents")
    for incident in incidents:
        private = [incident.reference, *(s.name for s in incident.staff)]
        if incident.review is not None:
            private += [incident.review.lead_name, *(p.text for p in incident.review.points)]
        if incident.reason:
            private.append(incident.reason)
        assert not [text for text in private if text in shown]

    personal = table(exported.personal["Incidents"])
    assert len(personal) == len(incidents)
    references = {r["Reference"] for r in personal}
    assert references == {i.reference for i in incidents}
    named = every_text(exported.personal, "Incidents")
    assert all(s.name in named for i in incidents for s in i.staff)


def test_incident_figures_match_the_figures(exported: Exported) -> None:
    rows = table(exported.anonymous["Incident figures"])
    services = list_services(exported.db)
    period = Period.last_months(TODAY, FIGURE_MONTHS)
    assert len(rows) == len(period.months) * len(services)
    for service in services:
        theirs = [r for r in rows if r["Service"] == service.name]
        figures = figures_for(exported.db, service.id, period, dt.datetime.now()).months
        assert [r["Month"].date() for r in theirs] == [f.month for f in figures]
        for row, month in zip(theirs, figures, strict=True):
            assert row["Incidents"] == month.incidents
            for kind in RestraintType:
                assert row[RESTRAINT_TYPE_LABELS[kind]] == month.by_type[kind]
            assert row["Support within 72 hours (%)"] == month.support_percent
            assert row["Review within 72 hours (%)"] == month.review_percent
            assert row["Actions arising"] == month.actions_arising
    assert sum(r["Incidents"] for r in rows) > 0


def test_dates_are_real_dates_shown_day_month_year(exported: Exported) -> None:
    sheet = exported.anonymous["Benchmark items"]
    cell = sheet["D2"]
    assert cell.is_date
    assert cell.number_format == DATE_FORMAT
    incident_date = exported.anonymous["Incidents"]["C2"]
    assert incident_date.is_date
    assert incident_date.value.time() == dt.time(0, 0)


def test_one_service_keeps_every_sheet_to_that_service(exported: Exported) -> None:
    book = exported.one_service
    for name in SHEETS[1:]:
        rows = table(book[name])
        assert rows, name
        allowed = {exported.service_name} | ({WHOLE_ORGANISATION} if name == "Actions" else set())
        assert {r["Service"] for r in rows} <= allowed, name
    assert len(table(book["Incident figures"])) == len(
        Period.last_months(TODAY, FIGURE_MONTHS).months
    )


@pytest.fixture
def odd_service(db: Database) -> str:
    """A service whose register and plan hold texts that look like formulas, and odd letters."""
    service = create_service(db, "Tŷ Ŵyn <&> 🌳", Sector.ADULT_SOCIAL_CARE)
    category = shipped_checklist().categories[0].id
    entry = add_custom_restriction(
        db, service.id, '=HYPERLINK("http://x")', category, RestraintType.BLANKET, TODAY
    )
    update_restriction(db, entry, rationale="Bell\x07 <b>&amp;</b> ŵ 😀", legal_basis="@SUM(A1)")
    create_action(
        db, "+44 1234 ring the family", Strategy.INVOLVEMENT, TODAY, service_id=service.id
    )
    create_action(db, "-1 hold a month", Strategy.DATA, TODAY, service_id=service.id)
    return service.name


def test_text_that_looks_like_a_formula_stays_text_and_odd_letters_survive(
    db: Database, odd_service: str, tmp_path: Path
) -> None:
    out = tmp_path / "odd.xlsx"
    export_xlsx(db, out, today=TODAY)
    book = load_workbook(out)
    register = book["Restrictions"]
    title = register["B2"]
    assert title.value == '=HYPERLINK("http://x")'
    assert title.data_type == "s"
    assert title.quotePrefix
    row = table(register)[0]
    assert row["Service"] == "Tŷ Ŵyn <&> 🌳"
    assert row["Rationale"] == "Bell <b>&amp;</b> ŵ 😀"  # the bell cannot be stored
    assert row["Legal basis"] == "@SUM(A1)"
    actions = {cell.value: cell for cell in book["Actions"]["B"][1:]}
    for text in ("+44 1234 ring the family", "-1 hold a month"):
        assert actions[text].data_type == "s"
        assert actions[text].quotePrefix
    assert not any(
        cell.data_type == "f" for sheet in book for line in sheet.iter_rows() for cell in line
    )


def test_a_very_long_text_is_cut_at_excels_limit_and_says_so() -> None:
    cut = clean_text("x" * 40_000)
    assert len(cut) == EXCEL_CELL_LIMIT
    assert cut.endswith(CUT_NOTE)


def test_a_missing_folder_gives_the_plain_message_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "not-there" / "export.xlsx"
    with pytest.raises(UserFacingError, match="could not be saved because the folder"):
        export_xlsx(db, out)
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_stopping_part_way_leaves_no_file_and_progress_runs_to_the_end(
    db: Database, odd_service: str, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "export.xlsx"
    out.parent.mkdir()

    def cancel(fraction: float) -> None:
        if fraction >= 0.9:
            raise ReportCancelled()

    with pytest.raises(ReportCancelled):
        export_xlsx(db, out, progress=cancel)
    assert list(out.parent.iterdir()) == []

    seen: list[float] = []
    result = export_xlsx(db, out, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert out.exists() and list(out.parent.iterdir()) == [out]
    assert result.sheet_rows["Restrictions"] == 1
    assert result.row_count == sum(result.sheet_rows.values())


def test_a_service_that_no_longer_exists_is_a_plain_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no longer exists"):
        export_xlsx(db, tmp_path / "export.xlsx", service_id=999)
    assert not (tmp_path / "export.xlsx").exists()
