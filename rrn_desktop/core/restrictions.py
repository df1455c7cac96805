"""The blanket restrictions checklist and register: finding restrictions, then reducing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    APPLIES_TO_LABELS,
    ENDED_STATUSES,
    IN_PLACE_STATUSES,
    RESTRAINT_TYPE_LABELS,
    RESTRICTION_STATUS_LABELS,
    REVIEW_FREQUENCY_LABELS,
    AppliesTo,
    ChecklistAnswer,
    RestraintType,
    RestrictionStatus,
    ReviewFrequency,
)
from rrn_desktop.content.checklist_models import ChecklistPack
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core.dates import add_months, long_date, month_end, month_starts, month_year
from rrn_desktop.core.periods import Period
from rrn_desktop.core.services import ServiceInfo, service_info
from rrn_desktop.core.validation import Input, InputError, LongText, Name, ShortText, validated
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.errors import ChangedElsewhereError
from rrn_desktop.storage.models import (
    Restriction,
    RestrictionReview,
    RestrictionStatusChange,
    Service,
    ServiceChecklistAnswer,
    utc_now,
)

OTHER_CATEGORY = "other"
OTHER_CATEGORY_TITLE = "Other restrictions found here"
REVIEW_INTERVAL_DAYS = {ReviewFrequency.DAILY: 1, ReviewFrequency.WEEKLY: 7}
REVIEW_INTERVAL_MONTHS = {
    ReviewFrequency.MONTHLY: 1,
    ReviewFrequency.QUARTERLY: 3,
    ReviewFrequency.SIX_MONTHLY: 6,
    ReviewFrequency.YEARLY: 12,
}


def next_review_after(day: dt.date, frequency: ReviewFrequency) -> dt.date:
    if frequency in REVIEW_INTERVAL_DAYS:
        return day + dt.timedelta(days=REVIEW_INTERVAL_DAYS[frequency])
    return add_months(day, REVIEW_INTERVAL_MONTHS[frequency])


@dataclass(frozen=True)
class StatusChangeInfo:
    status: RestrictionStatus
    changed_on: dt.date
    note: str
    recorded_at: dt.datetime = dt.datetime.min

    @property
    def status_label(self) -> str:
        return RESTRICTION_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class ReviewInfo:
    reviewed_on: dt.date
    reviewed_by: str
    notes: str
    next_review_on: dt.date
    recorded_at: dt.datetime = dt.datetime.min


@dataclass(frozen=True)
class RestrictionInfo:
    id: int
    service: ServiceInfo
    checklist_code: str | None
    category_id: str
    title: str
    restraint_type: RestraintType
    description: str
    applies_to: AppliesTo
    applies_to_detail: str
    rationale: str
    risk: str
    individual_risk_assessment: bool | None
    legal_basis: str
    alternatives: str
    consulted: str
    informed: str
    authorised_by_role: str
    authorised_on: dt.date | None
    review_frequency: ReviewFrequency
    last_reviewed_on: dt.date | None
    next_review_on: dt.date | None
    reduction_plan: str
    status: RestrictionStatus
    identified_on: dt.date
    placing_authority_agreed: bool | None
    in_placement_plan: bool | None
    child_view: str
    deleted: bool
    status_changes: tuple[StatusChangeInfo, ...]
    reviews: tuple[ReviewInfo, ...]
    # How many times it has been saved: a save made from an older copy is refused.
    row_version: int = 1

    @property
    def in_place(self) -> bool:
        return self.status in IN_PLACE_STATUSES

    @property
    def to_check(self) -> bool:
        return self.status is RestrictionStatus.TO_CHECK

    @property
    def ended(self) -> bool:
        return self.status in ENDED_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return self.in_place and self.next_review_on is not None and self.next_review_on < today

    def status_on(self, day: dt.date) -> RestrictionStatus | None:
        """The status the history gives for that day; None before the restriction was found."""
        current = None
        for change in self.status_changes:
            if change.changed_on <= day:
                current = change.status
        return current

    def ended_on(self) -> dt.date | None:
        """When it stopped being a blanket restriction (individualised or removed), if it has."""
        if not self.ended or not self.status_changes:
            return None
        return self.status_changes[-1].changed_on

    @property
    def status_label(self) -> str:
        return RESTRICTION_STATUS_LABELS[self.status]

    @property
    def applies_to_label(self) -> str:
        return APPLIES_TO_LABELS[self.applies_to]

    @property
    def frequency_label(self) -> str:
        return REVIEW_FREQUENCY_LABELS[self.review_frequency]

    @property
    def type_label(self) -> str:
        return RESTRAINT_TYPE_LABELS[self.restraint_type]

    def category_title(self, pack: ChecklistPack) -> str:
        category = pack.category(self.category_id)
        return category.title if category else OTHER_CATEGORY_TITLE


def _info(row: Restriction) -> RestrictionInfo:
    return RestrictionInfo(
        id=row.id,
        service=service_info(row.service),
        checklist_code=row.checklist_code,
        category_id=row.category_id,
        title=row.title,
        restraint_type=RestraintType(row.restraint_type),
        description=row.description,
        applies_to=row.applies_to,
        applies_to_detail=row.applies_to_detail,
        rationale=row.rationale,
        risk=row.risk,
        individual_risk_assessment=row.individual_risk_assessment,
        legal_basis=row.legal_basis,
        alternatives=row.alternatives,
        consulted=row.consulted,
        informed=row.informed,
        authorised_by_role=row.authorised_by_role,
        authorised_on=row.authorised_on,
        review_frequency=row.review_frequency,
        last_reviewed_on=row.last_reviewed_on,
        next_review_on=row.next_review_on,
        reduction_plan=row.reduction_plan,
        status=row.status,
        identified_on=row.identified_on,
        placing_authority_agreed=row.placing_authority_agreed,
        in_placement_plan=row.in_placement_plan,
        child_view=row.child_view,
        deleted=row.deleted_at is not None,
        status_changes=tuple(
            StatusChangeInfo(c.status, c.changed_on, c.note, c.recorded_at)
            for c in row.status_changes
        ),
        reviews=tuple(
            ReviewInfo(r.reviewed_on, r.reviewed_by, r.notes, r.next_review_on, r.recorded_at)
            for r in row.reviews
        ),
        row_version=row.row_version,
    )


_WHOLE_RESTRICTION = [
    selectinload(Restriction.status_changes),
    selectinload(Restriction.reviews),
    selectinload(Restriction.service),
]


def _row(session: Session, restriction_id: int) -> Restriction:
    row = session.get(Restriction, restriction_id, options=_WHOLE_RESTRICTION)
    if row is None or row.deleted_at is not None:
        raise UserFacingError("That register entry no longer exists.")
    return row


def _service(session: Session, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise UserFacingError("That service no longer exists.")
    return service


NOT_SURE_NOTE = "Answered 'Not sure' on the checklist: to check whether it applies to everyone."
CONFIRMED_NOTE = "Confirmed on the checklist: it is in place."


def _unconfirmed(entry: Restriction) -> bool:
    return entry.status is RestrictionStatus.TO_CHECK


def _new_restriction(
    service: Service,
    *,
    title: str,
    category_id: str,
    restraint_type: RestraintType,
    found_on: dt.date,
    checklist_code: str | None = None,
    status: RestrictionStatus = RestrictionStatus.ACTIVE,
    note: str = "Found and recorded.",
) -> Restriction:
    return Restriction(
        service=service,
        checklist_code=checklist_code,
        category_id=category_id,
        title=title,
        restraint_type=restraint_type.value,
        identified_on=found_on,
        status=status,
        next_review_on=next_review_after(found_on, ReviewFrequency.MONTHLY),
        status_changes=[RestrictionStatusChange(status=status, changed_on=found_on, note=note)],
    )


# --- the checklist walk ------------------------------------------------------------------------


def checklist_answers(db: Database, service_id: int) -> dict[str, ChecklistAnswer]:
    with db.transaction() as session:
        rows = session.scalars(
            select(ServiceChecklistAnswer).where(ServiceChecklistAnswer.service_id == service_id)
        ).all()
        return {row.item_code: row.answer for row in rows}


def _linked_entry(session: Session, service_id: int, code: str) -> Restriction | None:
    return session.scalars(
        select(Restriction).where(
            Restriction.service_id == service_id,
            Restriction.checklist_code == code,
            Restriction.deleted_at.is_(None),
        )
    ).first()


def linked_entry_id(db: Database, service_id: int, code: str) -> int | None:
    with db.transaction() as session:
        row = _linked_entry(session, service_id, code)
        return row.id if row else None


def answer_checklist(
    db: Database, service_id: int, code: str, answer: ChecklistAnswer, on: dt.date
) -> int | None:
    """Record the answer; a yes or not sure opens a register entry (not sure: one to check,
    not counted as in place), and a yes confirms an entry to check. Returns the entry's id."""
    pack = shipped_checklist()
    item = pack.item(code)
    if item is None:
        raise UserFacingError(f"{code} is not on the blanket restrictions checklist.")
    answer = ChecklistAnswer(answer)
    with db.transaction() as session:
        service = _service(session, service_id)
        row = session.scalars(
            select(ServiceChecklistAnswer).where(
                ServiceChecklistAnswer.service_id == service_id,
                ServiceChecklistAnswer.item_code == code,
            )
        ).first()
        if row is None:
            row = ServiceChecklistAnswer(service_id=service_id, item_code=code, answer=answer)
            session.add(row)
        row.answer, row.answered_on = answer, on
        entry = _linked_entry(session, service_id, code)
        unsure = answer is ChecklistAnswer.NOT_SURE
        if answer is not ChecklistAnswer.NO and entry is None:
            category = next(c for c, i in pack.items() if i.code == code)
            entry = _new_restriction(
                service,
                title=item.title,
                category_id=category.id,
                restraint_type=item.restraint_type,
                found_on=on,
                checklist_code=code,
                status=RestrictionStatus.TO_CHECK if unsure else RestrictionStatus.ACTIVE,
                note=NOT_SURE_NOTE if unsure else "Found and recorded.",
            )
            session.add(entry)
        elif answer is ChecklistAnswer.YES and entry is not None and _unconfirmed(entry):
            entry.status = RestrictionStatus.ACTIVE
            entry.status_changes.append(
                RestrictionStatusChange(
                    status=RestrictionStatus.ACTIVE, changed_on=on, note=CONFIRMED_NOTE
                )
            )
        session.flush()
        return entry.id if entry else None


