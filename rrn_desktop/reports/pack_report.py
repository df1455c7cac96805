"""The inspection pack: the one document a manager hands over when the inspector arrives.

It reads summary first. Order: cover and document control; contents; a one-page summary; part
1, training against the Training Standards (how a benchmark is scored, then each service's
latest benchmark: its scores, what changed since the one before, the items not met and the
actions); part 2, the blanket restrictions register (each restriction in place in one line);
part 3, the restraint reduction plan and its progress (each action in one line); part 4, the
incident figures and learning themes, anonymised; a sign-off to complete on paper. Everything
recorded about every item, restriction and action follows in an appendix, when asked for.

Each part is the body of that module's own report, the same words, tables and charts, printed
under the pack's one cover and one document control. The period (by default the 12 months up
to today) sets which incidents are counted, which done and dropped actions are printed and over
which days removed and individualised restrictions are counted; the register and the plan are
otherwise printed as they stand on the day the pack is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from rrn_desktop.base.vocabulary import ActionSource
from rrn_desktop.content.instruments import SHIPPED_INSTRUMENTS
from rrn_desktop.content.loader import shipped_checklist, training_standards
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.benchmarks import BenchmarkInfo, list_benchmarks
from rrn_desktop.core.incident_figures import REMOVED, identifiers, scrubber
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.instrument_catalogue import DEFAULT_INSTRUMENT
from rrn_desktop.core.periods import Period
from rrn_desktop.core.plan import ActionInfo, count_actions, current_pledge, list_staff_pledges
from rrn_desktop.core.restrictions import RegisterSummary
from rrn_desktop.core.scoring import describe_change, format_percent, section_scores
from rrn_desktop.core.services import (
    WHOLE_ORGANISATION,
    ServiceInfo,
    list_services,
    organisation_name,
)
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import (
    benchmark_report,
    catalogue,
    incidents_report,
    layout,
    plan_report,
)
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import restrictions_report as register_report
from rrn_desktop.reports.contents import Contents
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

__all__ = [
    "APPENDIX_TITLE",
    "PART_TITLES",
    "REPORT_TITLE",
    "SIGN_OFF_TITLE",
    "SUMMARY_TITLE",
    "ReportResult",
    "write_pack_report",
]

REPORT_TITLE = "Inspection pack"
SUMMARY_TITLE = "Summary"
SIGN_OFF_TITLE = "Sign-off"  # the heading of the house style's paper sign-off
APPENDIX_TITLE = "Appendix: every record in full"
# The parts, in the reports catalogue's order; the last, other self-assessments, is printed
# only where a service has benchmarks of another instrument.
PART_TITLES, OTHER_PART_TITLE = catalogue.part_titles()[:-1], catalogue.part_titles()[-1]

_PURPOSE = (
    "Everything an inspector, commissioner or board usually asks to see about reducing "
    "restrictive practice, in one document: where training stands against the Restraint "
    "Reduction Network (RRN) Training Standards, the blanket restrictions register, the "
    "restraint reduction plan and its progress, and the incident figures with what was learned. "
    "The incident figures are anonymised. It is a record for reducing restrictive practice, not "
    "a score: there is no pass mark, and each service is compared only with its own earlier "
    "results."
)

_ANONYMISED = (
    "The incident figures and learning themes: counts only, with no reference codes, initials "
    "or names; the plan's actions have incident reference codes taken out"
)
_STATUS = (
    "A printed copy on the date above. The records kept in RRN Self-Audit are the live record "
    "and change as work moves on."
)


@dataclass(frozen=True)
class _Pack(hs.ServiceScope):
    organisation: str
    service: ServiceInfo | None  # None: the whole organisation
    services: list[ServiceInfo]  # those covered, by name
    period: hs.Period
    today: dt.date
    generated_at: dt.datetime
    standards: ContentPack
    benchmarks: list[benchmark_report.BenchmarkContext]  # the latest of each service
    # The latest of each service on each other self-assessment, one instrument after another.
    others: list[benchmark_report.BenchmarkContext]
    register: register_report.RegisterContext
    plan: plan_report.PlanContext
    plan_left_out: int  # actions done or dropped before the period
    incidents: incidents_report.IncidentsContext
    appendix: bool = False  # every record in full, after the sign-off

    @property
    def whole_organisation(self) -> bool:
        return self.service is None

    def without(self, names: Sequence[str]) -> str:
        return "; ".join(hs.safe(name) for name in names)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _bold(values: Sequence[str]) -> tuple[Flowable, ...]:
    return tuple(hs.para(hs.safe(value), hs.styles().small_bold) for value in values)


def _total_line(rows: int) -> list[hs.StyleCommand]:
    return [("LINEABOVE", (0, rows), (-1, rows), 1.0, hs.INK)]


def _muted(markup: str) -> Flowable:
    return hs.para(markup, hs.styles().body_muted)


def _ended_on(action: ActionInfo) -> dt.date | None:
    """When a done or dropped action ended; None while it is open."""
    if action.is_open or not action.status_changes:
        return None
    return action.status_changes[-1].changed_on


def _anonymised(action: ActionInfo, scrub: Callable[[str], str]) -> ActionInfo:
    """The action with its words scrubbed, so the plan cannot point at a person involved in an
    incident."""
    return replace(
        action,
        title=scrub(action.title),
        description=scrub(action.description),
        source_detail=scrub(action.source_detail).replace(
            f"the review of incident {REMOVED}", "an incident review"
        ),
        dropped_reason=scrub(action.dropped_reason),
        outcome_measure=scrub(action.outcome_measure),
        notes=tuple(replace(note, text=scrub(note.text)) for note in action.notes),
        status_changes=tuple(
            replace(change, note=scrub(change.note)) for change in action.status_changes
        ),
        readings=tuple(replace(reading, note=scrub(reading.note)) for reading in action.readings),
    )


def _plan_actions(db: Database, actions: list[ActionInfo]) -> list[ActionInfo]:
    """The actions with every incident's reference and initials taken out, and, from those
    that came from a learning point, the names of everyone involved too (as in part 4)."""
    everyone = list_incidents(db)
    codes = scrubber(code for i in everyone for code in (i.reference, i.person_initials))
    names = scrubber(name for i in everyone for name in identifiers(i))
    return [
        _anonymised(a, names if a.source is ActionSource.LEARNING_POINT else codes) for a in actions
    ]


def _in_period(action: ActionInfo, period: hs.Period) -> bool:
    """Open now, due in the period, or done or dropped in it (or since)."""
    ended = _ended_on(action)
    return (
        action.is_open
        or period.holds(action.due_on)
        or (ended is not None and ended >= period.start)
    )


# ---------------------------------------------------------------------------------------------
# Cover, document control and contents
# ---------------------------------------------------------------------------------------------


def _what_and_when(pack: _Pack) -> list[tuple[str, object]]:
    """Whose pack it is, what it covers and over which days: the cover's facts."""
    return [
        ("Organisation", pack.organisation),
        ("Service" if pack.service is not None else "Services", pack.scope_in_full),
        ("Period", f"{pack.period.words} ({pack.period.basis})"),
        ("Register and plan as they stood on", hs.long_date(pack.today)),
    ]


