"""One incident's record, printed for an inspector, a safeguarding meeting or the service's file.

Order: cover; document control; then three parts, each on a new page and kept apart as the
Restraint Reduction Network's toolkit keeps them apart: Part 1, what happened (with a note that
the record holds personal data); Part 2, the support offered afterwards; Part 3, the learning
review and what it led to; finally a sign-off block to complete on paper.

Support records are sensitive: the person's own account, and how the staff and witnesses were
looked after. Unless they are asked for, Part 2 says they were left out and prints only whether
support came within 72 hours, never what was said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import ANSWER_LABELS, Answer, Involvement, PersonIdentity
from rrn_desktop.content.incident_models import IncidentPack
from rrn_desktop.content.loader import incident_pack, rule_pack_for, sector_questions
from rrn_desktop.core.deadlines import within_72_hours
from rrn_desktop.core.incident_settings import IncidentSettings, incident_settings
from rrn_desktop.core.incidents import (
    IncidentInfo,
    LearningPointInfo,
    PersonSupportInfo,
    StaffInfo,
    get_incident,
)
from rrn_desktop.core.plan import ActionInfo, get_action
from rrn_desktop.core.services import organisation_name
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import layout
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

__all__ = [
    "PART_ONE",
    "PART_THREE",
    "PART_TWO",
    "REPORT_TITLE",
    "SUPPORT_LEFT_OUT",
    "ReportResult",
    "write_incident_report",
]

REPORT_TITLE = "Incident record"
PART_ONE = "Part 1: The incident"
PART_TWO = "Part 2: Support"
PART_THREE = "Part 3: Learning review"
SUPPORT_LEFT_OUT = "Support records were left out of this copy."
PERSONAL_DATA = (
    "<b>This report contains personal data</b> about the person at the centre of the incident "
    "and the staff who were there. Store it, share it and destroy it in line with your "
    "organisation's data protection policy, and only with people who need to see it."
)
NOT_RECORDED = "Not recorded"
_COVER_NOTE = (
    "The record of one restrictive intervention, in three parts kept apart on purpose: "
    "what happened; the support offered afterwards to the person, the staff and anyone "
    "who saw it; and the learning review. Support is never used to find fault, and the "
    "review looks at what to change so that restraint is less likely next time, not at "
    "whom to blame."
)


@dataclass(frozen=True)
class _Context:
    incident: IncidentInfo
    pack: IncidentPack
    organisation: str
    settings: IncidentSettings
    include_support: bool
    today: dt.date
    now: dt.datetime  # the moment "overdue" is judged at: today, at the time of printing
    generated_at: dt.datetime
    actions: dict[int, ActionInfo | None]  # None: the action is no longer on the plan

    @property
    def support_status(self) -> str:
        if self.include_support:
            return "Included in full (sensitive: handle with extra care)"
        return "Left out of this copy: it shows only whether support came in time"

    @property
    def review_status(self) -> str:
        review = self.incident.review
        if review is not None:
            return f"Held on {hs.long_date(review.held_on)}"
        due = f"due by {hs.long_datetime(self.incident.review_due_by)}"
        overdue = " (OVERDUE)" if self.incident.review_overdue(self.now) else ""
        return f"Not held yet: {due}{overdue}"


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _answer(value: Answer) -> str:
    return ANSWER_LABELS[value]


def duration_words(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    hours, rest = divmod(minutes, 60)
    parts = [plural(hours, "hour")] if hours else []
    if rest or not hours:
        parts.append(plural(rest, "minute"))
    return " ".join(parts)


def _window_end(incident: IncidentInfo) -> str:
    return hs.long_datetime(incident.review_due_by)


def _window_words(ctx: _Context) -> str:
    """When the 72 hours after the incident end, in the tense the day of printing calls for."""
    ends = _window_end(ctx.incident)
    if ctx.incident.review_due_by <= ctx.now:
        return f"ran out on {ends}"
    return f"run out on {ends}"


def _timing(incident: IncidentInfo, on: dt.date | None, *, short: bool = False) -> str:
    """Whether support was offered within 72 hours of the incident, in words."""
    if on is None:
        return "Not offered yet"
    if within_72_hours(incident.occurred_at, on):
        return "Yes" if short else "Yes, within 72 hours"
    return "No" if short else f"No: after the 72 hours ran out on {_window_end(incident)}"


def _notice(markup: str) -> hs.HouseTable:
    """A short note in a shaded box, for what a reader must not miss (markup must be safe)."""
    box = hs.HouseTable(
        [[[hs.para(markup, hs.styles().small)]]], colWidths=[hs.CONTENT_WIDTH], hAlign="LEFT"
    )
    box.setStyle(
        TableStyle(
            [
                *hs.table_style(header_rows=0, zebra=False),
                ("BACKGROUND", (0, 0), (-1, -1), hs.LABEL_FILL),
                ("BOX", (0, 0), (-1, -1), 1.0, hs.INK),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return box


# ---------------------------------------------------------------------------------------------
# Cover and document control
# ---------------------------------------------------------------------------------------------


def _cover_facts(ctx: _Context) -> list[tuple[str, object]]:
    incident = ctx.incident
    return [
        ("Service", incident.service.name),
        ("Type of service", incident.service.sector_label),
        ("Organisation", ctx.organisation),
        ("Incident", incident.reference),
        ("Date and time", hs.long_datetime(incident.occurred_at)),
        ("Types of intervention", incident.types_text or NOT_RECORDED),
        ("Learning review", ctx.review_status),
        ("Support records", ctx.support_status),
    ]


def _cover(ctx: _Context) -> list[Flowable]:
    return hs.cover_heading(
        organisation=ctx.organisation,
        report_title=REPORT_TITLE,
        subtitle=f"Incident {ctx.incident.reference}",
        facts=_cover_facts(ctx),
        purpose_note=_COVER_NOTE,
    )


def _identity_text(ctx: _Context) -> str:
    if ctx.settings.identity is PersonIdentity.INITIALS:
        return "By reference code, and by initials where they were recorded"
    return "By reference code only"


def _document_control(ctx: _Context) -> list[Flowable]:
    incident = ctx.incident
    retention = (
        f"{ctx.settings.retention_text} after the incident, then due for deletion "
        "(the organisation's setting)"
    )
    return hs.pack_document_control(
        [
            ("Report", REPORT_TITLE),
            ("Incident", f"{incident.reference}, {incident.service.name}"),
            ("Support records", ctx.support_status),
            ("The person is known", _identity_text(ctx)),
            ("Records kept for", retention),
        ],
        pack_title=ctx.pack.title,
        pack_version=ctx.pack.version,
        generated_at=ctx.generated_at,
        status=f"A printed copy of the record as it stood on {hs.long_date(ctx.today)}. The "
        "record kept in RRN Self-Audit is the live one: support and the review may be added.",
    )


# ---------------------------------------------------------------------------------------------
# Part 1: the incident
# ---------------------------------------------------------------------------------------------


def intervention_lines(incident: IncidentInfo) -> list[Flowable]:
    return [
        hs.para(f"{hs.safe(i.kind_label)} <i>({hs.safe(i.type_label)})</i>", hs.styles().small)
        for i in incident.interventions
    ]


def _injuries(incident: IncidentInfo) -> object:
    st = hs.styles()
    lines: list[Flowable] = [
        hs.para(f"The person injured: <b>{_answer(incident.person_injured)}</b>", st.small),
        hs.para(f"Staff injured: <b>{_answer(incident.staff_injured)}</b>", st.small),
    ]
    if incident.injury_details.strip():
        lines.append(hs.text(incident.injury_details, st.small))
    return lines


def _incident_rows(incident: IncidentInfo) -> list[tuple[str, object]]:
    """Every field recorded, then the fields left empty named once: a gap in an incident's
    record is itself worth seeing."""
    rows: list[tuple[str, object]] = [("Reference code", incident.reference)]
    if incident.person_initials.strip():
        rows.append(("The person's initials", incident.person_initials))
    if incident.person_code.strip():
        rows.append(("The person's code", incident.person_code))
    rows += [
        ("Service", f"{incident.service.name} ({incident.service.sector_label})"),
        ("Date and time", hs.long_datetime(incident.occurred_at)),
    ]
    recorded: list[tuple[str, object]] = [
        ("How long it lasted", duration_words(incident.duration_minutes)),
        ("Where", incident.place),
        ("Types of intervention", incident.types_text),
        ("Kinds of intervention", intervention_lines(incident)),
        ("Why it was used", incident.reason),
        ("What was tried first", incident.tried_first),
        ("In the person's plan", _answer(incident.in_plan)),
        ("Injuries", _injuries(incident)),
        ("Who was told", incident.who_told),
    ]
    # Optional, so printed only where answered: an unanswered one is not a gap in the record.
    about = [
        (question.label, incident.person_details[question.id])
        for question in incident_pack().person_questions
        if question.id in incident.person_details
    ]
    return [*rows, *layout.filled_rows(recorded), *about, *layout.gaps_row(recorded)]


def _recording_law(ctx: _Context) -> list[Flowable]:
    """What the service's recording rules still need of the record, as of the day printed."""
    service = ctx.incident.service
    rules = rule_pack_for(service.jurisdiction, service.sector)
    check = ctx.incident.legal_check(ctx.today)
    if rules is None or check is None:
        return []
    rows: list[tuple[str, object]] = [
        ("Against the law", "Complete" if check.complete else "Not complete"),
        *[("Missing", fact.label) for fact in check.missing],
        *[("Deadline", deadline.text) for deadline in check.deadlines],
        *[(fact.label, fact.kept_elsewhere) for fact in check.kept_elsewhere],
    ]
    if rules.retention_years:
        rows.append(("Keep the record for", plural(rules.retention_years, "year")))
    return [
        KeepTogether(
            [
                hs.heading(f"What the law asks: {rules.title}", 2),
                hs.para(hs.safe(rules.source), hs.styles().small_muted),
                Spacer(1, 2 * mm),
                hs.key_value_table(rows, label_width=0.3),
            ]
        ),
        Spacer(1, 2 * mm),
    ]