class _CustomInput(Input):
    title: Name
    category_id: str
    restraint_type: RestraintType


def add_custom_restriction(
    db: Database,
    service_id: int,
    title: str,
    category_id: str,
    restraint_type: RestraintType,
    on: dt.date,
) -> int:
    data = validated(
        _CustomInput, title=title, category_id=category_id, restraint_type=restraint_type
    )
    known = {category.id for category in shipped_checklist().categories} | {OTHER_CATEGORY}
    if data.category_id not in known:
        raise InputError("Choose one of the listed categories.")
    with db.transaction() as session:
        entry = _new_restriction(
            _service(session, service_id),
            title=data.title,
            category_id=data.category_id,
            restraint_type=data.restraint_type,
            found_on=on,
        )
        session.add(entry)
        session.flush()
        return entry.id


# --- the register ------------------------------------------------------------------------------


def list_restrictions(db: Database, service_id: int | None = None) -> list[RestrictionInfo]:
    """Register entries (not deleted), for one service or all, in the order they were found."""
    with db.transaction() as session:
        query = (
            select(Restriction)
            .where(Restriction.deleted_at.is_(None))
            .order_by(Restriction.identified_on, Restriction.id)
            .options(*_WHOLE_RESTRICTION)
        )
        if service_id is not None:
            query = query.where(Restriction.service_id == service_id)
        return [_info(row) for row in session.scalars(query).all()]