def _front_page(pack: _Pack) -> list[Flowable]:
    """The cover, with the pack's one document control under it."""
    what = _what_and_when(pack)
    cover = hs.cover_heading(
        organisation=pack.organisation,
        report_title=REPORT_TITLE,
        subtitle=pack.scope,
        facts=what,
        purpose_note=_PURPOSE,
    )
    return [*cover, *_document_control(pack, what)]


def _document_control(pack: _Pack, what: list[tuple[str, object]]) -> list[Flowable]:
    rows: list[tuple[str, object]] = [
        ("Report", REPORT_TITLE),
        *what,
        ("Content packs", _content_packs(pack)),
        ("Anonymised", _ANONYMISED),
    ]
    return hs.document_control(rows, generated_at=pack.generated_at, status=_STATUS)


def _content_packs(pack: _Pack) -> list[Flowable]:
    st = hs.styles()
    packs = (pack.standards, pack.register.pack, pack.incidents.pack)
    return [hs.text(f"{p.title}, version {p.version}", st.small) for p in packs]


def _contents_page(pack: _Pack, contents: Contents) -> list[Flowable]:
    appendix = (
        "The appendix gives everything recorded about each of them."
        if pack.appendix
        else "This copy leaves out the appendix with everything recorded about each of them; "
        "each module's own report prints it."
    )
    return [
        PageBreak(),
        hs.heading("Contents", 1),
        hs.para(
            "Page numbers are those printed at the foot of each page. Each part starts on a new "
            "page, and gives each benchmark item not met, each restriction and each action in "
            f"one line. {appendix}",
            hs.styles().body_muted,
        ),
        *contents.page(),
    ]


