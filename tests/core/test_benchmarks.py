"""Benchmarks through the core operations: what a user enters is what they get back."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import (
    ActionSource,
    ActionStatus,
    EventKind,
    Purpose,
    Rating,
    Sector,
)
from rrn_desktop.content.loader import training_standards
from rrn_desktop.core import benchmarks, plan
from rrn_desktop.core.benchmarks import LockedError, ParticipantInfo
from rrn_desktop.core.scoring import compare_items, compare_sections, section_scores
from rrn_desktop.core.services import create_service, list_services
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database, open_database

PEOPLE = [
    ParticipantInfo("Ffion Ŵatkins", "Training lead"),
    ParticipantInfo("Person with lived experience", "Adviser", lived_experience=True),
]


def _start(db: Database, held_on: dt.date = dt.date(2026, 3, 1)) -> benchmarks.BenchmarkInfo:
    service = create_service(db, f"Service {held_on}", Sector.EDUCATION)
    return benchmarks.start_benchmark(db, service.id, held_on, Purpose.PEER_REVIEW, PEOPLE)


def test_ratings_notes_and_actions_are_there_after_reopening(data_dir: Path) -> None:
    notes = "Checked <b>records</b> & rotas — Gŵyl Dewi 🌼\nSecond line"
    with open_database(data_dir) as db:
        benchmark = _start(db)
        benchmarks.set_rating(db, benchmark.id, "1.1.1", Rating.PARTLY_MET)
        benchmarks.update_response(
            db,
            benchmark.id,
            "1.1.1",
            notes=notes,
            evidence_refs="TNA v3",
            needs_action=True,
            action_text="Add incident data",
            action_owner="Training lead",
            action_due=dt.date(2026, 6, 30),
        )
    with open_database(data_dir) as db:
        reopened = benchmarks.get_benchmark(db, benchmark.id)
    response = reopened.response("1.1.1")
    assert response.rating == Rating.PARTLY_MET
    assert response.notes == notes
    assert response.evidence_refs == "TNA v3"
    assert (response.action_text, response.action_owner) == ("Add incident data", "Training lead")
    assert response.action_due == dt.date(2026, 6, 30)
    assert reopened.participants == tuple(PEOPLE)
    assert reopened.purpose is Purpose.PEER_REVIEW


def test_a_flagged_item_has_exactly_one_action_on_the_plan(db: Database) -> None:
    benchmark = _start(db)
    benchmarks.update_response(
        db, benchmark.id, "S2-Q01", needs_action=True, action_text="Do it", action_owner="Me"
    )
    benchmarks.update_response(db, benchmark.id, "S2-Q01", needs_action=True)
    [action] = plan.list_actions(db)
    assert (action.title, action.owner_name) == ("Do it", "Me")
    assert action.source is ActionSource.BENCHMARK_ITEM
    assert action.item_code == "S2-Q01"
    assert "Benchmark item S2-Q01" in action.source_detail

    # Changing it on the plan changes it on the benchmark, and the other way round.
    plan.update_action(db, action.id, title="Book the refresher", due_on=dt.date(2026, 9, 1))
    response = benchmarks.get_benchmark(db, benchmark.id).response("S2-Q01")
    assert (response.action_text, response.action_due) == (
        "Book the refresher",
        dt.date(2026, 9, 1),
    )
    benchmarks.update_response(db, benchmark.id, "S2-Q01", action_owner="Training lead")
    assert plan.get_action(db, action.id).owner_name == "Training lead"

    # Unflagging drops it (kept, with the reason); flagging again brings back the same one.
    response = benchmarks.update_response(db, benchmark.id, "S2-Q01", needs_action=False)
    assert not response.needs_action
    dropped = plan.get_action(db, action.id)
    assert dropped.status is ActionStatus.DROPPED
    assert "no longer flagged" in dropped.dropped_reason
    assert benchmarks.update_response(db, benchmark.id, "S2-Q01", needs_action=True).needs_action
    [again] = plan.list_actions(db)
    assert again.id == action.id and again.status is ActionStatus.PLANNED


def test_describing_an_action_without_the_flag_is_refused(db: Database) -> None:
    benchmark = _start(db)
    with pytest.raises(InputError, match="Tick 'needs action'"):
        benchmarks.update_response(db, benchmark.id, "S2-Q01", action_text="Orphan")
    assert plan.list_actions(db) == []


def test_an_unknown_item_code_is_refused(db: Database) -> None:
    benchmark = _start(db)
    with pytest.raises(Exception, match="not part of this benchmark"):
        benchmarks.set_rating(db, benchmark.id, "9.9.9", Rating.MET)


def test_section_scores_count_met_partly_and_leave_out_not_applicable(db: Database) -> None:
    pack = training_standards()
    section = pack.sections[3]
    codes = [item.code for item in section.items]
    ratings = {codes[0]: Rating.MET, codes[1]: Rating.PARTLY_MET, codes[2]: Rating.NOT_MET}
    ratings[codes[3]] = Rating.NOT_APPLICABLE
    score = section_scores(pack, ratings)[3]
    assert (score.rated, score.scored, score.total) == (4, 3, len(codes))
    assert score.percent == 50.0
    assert score.band is not None and score.band.label == "Amber"
    assert section_scores(pack, {})[0].percent is None


def test_attached_evidence_survives_the_original_being_removed(
    db: Database, tmp_path: Path
) -> None:
    benchmark = _start(db)
    original = tmp_path / "TNA 2026 <final> & signed ŵ.pdf"
    original.write_bytes(b"%PDF-1.4 pretend evidence")
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    evidence = benchmarks.attach_evidence(db, benchmark.id, "1.1.1", original)
    original.unlink()
    [stored] = benchmarks.get_benchmark(db, benchmark.id).response("1.1.1").evidence_files
    assert stored.original_name == "TNA 2026 <final> & signed ŵ.pdf"
    assert stored.stored_path.parent == db.evidence_dir
    assert hashlib.sha256(stored.stored_path.read_bytes()).hexdigest() == digest == evidence.sha256
    benchmarks.remove_evidence(db, benchmark.id, stored.id)
    assert not stored.stored_path.exists()
    assert benchmarks.get_benchmark(db, benchmark.id).response("1.1.1").evidence_files == ()


def test_attaching_a_missing_file_explains_and_stores_nothing(db: Database, tmp_path: Path) -> None:
    benchmark = _start(db)
    with pytest.raises(InputError, match="could not be found"):
        benchmarks.attach_evidence(db, benchmark.id, "1.1.1", tmp_path / "gone.pdf")
    assert list(db.evidence_dir.iterdir()) == []


def test_sign_off_locks_and_reopening_is_recorded(db: Database, tmp_path: Path) -> None:
    benchmark = _start(db)
    benchmarks.sign_off(db, benchmark.id, "Alex Sample", "Manager", dt.date(2026, 3, 8))
    with pytest.raises(LockedError, match="signed off"):
        benchmarks.set_rating(db, benchmark.id, "1.1.1", Rating.MET)
    with pytest.raises(LockedError):
        benchmarks.update_response(db, benchmark.id, "1.1.1", notes="late change")
    evidence = tmp_path / "late.txt"
    evidence.write_text("late", encoding="utf-8")
    with pytest.raises(LockedError):
        benchmarks.attach_evidence(db, benchmark.id, "1.1.1", evidence)
    assert list(db.evidence_dir.iterdir()) == []

    with pytest.raises(InputError, match="reason cannot be left empty"):
        benchmarks.reopen(db, benchmark.id, "Alex Sample", "  ")
    benchmarks.reopen(db, benchmark.id, "Alex Sample", "Inspector asked us to add evidence")
    reopened = benchmarks.get_benchmark(db, benchmark.id)
    assert not reopened.signed_off
    assert [event.kind for event in reopened.events] == [EventKind.SIGNED_OFF, EventKind.REOPENED]
    assert reopened.events[1].reason == "Inspector asked us to add evidence"
    assert reopened.status_label == "Reopened for changes"
    benchmarks.set_rating(db, benchmark.id, "1.1.1", Rating.MET)


def test_sign_off_needs_a_name_and_role(db: Database) -> None:
    benchmark = _start(db)
    with pytest.raises(InputError, match="The role cannot be left empty"):
        benchmarks.sign_off(db, benchmark.id, "Alex", "", dt.date(2026, 3, 8))
    assert not benchmarks.get_benchmark(db, benchmark.id).signed_off


def test_sign_off_is_dated_from_the_day_held_to_today(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        benchmark = _start(db, held_on=dt.date(2026, 3, 3))
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        with pytest.raises(InputError) as future:
            benchmarks.sign_off(db, benchmark.id, "Alex Sample", "Manager", tomorrow)
        assert future.value.message == "The sign-off date cannot be in the future."
        with pytest.raises(InputError) as early:
            benchmarks.sign_off(db, benchmark.id, "Alex Sample", "Manager", dt.date(2026, 3, 2))
        assert early.value.message == (
            "The sign-off date cannot be before the benchmark was held on 3 March 2026."
        )
        assert not benchmarks.get_benchmark(db, benchmark.id).signed_off
        benchmarks.sign_off(db, benchmark.id, "Alex Sample", "Manager", dt.date(2026, 3, 3))
    with open_database(data_dir) as db:
        reopened = benchmarks.get_benchmark(db, benchmark.id)
    assert reopened.signed_off_on == dt.date(2026, 3, 3)
    assert [event.kind for event in reopened.events] == [EventKind.SIGNED_OFF]


def test_unrated_count_leaves_out_every_answer_including_not_applicable(db: Database) -> None:
    benchmark = _start(db)
    assert benchmark.unrated_count == training_standards().item_count == 65
    for code, rating in [
        ("1.1.1", Rating.MET),
        ("1.1.2", Rating.NOT_APPLICABLE),
        ("1.1.3", Rating.NOT_MET),
        ("1.1.4", Rating.MET),
    ]:
        benchmarks.set_rating(db, benchmark.id, code, rating)
    benchmarks.set_rating(db, benchmark.id, "1.1.4", Rating.NOT_RATED)  # rated, then cleared
    benchmarks.update_response(db, benchmark.id, "S1-Q01", notes="Notes alone are no rating")
    assert benchmarks.get_benchmark(db, benchmark.id).unrated_count == 62


def test_the_demo_signed_off_its_benchmarks_between_the_day_held_and_today(
    demo_db: Database,
) -> None:
    willow = next(s for s in list_services(demo_db) if s.name.startswith("Willow House"))
    history = benchmarks.list_benchmarks(demo_db, willow.id)
    assert [b.signed_off for b in history] == [True, True, True]
    for benchmark in history:
        assert benchmark.signed_off_on is not None
        assert benchmark.held_on <= benchmark.signed_off_on <= dt.date.today()


def test_the_previous_benchmark_and_comparison(db: Database) -> None:
    service = create_service(db, "Ward", Sector.HEALTH)
    first = benchmarks.start_benchmark(db, service.id, dt.date(2025, 1, 5), Purpose.SELF_AUDIT, [])
    second = benchmarks.start_benchmark(db, service.id, dt.date(2026, 1, 5), Purpose.SELF_AUDIT, [])
    benchmarks.set_rating(db, first.id, "1.1.1", Rating.NOT_MET)
    benchmarks.set_rating(db, second.id, "1.1.1", Rating.MET)
    later = benchmarks.get_benchmark(db, second.id)
    earlier = benchmarks.previous_benchmark(db, later)
    assert earlier is not None and earlier.id == first.id
    assert benchmarks.previous_benchmark(db, earlier) is None
    pack = training_standards()
    section_one = compare_sections(pack, earlier.ratings(), later.ratings())[0]
    assert section_one.change_text == "+100 points"
    changed = [
        item.code
        for item in compare_items(pack, earlier.ratings(), later.ratings())
        if item.changed
    ]
    assert changed == ["1.1.1"]
    assert benchmarks.latest_benchmark(db).id == second.id
