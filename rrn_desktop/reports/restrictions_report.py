"""The blanket restrictions register, printed for managers, boards and inspectors.

Order: cover; document control; how to read this register; (for the whole organisation, a
table of every service); then for each service: summary counts, the trend chart and its text
equivalent, overdue reviews, each restriction in place in one line, and the restrictions that
have been removed or individualised; a sign-off block to complete on paper; finally, as an
appendix, every entry in full, grouped by checklist category.

The inspection pack prints the same parts after its own cover (:func:`how_to_read`,
:func:`organisation_table`, :func:`service_part`), counting what ended in its own period, and
the appendix (:func:`service_detail`) only when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    RESTRICTION_STATUS_LABELS,
    AppliesTo,
    RestrictionStatus,
    Sector,
)
from rrn_desktop.content.checklist_models import ChecklistCategory, ChecklistPack
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core.restrictions import (
    OTHER_CATEGORY_TITLE,
    MonthCount,
    RegisterSummary,
    RestrictionInfo,
    describe_trend,
    list_restrictions,
    monthly_active_counts,
    overdue_entries,
    summarise,
)
from rrn_desktop.core.services import ServiceInfo, list_services, organisation_name
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import layout
from rrn_desktop.reports.catalogue import Progress, ReportRequest
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.reports.trend_chart import active_restrictions_chart
from rrn_desktop.storage.database import Database

__all__ = [
    "REPORT_TITLE",
    "RegisterContext",
    "ReportResult",
    "ServicePart",
    "how_to_read",
    "individualised",
    "organisation_table",
    "service_detail",
    "service_part",
    "service_parts",
    "write_restrictions_report",
]

REPORT_TITLE = "Blanket restrictions register"
APPENDIX_TITLE = "Appendix: every entry in full"
NOT_RECORDED = "Not recorded"
TREND_MONTHS = 24

# Labels of the fields only a children's service records (tests and the GUI look for them).
PLACING_AUTHORITY_LABEL = "Agreed with the placing authority"
PLACEMENT_PLAN_LABEL = "Written into the placement plan"
CHILD_VIEW_LABEL = "The child's own view"

# An entry starts on a fresh page unless its heading and the first few fields fit here.
_ENTRY_ROOM = 45 * mm
_OTHER_SUMMARY = "Restrictions found here that are not among the checklist's prompts."


@dataclass(frozen=True)
class ServicePart:
    service: ServiceInfo
    entries: list[RestrictionInfo]
    summary: RegisterSummary

    @property
    def childrens(self) -> bool:
        return self.service.sector is Sector.CHILDRENS_SERVICES


@dataclass(frozen=True)
class RegisterContext:
    parts: list[ServicePart]
    pack: ChecklistPack
    organisation: str
    today: dt.date
    generated_at: dt.datetime
    whole_organisation: bool
    # What ended when is counted over this period; None: the 12 months up to today.
    period: hs.Period | None = None

    @property
    def when(self) -> str:
        """When the removed and individualised counts are from, in words."""
        return "in the period" if self.period is not None else "in the last 12 months"

    @property
    def when_heading(self) -> str:
        """The same, for a column's heading."""
        return "in the period" if self.period is not None else "last 12 months"

    @property
    def scope(self) -> str:
        return "All services" if self.whole_organisation else self.parts[0].service.name

    @property
    def entries(self) -> list[RestrictionInfo]:
        return [entry for part in self.parts for entry in part.entries]

    @property
    def any_childrens(self) -> bool:
        return any(part.childrens for part in self.parts)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _days_overdue(entry: RestrictionInfo, today: dt.date) -> int:
    assert entry.next_review_on is not None
    return (today - entry.next_review_on).days


def _overdue_words(entry: RestrictionInfo, today: dt.date) -> str:
    return f"OVERDUE by {plural(_days_overdue(entry, today), 'day')}"


def individualised(summary: RegisterSummary) -> int:
    """How many of the restrictions that ended were individualised rather than removed."""
    return summary.ended_last_12_months - summary.removed_last_12_months


