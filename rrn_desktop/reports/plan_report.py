"""The restraint reduction plan, printed for boards, commissioners and inspectors.

Order: cover; document control; about this plan; our pledge and individual pledges; summary
counts by strategy and where the actions came from; overdue actions; every action in one line,
under the strategy it serves; what was achieved in the period; a sign-off block to complete on
paper; finally, as an appendix, every action in full.

The plan is evidence for Training Standard 1.4.4 (a restraint reduction plan with measurable
outcomes and actions), so every field recorded on every action is printed in the appendix,
never summarised away. Fields left empty are left out rather than printed as "none".

The inspection pack prints everything between the document control and the sign-off
(:func:`body`) as one of its parts, and the appendix (:func:`detail`) only when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, TableStyle

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    ACTION_SOURCE_LABELS,
    ACTION_STATUS_LABELS,
    STRATEGY_LABELS,
    ActionSource,
    ActionStatus,
    Strategy,
)
from rrn_desktop.core.plan import (
    ActionInfo,
    PledgeInfo,
    StaffPledgeInfo,
    count_actions,
    current_pledge,
    list_actions,
    list_staff_pledges,
)
from rrn_desktop.core.services import (
    WHOLE_ORGANISATION,
    ServiceInfo,
    list_services,
    organisation_name,
)
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import layout
from rrn_desktop.reports.catalogue import Progress, ReportRequest
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

__all__ = [
    "REPORT_TITLE",
    "PlanContext",
    "ReportResult",
    "actions_in_scope",
    "body",
    "detail",
    "scope_service",
    "write_plan_report",
]

REPORT_TITLE = "Restraint reduction plan"
NOT_SET = "Not set"
NO_PLEDGE = "No pledge recorded yet."
NOT_PUBLISHED = "Not published yet"
APPENDIX_TITLE = "Appendix: every action in full"

# Titles are printed in full in the action's own entry; tables and repeated headings shorten
# them, so an action pasted in at great length cannot fill a heading taller than a page.
_SHORT_TITLE = 240
# The readings table sits inside an action's cell (the value column, less its padding). A table
# there moves whole to the next page; taller than this, the readings print as lines instead.
_READINGS_WIDTH = 0.7 * hs.CONTENT_WIDTH - 8
_READINGS_MAX_HEIGHT = hs.FRAME_HEIGHT / 3
# Where an action came from, in the few words a table's line has room for.
_SOURCE_WORDS: dict[ActionSource, str] = {
    ActionSource.PLAN: "added to the plan",
    ActionSource.BENCHMARK_ITEM: "from a benchmark",
    ActionSource.RESTRICTION: "from the register",
    ActionSource.LEARNING_POINT: "from an incident review",
}

_STRATEGY_MEANINGS: dict[Strategy, str] = {
    Strategy.LEADERSHIP: (
        "Leaders set the direction, name who is responsible, and keep reducing restrictive "
        "practice on the agenda until it becomes how the organisation works."
    ),
    Strategy.DATA: (
        "Collecting and looking at the facts about each use of restrictive practice, by "
        "service, shift and person, to see patterns and to set and check targets."
    ),
    Strategy.WORKFORCE: (
        "Recruiting, training, supervising and supporting staff so they can prevent distress "
        "and respond without restraint: training that meets the Training Standards."
    ),
    Strategy.TOOLS: (
        "Using tools that prevent restraint in day-to-day work: risk and trauma assessments, "
        "individual crisis and support plans, sensory approaches and calming spaces."
    ),
    Strategy.INVOLVEMENT: (
        "Giving people who use the service, people with lived experience and families real "
        "roles: in planning, training, reviewing incidents and checking progress."
    ),
    Strategy.DEBRIEFING: (
        "Supporting everyone involved after an incident, and reviewing what happened so the "
        "learning changes practice and the same thing is less likely to happen again."
    ),
}

_STATUS_MEANINGS: dict[ActionStatus, str] = {
    ActionStatus.PLANNED: "agreed, work not started yet.",
    ActionStatus.IN_PROGRESS: "work under way.",
    ActionStatus.DONE: "completed, on the date it was marked done.",
    ActionStatus.DROPPED: "no longer pursued; the reason is printed with the action.",
}

_SOURCE_ORDER = (
    ActionSource.BENCHMARK_ITEM,
    ActionSource.RESTRICTION,
    ActionSource.LEARNING_POINT,
    ActionSource.PLAN,
)
_SOURCE_COUNTED: dict[ActionSource, str] = {
    ActionSource.BENCHMARK_ITEM: "from benchmarks of training",
    ActionSource.RESTRICTION: "from the blanket restrictions register",
    ActionSource.LEARNING_POINT: "from post-incident learning",
    ActionSource.PLAN: "added to the plan directly",
}


@dataclass(frozen=True)
class PlanContext:
    organisation: str
    service: ServiceInfo | None  # None: the whole organisation
    pledge: PledgeInfo | None
    staff_pledges: list[StaffPledgeInfo]
    actions: list[ActionInfo]
    today: dt.date
    period: hs.Period
    generated_at: dt.datetime

    @property
    def whole_organisation(self) -> bool:
        return self.service is None

    @property
    def scope(self) -> str:
        if self.service is None:
            return "Whole organisation (all services)"
        return self.service.name

    @property
    def scope_in_full(self) -> str:
        if self.service is None:
            return "The whole organisation: every service's actions and the organisation-wide ones"
        return f"{self.service.name}, with the actions for the whole organisation"

    def by_strategy(self, strategy: Strategy) -> list[ActionInfo]:
        return [a for a in self.actions if a.strategy is strategy]

    def overdue(self) -> list[ActionInfo]:
        late = [a for a in self.actions if a.overdue(self.today)]
        return sorted(late, key=lambda a: (a.due_on or self.today, a.id))


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _short(title: str, limit: int = _SHORT_TITLE) -> str:
    """The title, cut at a word with an ellipsis when it is very long."""
    value = " ".join(title.split())
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0] if " " in value[:limit] else value[:limit]
    return cut.rstrip() + "…"


def _date(value: dt.date | None) -> object:
    return hs.long_date(value) if value is not None else hs.muted(NOT_SET)


def _days_overdue(action: ActionInfo, today: dt.date) -> int:
    assert action.due_on is not None
    return (today - action.due_on).days


def _overdue_words(action: ActionInfo, today: dt.date) -> str:
    return f"OVERDUE by {plural(_days_overdue(action, today), 'day')}"


def _service_name(action: ActionInfo) -> str:
    return action.service.name if action.service is not None else WHOLE_ORGANISATION


def _number(value: float, unit: str) -> str:
    return f"{value:g}" + (f" {unit}" if unit else "")


def _reference_value(action: ActionInfo) -> float | None:
    """Where progress on the outcome is measured from: the baseline, else the first reading."""
    if action.outcome_baseline is not None:
        return action.outcome_baseline
    if len(action.readings) >= 2:
        return action.readings[0].value
    return None


def _moved_toward_target(action: ActionInfo, period: hs.Period) -> bool:
    """The latest reading, taken in the period, is nearer the target than the starting point."""
    latest = action.latest_reading
    start = _reference_value(action)
    target = action.outcome_target
    if not action.outcome_measure or latest is None or start is None or target is None:
        return False
    if not period.holds(latest.read_on):
        return False
    return abs(latest.value - target) < abs(start - target)


def _movement_words(action: ActionInfo) -> str:
    latest = action.latest_reading
    start = _reference_value(action)
    target = action.outcome_target
    assert latest is not None and start is not None and target is not None
    unit = action.outcome_unit
    origin = "baseline" if action.outcome_baseline is not None else "first reading"
    if (target - latest.value) * (target - start) <= 0:
        return f"Target reached: {_number(latest.value, unit)} against {_number(target, unit)}."
    share = (start - latest.value) / (start - target)
    return (
        f"From {_number(start, unit)} ({origin}) to {_number(latest.value, unit)}: "
        f"{share:.0%} of the way to the target of {_number(target, unit)}."
    )


# ---------------------------------------------------------------------------------------------
# Opening pages
# ---------------------------------------------------------------------------------------------


def _counts_line(actions: Sequence[ActionInfo], today: dt.date) -> str:
    counts = count_actions(list(actions), today)
    return (
        f"{plural(len(actions), 'action')}: {counts.open} open "
        f"({counts.overdue} overdue), {counts.done} done"
    )


def _pledge_fact(ctx: PlanContext) -> str:
    pledge = ctx.pledge
    if pledge is None:
        return NO_PLEDGE
    return (
        f"Made on {hs.long_date(pledge.made_on)}, for {hs.long_date(pledge.period_start)} to "
        f"{hs.long_date(pledge.period_end)}"
    )


def _cover(ctx: PlanContext) -> list[Flowable]:
    facts: list[tuple[str, object]] = [
        ("Organisation", ctx.organisation),
        ("Scope", ctx.scope_in_full),
    ]
    if ctx.service is not None:
        facts.append(("Type of service", ctx.service.sector_label))
    facts += [
        ("Plan as it stood on", hs.long_date(ctx.today)),
        ("Our pledge", _pledge_fact(ctx)),
        ("Actions", _counts_line(ctx.actions, ctx.today)),
        ("Period reported on", f"{ctx.period.words} ({ctx.period.basis})"),
    ]
    purpose = (
        "This is our plan to reduce restrictive practice: the pledge we have made, and every "
        "action we have committed to, with who owns it, when it is due, how far it has got and "
        "how we will know it has worked. It is built on the Six Core Strategies and is a record "
        "for improvement, not a score: there is no pass mark."
    )
    return hs.cover_heading(
        organisation=ctx.organisation,
        report_title=REPORT_TITLE,
        subtitle=ctx.scope,
        facts=facts,
        purpose_note=purpose,
    )


def _document_control(ctx: PlanContext) -> list[Flowable]:
    rows: list[tuple[str, object]] = [
        ("Report", REPORT_TITLE),
        ("Organisation", ctx.organisation),
        ("Scope", ctx.scope_in_full),
        ("Plan as it stood on", hs.long_date(ctx.today)),
        ("Period reported on", f"{ctx.period.words} ({ctx.period.basis})"),
        ("Actions included", _counts_line(ctx.actions, ctx.today)),
        (
            "Evidence for",
            "Training Standard 1.4.4: a restraint reduction plan with measurable "
            "outcomes and actions",
        ),
    ]
    status = (
        "A printed copy of the plan on the date above. The plan kept in RRN Self-Audit is "
        "the live record and changes as actions move on."
    )
    return hs.document_control(rows, generated_at=ctx.generated_at, status=status)


def _about(ctx: PlanContext) -> list[Flowable]:
    scope = (
        "It covers every service's actions and the actions for the organisation as a whole."
        if ctx.whole_organisation
        else "It covers the actions of this service and the actions for the organisation as a "
        "whole; other services' actions are left out."
    )
    statuses = " ".join(
        f"<b>{hs.safe(ACTION_STATUS_LABELS[status])}</b>: {hs.safe(meaning)}"
        for status, meaning in _STATUS_MEANINGS.items()
    )
    return [
        *hs.section_start("About this plan"),
        hs.para(
            "The Restraint Reduction Network (RRN) asks each member to commit to actions over "
            "the next two years: the organisation makes a pledge and keeps a plan of its "
            "priorities, and staff can each commit to an action of their own. This report "
            f"prints that pledge and that plan. {scope} Every action sits under one of the "
            "<b>Six Core Strategies</b>, the approach to reducing restraint that the RRN "
            "recommends."
        ),
        hs.para(
            "<b>Evidence for the Training Standards.</b> Training Standard 1.4.4 asks for a "
            "restraint reduction plan with measurable outcomes and actions. Where an action has "
            "a measurable outcome, the plan gives what is measured, where it started (the "
            "baseline), the latest reading and the target: a target the organisation chose. "
            "The app sets no targets and gives no pass mark."
        ),
        hs.para(
            f"<b>What each status means.</b> {statuses} An action is <b>overdue</b> when it is "
            "still open (planned or in progress) and its due date has passed on "
            f"{hs.long_date(ctx.today)}, the date this plan was printed; overdue actions are "
            "listed first and marked <b>OVERDUE</b> in words wherever they appear. "
            f"“Achieved in the period” covers {ctx.period.words} ({hs.safe(ctx.period.basis)})."
        ),
    ]


def _pledge(ctx: PlanContext) -> list[Flowable]:
    st = hs.styles()
    flowables: list[Flowable] = [*hs.section_start("Our pledge")]
    pledge = ctx.pledge
    if pledge is None:
        flowables.append(
            hs.para(
                f"<b>{NO_PLEDGE}</b> The organisation's pledge says what it commits to over "
                "the next two years; once made in the app, it is printed here."
            )
        )
    else:
        who = pledge.signed_by.strip()
        flowables += [
            hs.text(pledge.statement, st.indented),
            Spacer(1, 3 * mm),
            hs.key_value_table(
                layout.filled_rows(
                    [
                        ("Made on", hs.long_date(pledge.made_on)),
                        (
                            "Pledge period",
                            f"{hs.long_date(pledge.period_start)} to "
                            f"{hs.long_date(pledge.period_end)}",
                        ),
                        ("Signed by", who),
                        ("Role", pledge.signed_role),
                        ("Published", _published(pledge)),
                    ]
                )
            ),
        ]
        renewal = pledge.renewal_text(ctx.today)
        if renewal:
            flowables += [Spacer(1, 3 * mm), hs.para(f"<b>{hs.safe(renewal)}</b>")]
    flowables += [Spacer(1, 2 * mm), *_staff_pledges(ctx)]
    return flowables


def _published(pledge: PledgeInfo) -> object:
    where = pledge.published_where.strip()
    if pledge.published:
        return f"Yes: {where}" if where else "Yes"
    if where:
        return [hs.para(NOT_PUBLISHED, hs.styles().small), hs.text(where, hs.styles().small)]
    return NOT_PUBLISHED


def _staff_pledges(ctx: PlanContext) -> list[Flowable]:
    if not ctx.staff_pledges:
        return [hs.para("No member of staff has made an individual pledge yet.")]
    flowables: list[Flowable] = layout.loose_heading("Individual pledges", 2)
    rows = []
    for pledge in ctx.staff_pledges:
        review: list[Flowable] = [
            hs.para(
                hs.safe(hs.long_date(pledge.review_on) if pledge.review_on else "No date set"),
                hs.styles().small,
            )
        ]
        if pledge.review_notes.strip():
            review.append(hs.text(pledge.review_notes, hs.styles().small_muted))
        rows.append((pledge.person, pledge.commitment, hs.long_date(pledge.made_on), review))
    flowables += [
        hs.para(
            f"{plural(len(rows), 'person', 'people')} "
            f"{'has' if len(rows) == 1 else 'have'} each committed to an action of their own."
        ),
        hs.data_table(["Person", "Commitment", "Made on", "Review"], rows, [0.2, 0.44, 0.14, 0.22]),
    ]
    return flowables


def _summary(ctx: PlanContext) -> list[Flowable]:
    st = hs.styles()
    statuses = list(ActionStatus)

    def row(label: str, actions: list[ActionInfo]) -> list[object]:
        counts = [sum(1 for a in actions if a.status is status) for status in statuses]
        late = sum(1 for a in actions if a.overdue(ctx.today))
        return [label, *map(str, counts), str(late), str(len(actions))]

    rows: list[list[object]] = [
        row(f"{number}. {STRATEGY_LABELS[strategy]}", ctx.by_strategy(strategy))
        for number, strategy in enumerate(Strategy, start=1)
    ]
    total = row("All strategies", ctx.actions)
    rows.append([hs.para(hs.safe(value), st.small_bold) for value in total])
    last = len(rows)
    counts = count_actions(ctx.actions, ctx.today)
    intro = hs.para(
        f"<b>{counts.open} open</b> ({counts.overdue} overdue), <b>{counts.done} done</b> and "
        f"{plural(len(ctx.actions), 'action')} in all on {hs.long_date(ctx.today)}."
    )
    table = hs.data_table(
        ["Strategy", *(ACTION_STATUS_LABELS[status] for status in statuses), "Overdue", "Total"],
        rows,
        [0.335, 0.115, 0.14, 0.09, 0.115, 0.115, 0.09],
        extra_style=[("LINEABOVE", (0, last), (-1, last), 1.0, hs.INK)],
    )
    note = hs.para(
        "Overdue actions are also counted as planned or in progress; open means planned or in "
        "progress.",
        st.small_muted,
    )
    # A short table, not split: a totals row alone on a page would be read out of context.
    flowables = [
        CondPageBreak(60 * mm),
        *layout.keep_if_short([hs.heading("Summary", 1), intro, table, Spacer(1, 2 * mm), note]),
    ]
    sources = _sources(ctx)
    return [*flowables, hs.para(sources)] if sources else flowables


def _overdue(ctx: PlanContext) -> list[Flowable]:
    late = ctx.overdue()
    flowables: list[Flowable] = [*hs.section_start("Overdue actions")]
    if not late:
        flowables.append(
            hs.para(
                f"No actions are overdue: none is open past its due date on "
                f"{hs.long_date(ctx.today)}."
            )
        )
        return flowables
    st = hs.styles()
    rows = []
    for action in late:
        title: list[Flowable] = [hs.para(hs.safe(_short(action.title)), st.small)]
        if ctx.whole_organisation or action.service is None:
            title.append(hs.muted(_service_name(action)))
        rows.append(
            (
                title,
                action.strategy_label,
                action.owner or hs.NOTHING,
                hs.long_date(action.due_on),
                hs.para(f"<b>{_overdue_words(action, ctx.today)}</b>", st.small),
            )
        )
    flowables += [
        hs.para(
            f"{plural(len(late), 'action')} still open "
            f"{'has' if len(late) == 1 else 'have'} passed {'its' if len(late) == 1 else 'their'}"
            " due date, the longest overdue first."
        ),
        hs.data_table(
            ["Action", "Strategy", "Owner", "Due", "Days overdue"],
            rows,
            [0.34, 0.2, 0.16, 0.14, 0.16],
        ),
    ]
    return flowables


# ---------------------------------------------------------------------------------------------
# Every action: one line each, and in full in the appendix
# ---------------------------------------------------------------------------------------------


def _status_words(action: ActionInfo, today: dt.date) -> str:
    """The status as markup: e.g. "In progress · OVERDUE by 3 days" or "Done on 5 May 2026"."""
    status = f"<b>{hs.safe(action.status_label)}</b>"
    done = action.done_on()
    if done is not None:
        return f"{status} on {hs.long_date(done)}"
    if action.status is ActionStatus.DROPPED and action.status_changes:
        return f"{status} on {hs.long_date(action.status_changes[-1].changed_on)}"
    if action.overdue(today):
        return f"{status} · <b>{_overdue_words(action, today)}</b>"
    return status


def _entry_header(ctx: PlanContext, action: ActionInfo) -> list[Flowable]:
    st = hs.styles()
    kicker = f"{action.strategy_label} · {_service_name(action)}"
    return [
        hs.para(hs.safe(kicker), st.small_muted),
        hs.para(f"<b>{hs.safe(_short(action.title))}</b>", st.body),
        hs.para(
            f"{_status_words(action, ctx.today)} · {hs.safe(action.priority_label)} priority",
            st.small,
        ),
    ]


def _due(action: ActionInfo, today: dt.date) -> object:
    if action.due_on is None:
        return None
    text = hs.long_date(action.due_on)
    if action.overdue(today):
        return hs.para(f"{text}: <b>{_overdue_words(action, today)}</b>", hs.styles().small)
    return text


def _outcome(action: ActionInfo) -> object:
    if not action.outcome_measure.strip():
        return None
    flowables: list[Flowable] = [hs.text(action.outcome_text(), hs.styles().small)]
    if action.readings:
        flowables += [Spacer(1, 1.5 * mm), *_readings(action)]
    return flowables


def _readings(action: ActionInfo) -> list[Flowable]:
    """The readings as a small table; as one line each when the table would be too tall to
    move whole to the next page (a table inside a cell cannot be split across pages)."""
    table = _readings_table(action)
    _width, height = table.wrap(_READINGS_WIDTH, hs.FRAME_HEIGHT)
    if height <= _READINGS_MAX_HEIGHT:
        return [table]
    lines: list[Flowable] = [hs.para("Readings (date · value · note):", hs.styles().small_bold)]
    for reading in action.readings:
        note = f" · {hs.safe(reading.note)}" if reading.note.strip() else ""
        lines.append(
            hs.para(
                f"<b>{hs.long_date(reading.read_on)}</b> · "
                f"{hs.safe(_number(reading.value, action.outcome_unit))}{note}",
                hs.cell_line_style(),
            )
        )
    return lines


def _readings_table(action: ActionInfo) -> hs.HouseTable:
    st = hs.styles()
    width = _READINGS_WIDTH
    data: list[list[object]] = [
        [[hs.para(title, st.small_bold)] for title in ("Date", "Value", "Note")]
    ]
    for reading in action.readings:
        data.append(
            [
                [hs.para(hs.safe(hs.short_date(reading.read_on)), st.small)],
                [hs.para(hs.safe(_number(reading.value, action.outcome_unit)), st.small)],
                [hs.text(reading.note, st.small)] if reading.note.strip() else [],
            ]
        )
    table = hs.HouseTable(
        data,
        colWidths=[0.24 * width, 0.22 * width, 0.54 * width],
        repeatRows=1,
        splitByRow=1,
        splitInRow=hs.MIN_ROW_PIECE,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle(hs.table_style(header_rows=1, zebra=False)))
    return table


def _notes(action: ActionInfo) -> object:
    if not action.notes:
        return None
    return [
        hs.para(
            f"<b>{hs.long_date(note.noted_on)}</b> · {hs.safe(note.text)}", hs.cell_line_style()
        )
        for note in action.notes
    ]


def _entry_rows(ctx: PlanContext, action: ActionInfo) -> list[tuple[str, object]]:
    """Every field of the action that holds something."""
    rows: list[tuple[str, object]] = []
    if len(" ".join(action.title.split())) > _SHORT_TITLE:  # shortened in the heading
        rows.append(("Action in full", action.title))
    rows += [
        ("Owner", action.owner),
        ("Service", _service_name(action)),
        ("Start", hs.long_date(action.start_on) if action.start_on else None),
        ("Due", _due(action, ctx.today)),
        ("Where it came from", action.source_detail),
        ("Description", action.description),
        ("Measurable outcome", _outcome(action)),
        ("Progress log", _notes(action)),
        ("Status history", layout.status_history(action.status_changes)),
    ]
    if action.status is ActionStatus.DROPPED:
        rows.append(("Why it was dropped", action.dropped_reason))
    evidence = "; ".join(evidence.original_name for evidence in action.evidence_files)
    rows.append(("Evidence attached", evidence))
    return layout.filled_rows(rows)


def _entry(ctx: PlanContext, action: ActionInfo) -> list[Flowable]:
    """One action as one table: its heading row (repeated if the action runs onto another
    page) and a row for every field recorded, so the heading is never left alone at the foot
    of a page. A short action is kept on one page; a longer one may start near the foot of a
    page and carry on, so the page before is never left mostly empty."""
    table = layout.record_table(_entry_header(ctx, action), _entry_rows(ctx, action))
    return [*layout.keep_if_short([table]), Spacer(1, 4 * mm)]


def _in_order(actions: list[ActionInfo]) -> list[ActionInfo]:
    """Open actions first (soonest due first), then done, then dropped."""
    rank = {
        ActionStatus.IN_PROGRESS: 0,
        ActionStatus.PLANNED: 0,
        ActionStatus.DONE: 1,
        ActionStatus.DROPPED: 2,
    }
    return sorted(actions, key=lambda a: (rank[a.status], a.due_on or dt.date.max, a.id))


def _strategy_title(strategy: Strategy) -> str:
    return f"{list(Strategy).index(strategy) + 1}. {STRATEGY_LABELS[strategy]}"


def _no_actions_under(ctx: PlanContext) -> list[Flowable]:
    """The strategies with no action, named once."""
    empty = [_strategy_title(s) for s in Strategy if not ctx.by_strategy(s)]
    if not empty:
        return []
    words = "; ".join(hs.safe(title) for title in empty)
    return [hs.para(f"No actions yet under {words}.", hs.styles().body_muted)]


def _line_title(ctx: PlanContext, action: ActionInfo) -> list[Flowable]:
    """The action's title, then in quieter lines its service and where it came from, and its
    measurable outcome where it has one."""
    st = hs.styles()
    where = _SOURCE_WORDS.get(action.source, ACTION_SOURCE_LABELS[action.source].lower())
    if ctx.whole_organisation or action.service is None:
        where = f"{_service_name(action)} · {where}"
    lines = [hs.para(hs.safe(_short(action.title)), st.small), hs.muted(where)]
    if action.outcome_measure.strip():
        lines.append(hs.para(f"<i>Outcome:</i> {hs.safe(action.outcome_text())}", st.small_muted))
    return lines


def _line_status(action: ActionInfo, today: dt.date) -> list[Flowable]:
    st = hs.styles()
    lines = [hs.para(_status_words(action, today), st.small)]
    reason = action.dropped_reason.strip()
    if action.status is ActionStatus.DROPPED and reason:
        lines.append(hs.text(_short(reason, 160), st.small_muted))
    return lines


def _action_lines(ctx: PlanContext, actions: list[ActionInfo]) -> Flowable:
    return hs.data_table(
        ["Action", "Owner", "Due", "Status"],
        [
            (
                _line_title(ctx, action),
                action.owner or hs.NOTHING,
                hs.short_date(action.due_on) or hs.NOTHING,
                _line_status(action, ctx.today),
            )
            for action in actions
        ],
        [0.49, 0.17, 0.13, 0.21],
    )


def _measured(ctx: PlanContext) -> str:
    """How many actions have a measurable outcome: Standard 1.4.4 asks for them."""
    measured = sum(1 for a in ctx.actions if a.outcome_measure.strip())
    if not measured:
        return "No action has a measurable outcome yet."
    if measured == len(ctx.actions):
        return "Every action has a measurable outcome."
    verb = "has" if measured == 1 else "have"
    return f"{measured} of the {len(ctx.actions)} actions {verb} a measurable outcome."


def _by_strategy(ctx: PlanContext, full_record: str) -> list[Flowable]:
    st = hs.styles()
    flowables: list[Flowable] = [
        *hs.section_start("Actions by strategy"),
        hs.para(
            "Every action on the plan in one line, under the strategy it serves: open actions "
            "first in each strategy, the soonest due first, then those done and those dropped. "
            f"{_measured(ctx)} {full_record}"
        ),
        *_no_actions_under(ctx),
    ]
    for strategy in Strategy:
        actions = _in_order(ctx.by_strategy(strategy))
        if not actions:
            continue
        flowables += [
            *layout.loose_heading(_strategy_title(strategy), 3),
            hs.para(
                f"{hs.safe(_STRATEGY_MEANINGS[strategy])} "
                f"<i>{hs.safe(_counts_line(actions, ctx.today))}.</i>",
                st.small_muted,
            ),
            Spacer(1, 1.5 * mm),
            _action_lines(ctx, actions),
        ]
    return flowables


def detail(ctx: PlanContext) -> list[Flowable]:
    """Every action in full, under the strategy it serves: the plan's appendix."""
    flowables: list[Flowable] = [
        hs.para(
            "Everything recorded about each action, under the strategy it serves, in the order "
            "of the lines above: open actions first, then those done and those dropped. Fields "
            "left empty are left out."
        ),
    ]
    for strategy in Strategy:
        actions = _in_order(ctx.by_strategy(strategy))
        if not actions:
            continue
        flowables += layout.loose_heading(_strategy_title(strategy), 2)
        for action in actions:
            flowables += _entry(ctx, action)
    return flowables