# ---------------------------------------------------------------------------------------------
# The one-page summary
# ---------------------------------------------------------------------------------------------


# Each module's figures under a small heading: the page holds all four.
_SUMMARY_HEADING = 3


def _training_rows(pack: _Pack) -> list[Flowable]:
    st = hs.styles()
    flowables: list[Flowable] = [hs.heading("Training against the Standards", _SUMMARY_HEADING)]
    if not pack.benchmarks:
        flowables.append(hs.para("No benchmark has been held yet."))
        return flowables
    # A table for each content pack the latest benchmarks used: each has its own sections.
    by_pack: dict[str, list[benchmark_report.BenchmarkContext]] = {}
    for ctx in [*pack.benchmarks, *pack.others]:
        by_pack.setdefault(ctx.pack.id, []).append(ctx)
    for benchmarks in by_pack.values():
        flowables.append(_scores_table(benchmarks))
    note = (
        "Section scores, with the colour in words, and the change in points since the "
        "benchmark before. Thresholds are in part 1."
    )
    missing = [s.name for s in pack.services if s.id not in _benchmarked(pack)]
    if missing:
        note += f" No benchmark yet: {pack.without(missing)}."
    return [*flowables, Spacer(1, 1 * mm), hs.para(note, st.small_muted)]


def _scores_table(benchmarks: Sequence[benchmark_report.BenchmarkContext]) -> Flowable:
    """Each benchmark's section scores, colour in words and change since the one before."""
    st = hs.styles()
    sections = benchmarks[0].pack.sections
    rows: list[Sequence[object]] = []
    fills: list[hs.StyleCommand] = []
    for row, ctx in enumerate(benchmarks, start=1):
        now = section_scores(ctx.pack, ctx.benchmark.ratings())
        then = (
            section_scores(ctx.pack, ctx.previous.ratings()) if ctx.previous is not None else None
        )
        cells: list[object] = [
            [
                hs.text(ctx.benchmark.service.name, st.small),
                hs.para(hs.safe(hs.short_date(ctx.benchmark.held_on)), st.small_muted),
            ]
        ]
        for column, score in enumerate(now, start=1):
            if score.percent is None or score.band is None:
                cells.append(hs.para("not scored yet", st.small_muted))
                continue
            change = (
                "baseline"
                if then is None
                else describe_change(score.percent, then[column - 1].percent)
            )
            cells.append(
                hs.para(
                    f"<b>{format_percent(score.percent)}</b> {hs.safe(score.band.label)}"
                    f"<br/>{hs.safe(change)}",
                    st.small,
                )
            )
            fills.append(("BACKGROUND", (column, row), (column, row), hs.rag_fill(score.band)))
        rows.append(cells)
    share = (1 - 0.28) / len(sections)
    return hs.data_table(
        ["Latest benchmark", *(s.heading for s in sections)],
        rows,
        [0.28, *([share] * len(sections))],
        extra_style=fills,
        zebra=False,
    )