def _summarise(
    entries: list[RestrictionInfo], today: dt.date, period: hs.Period | None
) -> RegisterSummary:
    """The register's counts; what ended is counted over the period (by default the 12 months
    up to today)."""
    return summarise(entries, today, period)


def _category_groups(
    pack: ChecklistPack, entries: Sequence[RestrictionInfo]
) -> list[tuple[str, str, list[RestrictionInfo]]]:
    """(title, summary, entries) in the pack's category order, then everything else; entries
    still in place before the ended ones, each in the order they were found."""
    known = {category.id for category in pack.categories}
    groups: list[tuple[str, str, list[RestrictionInfo]]] = []
    wanted: list[tuple[ChecklistCategory | None, list[RestrictionInfo]]] = [
        (category, [e for e in entries if e.category_id == category.id])
        for category in pack.categories
    ]
    wanted.append((None, [e for e in entries if e.category_id not in known]))
    for category, members in wanted:
        if not members:
            continue
        ordered = (
            [e for e in members if e.in_place]
            + [e for e in members if e.to_check]
            + [e for e in members if e.ended]
        )
        if category is None:
            groups.append((OTHER_CATEGORY_TITLE, _OTHER_SUMMARY, ordered))
        else:
            groups.append((category.title, category.summary, ordered))
    return groups


# ---------------------------------------------------------------------------------------------
# Opening pages
# ---------------------------------------------------------------------------------------------


def _cover(ctx: RegisterContext) -> list[Flowable]:
    """The house-style cover, with the register's facts in place of "Who took part"."""
    entries = ctx.entries
    in_place = sum(1 for e in entries if e.in_place)
    overdue = sum(1 for e in entries if e.overdue(ctx.today))
    facts: list[tuple[str, object]] = [
        ("Service" if not ctx.whole_organisation else "Services", _services_text(ctx)),
        ("Organisation", ctx.organisation),
    ]
    if not ctx.whole_organisation:
        facts.append(("Type of service", ctx.parts[0].service.sector_label))
    facts += [
        ("Register as it stood on", hs.long_date(ctx.today)),
        ("In place now", plural(in_place, "blanket restriction")),
        ("Reviews overdue", str(overdue)),
        ("Checklist used", f"{ctx.pack.title}, version {ctx.pack.version}"),
    ]
    purpose = (
        "This register lists the blanket restrictions found in "
        + ("each service" if ctx.whole_organisation else "this service")
        + ": what each one is, why it is in place, who agreed it, when it is reviewed and the "
        "plan to reduce or remove it, with those already removed or individualised. It is a "
        "record for reducing restrictive practice, not a score: there is no pass mark, and "
        "progress is shown by the number in place falling over time."
    )
    return hs.cover_heading(
        organisation=ctx.organisation,
        report_title=REPORT_TITLE,
        subtitle=ctx.scope,
        facts=facts,
        purpose_note=purpose,
    )


def _services_text(ctx: RegisterContext) -> str:
    if not ctx.whole_organisation:
        return ctx.parts[0].service.name
    names = "; ".join(part.service.name for part in ctx.parts)
    return f"All services with entries on the register ({len(ctx.parts)}): {names}"


def _document_control(ctx: RegisterContext) -> list[Flowable]:
    entries = ctx.entries
    in_place = sum(1 for e in entries if e.in_place)
    rows: list[tuple[str, object]] = [
        ("Report", REPORT_TITLE),
        ("Organisation", ctx.organisation),
        ("Services covered", _services_text(ctx)),
        ("Register as it stood on", hs.long_date(ctx.today)),
        (
            "Entries included",
            f"{plural(len(entries), 'entry', 'entries')}: {in_place} in place, "
            f"{sum(e.to_check for e in entries)} to check, "
            f"{sum(e.ended for e in entries)} removed or individualised",
        ),
        ("Content pack", ctx.pack.title),
        ("Content pack version", ctx.pack.version),
    ]
    status = (
        "A printed copy of the register on the date above. The register kept in "
        "RRN Self-Audit is the live record and changes as restrictions are reviewed."
    )
    return hs.document_control(rows, generated_at=ctx.generated_at, status=status)


