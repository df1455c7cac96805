"""The whole record as an Excel workbook a commissioner can filter and sort.

One sheet per module, one row per benchmark item, section score, restriction, action, incident
or month, each with its service, rating or status, dates and links. Incidents are anonymised
unless personal details are asked for: no reference code, initials, names or written accounts,
and any of those that a reviewer wrote into a learning point's action is shown as "[removed]".

Every text goes in as text: one that starts like a formula (``=``, ``+``, ``-``, ``@``) is
stored as a string with Excel's quote prefix, so opening or editing it never runs it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.saving import check_writable, save_atomically
from rrn_desktop.base.vocabulary import (
    ANSWER_LABELS,
    RED_FLAG_LABELS,
    RESTRAINT_TYPE_LABELS,
    ActionSource,
    RedFlag,
    RestraintType,
)
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core.benchmarks import BenchmarkInfo, list_benchmarks
from rrn_desktop.core.breakdowns import HIDING_RULE, breakdowns
from rrn_desktop.core.dates import clock_time, long_date
from rrn_desktop.core.group_picture import NO_BENCHMARK, NOT_SCORED, GroupPicture, group_picture
from rrn_desktop.core.incident_figures import (
    Totals,
    as_of,
    identifiers,
    period_figures,
    without_identifiers,
)
from rrn_desktop.core.incidents import IncidentInfo, list_incidents
from rrn_desktop.core.periods import Period
from rrn_desktop.core.plan import ActionInfo, list_actions
from rrn_desktop.core.restrictions import RestrictionInfo, list_restrictions
from rrn_desktop.core.scoring import band_text, section_scores
from rrn_desktop.core.services import (
    WHOLE_ORGANISATION,
    ServiceInfo,
    list_services,
    organisation_name,
)
from rrn_desktop.storage.database import Database

FIGURE_MONTHS = 24
DATE_FORMAT = "dd mmm yyyy"
MONTH_FORMAT = "mmm yyyy"
DATETIME_FORMAT = "dd mmm yyyy hh:mm"
EXCEL_CELL_LIMIT = 32_767
CUT_NOTE = " … [cut here: Excel holds at most 32,767 characters in a cell]"
FORMULA_STARTS = ("=", "+", "-", "@")


class Kind(Enum):
    """How a column's cells are shown."""

    TEXT = "text"  # short text: the column is as wide as its longest entry, up to a limit
    LONG = "long"  # free text: a wide column, wrapped
    DATE = "date"
    MONTH = "month"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


def columns(*specs: str) -> list[Column]:
    """Columns from "Header | Header: kind | ..." lines; a header without a kind is text."""
    found = []
    for spec in specs:
        for part in spec.split("|"):
            header, _, kind = part.strip().rpartition(": ")
            if not header or kind not in {k.value for k in Kind}:
                header, kind = part.strip(), Kind.TEXT.value
            found.append(Column(header, Kind(kind)))
    return found


@dataclass
class Sheet:
    title: str
    holds: str  # what the sheet holds, for the About sheet
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)


@dataclass(frozen=True)
class SpreadsheetResult:
    """What the export wrote: where, how many data rows on each sheet, how long it took."""

    path: Path
    sheet_rows: dict[str, int]
    seconds: float

    @property
    def row_count(self) -> int:
        return sum(self.sheet_rows.values())

    @property
    def summary(self) -> str:
        """'export.xlsx (7 sheets, 534 rows)': the About sheet counts as a sheet, not its rows."""
        sheets = len(self.sheet_rows) + 1  # and the About sheet
        return f"{self.path} ({sheets} sheets, {self.row_count} rows)"