def _benchmarked(pack: _Pack) -> set[int]:
    return {ctx.benchmark.service.id for ctx in pack.benchmarks}


# The summary's tables of figures: each column's heading and its share of the text width.
_REGISTER_COLUMNS = (
    ("Service", 0.36),
    ("In place now", 0.14),
    ("Reviews overdue", 0.15),
    ("Removed in the period", 0.16),
    ("Individualised in the period", 0.19),
)
_PLAN_COLUMNS = (
    ("Actions for", 0.46),
    ("Open", 0.16),
    ("Of which overdue", 0.19),
    ("Done in the period", 0.19),
)
_INCIDENT_COLUMNS = (
    ("Service", 0.36),
    ("Incidents", 0.13),
    ("Support within 72 hours", 0.18),
    ("Review within 72 hours", 0.18),
    ("Actions arising", 0.15),
)

Line = tuple[str, Sequence[str]]  # whose figures, and the figures


def _figures_table(
    columns: Sequence[tuple[str, float]], lines: Sequence[Line], total: Line, per_service: bool
) -> Flowable:
    """A row for each line (when ``per_service``) and the total in bold under a rule; just the
    total when there is one line or no room for them all."""
    header = [title for title, _width in columns]
    widths = [width for _title, width in columns]
    if per_service and len(lines) == 1:
        total = lines[0]
    if not per_service or len(lines) < 2:
        return hs.data_table(header, [(total[0], *total[1])], widths)
    rows: list[Sequence[object]] = [(name, *values) for name, values in lines]
    rows.append(_bold([total[0], *total[1]]))
    return hs.data_table(header, rows, widths, extra_style=_total_line(len(rows)))


def _register_rows(pack: _Pack, per_service: bool) -> list[Flowable]:
    flowables: list[Flowable] = [hs.heading("Blanket restrictions", _SUMMARY_HEADING)]
    parts = pack.register.parts
    if not parts:
        flowables.append(hs.para("No blanket restrictions are on the register."))
        return flowables

    def counts(summaries: Sequence[RegisterSummary]) -> list[str]:
        return [
            str(sum(s.active for s in summaries)),
            str(sum(s.overdue for s in summaries)),
            str(sum(s.removed_last_12_months for s in summaries)),
            str(sum(register_report.individualised(s) for s in summaries)),
        ]

    table = _figures_table(
        _REGISTER_COLUMNS,
        [(part.service.name, counts([part.summary])) for part in parts],
        (hs.ALL_SERVICES, counts([part.summary for part in parts])),
        per_service,
    )
    return [*flowables, table]


def _plan_rows(pack: _Pack, per_service: bool) -> list[Flowable]:
    ctx = pack.plan
    flowables: list[Flowable] = [hs.heading("Restraint reduction plan", _SUMMARY_HEADING)]
    pledge = ctx.pledge
    if pledge is None:
        pledge_words = "No pledge has been recorded yet."
    else:
        pledge_words = (
            f"Pledge made on {hs.long_date(pledge.made_on)}, running to "
            f"{hs.long_date(pledge.period_end)}."
        )
    if not ctx.actions:
        flowables.append(hs.para(f"{pledge_words} No actions are on the plan for the period."))
        return flowables
    groups: dict[str, list[ActionInfo]] = {}
    for action in ctx.actions:
        name = action.service.name if action.service is not None else WHOLE_ORGANISATION
        groups.setdefault(name, []).append(action)
    order = sorted(groups, key=lambda name: (name != WHOLE_ORGANISATION, name.casefold()))

    def counts(actions: list[ActionInfo]) -> list[str]:
        c = count_actions(actions, ctx.today)
        done = sum(1 for a in actions if pack.period.holds(a.done_on()))
        return [str(c.open), str(c.overdue), str(done)]

    table = _figures_table(
        _PLAN_COLUMNS,
        [(name, counts(groups[name])) for name in order],
        ("All actions", counts(ctx.actions)),
        per_service,
    )
    return [*flowables, hs.para(hs.safe(pledge_words), hs.styles().small_muted), table]


