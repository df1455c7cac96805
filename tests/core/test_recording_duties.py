"""Each nation's and sector's recording rules: a record missing a fact the law asks for names it,
deadlines pass and are flagged, and a malformed rules pack is refused in plain words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import Answer, Involvement, Jurisdiction, Sector
from rrn_desktop.content.incident_models import FieldKind
from rrn_desktop.content.loader import (
    PackError,
    load_rule_pack,
    rule_pack_for,
    rule_packs,
    sector_questions,
)
from rrn_desktop.content.recording_rules import RulePack
from rrn_desktop.core import incidents
from rrn_desktop.core.incidents import IncidentInfo
from rrn_desktop.core.overview import duty_gaps
from rrn_desktop.core.periods import Period
from rrn_desktop.core.recording_duties import DeadlineState, compliance
from rrn_desktop.core.services import create_service, list_services, set_jurisdiction
from rrn_desktop.storage.database import Database
from tests.conftest import reopen

# A Thursday, after every shipped pack came into force.
WHEN = dt.datetime(2026, 10, 15, 14, 30)
PACK_IDS = [pack.id for pack in rule_packs()]


def _answer(kind: FieldKind, choices: list[str]) -> str:
    return {
        FieldKind.DATE: WHEN.date().isoformat(),
        FieldKind.YES_NO: Answer.YES.value,
        FieldKind.CHOICE: choices[0] if choices else "",
    }.get(kind, "Written down in full.")


def _complete_record(db: Database, rules: RulePack, **changes: object) -> IncidentInfo:
    """A record holding everything the rules ask for (changes: what to leave out or alter)."""
    service = create_service(db, f"{rules.id} ŵ <&>", rules.sector, rules.jurisdiction)
    answers = {
        q.id: _answer(q.kind, q.choices) for q in sector_questions(rules.sector, rules.jurisdiction)
    }
    fields: dict[str, object] = {
        "duration_minutes": 4,
        "place": "Dining room",
        "reason": "To stop a fall down the stairs.",
        "tried_first": "Quiet words and space.",
        "in_plan": Answer.YES,
        "person_injured": Answer.NO,
        "staff_injured": Answer.NO,
        "who_told": "The manager, the same afternoon.",
        "sector_answers": answers,
    }
    fields.update(changes)
    incident = incidents.record_incident(
        db, service.id, "REF-1", WHEN, ["physical-standing-hold"], now=WHEN, **fields
    )
    incidents.add_staff(
        db,
        incident.id,
        "Staff A",
        Involvement.INVOLVED,
        role="Support worker",
        welfare_offered_on=WHEN.date(),
    )
    return incidents.save_person_support(db, incident.id, WHEN.date())


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_a_full_record_is_complete_and_a_missing_fact_is_named(
    db: Database, data_dir: Path, pack_id: str
) -> None:
    rules = next(pack for pack in rule_packs() if pack.id == pack_id)
    full = _complete_record(db, rules)
    check = full.legal_check(WHEN.date())
    assert check is not None and check.complete and check.on_time, check and check.summary
    assert check.summary == "complete and on time"

    db.close()
    with reopen(db) as reopened:
        gaps = _complete_record_elsewhere(reopened, rules)
        check = gaps.legal_check(WHEN.date())
    assert check is not None and not check.complete
    place = next(fact for fact in rules.facts if fact.field == "place")
    assert place in check.missing
    assert place.label[1:] in check.summary  # named, in plain words


def _complete_record_elsewhere(db: Database, rules: RulePack) -> IncidentInfo:
    service = create_service(db, f"{rules.id} two", rules.sector, rules.jurisdiction)
    incident = incidents.record_incident(
        db, service.id, "REF-2", WHEN, ["physical-standing-hold"], now=WHEN, place=""
    )
    return incidents.get_incident(db, incident.id)


@pytest.mark.parametrize(
    ("jurisdiction", "due"),
    # England: the same day where possible; Scotland: at the latest within 24 hours.
    [(Jurisdiction.ENGLAND, "15 October 2026"), (Jurisdiction.SCOTLAND, "16 October 2026")],
)
def test_a_parents_deadline_passes_and_the_record_is_flagged(
    db: Database, jurisdiction: Jurisdiction, due: str
) -> None:
    question = "parents_told_on"
    rules = rule_pack_for(jurisdiction, Sector.EDUCATION)
    assert rules is not None
    full = _complete_record(db, rules)
    answers = {k: v for k, v in full.sector_answers.items() if k != question}
    waiting = incidents.update_incident(db, full.id, now=WHEN, sector_answers=answers)
    told = next(d for d in rules.deadlines if d.done_on == f"sector:{question}")

    on_the_day = waiting.legal_check(WHEN.date())
    assert on_the_day is not None
    state = next(d for d in on_the_day.deadlines if d.deadline is told)
    assert state.state is DeadlineState.DUE
    assert on_the_day.needs_doing

    two_days_on = waiting.legal_check(WHEN.date() + dt.timedelta(days=2))
    assert two_days_on is not None and not two_days_on.on_time
    flagged = next(d for d in two_days_on.overdue if d.deadline is told)
    assert f"OVERDUE since {due}" in flagged.text
    assert "OVERDUE" in two_days_on.summary

    late = incidents.update_incident(
        db, full.id, now=WHEN, sector_answers={**answers, question: "2026-10-18"}
    )
    check = late.legal_check(WHEN.date() + dt.timedelta(days=5))
    assert check is not None
    assert next(d for d in check.deadlines if d.deadline is told).state is DeadlineState.LATE


def test_working_days_skip_the_weekend(db: Database) -> None:
    rules = rule_pack_for(Jurisdiction.SCOTLAND, Sector.EDUCATION)
    assert rules is not None
    full = _complete_record(db, rules)  # a Thursday
    check = full.legal_check(WHEN.date())
    assert check is not None
    due = {d.deadline.id: d.due_on for d in check.deadlines}
    assert due["authority-told"] == dt.date(2026, 10, 19)  # Friday, then Monday
    assert due["full-record"] == dt.date(2026, 10, 22)  # the next Thursday


def test_a_childrens_home_record_is_due_within_24_hours(db: Database) -> None:
    rules = rule_pack_for(Jurisdiction.ENGLAND, Sector.CHILDRENS_SERVICES)
    assert rules is not None
    full = _complete_record(db, rules)
    answers = {**full.sector_answers, "written_record_on": "2026-10-17"}
    late = incidents.update_incident(db, full.id, now=WHEN, sector_answers=answers)
    check = late.legal_check(dt.date(2026, 10, 20))
    assert check is not None and not check.on_time
    assert "Written record made: late (17 October 2026; due by 16 October 2026)" in check.summary


def test_rules_apply_from_the_day_they_came_into_force(db: Database) -> None:
    school = create_service(db, "Early school", Sector.EDUCATION)
    before = incidents.record_incident(
        db, school.id, "OLD-1", dt.datetime(2026, 3, 31, 9, 0), ["physical-standing-hold"]
    )
    assert before.legal_check(dt.date(2026, 4, 2)) is None
    assert compliance([before.legal_check(dt.date(2026, 4, 2))]).text == (
        "no records the rules apply to"
    )


def test_a_service_with_no_rules_for_its_nation_is_not_judged(db: Database) -> None:
    home = create_service(db, "Cartref", Sector.ADULT_SOCIAL_CARE, Jurisdiction.WALES)
    incident = incidents.record_incident(
        db, home.id, "W-1", WHEN, ["physical-standing-hold"], now=WHEN
    )
    assert incident.legal_check(WHEN.date()) is None
    moved = set_jurisdiction(db, home.id, Jurisdiction.ENGLAND)
    assert moved.jurisdiction is Jurisdiction.ENGLAND


def test_compliance_counts_complete_and_on_time(db: Database) -> None:
    rules = rule_pack_for(Jurisdiction.ENGLAND, Sector.EDUCATION)
    assert rules is not None
    full = _complete_record(db, rules)
    gap = _complete_record_elsewhere(db, rules)
    today = WHEN.date() + dt.timedelta(days=3)
    counted = compliance([full.legal_check(today), gap.legal_check(today)])
    assert (counted.checked, counted.complete, counted.complete_and_on_time) == (2, 1, 1)
    assert counted.text == "1 of 2 records complete and on time (1 complete, 1 on time)"


# --- malformed rule packs ----------------------------------------------------------------------

_GOOD = (Path(__file__).parents[2] / "resources/packs/rules/england-schools.toml").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('field = "place"', 'field = "places"'), "'places' is not a part of the incident"),
        (
            ('field = "sector:pupil_has_send"', 'field = "sector:no_such"'),
            "facts → send: 'sector:no_such' is not a question of the education record",
        ),
        (
            ('done_on = "sector:parents_told_on"', 'done_on = "sector:pupil_has_send"'),
            "deadlines → parents-told: 'sector:pupil_has_send' is not a date",
        ),
        (("same_day = true", "same_day = true\nwithin_hours = 4"), "exactly one of same_day"),
        (('jurisdiction = "england"', 'jurisdiction = "atlantis"'), "jurisdiction"),
        (("[[facts]]", "[[facts"), "is not valid TOML"),
    ],
)
def test_a_malformed_rules_pack_is_refused_naming_the_file_place_and_reason(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    broken = tmp_path / "broken-rules.toml"
    assert change[0] in _GOOD
    broken.write_text(_GOOD.replace(change[0], change[1], 1), encoding="utf-8")
    before = broken.read_bytes()
    with pytest.raises(PackError) as refused:
        load_rule_pack(broken)
    assert "broken-rules.toml" in refused.value.message
    assert expected in refused.value.message
    assert broken.read_bytes() == before  # nothing is changed


def test_the_start_screen_and_each_record_reach_the_same_verdict(demo_db: Database) -> None:
    """The start screen reads records with plain SQL, the incident screen whole: the records
    each calls short of the law, or past a deadline, are the same."""
    today = dt.date.today()
    period = Period.last_12_months(today)
    services = list_services(demo_db)
    with demo_db.reading() as reader:
        gaps = duty_gaps(reader, services, rule_packs(), period, today)
    from_sql = {(g.service.id, i) for g in gaps for i in g.short} | {
        (g.service.id, -i) for g in gaps for i in g.overdue
    }
    whole: set[tuple[int, int]] = set()
    for incident in incidents.list_incidents(demo_db):
        check = incident.legal_check(today)
        if check is None or not period.holds_time(incident.occurred_at):
            continue
        if check.missing:
            whole.add((incident.service.id, incident.id))
        if check.overdue:
            whole.add((incident.service.id, -incident.id))
    assert whole  # the demo's children's home has some
    assert from_sql == whole