# ---------------------------------------------------------------------------------------------
# What goes in
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    organisation: str
    scope: ServiceInfo | None
    services: list[ServiceInfo]
    benchmarks: dict[int, list[BenchmarkInfo]]  # by service id, newest first
    restrictions: list[RestrictionInfo]
    actions: list[ActionInfo]  # the scope's, and the organisation-wide ones
    all_actions: list[ActionInfo]
    incidents: list[IncidentInfo]
    identifiers: list[str]  # every incident's names, initials and reference, to scrub
    include_personal: bool
    today: dt.date
    generated_at: dt.datetime
    period: Period  # what the period figures count over
    group: GroupPicture  # head office's picture of the services in scope

    @property
    def as_of(self) -> dt.datetime:
        return as_of(self.today, self.generated_at)


def _gather(
    db: Database,
    service_id: int | None,
    include_personal: bool,
    today: dt.date | None,
    period: Period | None,
) -> _Data:
    generated_at = dt.datetime.now().replace(microsecond=0)
    today = today or generated_at.date()
    everyone = list_services(db)
    scope = None
    if service_id is not None:
        scope = next((s for s in everyone if s.id == service_id), None)
        if scope is None:
            raise UserFacingError("That service no longer exists.")
    services = [scope] if scope is not None else everyone
    all_actions = list_actions(db)
    incidents = list_incidents(db, service_id)
    # A learning point may name someone from another service, so every incident lends its names.
    named = incidents if service_id is None else list_incidents(db)
    period = period or Period.last_12_months(today)
    group = group_picture(db, period, today)
    in_scope = {s.id for s in services}
    group = replace(group, services=[p for p in group.services if p.service.id in in_scope])
    return _Data(
        organisation=organisation_name(db),
        scope=scope,
        services=services,
        benchmarks={s.id: list_benchmarks(db, s.id) for s in services},
        restrictions=list_restrictions(db, service_id),
        actions=[
            a for a in all_actions if scope is None or a.service is None or a.service.id == scope.id
        ],
        all_actions=all_actions,
        incidents=sorted(incidents, key=lambda i: (i.occurred_at, i.id)),
        identifiers=[] if include_personal else [n for i in named for n in identifiers(i)],
        include_personal=include_personal,
        today=today,
        generated_at=generated_at,
        period=period,
        group=group,
    )


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _lines(values: Sequence[str]) -> str:
    return "\n".join(values)


def _service_name(service: ServiceInfo | None) -> str:
    return service.name if service is not None else WHOLE_ORGANISATION


def _history(data: _Data) -> Iterator[tuple[BenchmarkInfo, BenchmarkInfo | None, bool]]:
    """Each benchmark with the one before it (same service and pack) and whether it is the
    latest, services in name order, newest benchmark first."""
    for service in data.services:
        history = data.benchmarks[service.id]
        by_pack: dict[str, list[BenchmarkInfo]] = {}
        for benchmark in history:
            by_pack.setdefault(benchmark.pack_id, []).append(benchmark)
        before: dict[int, BenchmarkInfo | None] = {}
        for same in by_pack.values():
            before.update(zip((b.id for b in same), [*same[1:], None], strict=True))
        for benchmark in history:
            yield benchmark, before[benchmark.id], benchmark is by_pack[benchmark.pack_id][0]


def _benchmark_status(benchmark: BenchmarkInfo) -> str:
    return "Signed off" if benchmark.signed_off else benchmark.status_label


_BENCHMARK_COLUMNS = columns(
    "Service | Self-assessment | Version | Benchmark date: date | Purpose | Status",
    "Signed off on: date | Latest",
)


def _benchmark_cells(benchmark: BenchmarkInfo, latest: bool) -> list[object]:
    """Latest: the newest benchmark of its service on its self-assessment."""
    return [
        benchmark.service.name,
        benchmark.pack().title,
        benchmark.pack_version,
        benchmark.held_on,
        benchmark.purpose_label,
        _benchmark_status(benchmark),
        benchmark.signed_off_on,
        _yes_no(latest),
    ]


