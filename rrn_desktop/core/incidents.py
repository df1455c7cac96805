"""Incident records, and the support and learning that follow each one, kept apart.

The person at the centre is known by a reference code; initials only when the organisation has
chosen to allow them. Support (for the person, staff and witnesses) and the learning review are
separate records so that each can be shown, or left out, on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    ANSWER_LABELS,
    INVOLVEMENT_LABELS,
    LONG_RESTRAINT_MINUTES,
    RESTRAINT_TYPE_LABELS,
    ActionSource,
    Answer,
    Involvement,
    RedFlag,
    RestraintType,
    Strategy,
)
from rrn_desktop.content.incident_models import (
    FieldKind,
    IncidentPack,
    InterventionKind,
    SectorField,
)
from rrn_desktop.content.loader import incident_pack, rule_pack_for, sector_questions
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.deadlines import SUPPORT_WINDOW, IncidentTimes
from rrn_desktop.core.incident_settings import allows_initials
from rrn_desktop.core.plan import ActionInfo, loaded_action, new_action
from rrn_desktop.core.recording_duties import RecordCheck, RecordFacts, check_record, record_facts
from rrn_desktop.core.services import ServiceInfo, service_info
from rrn_desktop.core.validation import Input, InputError, LongText, Name, ShortText, validated
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.errors import ChangedElsewhereError
from rrn_desktop.storage.models import (
    Incident,
    IncidentIntervention,
    IncidentStaff,
    LearningPoint,
    LearningReview,
    PersonSupport,
    Service,
)

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
PersonCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Initials = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=10, pattern=r"^[^\d]*$")
]


@dataclass(frozen=True)
class InterventionInfo:
    kind_code: str
    kind_label: str
    restraint_type: RestraintType

    @property
    def type_label(self) -> str:
        return RESTRAINT_TYPE_LABELS[self.restraint_type]


@dataclass(frozen=True)
class StaffInfo:
    id: int
    name: str
    role: str
    involvement: Involvement
    welfare_offered_on: dt.date | None
    welfare_taken_up: Answer
    referral: str

    @property
    def involvement_label(self) -> str:
        return INVOLVEMENT_LABELS[self.involvement]

    @property
    def taken_up_label(self) -> str:
        return ANSWER_LABELS[self.welfare_taken_up]


@dataclass(frozen=True)
class PersonSupportInfo:
    offered_on: dt.date
    offered_by_role: str
    taken_up: Answer
    communication: str
    own_account: str
    help_next_time: str

    @property
    def taken_up_label(self) -> str:
        return ANSWER_LABELS[self.taken_up]


@dataclass(frozen=True)
class LearningPointInfo:
    id: int
    text: str
    theme: str
    theme_label: str
    action_id: int | None


@dataclass(frozen=True)
class ReviewInfo:
    held_on: dt.date
    lead_name: str
    lead_role: str
    before: str
    during: str
    after: str
    what_helped: str
    could_be_different: str
    points: tuple[LearningPointInfo, ...]


@dataclass(frozen=True)
class SectorAnswer:
    label: str
    value: str


@dataclass(frozen=True)
class IncidentInfo:
    id: int
    service: ServiceInfo
    reference: str
    person_initials: str
    person_code: str
    person_details: dict[str, str]  # the pack's person questions answered, by id
    occurred_at: dt.datetime
    duration_minutes: int | None
    place: str
    reason: str
    tried_first: str
    in_plan: Answer
    person_injured: Answer
    staff_injured: Answer
    injury_details: str
    who_told: str
    sector_answers: dict[str, str]
    interventions: tuple[InterventionInfo, ...]
    staff: tuple[StaffInfo, ...]
    person_support: PersonSupportInfo | None
    review: ReviewInfo | None
    # How many times it has been saved: a save made from an older copy is refused.
    row_version: int = 1

    @property
    def restraint_types(self) -> tuple[RestraintType, ...]:
        present = {i.restraint_type for i in self.interventions}
        return tuple(kind for kind in RestraintType if kind in present)

    @property
    def types_text(self) -> str:
        return ", ".join(RESTRAINT_TYPE_LABELS[kind] for kind in self.restraint_types)

    @property
    def kinds_text(self) -> str:
        return ", ".join(i.kind_label for i in self.interventions)

    @property
    def times(self) -> IncidentTimes:
        """The dates the 72-hour measures are taken from."""
        return IncidentTimes(
            self.occurred_at,
            self.person_support.offered_on if self.person_support else None,
            tuple(s.welfare_offered_on for s in self.staff),
            self.review.held_on if self.review else None,
        )

    @property
    def red_flags(self) -> frozenset[RedFlag]:
        """What inspectors look for first: prone restraint, rapid tranquillisation and
        seclusion from the kinds used (the pack says which), a physical or mechanical
        restraint of 10 minutes or more, and an injury to anyone."""
        flags = {kind.red_flag for kind in self._kinds() if kind is not None and kind.red_flag}
        held = {RestraintType.PHYSICAL, RestraintType.MECHANICAL} & set(self.restraint_types)
        if held and (self.duration_minutes or 0) >= LONG_RESTRAINT_MINUTES:
            flags.add(RedFlag.LONG)
        if Answer.YES in (self.person_injured, self.staff_injured):
            flags.add(RedFlag.INJURY)
        return frozenset(flags)

    @property
    def mhsds_codes(self) -> tuple[str | None, ...]:
        """Each kind used as the Mental Health Services Data Set codes it (None: no code is
        known to match it)."""
        return tuple(kind.mhsds_code if kind is not None else None for kind in self._kinds())

    def _kinds(self) -> list[InterventionKind | None]:
        """The pack's entry for each kind used (None: a kind the pack no longer has)."""
        pack = incident_pack()
        return [pack.intervention(i.kind_code) for i in self.interventions]

    @property
    def record_facts(self) -> RecordFacts:
        """What the recording rules check of it: what is filled in, and the dates answered."""
        return record_facts(
            occurred_at=self.occurred_at,
            place=self.place,
            reason=self.reason,
            tried_first=self.tried_first,
            who_told=self.who_told,
            in_plan=self.in_plan,
            person_injured=self.person_injured,
            staff_injured=self.staff_injured,
            duration_minutes=self.duration_minutes,
            kinds=len(self.interventions),
            staff=len(self.staff),
            staff_without_welfare=sum(s.welfare_offered_on is None for s in self.staff),
            person_support=self.person_support is not None,
            learning_review=self.review is not None,
            answers=self.sector_answers,
        )

    def legal_check(self, today: dt.date) -> RecordCheck | None:
        """The record against its nation's and sector's recording rules (None: no rules apply)."""
        rules = rule_pack_for(self.service.jurisdiction, self.service.sector)
        return check_record(rules, self.record_facts, today) if rules is not None else None

    @property
    def review_due_by(self) -> dt.datetime:
        return self.times.review_due_by

    def review_overdue(self, now: dt.datetime) -> bool:
        return self.times.review_overdue(now)

    @property
    def review_within_72_hours(self) -> bool:
        return self.times.review_within_72_hours

    @property
    def support_within_72_hours(self) -> bool:
        """The person, and everyone involved or watching, were all offered support in time."""
        return self.times.support_within_72_hours

    @property
    def action_ids(self) -> tuple[int, ...]:
        if self.review is None:
            return ()
        return tuple(p.action_id for p in self.review.points if p.action_id is not None)

    def answers_for(self) -> list[SectorAnswer]:
        """The sector's questions, then its recording rules', with their answers, in the packs'
        order; unanswered left out."""
        answers = []
        for field in sector_questions(self.service.sector, self.service.jurisdiction):
            value = self.sector_answers.get(field.id, "")
            if not value:
                continue
            if field.kind is FieldKind.DATE:
                value = long_date(dt.date.fromisoformat(value))
            elif field.kind is FieldKind.YES_NO:
                value = ANSWER_LABELS[Answer(value)]
            answers.append(SectorAnswer(field.label, value))
        return answers