def get_restriction(db: Database, restriction_id: int) -> RestrictionInfo:
    with db.transaction() as session:
        return _info(_row(session, restriction_id))


class _RestrictionUpdate(Input):
    title: Name | None = None
    description: LongText | None = None
    applies_to: AppliesTo | None = None
    applies_to_detail: LongText | None = None
    rationale: LongText | None = None
    risk: LongText | None = None
    individual_risk_assessment: bool | None = None
    legal_basis: LongText | None = None
    alternatives: LongText | None = None
    consulted: LongText | None = None
    informed: LongText | None = None
    authorised_by_role: ShortText | None = None
    authorised_on: dt.date | None = None
    review_frequency: ReviewFrequency | None = None
    last_reviewed_on: dt.date | None = None
    next_review_on: dt.date | None = None
    reduction_plan: LongText | None = None
    restraint_type: RestraintType | None = None
    placing_authority_agreed: bool | None = None
    in_placement_plan: bool | None = None
    child_view: LongText | None = None


def _check_review_dates(row: Restriction) -> None:
    if row.last_reviewed_on and row.next_review_on and row.next_review_on < row.last_reviewed_on:
        raise InputError(
            f"The next review ({long_date(row.next_review_on)}) cannot be before the last "
            f"review ({long_date(row.last_reviewed_on)}). Choose a later date."
        )