def _sector_questions(ctx: _Context) -> list[Flowable]:
    record = ctx.pack.sector_record(ctx.incident.service.sector)
    if record is None:
        return []
    answers = ctx.incident.answers_for()
    answered = {answer.label for answer in answers}
    body: Flowable = (
        hs.key_value_table([(a.label, a.value) for a in answers], label_width=0.4)
        if answers
        else hs.para("None of these questions has been answered yet.")
    )
    # The heading and its note move to the next page with the answers rather than stay behind.
    flowables: list[Flowable] = [
        KeepTogether(
            [
                hs.heading(record.title, 2),
                hs.para(hs.safe(record.summary), hs.styles().small_muted),
                Spacer(1, 2 * mm),
                body,
            ]
        )
    ]
    questions = sector_questions(ctx.incident.service.sector, ctx.incident.service.jurisdiction)
    missing = [field.label for field in questions if field.label not in answered]
    if answers and missing:
        label = hs.para("<b>Not answered yet:</b>", hs.styles().small)
        items = [hs.para(hs.safe(field), hs.styles().indented_muted) for field in missing]
        flowables += [Spacer(1, 2 * mm), KeepTogether([label, *items])]
    return flowables


def _people(staff: Sequence[StaffInfo]) -> list[StaffInfo]:
    """Those involved first, then the witnesses, each in the order they were added."""
    return sorted(staff, key=lambda s: s.involvement is Involvement.WITNESS)