def benchmark_items_sheet(data: _Data) -> Sheet:
    sheet = Sheet(
        "Benchmark items",
        "One row per item of every benchmark, with its rating, notes, evidence, linked action "
        "and the rating at the benchmark before. Filter Latest on Yes for the current picture.",
        [
            *_BENCHMARK_COLUMNS,
            *columns(
                "Section | Section title | Item code | Code is | Under standard",
                "Item (the pack's summary wording): long | Rating | Notes: long",
                "Evidence references: long | Evidence files: number | Linked action: long",
                "Action status | Action due: date | Previous rating",
            ),
        ],
    )
    for benchmark, earlier, latest in _history(data):
        pack = benchmark.pack()
        for section, item in pack.items():
            response = benchmark.response(item.code)
            previous = earlier.response(item.code).rating if earlier else None
            sheet.rows.append(
                [
                    *_benchmark_cells(benchmark, latest),
                    section.id,
                    section.title,
                    item.code,
                    "Official standard number" if item.official else "The pack's own number",
                    item.standard,
                    item.text,
                    pack.option(response.rating).label,
                    response.notes,
                    response.evidence_refs,
                    len(response.evidence_files),
                    response.action_text,
                    response.action_status_label,
                    response.action_due,
                    pack.option(previous).label if previous else "",
                ]
            )
    return sheet


def section_scores_sheet(data: _Data) -> Sheet:
    sheet = Sheet(
        "Section scores",
        "One row per section of every benchmark: its score and RAG band, in words with the "
        "band's thresholds. Items not applicable are left out of the score.",
        [
            *_BENCHMARK_COLUMNS,
            *columns(
                "Section | Section title | Items rated: number | Items in section: number",
                "Score (%): number | RAG band",
            ),
        ],
    )
    for benchmark, _earlier, latest in _history(data):
        pack = benchmark.pack()
        for score in section_scores(pack, benchmark.ratings()):
            sheet.rows.append(
                [
                    *_benchmark_cells(benchmark, latest),
                    score.section.id,
                    score.section.title,
                    score.rated,
                    score.total,
                    score.percent,
                    band_text(score.band, pack.rag),
                ]
            )
    return sheet


def restrictions_sheet(data: _Data) -> Sheet:
    sheet = Sheet(
        "Restrictions",
        "One row per entry on the blanket restrictions register, with its reviews, the reasons "
        "given for it and the actions to reduce it.",
        columns(
            "Service | Restriction | Category | Type of restraint | Applies to | Status",
            "Found on: date | Last reviewed: date | Next review: date | Review frequency",
            "Review overdue | Rationale: long | Legal basis: long | Reduction plan: long",
            "Linked actions: long",
        ),
    )
    checklist = shipped_checklist()
    linked: dict[int, list[str]] = {}
    for action in data.all_actions:
        if action.restriction_id is not None:
            line = f"{action.title} ({action.status_label})"
            linked.setdefault(action.restriction_id, []).append(line)
    for entry in data.restrictions:
        sheet.rows.append(
            [
                entry.service.name,
                entry.title,
                entry.category_title(checklist),
                entry.type_label,
                entry.applies_to_label,
                entry.status_label,
                entry.identified_on,
                entry.last_reviewed_on,
                entry.next_review_on,
                entry.frequency_label,
                _yes_no(entry.overdue(data.today)),
                entry.rationale,
                entry.legal_basis,
                entry.reduction_plan,
                _lines(linked.get(entry.id, [])),
            ]
        )
    return sheet