def _kind_label(pack: IncidentPack, code: str) -> str:
    kind = pack.intervention(code)
    return kind.label if kind else code


def _theme_label(pack: IncidentPack, theme_id: str) -> str:
    theme = pack.theme(theme_id)
    return theme.label if theme else ""


def incident_info(row: Incident) -> IncidentInfo:
    pack = incident_pack()
    support = row.person_support
    review = row.review
    return IncidentInfo(
        id=row.id,
        row_version=row.row_version,
        service=service_info(row.service),
        reference=row.reference,
        person_initials=row.person_initials,
        person_code=row.person_code,
        person_details=dict(row.person_details or {}),
        occurred_at=row.occurred_at,
        duration_minutes=row.duration_minutes,
        place=row.place,
        reason=row.reason,
        tried_first=row.tried_first,
        in_plan=row.in_plan,
        person_injured=row.person_injured,
        staff_injured=row.staff_injured,
        injury_details=row.injury_details,
        who_told=row.who_told,
        sector_answers=dict(row.sector_answers or {}),
        interventions=tuple(
            InterventionInfo(i.kind_code, _kind_label(pack, i.kind_code), i.restraint_type)
            for i in row.interventions
        ),
        staff=tuple(
            StaffInfo(
                s.id,
                s.name,
                s.role,
                s.involvement,
                s.welfare_offered_on,
                s.welfare_taken_up,
                s.referral,
            )
            for s in row.staff
        ),
        person_support=None
        if support is None
        else PersonSupportInfo(
            support.offered_on,
            support.offered_by_role,
            support.taken_up,
            support.communication,
            support.own_account,
            support.help_next_time,
        ),
        review=None
        if review is None
        else ReviewInfo(
            held_on=review.held_on,
            lead_name=review.lead_name,
            lead_role=review.lead_role,
            before=review.before,
            during=review.during,
            after=review.after,
            what_helped=review.what_helped,
            could_be_different=review.could_be_different,
            points=tuple(
                LearningPointInfo(p.id, p.text, p.theme, _theme_label(pack, p.theme), p.action_id)
                for p in review.points
            ),
        ),
    )