def _incident_rows(pack: _Pack, per_service: bool) -> list[Flowable]:
    ctx = pack.incidents
    flowables: list[Flowable] = [hs.heading("Incidents", _SUMMARY_HEADING)]
    if not ctx.incidents:
        flowables.append(hs.para(incidents_report.NO_INCIDENTS))
        return flowables
    flowables.append(
        _figures_table(
            _INCIDENT_COLUMNS,
            [
                (line.service.name, incidents_report.measures(line.totals))
                for line in ctx.by_service
                if line.totals.incidents
            ],
            (ctx.scope, incidents_report.measures(ctx.totals)),
            per_service,
        )
    )
    themes = "; ".join(theme.label.lower() for theme in ctx.themes[:3])
    if themes:
        flowables += [
            Spacer(1, 1 * mm),
            hs.para(f"Most common learning themes: {hs.safe(themes)}.", hs.styles().small_muted),
        ]
    return flowables


def _summary(pack: _Pack, contents: Contents) -> list[Flowable]:
    opening = [
        hs.heading(SUMMARY_TITLE, 1),
        hs.para(
            f"<b>{hs.safe(pack.scope)}</b>, {pack.period.words}. Each part of the pack has the "
            "detail behind these figures."
        ),
        *_training_rows(pack),
    ]
    for per_service in (True, False):
        # With many services, the other modules show the totals, so the summary keeps to a page.
        figures = [
            *_register_rows(pack, per_service),
            *_plan_rows(pack, per_service),
            *_incident_rows(pack, per_service),
        ]
        if hs.stacked_height([*opening, *figures]) <= hs.FRAME_HEIGHT:
            break
    if not per_service:
        figures.append(
            hs.para(
                "Each service's own figures are in its part of the pack.", hs.styles().small_muted
            )
        )
    return [PageBreak(), *contents.mark(opening, level=0), *figures]


# ---------------------------------------------------------------------------------------------
# The four parts
# ---------------------------------------------------------------------------------------------


def _nothing_yet(pack: _Pack, nothing: str, where: str, then: str) -> Flowable:
    """A part with nothing to print says so in a line, and what would fill it."""
    scope = "" if pack.service is None else f" {where} {hs.safe(pack.service.name)}"
    return hs.para(f"{nothing}{scope}. {then}")


def _training(pack: _Pack, contents: Contents, title: str) -> list[Flowable]:
    flowables = contents.section(title, heading_level=0)
    if not pack.benchmarks:
        nothing = "No benchmark of training against the Training Standards has been held yet"
        then = "Once one is held in the app, its results are printed here."
        return [*flowables, _nothing_yet(pack, nothing, "in", then)]
    missing = [s.name for s in pack.services if s.id not in _benchmarked(pack)]
    flowables += [
        hs.para(
            "The latest benchmark of "
            + ("each service" if pack.whole_organisation else "the service")
            + f" held by {hs.long_date(pack.period.end)}: its scores by section, what changed "
            "since the one before, each item not met or partly met, the actions and the "
            "sign-off."
            + (
                " Every item, with its notes and evidence, is in the appendix."
                if pack.appendix
                else ""
            )
        ),
    ]
    if missing:
        flowables.append(_muted(f"No benchmark has been held yet for: {pack.without(missing)}."))
    flowables += benchmark_report.method_in_brief(pack.benchmarks[0], "How a benchmark is scored")
    for ctx in pack.benchmarks:
        flowables += contents.mark(hs.section_start(ctx.benchmark.service.name), level=1)
        flowables += benchmark_report.service_body(ctx)
    return flowables