_STATUS_MEANINGS = {
    RestrictionStatus.TO_CHECK: (
        "not known yet",
        "answered 'Not sure' on the checklist: someone needs to check whether it applies to "
        "everyone; not counted as in place until it is confirmed",
    ),
    RestrictionStatus.ACTIVE: (
        "still a blanket restriction",
        "in place for everyone it applies to; no reduction has started yet",
    ),
    RestrictionStatus.REDUCING: (
        "still a blanket restriction",
        "in place for everyone it applies to, while the plan to reduce it is carried out "
        "(for example fewer hours, fewer rooms or a trial without it)",
    ),
    RestrictionStatus.INDIVIDUALISED: (
        "no longer one",
        "kept only for particular people, based on their own risk assessment and written "
        "into their own plan",
    ),
    RestrictionStatus.REMOVED: ("no longer one", "stopped altogether"),
}


def how_to_read(ctx: RegisterContext, *, in_full: bool = True) -> list[Flowable]:
    """What the register's words and numbers mean; ``in_full`` when every entry is printed in
    full after it."""
    statuses = "; ".join(
        f"<b>{hs.safe(RESTRICTION_STATUS_LABELS[status])}</b> ({still}): {hs.safe(meaning)}"
        for status, (still, meaning) in _STATUS_MEANINGS.items()
    )
    flowables: list[Flowable] = [
        *hs.section_start("How to read this register"),
        hs.para(f"<b>What a blanket restriction is.</b> {hs.safe(ctx.pack.guidance)}"),
        hs.para(
            "The Mental Health Act Code of Practice asks services to avoid blanket "
            "restrictions unless they are necessary and proportionate, and CQC asks that any "
            "restriction is lawful, has a legitimate aim and is the least restrictive way to "
            "meet it. For each restriction this register records the reasons, the safeguards "
            "around it and the plan to reduce or remove it."
        ),
        hs.para(f"<b>What each status means.</b> {statuses}."),
        hs.para(
            "<b>Overdue</b>: a restriction's review is overdue when its next review date has "
            "passed and it is still in place (active or reducing). Overdue reviews are listed "
            "first for each service, and the register marks them <b>OVERDUE</b> in words."
        ),
    ]
    if in_full:
        flowables.append(
            hs.para(
                "<b>Not recorded yet</b> names, in the last row of each entry, the fields of "
                "the register left empty, so a gap in the record can be seen and filled rather "
                "than missed."
            )
        )
    if ctx.any_childrens:
        flowables.append(
            hs.para(
                "<b>Children's services</b> also record whether each restriction was agreed "
                "with the child's placing authority, whether it is written into the placement "
                "plan, and the child's own view of it: Ofsted judges a restriction by how the "
                "child experiences it, not by what it is called."
            )
        )
    flowables.append(
        hs.para(
            "<b>Reading the numbers.</b> <i>In place now</i> counts the restrictions that are "
            f"active or reducing. The chart for each service shows how many were in place at "
            f"the end of each of the last {TREND_MONTHS} months; the latest month is counted "
            f"up to {hs.long_date(ctx.today)}. <b>A falling count is the evidence of "
            "progress</b>: each restriction removed, or replaced by decisions about individual "
            "people, is a step away from rules for everyone. There is no pass mark and no "
            "target set by the app. Compare each service with its own earlier months, not with "
            "other services, which support different people."
        )
    )
    return flowables