WHOLE_INCIDENT = [
    selectinload(Incident.service),
    selectinload(Incident.interventions),
    selectinload(Incident.staff),
    selectinload(Incident.person_support),
    selectinload(Incident.review).selectinload(LearningReview.points),
]


def _incident(session: Session, incident_id: int) -> Incident:
    row = session.get(Incident, incident_id, options=WHOLE_INCIDENT)
    if row is None:
        raise UserFacingError("That incident record no longer exists.")
    return row


# --- the incident record -----------------------------------------------------------------------


class _IncidentFields(Input):
    reference: Reference | None = None
    person_initials: Initials | None = None
    person_code: PersonCode | None = None
    occurred_at: dt.datetime | None = None
    duration_minutes: int | None = None
    place: ShortText | None = None
    reason: LongText | None = None
    tried_first: LongText | None = None
    in_plan: Answer | None = None
    person_injured: Answer | None = None
    staff_injured: Answer | None = None
    injury_details: LongText | None = None
    who_told: LongText | None = None
    kinds: list[str] | None = None
    sector_answers: dict[str, str] | None = None
    person_details: dict[str, str] | None = None


def suggest_reference(db: Database, on: dt.date) -> str:
    """The next free code of the form INC-2026-007: no part of it says who the person is."""
    prefix = f"INC-{on.year}-"
    with db.transaction() as session:
        used = set(
            session.scalars(
                select(Incident.reference).where(Incident.reference.like(f"{prefix}%"))
            ).all()
        )
    number = len(used) + 1
    while f"{prefix}{number:03d}" in used:
        number += 1
    return f"{prefix}{number:03d}"


def _set_kinds(row: Incident, codes: list[str], pack: IncidentPack) -> None:
    if not codes:
        raise InputError("Choose at least one kind of restrictive intervention.")
    known = {code: kind for code in codes if (kind := pack.intervention(code)) is not None}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InputError(f"These kinds of intervention are not known: {', '.join(unknown)}.")
    wanted = list(dict.fromkeys(codes))
    kept = [i for i in row.interventions if i.kind_code in wanted]
    have = {i.kind_code for i in kept}
    row.interventions = kept + [
        IncidentIntervention(kind_code=code, restraint_type=known[code].restraint_type)
        for code in wanted
        if code not in have
    ]


def _clean_answers(answers: dict[str, str], asked: list[SectorField], whose: str) -> dict[str, str]:
    """The answers given, each checked against its question; unanswered ones left out."""
    fields = {f.id: f for f in asked}
    cleaned: dict[str, str] = {}
    for field_id, raw in answers.items():
        field = fields.get(field_id)
        if field is None:
            raise InputError(f"'{field_id}' is not a question {whose}.")
        value = raw.strip()
        if not value:
            continue
        if field.kind is FieldKind.DATE:
            try:
                dt.date.fromisoformat(value)
            except ValueError as error:
                raise InputError(f"{field.label}: '{value}' is not a date.") from error
        elif field.kind is FieldKind.YES_NO and value not in {a.value for a in Answer}:
            raise InputError(f"{field.label}: answer yes, no or not known.")
        elif field.kind is FieldKind.CHOICE and value not in field.choices:
            raise InputError(f"{field.label}: choose one of {', '.join(field.choices)}.")
        cleaned[field_id] = value
    return cleaned