def actions_sheet(data: _Data) -> Sheet:
    scope = (
        f"{data.scope.name}'s actions and the organisation-wide ones"
        if data.scope is not None
        else "every action"
    )
    sheet = Sheet(
        "Actions",
        f"One row per action on the restraint reduction plan ({scope}), wherever it came from, "
        "with its owner, dates, status and outcome measure.",
        columns(
            "Action ID: number | Action: long | Strategy | Service | Source",
            "Source detail: long | Owner | Start: date | Due: date | Status | Done on: date",
            "Overdue | Priority | Outcome measure: long | Unit | Baseline: number",
            "Latest reading: number | Latest reading on: date | Target: number",
        ),
    )
    for action in data.actions:
        title, detail = action.title, action.source_detail
        if action.source is ActionSource.LEARNING_POINT and data.identifiers:
            title = without_identifiers(title, data.identifiers)
            detail = without_identifiers(detail, data.identifiers)
        latest = action.latest_reading
        sheet.rows.append(
            [
                action.id,
                title,
                action.strategy_label,
                _service_name(action.service),
                action.source_label,
                detail,
                action.owner,
                action.start_on,
                action.due_on,
                action.status_label,
                action.done_on(),
                _yes_no(action.overdue(data.today)),
                action.priority_label,
                action.outcome_measure,
                action.outcome_unit,
                action.outcome_baseline,
                latest.value if latest else None,
                latest.read_on if latest else None,
                action.outcome_target,
            ]
        )
    return sheet


_PERSONAL_COLUMNS = columns(
    "Reference | Initials | Time | Place | Reason: long | What was tried first: long",
    "Injury details: long | Staff involved and witnesses: long | Review lead",
    "Learning point texts: long",
)


def _personal_cells(incident: IncidentInfo) -> list[object]:
    review = incident.review
    return [
        incident.reference,
        incident.person_initials,
        clock_time(incident.occurred_at),
        incident.place,
        incident.reason,
        incident.tried_first,
        incident.injury_details,
        _lines(
            [
                ", ".join(part for part in (s.name, s.role) if part)
                + f" ({s.involvement_label.lower()})"
                for s in incident.staff
            ]
        ),
        ", ".join(part for part in (review.lead_name, review.lead_role) if part) if review else "",
        _lines([point.text for point in review.points]) if review else "",
    ]


def incidents_sheet(data: _Data) -> Sheet:
    if data.include_personal:
        holds = (
            "One row per incident, oldest first, WITH PERSONAL DETAILS: reference code, "
            "initials, place, what happened, the names of staff and the review lead, and what "
            "was learned."
        )
    else:
        holds = (
            "One row per incident, oldest first, anonymised: a row number instead of the "
            "reference code, and no initials, names or written accounts."
        )
    sheet = Sheet(
        "Incidents",
        holds,
        columns(
            "No.: number | Service | Date: date | Types of restraint",
            "Kinds of intervention: long | Duration (minutes): number | In the person's plan",
            "Person injured | Staff injured | Support within 72 hours | Review held",
            "Review within 72 hours | Learning points: number | Actions arising: number",
            "Red flags: long | MHSDS intervention codes",
        ),
    )
    if data.include_personal:
        sheet.columns += _PERSONAL_COLUMNS
    for number, incident in enumerate(data.incidents, start=1):
        row: list[object] = [
            number,
            incident.service.name,
            incident.occurred_at.date(),
            incident.types_text,
            incident.kinds_text,
            incident.duration_minutes,
            ANSWER_LABELS[incident.in_plan],
            ANSWER_LABELS[incident.person_injured],
            ANSWER_LABELS[incident.staff_injured],
            _yes_no(incident.support_within_72_hours),
            _yes_no(incident.review is not None),
            _yes_no(incident.review_within_72_hours),
            len(incident.review.points) if incident.review else 0,
            len(incident.action_ids),
            "; ".join(RED_FLAG_LABELS[flag] for flag in RedFlag if flag in incident.red_flags),
            ", ".join(code or "none" for code in incident.mhsds_codes),
        ]
        if data.include_personal:
            row += _personal_cells(incident)
        sheet.rows.append(row)
    return sheet


def _period_cells(total: Totals) -> list[object]:
    return [
        total.incidents,
        total.support.met,
        total.support.counted,
        total.support_percent,
        total.review.met,
        total.review.counted,
        total.review_percent,
        len(total.support.due_by),
        total.reviews_missing,
        total.actions_arising,
    ]