def _other_self_assessments(pack: _Pack, contents: Contents) -> list[Flowable]:
    """Each other self-assessment, how it is scored, then each service's latest benchmark."""
    if not pack.others:
        return []
    flowables = contents.section(OTHER_PART_TITLE, heading_level=0)
    flowables.append(
        hs.para(
            "The latest benchmark of each service against each other self-assessment held by "
            f"{hs.long_date(pack.period.end)}, printed as for the Training Standards."
        )
    )
    by_pack: dict[str, list[benchmark_report.BenchmarkContext]] = {}
    for ctx in pack.others:
        by_pack.setdefault(ctx.pack.id, []).append(ctx)
    for held in by_pack.values():
        title = held[0].pack.title
        flowables += contents.mark(hs.section_start(title), level=1)
        flowables += benchmark_report.method_in_brief(held[0], "How it is scored")
        for ctx in held:
            flowables += [hs.heading(ctx.benchmark.service.name, 2)]
            flowables += benchmark_report.service_body(ctx)
    return flowables


def _register(pack: _Pack, contents: Contents, title: str) -> list[Flowable]:
    ctx = pack.register
    flowables = contents.section(title, heading_level=0)
    if not ctx.parts:
        nothing = "No blanket restrictions are on the register"
        then = "Walking through the checklist in the app finds any there are."
        return [*flowables, _nothing_yet(pack, nothing, "for", then)]
    flowables.append(
        hs.para(
            f"The register as it stood on {hs.long_date(pack.today)}: each blanket restriction "
            "in place in one line, and those that ended; what was removed or individualised is "
            "counted over the period."
            + (" Every entry, in full, is in the appendix." if pack.appendix else "")
        )
    )
    covered = {part.service.id for part in ctx.parts}
    empty = [s.name for s in pack.services if s.id not in covered]
    if empty:
        flowables.append(_muted(f"Nothing is on the register for: {pack.without(empty)}."))
    flowables += register_report.how_to_read(ctx, in_full=pack.appendix)
    if ctx.whole_organisation and len(ctx.parts) > 1:
        flowables += register_report.organisation_table(ctx)
    for part in ctx.parts:
        flowables += contents.mark(register_report.service_part(ctx, part), level=1)
    return flowables


def _plan(pack: _Pack, contents: Contents, title: str) -> list[Flowable]:
    ctx = pack.plan
    flowables = contents.section(title, heading_level=0)
    if ctx.pledge is None and not ctx.actions:
        return [
            *flowables,
            hs.para(
                "No pledge has been made and no action is on the plan for the period. Once the "
                "pledge is made or an action added in the app, the plan is printed here."
            ),
        ]
    left_out = ""
    if pack.plan_left_out:
        left_out = (
            f" {plural(pack.plan_left_out, 'action')} done or dropped before "
            f"{hs.long_date(pack.period.start)} {'is' if pack.plan_left_out == 1 else 'are'} "
            "left out."
        )
    flowables.append(
        hs.para(
            f"The plan as it stood on {hs.long_date(pack.today)}: every open action, and those "
            f"due, done or dropped in the period, {pack.period.words}.{left_out} As in part 4, "
            f"incident reference codes and initials are shown as {REMOVED}; so, in actions that "
            "came from an incident review, are the names of the people involved."
        )
    )
    full_record = (
        "The appendix has everything recorded about each."
        if pack.appendix
        else "The plan's own report prints everything recorded about each."
    )
    return [*flowables, *plan_report.body(ctx, full_record)]


def _incidents(pack: _Pack, contents: Contents, title: str) -> list[Flowable]:
    ctx = pack.incidents
    return [
        *contents.section(title, heading_level=0),
        hs.para(
            f"The incidents that began from {hs.long_date(ctx.start)} to "
            f"{hs.long_date(ctx.end)}, counted month by month, how soon support and a learning "
            "review followed, and what the reviews learned. <b>Anonymised</b>: there are no "
            "reference codes, initials or names in this part."
            + (
                " The tables of each month's figures are in the appendix."
                if pack.appendix and ctx.incidents
                else ""
            )
        ),
        *incidents_report.body(ctx, monthly=False),
    ]