def _apply(session: Session, row: Incident, data: _IncidentFields, now: dt.datetime) -> None:
    pack = incident_pack()
    for name in data.model_fields_set - {"kinds", "sector_answers", "person_details"}:
        value = getattr(data, name)
        if value is None and name not in ("duration_minutes",):
            continue
        setattr(row, name, value)
    if data.kinds is not None:
        _set_kinds(row, data.kinds, pack)
    if data.sector_answers is not None:
        service = row.service
        asked = sector_questions(service.sector, service.jurisdiction)
        row.sector_answers = _clean_answers(
            data.sector_answers, asked, "this service's record asks"
        )
    if data.person_details is not None:
        about = [question.as_field() for question in pack.person_questions]
        row.person_details = _clean_answers(data.person_details, about, "asked about the person")
    if row.person_initials and not allows_initials(session):
        raise InputError(
            "Initials are switched off for this organisation: the person is known by the "
            "reference code only. An administrator can allow initials in Incident settings."
        )
    if row.occurred_at > now + dt.timedelta(minutes=5):
        raise InputError("The incident's date and time cannot be in the future.")
    if row.duration_minutes is not None and not 0 <= row.duration_minutes <= 24 * 60 * 31:
        raise InputError("The duration must be between 0 minutes and 31 days.")
    _check_support_dates(row)


def _check_unique_reference(session: Session, row: Incident) -> None:
    clash = session.scalars(
        select(Incident.id).where(Incident.reference == row.reference, Incident.id != row.id)
    ).first()
    if clash is not None:
        raise InputError(f"The reference {row.reference} is already used by another incident.")


def record_incident(
    db: Database,
    service_id: int,
    reference: str,
    occurred_at: dt.datetime,
    kinds: list[str],
    *,
    now: dt.datetime | None = None,
    **fields: object,
) -> IncidentInfo:
    data = validated(
        _IncidentFields, reference=reference, occurred_at=occurred_at, kinds=kinds, **fields
    )
    with db.transaction() as session:
        service = session.get(Service, service_id)
        if service is None:
            raise UserFacingError("That service no longer exists.")
        row = Incident(
            service=service,
            reference="",
            occurred_at=occurred_at,
            sector_answers={},
            person_details={},
            person_code="",
        )
        _apply(session, row, data, now or dt.datetime.now())
        _check_unique_reference(session, row)
        session.add(row)
        try:
            session.flush()
        except IntegrityError as error:
            raise InputError(f"The reference {row.reference} is already in use.") from error
        return incident_info(_incident(session, row.id))


def update_incident(
    db: Database,
    incident_id: int,
    *,
    now: dt.datetime | None = None,
    opened: int | None = None,
    **changes: object,
) -> IncidentInfo:
    """``opened``: the ``row_version`` the changes were made to; if someone else has saved the
    record since, nothing is saved and ChangedElsewhereError carries their version."""
    data = validated(_IncidentFields, **changes)
    with db.transaction() as session:
        row = _incident(session, incident_id)
        if opened is not None and row.row_version != opened:
            raise ChangedElsewhereError(theirs=incident_info(row))
        _apply(session, row, data, now or dt.datetime.now())
        _check_unique_reference(session, row)
        session.flush()
        return incident_info(row)


def delete_incident(db: Database, incident_id: int) -> None:
    """Delete a record made by mistake; actions it led to stay on the plan."""
    with db.transaction() as session:
        session.delete(_incident(session, incident_id))


def get_incident(db: Database, incident_id: int) -> IncidentInfo:
    with db.transaction() as session:
        return incident_info(_incident(session, incident_id))


def find_incident(db: Database, reference: str) -> IncidentInfo:
    wanted = reference.strip().casefold()
    with db.transaction() as session:
        rows = session.scalars(select(Incident).options(*WHOLE_INCIDENT)).all()
        for row in rows:
            if row.reference.casefold() == wanted:
                return incident_info(row)
    raise InputError(f"No incident has the reference '{reference.strip()}'.")