# ---------------------------------------------------------------------------------------------
# Achievements and sources
# ---------------------------------------------------------------------------------------------


def _achieved(ctx: PlanContext) -> list[Flowable]:
    st = hs.styles()
    done = sorted(
        (a for a in ctx.actions if ctx.period.holds(a.done_on())),
        key=lambda a: (a.done_on() or ctx.today, a.id),
    )
    moved = [a for a in ctx.actions if _moved_toward_target(a, ctx.period)]
    period = f"{ctx.period.words} ({hs.safe(ctx.period.basis)})"
    if not done and not moved:
        return [
            *hs.section_start("Achieved in the period", room=35 * mm),
            hs.para(
                f"From {period}, no action was completed, and no measured outcome had a "
                "reading nearer its target than where it started."
            ),
        ]
    flowables: list[Flowable] = [
        *hs.section_start("Achieved in the period"),
        hs.para(
            f"What was achieved from {period}: the actions completed, and the measured "
            "outcomes whose latest reading moved toward their target."
        ),
        *layout.loose_heading("Actions completed", 2),
    ]
    if done:
        flowables.append(
            hs.data_table(
                ["Action", "Service", "Done on"],
                [(_short(a.title), _service_name(a), hs.long_date(a.done_on())) for a in done],
                [0.56, 0.26, 0.18],
            )
        )
    else:
        flowables.append(hs.para("No action was completed in the period."))
    flowables += layout.loose_heading("Outcomes that moved toward their target", 2)
    if moved:
        flowables.append(
            hs.data_table(
                ["Action", "Outcome: baseline → latest → target", "Progress"],
                [(_short(a.title), a.outcome_text(), _movement_words(a)) for a in moved],
                [0.3, 0.42, 0.28],
            )
        )
        flowables.append(Spacer(1, 2 * mm))
        flowables.append(
            hs.para(
                "Counted when the latest reading was taken in the period and is nearer the "
                "target than the baseline (or, where no baseline was set, the first reading).",
                st.small_muted,
            )
        )
    else:
        flowables.append(
            hs.para(
                "No measured outcome had a reading in the period nearer its target than where "
                "it started."
            )
        )
    return flowables