def _staff_present(incident: IncidentInfo) -> list[Flowable]:
    heading = hs.heading("Staff involved and witnesses", 2)
    if not incident.staff:
        return [heading, hs.para("No staff or witnesses are recorded for this incident.")]
    table = hs.data_table(
        ["Name", "Role", "Involvement"],
        [
            (
                person.name,
                person.role if person.role.strip() else hs.NOTHING,
                person.involvement_label,
            )
            for person in _people(incident.staff)
        ],
        [0.4, 0.4, 0.2],
    )
    note = hs.para(
        "How each of them was looked after afterwards belongs to the support record, in Part 2.",
        hs.styles().small_muted,
    )
    return [KeepTogether([heading, note, Spacer(1, 1.5 * mm), table])]


def _part_one(ctx: _Context) -> list[Flowable]:
    incident = ctx.incident
    return [
        *hs.section_start(PART_ONE, new_page=True),
        _notice(PERSONAL_DATA),
        Spacer(1, 4 * mm),
        layout.record_table(
            hs.para(f"<b>What happened</b> · {hs.safe(incident.reference)}", hs.styles().body),
            _incident_rows(incident),
        ),
        Spacer(1, 2 * mm),
        *_sector_questions(ctx),
        *_recording_law(ctx),
        *_staff_present(incident),
    ]


# ---------------------------------------------------------------------------------------------
# Part 2: support
# ---------------------------------------------------------------------------------------------


def _person_support_rows(
    incident: IncidentInfo, support: PersonSupportInfo
) -> list[tuple[str, object]]:
    recorded: list[tuple[str, object]] = [
        ("Offered by (role)", support.offered_by_role),
        ("Taken up", support.taken_up_label),
        ("How they chose to communicate", support.communication),
        ("Their own account, in their words", support.own_account),
        ("What would help next time", support.help_next_time),
    ]
    return [
        ("Offered on", hs.long_date(support.offered_on)),
        ("Within 72 hours", _timing(incident, support.offered_on)),
        *layout.filled_rows(recorded),
        *layout.gaps_row(recorded),
    ]


