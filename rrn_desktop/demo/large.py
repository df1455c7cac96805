"""A large fictional organisation, for measuring speed: many services, several years of records.

Everything is invented, as in the normal demo (demo/organisation.py), whose people, scenarios
and helpers it reuses: every service name ends "(demo NN)", the people are the demo's made-up
staff, and the person in each incident is known only by its reference code. Each service gets a
yearly benchmark, a blanket restrictions register with reviews and reductions, plan actions with
progress, and twenty to sixty incidents a year (fewer each year) with the support and learning
after them, all dated back from today. Each service is written in one transaction (see
_one_transaction): the core functions run as they do in the app, validation and change log
included, but the data is saved to disk once a service rather than once a call, which is what
makes fifty services over five years take minutes, not an hour."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import (
    ActionStatus,
    ChecklistAnswer,
    Priority,
    Purpose,
    RestrictionStatus,
    Sector,
    Strategy,
)
from rrn_desktop.content.loader import shipped_checklist, training_standards
from rrn_desktop.core import benchmarks, plan, restrictions
from rrn_desktop.core.dates import add_months, month_end, month_starts
from rrn_desktop.core.services import (
    ServiceInfo,
    create_service,
    list_services,
    rename_organisation,
)
from rrn_desktop.demo.incidents import (
    KESTREL,
    WILLOW,
    Home,
    Planned,
    add_staff,
    chance,
    kestrel_answers,
    make_action,
    record_planned,
    review_incident,
    support_person,
    willow_answers,
)
from rrn_desktop.demo.organisation import (
    DEMO_ORGANISATION,
    PARTICIPANTS,
    _complete_actions,
    _fill_benchmark,
)
from rrn_desktop.demo.plan import PLEDGE
from rrn_desktop.demo.restrictions import DemoEntry, add_entry
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Action, Benchmark, Incident, Restriction, Service

MAX_SERVICES = 200
MAX_YEARS = 10
DEFAULT_SEED = 2050

# Invented place names; every service name also carries "(demo NN)".
PLACES = (
    "Ashcombe", "Birchley", "Coldmere", "Dunstow", "Elmbrook", "Fernhollow", "Greywell",
    "Hartsmead", "Ivelmere", "Juniper", "Kingsmoor", "Larkspur", "Millbeck", "Nettlecombe",
    "Orchardleigh", "Pebblestone", "Quarrybank", "Rushmere", "Sallowfield", "Thistlemoor Green",
    "Underwood", "Vinehall", "Wrenfield", "Yarrowdale",
)  # fmt: skip
# Schools and wards borrow a demo home's scenarios, with staff who work there.
SCHOOL = dataclasses.replace(
    KESTREL,
    staff=(
        ("Jamie Notreal", "Teaching assistant"),
        ("Taylor Fictive", "Class teacher"),
        ("Riley Testcase", "Pastoral lead"),
        ("Avery Sampleford", "Learning mentor"),
        ("Quinn Madeup", "Teaching assistant"),
    ),
    leads=(("Casey Specimen", "Deputy head teacher"), ("Dana Trialson", "SENCo")),
    owners=(("Casey Specimen", "Deputy head teacher"), ("Riley Testcase", "Pastoral lead")),
)
WARD = dataclasses.replace(
    WILLOW,
    staff=(
        ("Jordan Sample", "Healthcare assistant"),
        ("Alex Testwell", "Staff nurse"),
        ("Lee Placeholder", "Charge nurse"),
        ("Robin Mockley", "Night healthcare assistant"),
        ("Priya Exampleton", "Occupational therapist"),
        ("Charlie Dummyfield", "Staff nurse"),
    ),
    leads=(("Morgan Example", "Ward manager"), ("Rhian Sample", "Matron")),
    owners=(("Morgan Example", "Ward manager"), ("Lee Placeholder", "Charge nurse")),
)
# Each service in turn: its sector, its kind, and the demo home whose people it borrows.
KINDS: tuple[tuple[Sector, str, Home], ...] = (
    (Sector.ADULT_SOCIAL_CARE, "{place} House care home", WILLOW),
    (Sector.CHILDRENS_SERVICES, "{place} Lodge children's home", KESTREL),
    (Sector.EDUCATION, "{place} Academy", SCHOOL),
    (Sector.HEALTH, "{place} Ward", WARD),
    (Sector.ADULT_SOCIAL_CARE, "{place} Court supported living", WILLOW),
)
CHILDREN_ONLY = {"BR-CON-08", "BR-CON-09", "BR-SAF-12"}
REASONS = (
    (
        "Brought in after one person's difficult week; never looked at again since.",
        "Look at who it was for and make a plan for that person only.",
    ),
    (
        "Staff said it makes busy shifts safer; nobody asked the people it affects.",
        "Ask the people here and their families; try a week without it.",
    ),
    (
        "Inherited from the previous manager's house rules.",
        "Check each person's plan and remove it where nobody needs it.",
    ),
    (
        "An inspection visit raised a risk; the quickest answer was a rule for all.",
        "Replace it with an individual risk assessment where the risk is real.",
    ),
    (
        "Added when agency staff were covering many shifts.",
        "Brief permanent staff and agree a safer way with the people it affects.",
    ),
)
STEPS = (
    "Tried for a month with the people it affects; going well.",
    "Agreed person by person at the reviews of their plans.",
    "Discussed at the restraint reduction group; everyone agreed.",
    "Families told at the residents' and relatives' meeting.",
)
CUSTOM = (
    ("Garden gate padlocked at night", "building"),
    ("Quiet lounge kept locked in the evening", "building"),
    ("Fixed times for using the laundry", "routine"),
)
CHILD_VIEWS = (
    "The young people said it felt like a punishment for everyone.",
    "One young person said it helped; the others wanted it gone.",
    "They asked to be trusted with it, one at a time.",
)
# Plan actions set by each service: (title, strategy); an outcome measure for some.
PLAN_ACTIONS = (
    ("Monthly restraint figures shared at the team meeting", Strategy.DATA),
    ("Everyone on the rota trained in de-escalation this year", Strategy.WORKFORCE),
    ("Refresher on the early signs of distress for night staff", Strategy.WORKFORCE),
    ("New starters shadow an experienced colleague for two weeks", Strategy.WORKFORCE),
    ("Sensory box and quiet corner in the main living area", Strategy.TOOLS),
    ("'What helps me' page in every support plan", Strategy.TOOLS),
    ("People we support help choose the training provider", Strategy.INVOLVEMENT),
    ("Family forum asked about the register every six months", Strategy.INVOLVEMENT),
    ("Debrief offered to staff within 72 hours of every hold", Strategy.DEBRIEFING),
    ("Learning from reviews shared at handover the next day", Strategy.DEBRIEFING),
    ("Manager walks the building with the checklist every quarter", Strategy.LEADERSHIP),
    ("Restraint reduction lead named on every shift", Strategy.LEADERSHIP),
    ("Audit PRN records against the protocol each month", Strategy.DATA),
    ("Ask an advocate to join the register review", Strategy.INVOLVEMENT),
)
MEASURES = (
    ("Incidents with physical restraint a month", "", 4, 1),
    ("Staff trained in de-escalation", "%", 40, 100),
    ("Debriefs offered within 72 hours", "%", 30, 95),
)
PROGRESS_NOTES = (
    "Started; the first session is booked.",
    "Half done; the rest is planned for next month.",
    "Checked at supervision: going to plan.",
    "Slower than hoped while two posts were vacant.",
    "Discussed with the people it affects; they agreed the next step.",
)


@dataclass(frozen=True)
class LargeDemoSummary:
    """What was made, to print and to check."""

    services: int
    years: int
    benchmarks: int
    restrictions: int
    actions: int
    incidents: int


class _Joined:
    """Stands in for the Database while one service is loaded: every core function's
    transaction joins one open session, flushed after each call and committed at the end."""

    def __init__(self, db: Database, session: Session) -> None:
        self.data_dir = db.data_dir
        self.evidence_dir = db.evidence_dir
        self._session = session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        yield self._session
        self._session.flush()


@contextmanager
def _one_transaction(db: Database) -> Iterator[Database]:
    """All of it is saved, or (on any error) none of it, as with db.transaction()."""
    with db.transaction() as session:
        yield cast(Database, _Joined(db, session))


def _check_sizes(db: Database, services: int, years: int) -> None:
    if not 1 <= services <= MAX_SERVICES:
        raise UserFacingError(
            f"The number of services must be between 1 and {MAX_SERVICES}, not {services}."
        )
    if not 1 <= years <= MAX_YEARS:
        raise UserFacingError(
            f"The number of years must be between 1 and {MAX_YEARS}, not {years}."
        )
    if list_services(db):
        raise UserFacingError(
            "This data folder already holds services, so demo data was not added. "
            "Choose an empty folder with --data-dir to try the demo."
        )


def _service_name(number: int) -> tuple[str, Sector, Home]:
    sector, pattern, home = KINDS[(number - 1) % len(KINDS)]
    place = PLACES[(number - 1) % len(PLACES)]
    return f"{pattern.format(place=place)} (demo {number:02d})", sector, home


# --- benchmarks --------------------------------------------------------------------------------


def _add_benchmarks(
    db: Database, rng: random.Random, service: ServiceInfo, years: int, today: dt.date
) -> None:
    """One a year, each rating more items as met, the latest a few weeks ago."""
    readiness = {item.code: rng.random() for _section, item in training_standards().items()}
    start, end = rng.uniform(0.15, 0.35), rng.uniform(0.6, 0.85)
    for year in range(years):
        held_on = add_months(today, -12 * (years - 1 - year)) - dt.timedelta(rng.randint(20, 60))
        progress = start + (end - start) * (year / (years - 1) if years > 1 else 1)
        benchmark = benchmarks.start_benchmark(
            db, service.id, held_on, Purpose.SELF_AUDIT, PARTICIPANTS
        )
        _fill_benchmark(db, benchmark.id, held_on, progress, readiness, rng)
        latest = year == years - 1
        if not latest or rng.random() < 0.7:  # a few services are still finishing this year's
            benchmarks.sign_off(
                db, benchmark.id, "Morgan Example", "Registered manager", held_on + dt.timedelta(7)
            )
        if not latest:
            _complete_actions(db, benchmark.id, held_on)


# --- the register ------------------------------------------------------------------------------


def _register_entries(
    rng: random.Random, sector: Sector, months: int
) -> tuple[list[DemoEntry], list[str]]:
    """10 to 25 entries found over the years, most reduced since; and the codes answered no."""
    children = sector in (Sector.CHILDRENS_SERVICES, Sector.EDUCATION)
    codes = [
        item.code
        for _category, item in shipped_checklist().items()
        if children or item.code not in CHILDREN_ONLY
    ]
    count = rng.randint(10, 25)
    customs = rng.randint(0, min(2, count - 10))
    found_codes = rng.sample(codes, count - customs)
    customs_found = iter(rng.sample(CUSTOM, customs))
    entries = []
    for code in [*found_codes, *(None for _ in range(customs))]:
        # Most were found on the first walk of the checklist; the rest since.
        found = months - 1 if rng.random() < 0.6 else rng.randint(1, months - 1)
        changes: list[tuple[RestrictionStatus, int, str]] = []
        when = found
        for status in (RestrictionStatus.REDUCING, RestrictionStatus.REMOVED):
            if when < 3 or rng.random() < 0.35:
                break
            when = rng.randint(0, when - 1)
            if status is RestrictionStatus.REMOVED and rng.random() < 0.3:
                status = RestrictionStatus.INDIVIDUALISED
            changes.append((status, when, rng.choice(STEPS)))
        in_place = not changes or changes[-1][0] is RestrictionStatus.REDUCING
        why, reduce = rng.choice(REASONS)
        title, category = next(customs_found) if code is None else ("", "building")
        child: dict[str, object] = {}
        if children:
            child = {
                "placing_authority_agreed": rng.random() < 0.6,
                "in_placement_plan": rng.random() < 0.6,
                "child_view": rng.choice(CHILD_VIEWS),
            }
        entries.append(
            DemoEntry(
                code,
                found,
                why,
                reduce,
                tuple(changes),
                overdue_days=rng.randint(1, 20) if in_place and rng.random() < 0.15 else 0,
                title=title,
                category=category,
                child=child,
            )
        )
    not_found = [code for code in codes if code not in found_codes]
    return entries, not_found


def _add_register(
    db: Database, rng: random.Random, service: ServiceInfo, months: int, today: dt.date
) -> None:
    entries, not_found = _register_entries(rng, service.sector, months)
    for spec in entries:
        add_entry(db, service, spec, today)
    first_walk = add_months(today, -(months - 1))
    for code in not_found:
        restrictions.answer_checklist(db, service.id, code, ChecklistAnswer.NO, first_walk)


# --- plan actions ------------------------------------------------------------------------------


def _add_actions(
    db: Database,
    rng: random.Random,
    service: ServiceInfo,
    home: Home,
    months: int,
    today: dt.date,
) -> None:
    """10 to 30 actions the service set itself: older ones done or dropped, newer under way."""
    in_place = [
        entry
        for entry in restrictions.list_restrictions(db, service.id)
        if entry.in_place and entry.identified_on < today - dt.timedelta(60)
    ]
    for number in range(rng.randint(10, 30)):
        start = add_months(today, -rng.randint(0, months - 1)) - dt.timedelta(rng.randint(0, 27))
        owner, role = rng.choice(home.owners)
        fields: dict[str, object] = {
            "owner_name": owner,
            "owner_role": role,
            "priority": rng.choice([Priority.HIGH, Priority.MEDIUM, Priority.MEDIUM, Priority.LOW]),
        }
        measure = rng.choice(MEASURES) if rng.random() < 0.25 else None
        service_id: int | None = None
        restriction_id: int | None = None
        if in_place and number % 6 == 5:
            entry = in_place.pop(rng.randrange(len(in_place)))
            title, strategy = f"Reduce or remove: {entry.title}", Strategy.TOOLS
            start = max(start, entry.identified_on)
            restriction_id = entry.id
        else:
            title, strategy = PLAN_ACTIONS[number % len(PLAN_ACTIONS)]
            service_id = service.id
            if measure:
                name, unit, baseline, target = measure
                fields.update(
                    outcome_measure=name,
                    outcome_unit=unit,
                    outcome_baseline=baseline,
                    outcome_target=target,
                )
        due = add_months(start, rng.randint(2, 9))
        action = plan.create_action(
            db,
            title,
            strategy,
            start,
            service_id=service_id,
            restriction_id=restriction_id,
            due_on=due,
            **fields,
        )
        _follow_up(db, rng, action, start, due, today)


def _follow_up(
    db: Database,
    rng: random.Random,
    action: plan.ActionInfo,
    start: dt.date,
    due: dt.date,
    today: dt.date,
) -> None:
    """What happened to an action since it was set: progress notes, readings, done or dropped."""
    begun = start + dt.timedelta(rng.randint(3, 30))
    if begun >= today:
        return
    if rng.random() < 0.08:
        plan.set_status(
            db, action.id, ActionStatus.DROPPED, begun, "Overtaken by a wider change to the plan."
        )
        return
    plan.move_forward(db, action.id, begun)
    latest = max(min(due + dt.timedelta(rng.randint(-20, 40)), today), begun)
    days = max((latest - begun).days, 1)
    for step in sorted(rng.sample(range(days), min(days, rng.randint(0, 3)))):
        plan.add_note(db, action.id, begun + dt.timedelta(step), rng.choice(PROGRESS_NOTES))
    if action.outcome_measure:
        baseline, target = action.outcome_baseline or 0, action.outcome_target or 0
        for number in range(1, 4):
            read_on = begun + dt.timedelta(days * number // 4)
            value = baseline + (target - baseline) * number / 4 * rng.uniform(0.6, 1.0)
            plan.add_reading(db, action.id, round(value), read_on, "Monthly figures")
    if latest < today and rng.random() < 0.85:
        plan.move_forward(db, action.id, latest)


# --- incidents ---------------------------------------------------------------------------------


def _schedule(
    rng: random.Random, home: Home, service: ServiceInfo, months: int, today: dt.date
) -> list[Planned]:
    """Twenty to sixty a year, falling over the years; none after yesterday."""
    starts = month_starts(today, months)
    first_rate = rng.uniform(3.0, 5.0)
    last_rate = first_rate * rng.uniform(0.45, 0.65)
    planned = []
    for index, month in enumerate(starts):
        progress = index / (months - 1) if months > 1 else 1.0
        rate = first_rate + (last_rate - first_rate) * progress
        count = int(rate) + (rng.random() < rate - int(rate))
        last = min(month_end(month), today - dt.timedelta(1))
        for _ in range(count if last >= month else 0):
            day = month + dt.timedelta(rng.randint(0, (last - month).days))
            scenario = rng.choice(home.scenarios)
            at = dt.time(rng.choice(scenario.hours), rng.choice(range(0, 60, 5)))
            kinds = rng.choice(scenario.kinds)
            planned.append(
                Planned(home, service, scenario, kinds, dt.datetime.combine(day, at), progress)
            )
    return sorted(planned, key=lambda item: item.occurred_at)


def _school_answers(rng: random.Random, item: Planned, today: dt.date) -> dict[str, str]:
    day = item.occurred_at.date()
    told = day + dt.timedelta(0 if chance(rng, 0.6, 0.95, item.progress) else rng.randint(1, 3))
    return {
        "parents_told_on": min(told, today).isoformat(),
        "parents_told_how": rng.choice(["Phone call", "Phone call", "In person", "Email"]),
        "recorded_same_day": "yes" if chance(rng, 0.5, 0.95, item.progress) else "no",
        "significant_force": "yes" if item.kinds[0].startswith("physical") else "no",
        "plan_reviewed": "yes" if chance(rng, 0.4, 0.9, item.progress) else "no",
        "pupil_has_send": rng.choice(["yes", "yes", "no"]),
    }


def _ward_answers(rng: random.Random, item: Planned, today: dt.date) -> dict[str, str]:
    return {
        "how_force_used": item.scenario.during,
        "patient_outcome": "Settled afterwards; checked by the nurse; care plan reviewed.",
        "account_offered": "yes" if chance(rng, 0.6, 0.97, item.progress) else "no",
        "police_involved": "yes" if rng.random() < 0.02 else "no",
        "legal_status": rng.choice(
            ["Detained under the Mental Health Act", "Informal patient", "Other or not known"]
        ),
    }


SECTOR_ANSWERS = {
    Sector.ADULT_SOCIAL_CARE: willow_answers,
    Sector.CHILDRENS_SERVICES: kestrel_answers,
    Sector.EDUCATION: _school_answers,
    Sector.HEALTH: _ward_answers,
}


def _add_incidents(
    db: Database,
    rng: random.Random,
    schedule: list[Planned],
    references: dict[dt.datetime, list[str]],
    today: dt.date,
) -> None:
    converted: set[str] = set()  # each learning point becomes an action once at most
    for item in schedule:
        incident = record_planned(
            db,
            rng,
            item,
            today,
            reference=references[item.occurred_at].pop(),
            answers=SECTOR_ANSWERS[item.service.sector],
        )
        add_staff(db, rng, item, incident.id, today)
        recent = item.occurred_at.date() > today - dt.timedelta(3)  # its review is still to come
        if recent or chance(rng, 0.02, 0.0, item.progress):  # or it was never followed up
            continue
        if chance(rng, 0.8, 0.97, item.progress):
            support_person(db, rng, item, incident.id, today)
        review = review_incident(db, rng, item, incident.id, today)
        for point in review.points:
            if point.text not in converted and chance(rng, 0.3, 0.6, item.progress):
                converted.add(point.text)
                make_action(db, rng, item, point.id, review.held_on, today)


def _references(schedules: list[list[Planned]]) -> dict[dt.datetime, list[str]]:
    """INC-2026-001 onwards, numbered across the organisation in date order, as the app would
    suggest them had the records been made as things happened."""
    moments = sorted(item.occurred_at for schedule in schedules for item in schedule)
    numbers: dict[int, int] = {}
    references: dict[dt.datetime, list[str]] = {}
    for moment in moments:
        numbers[moment.year] = numbers.get(moment.year, 0) + 1
        code = f"INC-{moment.year}-{numbers[moment.year]:03d}"
        references.setdefault(moment, []).insert(0, code)
    return references


# --- the whole organisation --------------------------------------------------------------------


def _counts(db: Database, years: int) -> LargeDemoSummary:
    with db.transaction() as session:

        def count(model: type) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        return LargeDemoSummary(
            services=count(Service),
            years=years,
            benchmarks=count(Benchmark),
            restrictions=count(Restriction),
            actions=count(Action),
            incidents=count(Incident),
        )


def load_large_demo(
    db: Database,
    services: int,
    years: int,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LargeDemoSummary:
    """Fill an empty data folder with `services` fictional services and `years` of records.

    `progress(done, total)` is called after each service is saved. The same seed and day give
    the same data.
    """
    _check_sizes(db, services, years)
    today = today or dt.date.today()
    rng = random.Random(seed)
    months = 12 * years
    rename_organisation(db, DEMO_ORGANISATION)
    plan.make_pledge(
        db,
        PLEDGE,
        add_months(today, -10),
        signed_by="Morgan Example",
        signed_role="Chief executive (fictional)",
        published=True,
        published_where="On the organisation's website and in each service's entrance.",
    )
    made = []
    for number in range(1, services + 1):
        name, sector, home = _service_name(number)
        made.append((create_service(db, name, sector), home))
    schedules = [_schedule(rng, home, service, months, today) for service, home in made]
    references = _references(schedules)
    for done, ((service, home), schedule) in enumerate(zip(made, schedules, strict=True), 1):
        service_rng = random.Random(f"{seed}-{service.name}")
        with _one_transaction(db) as joined:
            _add_benchmarks(joined, service_rng, service, years, today)
            _add_register(joined, service_rng, service, months, today)
            _add_actions(joined, service_rng, service, home, months, today)
            _add_incidents(joined, service_rng, schedule, references, today)
        if progress is not None:
            progress(done, services)
    return _counts(db, years)