def _sources(ctx: PlanContext) -> str:
    """How many actions came from each audit and how many of those are still open, in a
    sentence, so a finding can be followed through to what is being done about it."""
    # Any kind of source added later is counted too, after the known ones.
    order = [*_SOURCE_ORDER, *(source for source in ActionSource if source not in _SOURCE_ORDER)]
    counts = []
    for source in order:
        actions = [a for a in ctx.actions if a.source is source]
        if actions:
            still_open = count_actions(actions, ctx.today).open
            words = _SOURCE_COUNTED.get(source, f"from {ACTION_SOURCE_LABELS[source].lower()}")
            counts.append(f"{len(actions)} {words} ({still_open} still open)")
    if not counts:
        return ""
    listed = counts[0] if len(counts) == 1 else "; ".join(counts[:-1]) + "; and " + counts[-1]
    return f"<b>Where the actions came from</b>: {listed}."


def body(ctx: PlanContext, full_record: str) -> list[Flowable]:
    """The plan itself: about it, the pledges, the counts, overdue actions, every action in a
    line, what was achieved in the period and where the actions came from. ``full_record``
    says where everything recorded about each action is printed."""
    return [
        *_about(ctx),
        *_pledge(ctx),
        *_summary(ctx),
        *_overdue(ctx),
        *_by_strategy(ctx, full_record),
        *_achieved(ctx),
    ]