def organisation_table(ctx: RegisterContext) -> list[Flowable]:
    """Every service side by side, the totals, and the trend for the organisation as a whole."""
    st = hs.styles()
    rows: list[tuple[object, ...]] = [
        (
            part.service.name,
            part.service.sector_label,
            str(part.summary.active),
            str(part.summary.overdue),
            str(part.summary.removed_last_12_months),
            str(individualised(part.summary)),
        )
        for part in ctx.parts
    ]
    whole = _summarise(ctx.entries, ctx.today, ctx.period)
    rows.append(
        tuple(
            hs.para(value, st.small_bold)
            for value in (
                "All services",
                "",
                str(whole.active),
                str(whole.overdue),
                str(whole.removed_last_12_months),
                str(individualised(whole)),
            )
        )
    )
    last = len(rows)
    counts = monthly_active_counts(ctx.entries, ctx.today, TREND_MONTHS)
    return [
        *hs.section_start("Services on this register"),
        hs.para(
            "Each service's part of the register starts on a new page, in this order. Removed "
            f"and individualised counts cover {_changes_words(ctx)}."
        ),
        hs.data_table(
            [
                "Service",
                "Type of service",
                "In place now",
                "Reviews overdue",
                f"Removed, {ctx.when_heading}",
                f"Individualised, {ctx.when_heading}",
            ],
            rows,
            [0.27, 0.17, 0.11, 0.12, 0.14, 0.19],
            extra_style=[("LINEABOVE", (0, last), (-1, last), 1.0, hs.INK)],
        ),
        Spacer(1, 4 * mm),
        *_trend(ctx, counts, f"All services together: trend over the last {TREND_MONTHS} months"),
    ]


def _trend(ctx: RegisterContext, counts: list[MonthCount], title: str) -> list[Flowable]:
    """The chart, its heading and the trend in words, kept together when short enough; the
    heading always moves with the chart ("Reading the numbers" says what the bars count)."""
    words = describe_trend(counts, ctx.today)
    return layout.keep_if_short(
        [
            hs.heading(title, 2),
            active_restrictions_chart(counts),
            Spacer(1, 2 * mm),
            hs.para(f"<b>In words:</b> {hs.safe(words)}", hs.styles().small),
        ]
    )


# ---------------------------------------------------------------------------------------------
# One service's part
# ---------------------------------------------------------------------------------------------


def _summary(
    ctx: RegisterContext, part: ServicePart, opening: Sequence[Flowable]
) -> list[Flowable]:
    """The counts in a sentence under ``opening`` (the service's heading), then the trend."""
    summary = part.summary
    counts = (
        f"<b>{plural(summary.active, 'blanket restriction')}</b> in place now (active or "
        f"reducing); <b>{plural(summary.overdue, 'review')}</b> overdue; "
        f"<b>{summary.removed_last_12_months}</b> removed and "
        f"<b>{individualised(summary)}</b> individualised {ctx.when}."
    )
    if summary.to_check:
        counts += (
            f" <b>{summary.to_check}</b> to check (answered 'Not sure', not counted as in place)."
        )
    if not any(entry.ended for entry in part.entries):
        counts += " None has been removed or individualised yet."
    months = monthly_active_counts(part.entries, ctx.today, TREND_MONTHS)
    return [
        *layout.keep_if_short([*opening, hs.para(counts)]),
        *_trend(ctx, months, f"Trend over the last {TREND_MONTHS} months"),
    ]


def _overdue(ctx: RegisterContext, part: ServicePart) -> list[Flowable]:
    late = overdue_entries(part.entries, ctx.today)
    flowables: list[Flowable] = [CondPageBreak(40 * mm), hs.heading("Overdue reviews", 2)]
    if not late:
        flowables.append(hs.para("No reviews are overdue."))
        return flowables
    intro = hs.para(
        f"{plural(len(late), 'restriction')} still in place "
        f"{'has' if len(late) == 1 else 'have'} passed {'its' if len(late) == 1 else 'their'} "
        f"next review date, the longest overdue first."
    )
    flowables += [
        intro,
        hs.data_table(
            ["Restriction", "Category", "Next review was due", "Days overdue"],
            [
                (
                    entry.title,
                    entry.category_title(ctx.pack),
                    hs.long_date(entry.next_review_on),
                    hs.para(f"<b>{_overdue_words(entry, ctx.today)}</b>", hs.styles().small),
                )
                for entry in late
            ],
            [0.38, 0.26, 0.18, 0.18],
        ),
    ]
    return flowables