def list_incidents(
    db: Database,
    service_id: int | None = None,
    since: dt.datetime | None = None,
) -> list[IncidentInfo]:
    """Newest first."""
    with db.transaction() as session:
        query = select(Incident).options(*WHOLE_INCIDENT)
        if service_id is not None:
            query = query.where(Incident.service_id == service_id)
        if since is not None:
            query = query.where(Incident.occurred_at >= since)
        rows = session.scalars(query.order_by(Incident.occurred_at.desc(), Incident.id)).all()
        return [incident_info(row) for row in rows]


def overdue_reviews(db: Database, now: dt.datetime) -> list[IncidentInfo]:
    """Incidents more than 72 hours old with no learning review, oldest first."""
    with db.transaction() as session:
        rows = session.scalars(
            select(Incident)
            .options(*WHOLE_INCIDENT)
            .where(~Incident.review.has(), Incident.occurred_at <= now - SUPPORT_WINDOW)
            .order_by(Incident.occurred_at)
        ).all()
        return [incident_info(row) for row in rows]


# --- support -----------------------------------------------------------------------------------


def _check_day(row: Incident, on: dt.date | None, what: str) -> None:
    if on is not None and on < row.occurred_at.date():
        raise InputError(
            f"{what} ({long_date(on)}) cannot be before the incident "
            f"({long_date(row.occurred_at.date())})."
        )


def _check_support_dates(row: Incident) -> None:
    for staff in row.staff:
        _check_day(row, staff.welfare_offered_on, f"The welfare check for {staff.name}")
    if row.person_support is not None:
        _check_day(row, row.person_support.offered_on, "Support for the person")
    if row.review is not None:
        _check_day(row, row.review.held_on, "The learning review")


class _StaffFields(Input):
    name: Name | None = None
    role: ShortText | None = None
    involvement: Involvement | None = None
    welfare_offered_on: dt.date | None = None
    welfare_taken_up: Answer | None = None
    referral: LongText | None = None


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def add_staff(
    db: Database,
    incident_id: int,
    name: str,
    involvement: Involvement,
    **fields: object,
) -> IncidentInfo:
    """Someone involved, or a witness; their welfare check is recorded on the same line."""
    data = validated(_StaffFields, name=name, involvement=involvement, **fields)
    with db.transaction() as session:
        row = _incident(session, incident_id)
        if row.review is not None and _same_person(row.review.lead_name, data.name or ""):
            raise InputError(
                f"{data.name} led the learning review for this incident, so cannot also be "
                "recorded as involved in it or as a witness."
            )
        values = {name: getattr(data, name) for name in data.model_fields_set}
        row.staff.append(IncidentStaff(**{"role": "", "referral": "", **values}))
        _check_support_dates(row)
        session.flush()
        return incident_info(row)


def update_staff(db: Database, incident_id: int, staff_id: int, **changes: object) -> IncidentInfo:
    data = validated(_StaffFields, **changes)
    with db.transaction() as session:
        row = _incident(session, incident_id)
        staff = next((s for s in row.staff if s.id == staff_id), None)
        if staff is None:
            raise UserFacingError("That person is no longer on this incident.")
        for name in data.model_fields_set:
            value = getattr(data, name)
            if value is None and name in ("name", "involvement", "welfare_taken_up"):
                continue
            setattr(staff, name, value)
        _check_support_dates(row)
        session.flush()
        return incident_info(row)


def remove_staff(db: Database, incident_id: int, staff_id: int) -> IncidentInfo:
    with db.transaction() as session:
        row = _incident(session, incident_id)
        row.staff = [s for s in row.staff if s.id != staff_id]
        session.flush()
        return incident_info(row)


class _PersonSupportFields(Input):
    offered_on: dt.date
    offered_by_role: ShortText = ""
    taken_up: Answer = Answer.UNKNOWN
    communication: LongText = ""
    own_account: LongText = ""
    help_next_time: LongText = ""


def save_person_support(
    db: Database, incident_id: int, offered_on: dt.date, **fields: object
) -> IncidentInfo:
    """Support offered to the person who was restrained, and their own account if they gave one."""
    data = validated(_PersonSupportFields, offered_on=offered_on, **fields)
    with db.transaction() as session:
        row = _incident(session, incident_id)
        if row.person_support is None:
            row.person_support = PersonSupport(offered_on=data.offered_on)
        for name, value in data.model_dump().items():
            setattr(row.person_support, name, value)
        _check_support_dates(row)
        session.flush()
        return incident_info(row)