def build_story(ctx: PlanContext) -> list[Flowable]:
    return [
        *_cover(ctx),
        *_document_control(ctx),
        *body(ctx, "The appendix at the end of this report has everything recorded about each."),
        Spacer(1, 6 * mm),
        *hs.paper_sign_off("this plan"),
        *hs.section_start(APPENDIX_TITLE, new_page=True),
        *detail(ctx),
    ]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _period(pledge: PledgeInfo | None, today: dt.date, start: dt.date | None) -> hs.Period:
    if pledge is not None:
        period = hs.Period(pledge.period_start, pledge.period_end, "the pledge period")
    else:
        period = hs.Period.last_12_months(today)
    if start is not None:
        what = "the end of the pledge period" if pledge is not None else "the day printed"
        period = hs.Period(start, period.end, f"from the date chosen to {what}")
    return period


def scope_service(db: Database, service_id: int | None) -> ServiceInfo | None:
    """The service asked for (None for the whole organisation); it must still exist."""
    if service_id is None:
        return None
    service = next((s for s in list_services(db) if s.id == service_id), None)
    if service is None:
        raise UserFacingError("That service no longer exists.")
    return service


def actions_in_scope(db: Database, service: ServiceInfo | None) -> list[ActionInfo]:
    """The service's actions and the organisation-wide ones; every action for None."""
    return [
        a
        for a in list_actions(db)
        if service is None or a.service is None or a.service.id == service.id
    ]