def _entry_header(
    ctx: RegisterContext, part: ServicePart, entry: RestrictionInfo
) -> list[Flowable]:
    """The entry's heading cell: where it sits, its title and its status in words."""
    st = hs.styles()
    kicker = entry.category_title(ctx.pack)
    if ctx.whole_organisation:
        kicker = f"{part.service.name} · {kicker}"
    return [
        hs.para(hs.safe(kicker), st.small_muted),
        hs.para(f"<b>{hs.safe(entry.title)}</b>", st.body),
        hs.para(_status_words(ctx, entry), st.small),
    ]


def _status_words(ctx: RegisterContext, entry: RestrictionInfo) -> str:
    status = f"<b>{hs.safe(entry.status_label)}</b>"
    ended = entry.ended_on()
    if ended is not None:
        return f"{status} on {hs.long_date(ended)}: no longer a blanket restriction"
    if entry.to_check:
        return f"{status} · not counted as in place until it is confirmed"
    if entry.overdue(ctx.today):
        return f"{status} · still in place · <b>review {_overdue_words(entry, ctx.today)}</b>"
    return f"{status} · still in place"


def _found_through(ctx: RegisterContext, entry: RestrictionInfo) -> object:
    found = f"Found on {hs.long_date(entry.identified_on)}"
    if entry.checklist_code is None:
        return f"{found}; added to the register by hand."
    item = ctx.pack.item(entry.checklist_code)
    if item is None:
        return f"{found} by walking through the checklist."
    return [
        hs.para(f"{hs.safe(found)} by walking through the checklist, at:", hs.styles().small),
        hs.para(f"“{hs.safe(item.prompt)}”", hs.styles().small_muted),
    ]


def _applies_to(entry: RestrictionInfo) -> object:
    st = hs.styles()
    detail = entry.applies_to_detail.strip()
    if detail:
        return [
            hs.para(f"<b>{hs.safe(entry.applies_to_label)}</b>", st.small),
            hs.text(detail, st.small),
        ]
    if entry.applies_to is AppliesTo.EVERYONE:
        return entry.applies_to_label
    return hs.para(
        f"{hs.safe(entry.applies_to_label)}; who exactly: {NOT_RECORDED.lower()}",
        st.small,
    )


def _next_review(entry: RestrictionInfo, today: dt.date) -> object:
    if entry.next_review_on is None:
        return None
    text = hs.long_date(entry.next_review_on)
    if entry.overdue(today):
        return hs.para(f"{text}: <b>{hs.safe(_overdue_words(entry, today))}</b>", hs.styles().small)
    if entry.ended:
        return f"{text} (no further review needed: no longer a blanket restriction)"
    return text


def _reviews(entry: RestrictionInfo) -> list[Flowable]:
    lines: list[Flowable] = []
    for review in entry.reviews:
        notes = f"{hs.safe(review.notes.strip())} " if review.notes.strip() else ""
        lines.append(
            hs.para(
                f"<b>{hs.long_date(review.reviewed_on)}</b> by {hs.safe(review.reviewed_by)}. "
                f"{notes}<i>Next review set for {hs.long_date(review.next_review_on)}.</i>",
                hs.cell_line_style(),
            )
        )
    return lines


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else "Yes" if value else "No"