_TIMED_COLUMNS = (
    "Support within 72 hours: number | Support counted (72 hours passed): number",
    "Support within 72 hours (%): number",
    "Review within 72 hours: number | Reviews counted (72 hours passed): number",
    "Review within 72 hours (%): number",
    "72 hours not up yet: number | Learning reviews missing: number | Actions arising: number",
)
_TIMED_NOTE = (
    "Support and reviews within 72 hours count only the incidents whose 72 hours had passed "
    "when the file was made; the others are counted as not up yet."
)


def period_figures_sheet(data: _Data) -> Sheet:
    sheet = Sheet(
        "Period figures",
        f"One row per service, then all of them together, for {data.period.named}: "
        f"incidents, support and reviews within 72 hours, and actions arising. {_TIMED_NOTE}",
        [*columns("Service | Incidents: number"), *columns(*_TIMED_COLUMNS)],
    )
    for service in data.services:
        theirs = [i for i in data.incidents if i.service.id == service.id]
        figures = period_figures(theirs, data.period, data.as_of)
        sheet.rows.append([service.name, *_period_cells(figures.totals)])
    if len(data.services) > 1:
        everything = period_figures(data.incidents, data.period, data.as_of)
        sheet.rows.append([WHOLE_ORGANISATION, *_period_cells(everything.totals)])
    return sheet


def figures_sheet(data: _Data) -> Sheet:
    period = Period.last_months(data.today, FIGURE_MONTHS)
    sheet = Sheet(
        "Incident figures",
        f"One row per service and month for {period.named} (the first and last months in "
        "part): incidents, each type of restraint (an incident using two types counts under "
        f"both), support and reviews within 72 hours, and actions arising. {_TIMED_NOTE}",
        [
            *columns("Service | Month: month | Incidents: number"),
            *(Column(RESTRAINT_TYPE_LABELS[kind], Kind.NUMBER) for kind in RestraintType),
            *columns(*_TIMED_COLUMNS),
        ],
    )
    for service in data.services:
        theirs = [i for i in data.incidents if i.service.id == service.id]
        for month in period_figures(theirs, period, data.as_of).months:
            cells = _period_cells(month)
            sheet.rows.append(
                [
                    service.name,
                    month.month,
                    cells[0],
                    *(month.by_type[kind] for kind in RestraintType),
                    *cells[1:],
                ]
            )
    return sheet


def by_group_sheet(data: _Data) -> Sheet:
    sheet = Sheet(
        "By group",
        f"For {data.period.named}, each service's incidents (then all together) counted by "
        f"the person's age band and characteristics, where recorded. {HIDING_RULE}",
        columns("Service | Question | Group | Incidents: number"),
    )
    scopes = [(s.name, [i for i in data.incidents if i.service.id == s.id]) for s in data.services]
    if len(data.services) > 1:
        scopes.append((WHOLE_ORGANISATION, data.incidents))
    for name, theirs in scopes:
        groups = breakdowns(period_figures(theirs, data.period, data.as_of).incidents)
        for table in groups.tables:
            sheet.rows += [[name, table.question, g.group, g.text] for g in table.groups]
        if not groups.tables:
            sheet.rows.append([name, groups.note, "", None])
    return sheet


def _arrived(moment: dt.datetime | None) -> str:
    return f"{long_date(moment.date())} at {clock_time(moment)}" if moment else "Not by bundle"