def _person_support(incident: IncidentInfo) -> list[Flowable]:
    flowables: list[Flowable] = [hs.heading("Support for the person", 2)]
    support = incident.person_support
    if support is None:
        flowables.append(
            hs.para(
                "No support for the person has been recorded yet. It should be offered within "
                f"72 hours: by {_window_end(incident)}."
            )
        )
        return flowables
    flowables.append(hs.key_value_table(_person_support_rows(incident, support), label_width=0.34))
    return flowables


def _welfare(incident: IncidentInfo) -> list[Flowable]:
    flowables: list[Flowable] = [hs.heading("Welfare checks for staff and witnesses", 2)]
    if not incident.staff:
        flowables.append(hs.para("No staff or witnesses are recorded for this incident."))
        return flowables
    rows = [
        (
            person.name,
            [
                *([hs.text(person.role, hs.styles().small)] if person.role.strip() else []),
                hs.muted(person.involvement_label),
            ],
            hs.short_date(person.welfare_offered_on) or hs.muted("Not offered yet"),
            _timing(incident, person.welfare_offered_on, short=True),
            person.taken_up_label,
            person.referral if person.referral.strip() else hs.NOTHING,
        )
        for person in _people(incident.staff)
    ]
    flowables.append(
        hs.data_table(
            ["Name", "Role", "Offered on", "Within 72 hours", "Taken up", "Referral or more help"],
            rows,
            [0.19, 0.18, 0.13, 0.15, 0.1, 0.25],
        )
    )
    return flowables


def _in_time_count(incident: IncidentInfo, involvement: Involvement) -> str:
    people = [s for s in incident.staff if s.involvement is involvement]
    if not people:
        return "None recorded"
    in_time = sum(within_72_hours(incident.occurred_at, s.welfare_offered_on) for s in people)
    return f"{in_time} of {len(people)}"


def _timing_only(incident: IncidentInfo) -> list[Flowable]:
    """What the copy without support records still shows: whether support came in time."""
    support = incident.person_support
    person = _timing(incident, support.offered_on if support else None, short=True)
    return [
        _notice(
            f"<b>{SUPPORT_LEFT_OUT}</b> They hold the person's own account and how the staff "
            "and witnesses were looked after, so they are printed only when asked for. To "
            "include them, tick “Include support records” when making this report in "
            "RRN Self-Audit."
        ),
        Spacer(1, 4 * mm),
        hs.para("What this copy does show is whether support was offered in time:"),
        hs.key_value_table(
            [
                ("The person offered support within 72 hours", person),
                (
                    "Staff involved offered a welfare check within 72 hours",
                    _in_time_count(incident, Involvement.INVOLVED),
                ),
                (
                    "Witnesses offered a welfare check within 72 hours",
                    _in_time_count(incident, Involvement.WITNESS),
                ),
                (
                    "Everyone recorded offered support within 72 hours",
                    "Yes" if incident.support_within_72_hours else "No",
                ),
            ],
            label_width=0.6,
        ),
    ]


def _part_two(ctx: _Context) -> list[Flowable]:
    incident = ctx.incident
    flowables: list[Flowable] = [
        *hs.section_start(PART_TWO, new_page=True),
        hs.para(
            "Support comes first and is kept apart from the learning review: it is about "
            "looking after people, never about finding fault. The 72 hours after this incident "
            f"{_window_words(ctx)}.",
            hs.styles().body_muted,
        ),
    ]
    if not ctx.include_support:
        return flowables + _timing_only(incident)
    return [*flowables, *_person_support(incident), *_welfare(incident)]


# ---------------------------------------------------------------------------------------------
# Part 3: the learning review
# ---------------------------------------------------------------------------------------------


def _action_cell(ctx: _Context, point: LearningPointInfo) -> object:
    st = hs.styles()
    if point.action_id is None:
        return hs.muted("Not an action yet")
    action = ctx.actions.get(point.action_id)
    if action is None:
        return hs.muted("Became an action that is no longer on the plan")
    lines: list[Flowable] = [hs.para("<b>Action on the plan</b>", st.small)]
    if " ".join(action.title.split()) != " ".join(point.text.split()):
        lines.append(hs.text(action.title, st.small))  # renamed on the plan since
    lines.append(hs.para(f"Status: {hs.safe(action.status_label)}", st.small_muted))
    if action.owner:
        lines.append(hs.para(f"Owner: {hs.safe(action.owner)}", st.small_muted))
    if action.due_on is not None:
        lines.append(hs.para(f"Due: {hs.short_date(action.due_on)}", st.small_muted))
    return lines