def _sign_off(contents: Contents) -> list[Flowable]:
    # The sign-off block is kept together and short: it follows part 4 on its last page
    # whenever it fits there.
    return contents.mark(hs.paper_sign_off("this inspection pack", level=1), level=0)


def _appendix(pack: _Pack, contents: Contents) -> list[Flowable]:
    """Everything recorded about every benchmark item, restriction and action, under one
    heading for each service's benchmark and register and one for the plan."""
    flowables = [
        *contents.section(APPENDIX_TITLE, heading_level=0),
        hs.para(
            "Everything recorded about each record the parts above summarise: every item of "
            "each service's latest benchmark on each self-assessment, every entry on each "
            "service's register, in place or ended, and every action on the plan; then the "
            "incident figures month by month. "
            "Fields left empty are left out, except on the register, where each entry names "
            "them in its last row."
        ),
    ]

    def heading(title: str) -> list[Flowable]:
        return contents.mark(layout.loose_heading(title, 1, room=60 * mm), level=1)

    for ctx in pack.benchmarks:
        flowables += heading(f"Benchmark items: {ctx.benchmark.service.name}")
        flowables += benchmark_report.item_detail(ctx)
    for ctx in pack.others:
        flowables += heading(f"{ctx.pack.title} items: {ctx.benchmark.service.name}")
        flowables += benchmark_report.item_detail(ctx)
    for part in pack.register.parts:
        flowables += heading(f"Register entries: {part.service.name}")
        flowables += register_report.service_detail(pack.register, part)
    if pack.plan.actions:
        flowables += heading("Plan actions")
        flowables += plan_report.detail(pack.plan)
    if pack.incidents.incidents:
        flowables += heading("Incident figures month by month")
        flowables += incidents_report.month_tables(pack.incidents)
    if len(flowables) == 2:
        flowables.append(hs.para("Nothing is recorded yet, so there is no record to print."))
    return flowables


# How each report in the catalogue with a part in the pack writes it.
_PARTS: dict[str, Callable[[_Pack, Contents, str], list[Flowable]]] = {
    "benchmark": _training,
    "restrictions": _register,
    "plan": _plan,
    "incidents": _incidents,
}


def build_story(pack: _Pack) -> list[Flowable]:
    contents = Contents()
    # The parts are made first, so the contents know their entries; they print after it.
    parts = _summary(pack, contents)
    for kind, title in zip(catalogue.pack_parts(), PART_TITLES, strict=True):
        parts += _PARTS[kind.key](pack, contents, title)
    parts += [*_other_self_assessments(pack, contents), *_sign_off(contents)]
    if pack.appendix:
        parts += _appendix(pack, contents)
    return [*_front_page(pack), *_contents_page(pack, contents), *parts]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _latest_benchmarks(
    db: Database,
    services: list[ServiceInfo],
    period: hs.Period,
    organisation: str,
    generated_at: dt.datetime,
) -> list[benchmark_report.BenchmarkContext]:
    """Each service's latest benchmark held by the end of the period, on each self-assessment:
    the Training Standards' first (part 1), then the others' (part 5), each by instrument."""
    latest: dict[tuple[str, int], BenchmarkInfo] = {}
    for service in services:
        for benchmark in list_benchmarks(db, service.id):  # newest first
            if benchmark.held_on <= period.end:
                latest.setdefault((benchmark.pack_id, service.id), benchmark)
    # The shipped ones in the catalogue's order (the Training Standards first), then those
    # added by id; the sort is stable, so services stay in their order within each.
    order = {instrument: n for n, instrument in enumerate(SHIPPED_INSTRUMENTS)}
    chosen = sorted(latest.values(), key=lambda b: (order.get(b.pack_id, len(order)), b.pack_id))
    return [
        benchmark_report.benchmark_context(
            db, benchmark, organisation=organisation, generated_at=generated_at, in_pack=True
        )
        for benchmark in chosen
    ]