def write_plan_report(
    db: Database,
    out: Path,
    *,
    service_id: int | None = None,
    today: dt.date | None = None,
    period_start: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write the restraint reduction plan as a PDF at ``out`` (replacing any file there).

    ``service_id`` keeps that service's actions and the organisation-wide ones; ``None`` prints
    everything. ``today`` is the day the plan is printed as of (what is overdue). The period
    for "Achieved in the period" is the current pledge's period, else the last 12 months;
    ``period_start`` moves its start. ``progress`` receives fractions from 0 to 1. Raises
    UserFacingError when there is neither a pledge nor an action to print."""
    today = today or dt.date.today()
    job = ReportJob(out, progress)
    service = scope_service(db, service_id)
    pledge = current_pledge(db)
    actions = actions_in_scope(db, service)
    if pledge is None and not actions:
        where = f" for {service.name}" if service is not None else ""
        raise UserFacingError(
            f"There is no pledge or action on the plan{where} yet, so there is nothing to "
            "print. Make the pledge or add an action first."
        )
    ctx = PlanContext(
        organisation=organisation_name(db),
        service=service,
        pledge=pledge,
        staff_pledges=list_staff_pledges(db),
        actions=actions,
        today=today,
        period=_period(pledge, today, period_start),
        generated_at=dt.datetime.now().replace(microsecond=0),
    )
    job.step(0.1)
    story = build_story(ctx)
    return job.finish(
        story,
        title=REPORT_TITLE,
        header=f"{ctx.scope} · {REPORT_TITLE}",
        footer_note=f"as it stood on {hs.long_date(today)}",
        author=ctx.organisation,
        subject=f"{ctx.scope}: restraint reduction plan on {hs.long_date(today)}",
    )


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: Progress | None
) -> ReportResult:
    """The catalogue's way in."""
    return write_plan_report(db, out, service_id=request.service_id, progress=progress)