def _points(ctx: _Context) -> list[Flowable]:
    review = ctx.incident.review
    assert review is not None
    flowables: list[Flowable] = [hs.heading("Learning points", 2)]
    if not review.points:
        flowables.append(hs.para("No learning points have been recorded from this review yet."))
        return flowables
    acted = sum(point.action_id is not None for point in review.points)
    flowables += [
        hs.para(
            f"{plural(len(review.points), 'learning point')}, {acted} of them now "
            f"{'an action' if acted == 1 else 'actions'} on the restraint reduction plan."
        ),
        hs.data_table(
            ["No.", "Learning point", "Theme", "What happened to it"],
            [
                (
                    str(number),
                    point.text,
                    point.theme_label or hs.NOTHING,
                    _action_cell(ctx, point),
                )
                for number, point in enumerate(review.points, start=1)
            ],
            [0.07, 0.43, 0.18, 0.32],
        ),
    ]
    return flowables


def _part_three(ctx: _Context) -> list[Flowable]:
    incident = ctx.incident
    review = incident.review
    flowables: list[Flowable] = [*hs.section_start(PART_THREE, new_page=True)]
    if review is None:
        overdue = incident.review_overdue(ctx.now)
        flowables += [
            hs.para(
                "<b>The learning review has not been held yet.</b> It should be held within 72 "
                f"hours of the incident, by {_window_end(incident)}, led by someone who was not "
                "involved." + (" <b>It is OVERDUE.</b>" if overdue else "")
            ),
            hs.para(hs.safe(ctx.pack.learning_guidance), hs.styles().body_muted),
        ]
        return flowables
    if incident.review_within_72_hours:
        timing = "Yes, within 72 hours"
    else:
        timing = f"No, late: the 72 hours ran out on {_window_end(incident)}"
    lead = review.lead_name + (f", {review.lead_role}" if review.lead_role.strip() else "")
    findings: list[tuple[str, object]] = [
        ("Before: what led up to it", review.before),
        ("During", review.during),
        ("After", review.after),
        ("What helped", review.what_helped),
        ("What could be different", review.could_be_different),
    ]
    flowables += [
        hs.key_value_table(
            [
                ("Held on", hs.long_date(review.held_on)),
                ("Within 72 hours", timing),
                ("Led by", f"{lead} (not involved in the incident)"),
                *layout.filled_rows(findings),
                *layout.gaps_row(findings),
            ],
        ),
        Spacer(1, 2 * mm),
        *_points(ctx),
    ]
    return flowables


def build_story(ctx: _Context) -> list[Flowable]:
    return [
        *_cover(ctx),
        *_document_control(ctx),
        *_part_one(ctx),
        *_part_two(ctx),
        *_part_three(ctx),
        Spacer(1, 8 * mm),
        *hs.paper_sign_off("this incident record"),
    ]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_incident_report(
    db: Database,
    incident_id: int,
    out: Path,
    *,
    include_support: bool = False,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write one incident's record as a PDF at ``out`` (replacing any file there).

    ``include_support`` prints the support records (the person's own account, staff welfare)
    in full; otherwise Part 2 says they were left out and shows only whether support came in
    time. ``today`` is the day the record is printed as of (whether the review is overdue).
    ``progress`` receives fractions from 0 to 1. Raises UserFacingError when the incident no
    longer exists."""
    generated_at = dt.datetime.now().replace(microsecond=0)
    today = today or generated_at.date()
    job = ReportJob(out, progress)
    incident = get_incident(db, incident_id)
    found: dict[int, ActionInfo | None] = {}
    for action_id in incident.action_ids:
        try:
            found[action_id] = get_action(db, action_id)
        except UserFacingError:
            found[action_id] = None
    ctx = _Context(
        incident=incident,
        pack=incident_pack(),
        organisation=organisation_name(db),
        settings=incident_settings(db),
        include_support=include_support,
        today=today,
        now=dt.datetime.combine(today, generated_at.time()),
        generated_at=generated_at,
        actions=found,
    )
    job.step(0.1)
    support = "support records included" if include_support else "support records left out"
    return job.finish(
        build_story(ctx),
        title=REPORT_TITLE,
        header=f"{incident.reference} · {incident.service.name} · {REPORT_TITLE}",
        footer_note=f"personal data · {support}",
        subject=f"Incident {incident.reference} ({incident.service.name})",
        author=ctx.organisation,
    )
