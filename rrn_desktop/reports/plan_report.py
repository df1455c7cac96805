"""The restraint reduction plan, printed for boards, commissioners and inspectors.

Order: cover; document control; about this plan; our pledge and individual pledges; summary
counts by strategy; overdue actions; every action in full, one section per strategy of the Six
Core Strategies; what was achieved in the period; where the actions came from; finally a
sign-off block to complete on paper.

The plan is evidence for Training Standard 1.4.4 (a restraint reduction plan with measurable
outcomes and actions), so every field of every action is printed, never summarised away.

The inspection pack prints everything between the document control and the sign-off
(:func:`body`) as one of its parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

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
from rrn_desktop.errors import UserFacingError
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import (
    ACTION_SOURCE_LABELS,
    ACTION_STATUS_LABELS,
    STRATEGY_LABELS,
    ActionSource,
    ActionStatus,
    Strategy,
)

__all__ = [
    "REPORT_TITLE",
    "PlanContext",
    "ReportResult",
    "actions_in_scope",
    "body",
    "scope_service",
    "write_plan_report",
]

REPORT_TITLE = "Restraint reduction plan"
NOT_SET = "Not set"
NO_ACTIONS_UNDER_STRATEGY = "No actions under this strategy yet."
NO_PLEDGE = "No pledge recorded yet."
NOT_PUBLISHED = "Not published yet"

# An action starts on a fresh page unless its heading and the first few fields fit here.
_ENTRY_ROOM = 45 * mm
# Titles are printed in full in the action's own entry; tables and repeated headings shorten
# them, so an action pasted in at great length cannot fill a heading taller than a page.
_SHORT_TITLE = 240
# The readings table sits inside an action's cell (the value column, less its padding). A table
# there moves whole to the next page; taller than this, the readings print as lines instead.
_READINGS_WIDTH = 0.7 * hs.CONTENT_WIDTH - 8
_READINGS_MAX_HEIGHT = hs.FRAME_HEIGHT / 3
# An action shorter than this is kept on one page; a longer one may start near the foot of a
# page and carry on, so the page before is not left mostly empty.
_KEEP_WHOLE_HEIGHT = hs.FRAME_HEIGHT * 0.6

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
    ActionStatus.PLANNED: "Agreed and on the plan; work has not started yet.",
    ActionStatus.IN_PROGRESS: "Work on it has started and is under way.",
    ActionStatus.DONE: "Completed. The date it was done is the date it was marked done.",
    ActionStatus.DROPPED: (
        "No longer being pursued. The reason is always recorded and printed with the action."
    ),
}

_SOURCE_ORDER = (
    ActionSource.BENCHMARK_ITEM,
    ActionSource.RESTRICTION,
    ActionSource.LEARNING_POINT,
    ActionSource.PLAN,
)
_SOURCE_HEADINGS: dict[ActionSource, str] = {
    ActionSource.BENCHMARK_ITEM: "From benchmarks of training (Training Standards items)",
    ActionSource.RESTRICTION: "From the blanket restrictions register",
    ActionSource.LEARNING_POINT: "From post-incident learning",
    ActionSource.PLAN: "Added to the plan itself",
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


def _subheading(title: str) -> list[Flowable]:
    """A second-level heading over a table that may run for pages. Not kept with the table
    (keeping them together would push a long table to a new page and leave a half-empty
    one); a heading never starts in the last few lines of a page either."""
    style = ParagraphStyle("PlanSubheading", parent=hs.styles().h2, keepWithNext=0)
    return [CondPageBreak(35 * mm), hs.para(hs.safe(title), style)]


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
    strategy_rows = [
        (f"{number}. {STRATEGY_LABELS[strategy]}", _STRATEGY_MEANINGS[strategy])
        for number, strategy in enumerate(Strategy, start=1)
    ]
    status_rows = [
        (ACTION_STATUS_LABELS[status], meaning) for status, meaning in _STATUS_MEANINGS.items()
    ]
    scope = (
        "It covers every service's actions and the actions for the organisation as a whole."
        if ctx.whole_organisation
        else "It covers the actions of this service and the actions for the organisation as a "
        "whole; other services' actions are left out."
    )
    return [
        *hs.section_start("About this plan"),
        hs.para(
            "The Restraint Reduction Network (RRN) asks each member to commit to actions over "
            "the next two years: an organisation makes a pledge and keeps a plan of its "
            "priorities, and individual staff can each commit to an action of their own. "
            f"This report prints that pledge and that plan. {scope}"
        ),
        hs.para(
            "The plan is built on the <b>Six Core Strategies</b>, the approach to reducing "
            "restraint that the RRN recommends. Every action sits under one of them, and every "
            "strategy is printed below, including any with no actions yet, so gaps can be seen."
        ),
        hs.data_table(["Strategy", "What it covers"], strategy_rows, [0.34, 0.66]),
        Spacer(1, 3 * mm),
        hs.para(
            "<b>Evidence for the Training Standards.</b> Training Standard 1.4.4 asks that the "
            "organisation has a restraint reduction plan with measurable outcomes and actions. "
            "This report is that plan, so it can be shown as evidence for the benchmark: each "
            "action says what will be measured, where it started (the baseline), the latest "
            "reading and the target. The app sets no targets and gives no pass mark: each "
            "target is one the organisation chose, and progress is judged against its own "
            "starting point."
        ),
        hs.heading("What each status means", 2),
        hs.data_table(["Status", "What it means"], status_rows, [0.2, 0.8]),
        Spacer(1, 3 * mm),
        hs.para(
            "<b>Overdue</b>: an action is overdue when it is still open (planned or in "
            f"progress) and its due date has passed on {hs.long_date(ctx.today)}, the date this "
            "plan was printed. Overdue actions are listed first and marked <b>OVERDUE</b> in "
            "words wherever they appear."
        ),
        hs.para(
            "<b>The period</b> used for “Achieved in the period” is "
            f"{ctx.period.words} ({hs.safe(ctx.period.basis)}).",
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
                [
                    ("Made on", hs.long_date(pledge.made_on)),
                    (
                        "Pledge period",
                        f"{hs.long_date(pledge.period_start)} to {hs.long_date(pledge.period_end)}",
                    ),
                    ("Signed by", who or hs.muted(NOT_SET)),
                    ("Role", pledge.signed_role.strip() or hs.muted(NOT_SET)),
                    ("Published", _published(pledge)),
                ]
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
    flowables: list[Flowable] = _subheading("Individual pledges")
    if not ctx.staff_pledges:
        flowables.append(hs.para("No individual pledges are recorded yet."))
        return flowables
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
    # A short table, never split: a totals row alone on a page would be read out of context.
    # (The heading goes inside too: kept "with the next" it would not hold to a KeepTogether.)
    return [
        CondPageBreak(60 * mm),
        KeepTogether([hs.heading("Summary", 1), intro, table, Spacer(1, 2 * mm), note]),
    ]


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
                action.owner or hs.muted(NOT_SET),
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
# Every action in full
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
        return hs.muted(NOT_SET)
    text = hs.long_date(action.due_on)
    if action.overdue(today):
        return hs.para(f"{text}: <b>{_overdue_words(action, today)}</b>", hs.styles().small)
    return text


def _outcome(action: ActionInfo) -> object:
    st = hs.styles()
    if not action.outcome_measure.strip():
        return hs.muted("No measurable outcome recorded yet.")
    flowables: list[Flowable] = [hs.text(action.outcome_text(), st.small)]
    if not action.readings:
        flowables.append(hs.muted("No readings recorded yet."))
        return flowables
    flowables.append(Spacer(1, 1.5 * mm))
    flowables += _readings(action)
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
                [hs.text(reading.note, st.small) if reading.note.strip() else hs.muted(hs.NOTHING)],
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
        return hs.muted("No progress notes yet.")
    return [
        hs.para(
            f"<b>{hs.long_date(note.noted_on)}</b> · {hs.safe(note.text)}", hs.cell_line_style()
        )
        for note in action.notes
    ]


def _history(action: ActionInfo) -> object:
    if not action.status_changes:
        return hs.muted("No changes recorded.")
    return hs.status_history(action.status_changes)


def _evidence(action: ActionInfo) -> object:
    if not action.evidence_files:
        return hs.muted("No files attached.")
    return "; ".join(evidence.original_name for evidence in action.evidence_files)


def _entry_rows(ctx: PlanContext, action: ActionInfo) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    if len(" ".join(action.title.split())) > _SHORT_TITLE:  # shortened in the heading
        rows.append(("Action in full", action.title))
    status: object = hs.para(_status_words(action, ctx.today), hs.styles().small)
    rows += [
        ("Status", status),
        ("Priority", action.priority_label),
        ("Owner", action.owner or hs.muted(NOT_SET)),
        ("Service", _service_name(action)),
        ("Start", _date(action.start_on)),
        ("Due", _due(action, ctx.today)),
        ("Where it came from", action.source_detail),
        (
            "Description",
            action.description
            if action.description.strip()
            else hs.muted("No description written."),
        ),
        ("Measurable outcome", _outcome(action)),
        ("Progress log", _notes(action)),
        ("Status history", _history(action)),
    ]
    if action.status is ActionStatus.DROPPED:
        reason = action.dropped_reason.strip()
        rows.append(("Why it was dropped", reason or hs.muted("No reason recorded.")))
    rows.append(("Evidence attached", _evidence(action)))
    return rows


def _entry(
    ctx: PlanContext, action: ActionInfo, lead_in: Sequence[Flowable] = ()
) -> list[Flowable]:
    """One action as one table: its heading row (repeated if the action runs onto another
    page) and a row for every field, so the heading is never left alone at the foot of a page.

    ``lead_in`` (a strategy's heading) is kept on the same page as the start of the action."""
    table = hs.record_table(_entry_header(ctx, action), _entry_rows(ctx, action))
    _width, height = table.wrap(hs.CONTENT_WIDTH, hs.FRAME_HEIGHT)
    if height <= _KEEP_WHOLE_HEIGHT:
        # A short action moves whole to the next page rather than leave a row or two behind.
        return [KeepTogether([*lead_in, table]), Spacer(1, 5 * mm)]
    room = _ENTRY_ROOM + (20 * mm if lead_in else 0)
    return [CondPageBreak(room), *lead_in, table, Spacer(1, 5 * mm)]


def _strategy_heading_style() -> ParagraphStyle:
    # Not kept with the next flowable: that is a whole action, and keeping the two together
    # would push a long action to a new page and leave the heading's page half empty.
    return ParagraphStyle("PlanStrategy", parent=hs.styles().h2, spaceBefore=10, keepWithNext=0)


def _in_order(actions: list[ActionInfo]) -> list[ActionInfo]:
    """Open actions first (soonest due first), then done, then dropped."""
    rank = {
        ActionStatus.IN_PROGRESS: 0,
        ActionStatus.PLANNED: 0,
        ActionStatus.DONE: 1,
        ActionStatus.DROPPED: 2,
    }
    return sorted(actions, key=lambda a: (rank[a.status], a.due_on or dt.date.max, a.id))


def _by_strategy(ctx: PlanContext) -> list[Flowable]:
    st = hs.styles()
    flowables: list[Flowable] = [
        *hs.section_start("Actions by strategy", new_page=True),
        hs.para(
            "Every action on the plan, under the strategy it serves, with everything recorded "
            "about it. Open actions come first in each strategy, the soonest due first, then "
            "those done and those dropped."
        ),
    ]
    heading_style = _strategy_heading_style()
    for number, strategy in enumerate(Strategy, start=1):
        actions = _in_order(ctx.by_strategy(strategy))
        lead_in: list[Flowable] = [
            hs.para(f"{number}. {hs.safe(STRATEGY_LABELS[strategy])}", heading_style),
            hs.para(hs.safe(_STRATEGY_MEANINGS[strategy]), st.small_muted),
            Spacer(1, 1.5 * mm),
        ]
        if not actions:
            flowables.append(KeepTogether([*lead_in, hs.para(NO_ACTIONS_UNDER_STRATEGY)]))
            continue
        lead_in += [
            hs.para(f"<i>{hs.safe(_counts_line(actions, ctx.today))}.</i>", st.small),
            Spacer(1, 2 * mm),
        ]
        # The heading travels with the first action, never alone at the foot of a page.
        flowables += _entry(ctx, actions[0], lead_in)
        for action in actions[1:]:
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
    flowables: list[Flowable] = [
        *hs.section_start("Achieved in the period"),
        hs.para(
            f"What was achieved from {ctx.period.words} ({hs.safe(ctx.period.basis)}): the "
            "actions completed, and the measured outcomes whose latest reading moved toward "
            "their target."
        ),
        *_subheading("Actions completed"),
    ]
    if done:
        flowables.append(
            hs.data_table(
                ["Action", "Strategy", "Service", "Done on"],
                [
                    (
                        _short(a.title),
                        a.strategy_label,
                        _service_name(a),
                        hs.long_date(a.done_on()),
                    )
                    for a in done
                ],
                [0.42, 0.24, 0.18, 0.16],
            )
        )
    else:
        flowables.append(hs.para("No action was completed in the period."))
    flowables += _subheading("Outcomes that moved toward their target")
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


def _audit_order(action: ActionInfo) -> tuple:
    """The actions of one audit together (each benchmark, each restriction), in item order."""
    return (
        action.benchmark_id or 0,
        action.restriction_id or 0,
        action.item_code or "",
        _service_name(action).casefold() if action.source is ActionSource.PLAN else "",
        action.id,
    )


def _sources(ctx: PlanContext) -> list[Flowable]:
    # Any kind of source added later still gets its group, after the known ones.
    order = [*_SOURCE_ORDER, *(source for source in ActionSource if source not in _SOURCE_ORDER)]
    groups = {source: [a for a in ctx.actions if a.source is source] for source in order}
    count_rows = []
    for source, actions in groups.items():
        counts = count_actions(actions, ctx.today)
        count_rows.append(
            (
                ACTION_SOURCE_LABELS[source],
                str(len(actions)),
                str(counts.open),
                str(counts.overdue),
                str(counts.done),
            )
        )
    flowables: list[Flowable] = [
        *hs.section_start("Where the actions came from"),
        hs.para(
            "Actions reach the plan from the organisation's audits as well as being added to "
            "it directly. This shows which audit each action came from, so a commissioner or "
            "inspector can follow a finding through to what is being done about it."
        ),
        hs.data_table(
            ["Came from", "Actions", "Open", "Overdue", "Done"],
            count_rows,
            [0.44, 0.14, 0.14, 0.14, 0.14],
        ),
    ]
    for source, actions in groups.items():
        if not actions:
            continue
        # Actions added to the plan directly have no audit to name: show their service.
        direct = source is ActionSource.PLAN
        flowables += [
            *_subheading(
                _SOURCE_HEADINGS.get(source, f"From {ACTION_SOURCE_LABELS[source].lower()}")
            ),
            hs.data_table(
                ["Action", "Service" if direct else "Where it came from", "Strategy", "Status"],
                [
                    (
                        _short(a.title),
                        _service_name(a) if direct else a.source_detail,
                        a.strategy_label,
                        hs.para(_status_words(a, ctx.today), hs.styles().small),
                    )
                    for a in sorted(actions, key=_audit_order)
                ],
                [0.32, 0.3, 0.2, 0.18],
            ),
        ]
    empty = [ACTION_SOURCE_LABELS[s].lower() for s, actions in groups.items() if not actions]
    if empty:
        flowables += [
            Spacer(1, 2 * mm),
            hs.para(
                "No actions came from " + "; ".join(hs.safe(words) for words in empty) + ".",
                hs.styles().body_muted,
            ),
        ]
    return flowables


def body(ctx: PlanContext) -> list[Flowable]:
    """The plan itself: about it, the pledges, the counts, overdue actions, every action in
    full, what was achieved in the period and where the actions came from."""
    return [
        *_about(ctx),
        *_pledge(ctx),
        *_summary(ctx),
        *_overdue(ctx),
        *_by_strategy(ctx),
        *_achieved(ctx),
        *_sources(ctx),
    ]


def build_story(ctx: PlanContext) -> list[Flowable]:
    return [
        *_cover(ctx),
        *_document_control(ctx),
        *body(ctx),
        Spacer(1, 6 * mm),
        *hs.paper_sign_off("this plan"),
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