# --- the learning review -----------------------------------------------------------------------


class _ReviewFields(Input):
    held_on: dt.date
    lead_name: Name
    lead_role: ShortText = ""
    before: LongText = ""
    during: LongText = ""
    after: LongText = ""
    what_helped: LongText = ""
    could_be_different: LongText = ""


def save_review(
    db: Database,
    incident_id: int,
    held_on: dt.date,
    lead_name: str,
    *,
    lead_not_involved: bool,
    today: dt.date | None = None,
    **fields: object,
) -> IncidentInfo:
    """Record the learning review. Its lead must be someone who was not involved."""
    data = validated(_ReviewFields, held_on=held_on, lead_name=lead_name, **fields)
    with db.transaction() as session:
        row = _incident(session, incident_id)
        clash = next((s for s in row.staff if _same_person(s.name, data.lead_name)), None)
        if clash is not None:
            where = "a witness to" if clash.involvement is Involvement.WITNESS else "involved in"
            raise InputError(
                f"{clash.name} was {where} this incident, so cannot lead its learning review. "
                "Ask someone who was not there, so the review can look at what happened "
                "with fresh eyes."
            )
        if not lead_not_involved:
            raise InputError(
                "Please confirm that the review lead was not involved in the incident."
            )
        if data.held_on > (today or dt.date.today()):
            raise InputError("The review's date cannot be in the future.")
        if row.review is None:
            row.review = LearningReview(held_on=data.held_on, lead_name=data.lead_name)
        for name, value in data.model_dump().items():
            setattr(row.review, name, value)
        _check_support_dates(row)
        session.flush()
        return incident_info(row)


class _PointFields(Input):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    theme: ShortText = ""


def _check_theme(theme: str) -> None:
    if theme and incident_pack().theme(theme) is None:
        raise InputError(f"'{theme}' is not a learning theme.")


def add_learning_point(db: Database, incident_id: int, text: str, theme: str = "") -> IncidentInfo:
    data = validated(_PointFields, text=text, theme=theme)
    _check_theme(data.theme)
    with db.transaction() as session:
        row = _incident(session, incident_id)
        if row.review is None:
            raise InputError("Record the learning review before adding its learning points.")
        row.review.points.append(LearningPoint(text=data.text, theme=data.theme))
        session.flush()
        return incident_info(row)


def _point(session: Session, point_id: int) -> LearningPoint:
    point = session.get(LearningPoint, point_id)
    if point is None:
        raise UserFacingError("That learning point no longer exists.")
    return point


def update_learning_point(db: Database, point_id: int, text: str, theme: str) -> IncidentInfo:
    data = validated(_PointFields, text=text, theme=theme)
    _check_theme(data.theme)
    with db.transaction() as session:
        point = _point(session, point_id)
        point.text, point.theme = data.text, data.theme
        incident_id = point.review.incident_id
        session.flush()
        return incident_info(_incident(session, incident_id))


def remove_learning_point(db: Database, point_id: int) -> IncidentInfo:
    """Remove a point; an action made from it stays on the plan."""
    with db.transaction() as session:
        point = _point(session, point_id)
        incident_id = point.review.incident_id
        session.delete(point)
        session.flush()
        return incident_info(_incident(session, incident_id))


TITLE_LIMIT = 200


def point_to_action(db: Database, point_id: int, on: dt.date, **fields: object) -> ActionInfo:
    """One step: the learning point becomes an action on the plan, linked back to it."""
    with db.transaction() as session:
        point = _point(session, point_id)
        if point.action_id is not None:
            raise InputError("This learning point is already an action on the plan.")
        theme = incident_pack().theme(point.theme)
        title = " ".join(point.text.split())
        if len(title) > TITLE_LIMIT:
            title = title[: TITLE_LIMIT - 1].rstrip() + "…"
        action = new_action(
            title=title,
            strategy=theme.strategy if theme else Strategy.DEBRIEFING,
            on=on,
            source=ActionSource.LEARNING_POINT,
            service=point.review.incident.service,
            description=point.text,
            **fields,
        )
        session.add(action)
        session.flush()
        point.action = action
        session.flush()
        return loaded_action(db, session, action.id)