def head_office_sheet(data: _Data) -> Sheet:
    """The head office picture's figures, a row per service by name (never ranked)."""
    group = data.group
    sections = [f"{s.column_title} band" for s in group.sections]
    sheet = Sheet(
        "Head office",
        f"Each service by name, never ranked: the band of each section of its latest Training "
        f"Standards benchmark; blanket restrictions and plan actions on "
        f"{long_date(data.today)}; incidents, their monthly rate where the service's size is "
        f"recorded, and red flags, for {data.period.named}; when its data last arrived by "
        "bundle.",
        [
            *columns("Service | Latest benchmark: date"),
            *(Column(title) for title in sections),
            *columns(
                "Restrictions in place: number | In place a year ago: number | "
                "Actions open: number | Actions overdue: number | Actions done: number | "
                "Incidents: number | Rate a month: number | Rate per | Red flags: number | "
                "Data last arrived"
            ),
        ],
    )
    for picture in group.services:
        held = picture.benchmark_held_on
        bands = [
            (band.label if (band := picture.bands.get(s.id)) else NOT_SCORED)
            if held
            else NO_BENCHMARK
            for s in group.sections
        ]
        sheet.rows.append(
            [
                picture.service.name,
                held,
                *bands,
                picture.in_place,
                picture.in_place_a_year_ago,
                picture.actions_open,
                picture.actions_overdue,
                picture.actions_done,
                picture.incidents,
                round(picture.monthly_rate, 1) if picture.monthly_rate is not None else None,
                picture.measure.rate_words,
                picture.red_flag_count,
                _arrived(picture.last_arrived),
            ]
        )
    return sheet


SHEETS: list[Callable[[_Data], Sheet]] = [
    benchmark_items_sheet,
    section_scores_sheet,
    restrictions_sheet,
    actions_sheet,
    incidents_sheet,
    period_figures_sheet,
    figures_sheet,
    by_group_sheet,
    head_office_sheet,
]


# ---------------------------------------------------------------------------------------------
# Writing cells
# ---------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", start_color="DCE4EE")
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_NUMBER_FORMATS = {Kind.DATE: DATE_FORMAT, Kind.MONTH: MONTH_FORMAT}
_WIDTHS = {Kind.DATE: 13, Kind.MONTH: 11, Kind.LONG: 50}
MIN_WIDTH, MAX_WIDTH = 9, 40


# Noncharacters XML cannot hold at all (a bad paste can bring them in).
_NOT_XML = re.compile("[\ufffe\uffff]")


def clean_text(text: str) -> str:
    """The text as Excel can hold it: without control characters a workbook cannot store, and
    cut (saying so) at Excel's limit for one cell."""
    text = _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
    return text


def put(cell: Cell, value: object) -> None:
    """Set a cell, keeping every text a text: one that looks like a formula is never one."""
    if isinstance(value, str):
        value = clean_text(value)
        if not value:
            return
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _width(column: Column, values: list[object]) -> float:
    fixed = _WIDTHS.get(column.kind)
    longest_word = max(len(word) for word in column.header.split())
    if fixed is not None:
        return max(fixed, longest_word + 2)
    longest = max(
        (len(line) for value in values if value is not None for line in str(value).split("\n")),
        default=0,
    )
    return min(max(longest, longest_word, MIN_WIDTH) + 2, MAX_WIDTH)


def write_table(sheet: Worksheet, table: Sheet) -> None:
    """A bold, frozen header row, a filter over the whole table, real dates, wrapped text."""
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
    for row_number, values in enumerate(table.rows, start=2):
        for index, (column, value) in enumerate(zip(table.columns, values, strict=True), 1):
            cell = sheet.cell(row=row_number, column=index)
            put(cell, value)
            cell.alignment = _WRAP if column.kind in (Kind.TEXT, Kind.LONG) else _TOP
            if column.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[column.kind]
    for index, column in enumerate(table.columns, start=1):
        values = [row[index - 1] for row in table.rows]
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, values)
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    sheet.print_title_rows = "1:1"