def update_restriction(
    db: Database, restriction_id: int, *, opened: int | None = None, **changes: object
) -> RestrictionInfo:
    """Save the fields given. Fields that may be blank (dates, yes/no) can be set to None.
    ``opened``: the ``row_version`` the changes were made to; if someone else has saved the
    entry since, nothing is saved and ChangedElsewhereError carries their version."""
    data = validated(_RestrictionUpdate, **changes)
    with db.transaction() as session:
        row = _row(session, restriction_id)
        if opened is not None and row.row_version != opened:
            raise ChangedElsewhereError(theirs=_info(row))
        for name in data.model_fields_set:
            value = getattr(data, name)
            if name == "restraint_type" and value is not None:
                value = value.value
            setattr(row, name, value)
        _check_review_dates(row)
        session.flush()
        return _info(row)


class _ReviewInput(Input):
    reviewed_on: dt.date
    reviewed_by: Name
    notes: LongText = ""
    next_review_on: dt.date


def record_review(
    db: Database,
    restriction_id: int,
    reviewed_on: dt.date,
    reviewed_by: str,
    notes: str = "",
    next_review_on: dt.date | None = None,
) -> RestrictionInfo:
    """Record a review; the next review date follows from the frequency unless one is given."""
    with db.transaction() as session:
        row = _row(session, restriction_id)
        data = validated(
            _ReviewInput,
            reviewed_on=reviewed_on,
            reviewed_by=reviewed_by,
            notes=notes,
            next_review_on=next_review_on or next_review_after(reviewed_on, row.review_frequency),
        )
        if data.next_review_on < data.reviewed_on:
            raise InputError(
                f"The next review ({long_date(data.next_review_on)}) cannot be before this "
                f"review ({long_date(data.reviewed_on)}). Choose a later date."
            )
        row.reviews.append(
            RestrictionReview(
                reviewed_on=data.reviewed_on,
                reviewed_by=data.reviewed_by,
                notes=data.notes,
                next_review_on=data.next_review_on,
            )
        )
        latest = max(r.reviewed_on for r in row.reviews)
        if data.reviewed_on == latest:
            row.last_reviewed_on, row.next_review_on = data.reviewed_on, data.next_review_on
        session.flush()
        return _info(row)


class _StatusInput(Input):
    status: RestrictionStatus
    on: dt.date
    note: LongText = ""


def change_status(
    db: Database, restriction_id: int, status: RestrictionStatus, on: dt.date, note: str = ""
) -> RestrictionInfo:
    data = validated(_StatusInput, status=status, on=on, note=note)
    with db.transaction() as session:
        row = _row(session, restriction_id)
        if data.status is row.status:
            raise InputError(f"It is already {RESTRICTION_STATUS_LABELS[row.status].lower()}.")
        latest = row.status_changes[-1].changed_on if row.status_changes else row.identified_on
        if data.on < latest:
            raise InputError(
                f"The date of a change cannot be before the last one ({long_date(latest)})."
            )
        row.status = data.status
        row.status_changes.append(
            RestrictionStatusChange(status=data.status, changed_on=data.on, note=data.note)
        )
        session.flush()
        return _info(row)