def _gather(
    db: Database,
    service_id: int | None,
    period: hs.Period,
    today: dt.date,
    step: Callable[[float], None],
) -> _Pack:
    generated_at = dt.datetime.now().replace(microsecond=0)
    service = plan_report.scope_service(db, service_id)
    organisation = organisation_name(db)
    services = sorted(
        list_services(db) if service is None else [service],
        key=lambda s: (s.name.casefold(), s.id),
    )
    every = _latest_benchmarks(db, services, period, organisation, generated_at)
    benchmarks = [ctx for ctx in every if ctx.pack.id == DEFAULT_INSTRUMENT]
    step(0.05)
    register = register_report.RegisterContext(
        parts=register_report.service_parts(db, service_id, today, period),
        pack=shipped_checklist(),
        organisation=organisation,
        today=today,
        generated_at=generated_at,
        whole_organisation=service is None,
        period=period,
    )
    step(0.08)
    actions = plan_report.actions_in_scope(db, service)
    kept = _plan_actions(db, [a for a in actions if _in_period(a, period)])
    plan = plan_report.PlanContext(
        organisation=organisation,
        service=service,
        pledge=current_pledge(db),
        staff_pledges=list_staff_pledges(db),
        actions=kept,
        today=today,
        period=period,
        generated_at=generated_at,
    )
    step(0.11)
    incidents = incidents_report.incidents_context(
        db, service=service, period=period, today=today, generated_at=generated_at
    )
    return _Pack(
        organisation=organisation,
        service=service,
        services=services,
        period=period,
        today=today,
        generated_at=generated_at,
        standards=benchmarks[0].pack if benchmarks else training_standards(),
        benchmarks=benchmarks,
        others=[ctx for ctx in every if ctx.pack.id != DEFAULT_INSTRUMENT],
        register=register,
        plan=plan,
        plan_left_out=len(actions) - len(kept),
        incidents=incidents,
    )


def write_pack_report(
    db: Database,
    out: Path,
    *,
    service_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
    appendix: bool = False,
    progress: Callable[[float], None] | None = None,
    period: Period | None = None,
) -> ReportResult:
    """Write the inspection pack at ``out`` (replacing any file there).

    ``service_id=None`` covers every service. The period runs from ``date_from`` to
    ``date_to`` (both included; by default the 12 months up to ``today``). ``today`` is the
    day the register and plan are printed as of (what is in place, what is overdue).
    ``appendix`` adds, after the sign-off, everything recorded about every benchmark item,
    restriction and action (left out by default: the parts print a line for each).
    ``progress`` receives fractions from 0 to 1. An organisation with nothing recorded yet
    gets a short pack saying so; raises UserFacingError for a service that no longer exists
    or a period that ends before it starts. A ``period`` given is used as it is."""
    today = today or dt.date.today()
    period = period or Period.chosen(date_from, date_to, today)
    job = ReportJob(out, progress)
    pack = replace(_gather(db, service_id, period, today, job.step), appendix=appendix)
    job.step(0.15)
    return job.finish(
        build_story(pack),
        title=REPORT_TITLE,
        header=f"{pack.scope} · {REPORT_TITLE} · {period.words}",
        footer_note=f"period {period.words}",
        author=pack.organisation,
        subject=f"{pack.scope}: inspection pack, {period.words}",
    )


def write_report(
    db: Database,
    request: catalogue.ReportRequest,
    out: Path,
    progress: catalogue.Progress | None,
) -> ReportResult:
    """The catalogue's way in."""
    return write_pack_report(
        db,
        out,
        service_id=request.service_id,
        period=request.period,
        appendix=request.appendix,
        progress=progress,
    )