def _entry_rows(
    ctx: RegisterContext, part: ServicePart, entry: RestrictionInfo
) -> list[tuple[str, object]]:
    """Every field that holds something; those left empty named once, in the last row (a gap
    in a register entry is itself worth seeing)."""
    rows: list[tuple[str, object]] = [
        ("Type of restraint", entry.type_label),
        ("What it is", entry.description),
        ("Applies to (who exactly)", _applies_to(entry)),
        ("How it was found", _found_through(ctx, entry)),
        ("Why it is in place", entry.rationale),
        ("Risk it addresses", entry.risk),
        ("Individual risk assessment done", _yes_no(entry.individual_risk_assessment)),
        ("Legal basis or authority", entry.legal_basis),
        ("Less restrictive options considered", entry.alternatives),
        ("Who was consulted", entry.consulted),
        ("Who was told", entry.informed),
        ("Authorised by (role)", entry.authorised_by_role),
        ("Authorised on", hs.long_date(entry.authorised_on) if entry.authorised_on else None),
    ]
    if part.childrens:
        rows += [
            (PLACING_AUTHORITY_LABEL, _yes_no(entry.placing_authority_agreed)),
            (PLACEMENT_PLAN_LABEL, _yes_no(entry.in_placement_plan)),
            (CHILD_VIEW_LABEL, entry.child_view),
        ]
    rows += [
        ("Review frequency", entry.frequency_label),
        ("Last review", hs.long_date(entry.last_reviewed_on) if entry.last_reviewed_on else None),
        ("Next review", _next_review(entry, ctx.today)),
        ("Plan to reduce or remove it", entry.reduction_plan),
    ]
    history = [
        ("Status history", layout.status_history(entry.status_changes)),
        ("Reviews", _reviews(entry)),
    ]
    return [*layout.filled_rows(rows), *layout.filled_rows(history), *layout.gaps_row(rows)]


def _entry(ctx: RegisterContext, part: ServicePart, entry: RestrictionInfo) -> list[Flowable]:
    """One entry as one table: its heading row (repeated if the entry runs onto another page)
    and a row for every field, so the heading can never be left alone at the foot of a page.
    A short entry is kept on one page; a longer one may start near the foot of a page."""
    table = layout.record_table(_entry_header(ctx, part, entry), _entry_rows(ctx, part, entry))
    return [*layout.keep_if_short([table]), Spacer(1, 4 * mm)]


def _category_style() -> ParagraphStyle:
    st = hs.styles()
    # Not kept with the next flowable: that is a whole entry, and keeping the two together
    # would push a long entry to a new page and leave the heading's page half empty.
    return ParagraphStyle(
        "RegisterCategory",
        parent=st.h2,
        fontSize=12,
        leading=16,
        spaceBefore=10,
        keepWithNext=0,
    )


def _short(text: str, limit: int = 160) -> str:
    """The text cut at a word with an ellipsis when it is long: a table line, not the record."""
    value = " ".join(text.split())
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _gaps_sentence(entries: Sequence[RestrictionInfo]) -> str:
    """How many restrictions have no authorisation, review date or plan to reduce them on
    record: the gaps an inspector looks for, said once."""
    counts = [
        (sum(1 for e in entries if not e.authorised_by_role.strip()), "who authorised it"),
        (sum(1 for e in entries if e.next_review_on is None), "a date for the next review"),
        (sum(1 for e in entries if not e.reduction_plan.strip()), "a plan to reduce or remove it"),
    ]
    gaps = [(count, words) for count, words in counts if count]
    if not gaps:
        return ""
    if len(entries) == 1:
        return "It has no record yet of " + _joined([words for _count, words in gaps]) + "."
    said = [
        f"{count} {'has' if count == 1 else 'have'} no record yet of {words}"
        for count, words in gaps
    ]
    return f"Of the {len(entries)} in place, " + "; ".join(said) + "."