def delete_restriction(db: Database, restriction_id: int) -> None:
    with db.transaction() as session:
        _row(session, restriction_id).deleted_at = utc_now()


def restore_restriction(db: Database, restriction_id: int) -> None:
    with db.transaction() as session:
        row = session.get(Restriction, restriction_id)
        if row is None:
            raise UserFacingError("That register entry can no longer be restored.")
        row.deleted_at = None


# --- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: dt.date  # the first day of the month
    active: int


def monthly_active_counts(
    entries: list[RestrictionInfo], today: dt.date, months: int = 24
) -> list[MonthCount]:
    """Blanket restrictions in place at the end of each month (this month: as of today).

    The months start with the register's first record: before it the register knows nothing,
    and a row of zeros there would claim that nothing was in place."""
    found = [e.identified_on for e in entries]
    first = min(found).replace(day=1) if found else today.replace(day=1)
    counts = []
    for start in month_starts(today, months):
        if start < first:
            continue
        day = min(month_end(start), today)
        active = sum(1 for e in entries if e.status_on(day) in IN_PLACE_STATUSES)
        counts.append(MonthCount(start, active))
    return counts


@dataclass(frozen=True)
class RegisterSummary:
    active: int
    overdue: int
    ended_last_12_months: int  # (or over the period asked for)
    removed_last_12_months: int
    to_check: int  # answered "Not sure" and not confirmed either way: not counted as in place


def summarise(
    entries: list[RestrictionInfo], today: dt.date, period: Period | None = None
) -> RegisterSummary:
    """What is in place and overdue on ``today``; what ended over ``period`` (by default the
    last 12 months)."""
    period = period or Period.last_12_months(today)
    ended = [e for e in entries if period.holds(e.ended_on())]
    return RegisterSummary(
        active=sum(1 for e in entries if e.in_place),
        overdue=sum(1 for e in entries if e.overdue(today)),
        ended_last_12_months=len(ended),
        removed_last_12_months=sum(1 for e in ended if e.status is RestrictionStatus.REMOVED),
        to_check=sum(1 for e in entries if e.to_check),
    )


def overdue_entries(entries: list[RestrictionInfo], today: dt.date) -> list[RestrictionInfo]:
    return sorted(
        (e for e in entries if e.overdue(today)),
        key=lambda e: e.next_review_on or today,
    )


def _count(number: int) -> str:
    return plural(number, "blanket restriction")


def describe_trend(counts: Sequence[MonthCount], today: dt.date | None = None) -> str:
    """The chart in words: where the count started, its highest point, and where it is now.

    Months before anything was on the register are skipped, so a register started a year ago
    is not described as having grown from nothing."""
    if not counts:
        return "No months to show."
    if all(count.active == 0 for count in counts):
        return (
            f"No blanket restrictions were in place at the end of any month from "
            f"{month_year(counts[0].month)} to {month_year(counts[-1].month)}."
        )
    lead = next(index for index, count in enumerate(counts) if count.active)
    shown = counts[lead:]
    first, last = shown[0], shown[-1]
    peak = max(shown, key=lambda c: c.active)
    # The counts start with the register's first record, so a run of zeros first is known.
    start = (
        f"None were in place before {month_year(first.month)}. " if lead else ""
    ) + f"{_count(first.active)} in place at the end of {month_year(first.month)}"
    if last is first:
        return f"{start}."
    change = last.active - first.active
    comparisons = []
    if peak.active > last.active and peak is not first:
        comparisons.append(f"{peak.active - last.active} fewer than at the most")
    if change < 0:
        comparisons.append(f"{-change} fewer than at the end of {month_year(first.month)}")
    elif change > 0:
        comparisons.append(f"{change} more than at the end of {month_year(first.month)}")
    else:
        comparisons.append(f"the same number as at the end of {month_year(first.month)}")
    now = f"on {long_date(today)}" if today is not None else "now"
    highest = ""
    if peak.active > first.active:
        highest = f"; the most was {peak.active} ({month_year(peak.month)})"
    return f"{start}{highest}; {last.active} in place {now}: {', '.join(comparisons)}."