def write_about(sheet: Worksheet, data: _Data, tables: list[Sheet]) -> None:
    """What the file is, whose, how far it reaches, whether it is anonymised, what each sheet
    holds."""
    if data.include_personal:
        privacy = (
            "INCLUDES PERSONAL DETAILS of incidents (reference codes, initials, places, written "
            "accounts and the names of staff). Keep it secure and share it only with people "
            "entitled to see it."
        )
    else:
        privacy = (
            "Anonymised: incidents carry no reference code, initials, names or written "
            "accounts. Any of those written into an action from a learning point shows as "
            "[removed]."
        )
    scope = (
        f"{data.scope.name} only (with the organisation-wide actions)"
        if data.scope is not None
        else "All services"
    )
    put(sheet.cell(row=1, column=1), "RRN Self-Audit: the record as a spreadsheet")
    sheet.cell(row=1, column=1).font = _TITLE
    facts: list[tuple[str, object, str | None]] = [
        ("Organisation", data.organisation, None),
        ("Scope", scope, None),
        ("Generated", data.generated_at, DATETIME_FORMAT),
        ("Overdue and figures as of", data.today, DATE_FORMAT),
        ("Period figures for", data.period.named, None),
        ("Personal details", privacy, None),
        (
            "How to use it",
            "Each sheet has a filter on its header row: use the arrows to filter or sort. Dates "
            f"are real dates (for example {long_date(data.today)}), so they sort and filter as "
            "dates. This is a self-assessment, not a certification.",
            None,
        ),
    ]
    row = 3
    for label, value, number_format in facts:
        sheet.cell(row=row, column=1, value=label).font = _BOLD
        cell = sheet.cell(row=row, column=2)
        put(cell, value)
        cell.alignment = _WRAP
        if number_format:
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="left", vertical="top")
        row += 1
    row += 1
    for index, header in enumerate(("Sheet", "What it holds", "Rows"), start=1):
        cell = sheet.cell(row=row, column=index, value=header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    for table in tables:
        row += 1
        put(sheet.cell(row=row, column=1), table.title)
        put(sheet.cell(row=row, column=2), table.holds)
        sheet.cell(row=row, column=2).alignment = _WRAP
        sheet.cell(row=row, column=3, value=len(table.rows)).alignment = _TOP
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 90
    sheet.column_dimensions["C"].width = 8


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def export_xlsx(
    db: Database,
    out: Path,
    *,
    service_id: int | None = None,
    include_personal: bool = False,
    today: dt.date | None = None,
    period: Period | None = None,
    progress: Callable[[float], None] | None = None,
) -> SpreadsheetResult:
    """Write the workbook at ``out`` (replacing any file there, never leaving half a file).

    ``service_id`` keeps that service on every sheet (and the organisation-wide actions);
    ``None`` takes every service. ``include_personal`` adds the incidents' reference codes,
    initials, places, accounts and names. ``today`` is the day overdue is judged on and the
    figures end with; ``period`` is what the period figures count over (by default the last
    12 months up to ``today``). ``progress`` receives fractions from 0 to 1; if it raises (say, to
    cancel), nothing is written. Raises UserFacingError for a bad path or a service that no
    longer exists."""
    started = time.perf_counter()

    def step(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    step(0.0)
    out = Path(out)
    check_writable(out, "export")
    data = _gather(db, service_id, include_personal, today, period)
    step(0.3)
    tables = [make(data) for make in SHEETS]
    step(0.5)
    workbook = Workbook()
    workbook.properties.creator = "RRN Self-Audit"
    workbook.properties.title = f"{data.organisation}: RRN Self-Audit export"
    write_about(workbook.active, data, tables)
    workbook.active.title = "About"
    for index, table in enumerate(tables, start=1):
        write_table(workbook.create_sheet(table.title), table)
        step(0.5 + 0.3 * index / len(tables))
    buffer = io.BytesIO()
    workbook.save(buffer)
    step(0.9)
    save_atomically(buffer.getvalue(), out, "export")
    step(1.0)
    return SpreadsheetResult(
        path=out,
        sheet_rows={table.title: len(table.rows) for table in tables},
        seconds=time.perf_counter() - started,
    )
