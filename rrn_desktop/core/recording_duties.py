"""Checking an incident record against the recording rules of its service's nation and sector:
which facts the law asks for are still missing, and whether each deadline was met.

A record is judged from RecordFacts, what is filled in and the dates answered, built one way
whether the incident was read whole (IncidentInfo) or as a row of plain SQL (the start screen,
before the ORM loads), so every screen and report reaches the same verdict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from rrn_desktop.base.date_words import long_date
from rrn_desktop.base.vocabulary import Answer, RecordPart
from rrn_desktop.base.wording import plural

if TYPE_CHECKING:  # the packs' models need pydantic, which the start screen does without
    from rrn_desktop.content.recording_rules import Deadline, RequiredFact, RulePack


@dataclass(frozen=True)
class RecordFacts:
    """What a rule check needs of one incident record."""

    occurred_at: dt.datetime
    filled: frozenset[str]  # the RecordPart values filled in, and the answered questions' ids
    dates: Mapping[str, dt.date]  # the date questions' answers, by question id

    def has(self, field: str) -> bool:
        return field.partition(":")[2] in self.filled if ":" in field else field in self.filled

    def date_of(self, field: str) -> dt.date | None:
        return self.dates.get(field.partition(":")[2])


def _answered(value: str) -> bool:
    return bool(value.strip()) and value != Answer.UNKNOWN


def record_facts(
    *,
    occurred_at: dt.datetime,
    place: str,
    reason: str,
    tried_first: str,
    who_told: str,
    in_plan: str,
    person_injured: str,
    staff_injured: str,
    duration_minutes: int | None,
    kinds: int,
    staff: int,
    staff_without_welfare: int,
    person_support: bool,
    learning_review: bool,
    answers: Mapping[str, str],
) -> RecordFacts:
    """The one reading of a record's columns as the rules see them; kinds, staff: how many the
    record lists; answers: the sector's and the rules' questions, by id."""
    filled = {
        part.value
        for part, is_filled in (
            (RecordPart.PLACE, bool(place.strip())),
            (RecordPart.REASON, bool(reason.strip())),
            (RecordPart.TRIED_FIRST, bool(tried_first.strip())),
            (RecordPart.WHO_TOLD, bool(who_told.strip())),
            (RecordPart.IN_PLAN, _answered(in_plan)),
            (RecordPart.INJURIES, _answered(person_injured) and _answered(staff_injured)),
            (RecordPart.DURATION, duration_minutes is not None),
            (RecordPart.INTERVENTIONS, kinds > 0),
            (RecordPart.STAFF, staff > 0),
            (RecordPart.STAFF_SUPPORT, staff > 0 and staff_without_welfare == 0),
            (RecordPart.PERSON_SUPPORT, person_support),
            (RecordPart.LEARNING_REVIEW, learning_review),
        )
        if is_filled
    }
    dates: dict[str, dt.date] = {}
    for question, value in answers.items():
        if _answered(value):
            filled.add(question)
            with contextlib.suppress(ValueError):  # not a date question
                dates[question] = dt.date.fromisoformat(value.strip())
    return RecordFacts(occurred_at, frozenset(filled), dates)


def answers_from_json(text: str | dict[str, object] | None) -> dict[str, str]:
    """The sector answers as the data file stores them (a JSON object of strings), read as
    SQLite gives them (text) or PostgreSQL does (already an object)."""
    loaded = json.loads(text) if isinstance(text, str) and text else text or {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


# --- deadlines ---------------------------------------------------------------------------------


class DeadlineState(StrEnum):
    MET = "met"
    LATE = "late"  # done, after the deadline
    DUE = "due"  # not done yet, and not yet late
    OVERDUE = "overdue"  # not done, and the deadline has passed


def _add_working_days(day: dt.date, count: int) -> dt.date:
    """Monday to Friday; holidays are not known to the app (each pack's note says so)."""
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_day(deadline: Deadline, occurred_at: dt.datetime) -> dt.date:
    """The last day on which doing it still counts: answers are days, not times."""
    if deadline.within_hours is not None:
        return (occurred_at + dt.timedelta(hours=deadline.within_hours)).date()
    if deadline.within_working_days is not None:
        return _add_working_days(occurred_at.date(), deadline.within_working_days)
    return occurred_at.date()


@dataclass(frozen=True)
class DeadlineCheck:
    deadline: Deadline
    due_on: dt.date
    done_on: dt.date | None
    state: DeadlineState

    @property
    def text(self) -> str:
        label = self.deadline.label
        if self.state is DeadlineState.MET:
            return f"{label}: on time ({long_date(self.done_on or self.due_on)})"
        if self.state is DeadlineState.LATE:
            return (
                f"{label}: late ({long_date(self.done_on or self.due_on)}; "
                f"due by {long_date(self.due_on)})"
            )
        possible = " where possible" if self.deadline.where_possible else ""
        if self.state is DeadlineState.OVERDUE:
            return f"{label}: OVERDUE since {long_date(self.due_on)}{possible}"
        return f"{label}: due by {long_date(self.due_on)}{possible}"


def check_deadline(deadline: Deadline, facts: RecordFacts, today: dt.date) -> DeadlineCheck:
    due = due_day(deadline, facts.occurred_at)
    done = facts.date_of(deadline.done_on)
    if done is not None:
        state = DeadlineState.MET if done <= due else DeadlineState.LATE
    else:
        state = DeadlineState.OVERDUE if today > due else DeadlineState.DUE
    return DeadlineCheck(deadline, due, done, state)


# --- the whole record --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordCheck:
    """A record judged against its rules: what is missing, and how each deadline stands."""

    rules: RulePack
    missing: tuple[RequiredFact, ...]
    deadlines: tuple[DeadlineCheck, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def on_time(self) -> bool:
        """Every deadline met in time (a deadline not yet reached does not count against it)."""
        late = (DeadlineState.LATE, DeadlineState.OVERDUE)
        return not any(d.state in late for d in self.deadlines)

    @property
    def overdue(self) -> tuple[DeadlineCheck, ...]:
        return tuple(d for d in self.deadlines if d.state is DeadlineState.OVERDUE)

    @property
    def needs_doing(self) -> bool:
        """Something can still be done: a fact to add, or a deadline not yet met."""
        waiting = (DeadlineState.DUE, DeadlineState.OVERDUE)
        return bool(self.missing) or any(d.state in waiting for d in self.deadlines)

    @property
    def kept_elsewhere(self) -> tuple[RequiredFact, ...]:
        return tuple(fact for fact in self.rules.facts if fact.field is None)

    @property
    def summary(self) -> str:
        """ "Complete and on time"; "2 facts missing: ...; parents told OVERDUE"."""
        parts = []
        if self.missing:
            names = ", ".join(fact.label[0].lower() + fact.label[1:] for fact in self.missing)
            parts.append(f"{plural(len(self.missing), 'fact')} missing ({names})")
        parts += [d.text for d in self.deadlines if d.state is not DeadlineState.MET]
        return "; ".join(parts) if parts else "complete and on time"


def check_record(rules: RulePack, facts: RecordFacts, today: dt.date) -> RecordCheck | None:
    """None when the rules were not yet in force on the day of the incident."""
    if rules.in_force_from is not None and facts.occurred_at.date() < rules.in_force_from:
        return None
    missing = tuple(f for f in rules.facts if f.field is not None and not facts.has(f.field))
    deadlines = tuple(check_deadline(d, facts, today) for d in rules.deadlines)
    return RecordCheck(rules, missing, deadlines)


@dataclass(frozen=True)
class Compliance:
    """How many records in a period were complete and on time against the rules."""

    checked: int
    complete: int
    on_time: int
    complete_and_on_time: int

    @property
    def text(self) -> str:
        if not self.checked:
            return "no records the rules apply to"
        return (
            f"{self.complete_and_on_time} of {plural(self.checked, 'record')} complete and on "
            f"time ({self.complete} complete, {self.on_time} on time)"
        )


def compliance(checks: Iterable[RecordCheck | None]) -> Compliance:
    judged = [check for check in checks if check is not None]
    return Compliance(
        checked=len(judged),
        complete=sum(check.complete for check in judged),
        on_time=sum(check.on_time for check in judged),
        complete_and_on_time=sum(check.complete and check.on_time for check in judged),
    )