def _joined(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _lines(ctx: RegisterContext, part: ServicePart) -> list[Flowable]:
    """Each restriction in place or still to check in one line, grouped by the checklist's
    categories."""
    st = hs.styles()
    listed = [e for e in part.entries if not e.ended]
    in_place = [e for e in listed if e.in_place]
    flowables: list[Flowable] = layout.loose_heading("The register", 2)
    if not listed:
        flowables.append(hs.para("None of this service's blanket restrictions is in place now."))
        return flowables
    rows: list[Sequence[object]] = []
    for _title, _summary, entries in _category_groups(ctx.pack, listed):
        for entry in entries:
            review: object = hs.short_date(entry.next_review_on) or hs.NOTHING
            if entry.overdue(ctx.today):
                review = hs.para(
                    f"{hs.short_date(entry.next_review_on)}<br/>"
                    f"<b>{_overdue_words(entry, ctx.today)}</b>",
                    st.small,
                )
            rows.append(
                (
                    [
                        hs.para(hs.safe(entry.title), st.small),
                        hs.muted(entry.category_title(ctx.pack)),
                    ],
                    entry.status_label,
                    entry.authorised_by_role.strip() or hs.NOTHING,
                    review,
                    _short(entry.reduction_plan) or hs.NOTHING,
                )
            )
    flowables += [
        hs.para(
            "Each blanket restriction in place now"
            + (", and each still to check," if len(listed) > len(in_place) else "")
            + " in one line, by the checklist's categories: its status, who authorised it, when "
            f"it is next reviewed and the plan to reduce or remove it. {_gaps_sentence(in_place)}"
        ),
        hs.data_table(
            [
                "Restriction",
                "Status",
                "Authorised by",
                "Next review",
                "Plan to reduce or remove it",
            ],
            rows,
            [0.3, 0.12, 0.16, 0.15, 0.27],
        ),
    ]
    return flowables


def service_detail(ctx: RegisterContext, part: ServicePart) -> list[Flowable]:
    """Every entry on the service's register in full, in place or ended, grouped by the
    checklist's categories: the register's appendix, under a heading naming the service."""
    st = hs.styles()
    groups = _category_groups(ctx.pack, part.entries)
    flowables: list[Flowable] = [
        hs.para(
            f"{hs.safe(part.service.sector_label)} · "
            f"{plural(len(part.entries), 'entry', 'entries')}, in place first in each category, "
            "then those ended. Fields left empty are named in each entry's last row.",
            st.body_muted,
        ),
    ]
    category_style = _category_style()
    for title, summary, entries in groups:
        in_place = sum(1 for e in entries if e.in_place)
        unsure = sum(1 for e in entries if e.to_check)
        checking = f", {unsure} to check" if unsure else ""
        counts = f"{in_place} in place{checking}, {sum(e.ended for e in entries)} ended"
        line = f"{hs.safe(summary)} " if summary else ""
        flowables += [
            CondPageBreak(_ENTRY_ROOM + 15 * mm),
            hs.para(hs.safe(title), category_style),
            hs.para(f"{line}<i>({counts})</i>", st.small_muted),
            Spacer(1, 2 * mm),
        ]
        for entry in entries:
            flowables += _entry(ctx, part, entry)
    return flowables


def _ended(ctx: RegisterContext, part: ServicePart) -> list[Flowable]:
    ended = sorted(
        (e for e in part.entries if e.ended),
        key=lambda e: (e.ended_on() or e.identified_on, e.id),
        reverse=True,
    )
    if not ended:
        return []  # the summary says none has ended yet
    title = hs.heading("Removed and individualised restrictions", 2)
    intro = hs.para(
        f"{plural(len(ended), 'restriction')} no longer applied to everyone, most recent "
        "first, with the date each one ended and the note recorded then."
    )
    rows = []
    for entry in ended:
        last = entry.status_changes[-1] if entry.status_changes else None
        rows.append(
            (
                entry.title,
                entry.category_title(ctx.pack),
                entry.status_label,
                hs.long_date(entry.ended_on()) if entry.ended_on() else hs.NOTHING,
                last.note if last is not None and last.note.strip() else hs.NOTHING,
            )
        )
    table = hs.data_table(
        ["Restriction", "Category", "Now", "Ended on", "What changed"],
        rows,
        [0.25, 0.19, 0.16, 0.15, 0.25],
    )
    return [CondPageBreak(40 * mm), *layout.keep_if_short([title, intro, table])]


def _changes_words(ctx: RegisterContext) -> str:
    if ctx.period is None:
        return f"the 12 months up to {hs.long_date(ctx.today)}"
    return f"the period, {ctx.period.words}"


def service_part(ctx: RegisterContext, part: ServicePart) -> list[Flowable]:
    """One service's part of the register, under the service's name: the counts, the trend,
    overdue reviews, each restriction in place in a line and those that ended."""
    service = part.service
    opener, heading = hs.section_start(service.name)
    line = hs.para(
        f"{hs.safe(service.sector_label)} · "
        f"{plural(len(part.entries), 'entry', 'entries')} on the register · "
        f"as it stood on {hs.long_date(ctx.today)}",
        hs.styles().body_muted,
    )
    return [
        opener,
        *_summary(ctx, part, [heading, line]),
        *_overdue(ctx, part),
        *_lines(ctx, part),
        *_ended(ctx, part),
    ]


# ---------------------------------------------------------------------------------------------
# Sign-off on paper, then every entry in full
# ---------------------------------------------------------------------------------------------


def build_story(ctx: RegisterContext) -> list[Flowable]:
    story: list[Flowable] = [*_cover(ctx), *_document_control(ctx), *how_to_read(ctx)]
    if ctx.whole_organisation and len(ctx.parts) > 1:
        story += organisation_table(ctx)
    for part in ctx.parts:
        story += service_part(ctx, part)
    story += [
        Spacer(1, 6 * mm),
        *hs.paper_sign_off("this register"),
        *hs.section_start(APPENDIX_TITLE, new_page=True),
        hs.para(
            "Everything recorded about each entry on the register, service by service, in "
            "place or ended."
        ),
    ]
    for part in ctx.parts:
        story += layout.loose_heading(part.service.name, 2, room=60 * mm)
        story += service_detail(ctx, part)
    return story


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def service_parts(
    db: Database, service_id: int | None, today: dt.date, period: hs.Period | None = None
) -> list[ServicePart]:
    """Each service with entries on the register, by name. With a period, what ended is counted
    over it rather than over the 12 months up to ``today``."""
    services = {service.id: service for service in list_services(db)}
    if service_id is not None and service_id not in services:
        raise UserFacingError("That service no longer exists.")
    entries = list_restrictions(db, service_id)
    by_service: dict[int, list[RestrictionInfo]] = {}
    for entry in entries:
        by_service.setdefault(entry.service.id, []).append(entry)
    chosen = sorted(
        (services.get(key) or members[0].service for key, members in by_service.items()),
        key=lambda service: (service.name.casefold(), service.id),
    )
    return [
        ServicePart(
            service, by_service[service.id], _summarise(by_service[service.id], today, period)
        )
        for service in chosen
    ]


def write_restrictions_report(
    db: Database,
    out: Path,
    *,
    service_id: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write the blanket restrictions register as a PDF at ``out`` (replacing any file there).

    ``service_id=None`` prints every service that has entries, each part on a new page.
    ``today`` is the day the register is printed as of (overdue reviews, the last 12 months,
    the trend). ``progress`` receives fractions from 0 to 1. Raises UserFacingError when there
    is nothing on the register."""
    today = today or dt.date.today()
    job = ReportJob(out, progress)
    parts = service_parts(db, service_id, today)
    if not parts:
        services = {service.id: service for service in list_services(db)}
        where = f"for {services[service_id].name} " if service_id is not None else ""
        raise UserFacingError(
            f"There are no blanket restrictions on the register {where}yet, so there is "
            "nothing to print. Walk through the checklist or add a restriction first."
        )
    ctx = RegisterContext(
        parts=parts,
        pack=shipped_checklist(),
        organisation=organisation_name(db),
        today=today,
        generated_at=dt.datetime.now().replace(microsecond=0),
        whole_organisation=service_id is None,
    )
    job.step(0.1)
    story = build_story(ctx)
    return job.finish(
        story,
        title=REPORT_TITLE,
        header=f"{ctx.scope} · {REPORT_TITLE}",
        footer_note=f"as it stood on {hs.long_date(today)}",
        author=ctx.organisation,
        subject=f"{ctx.scope}: blanket restrictions register on {hs.long_date(today)}",
    )


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: Progress | None
) -> ReportResult:
    """The catalogue's way in."""
    return write_restrictions_report(db, out, service_id=request.service_id, progress=progress)
