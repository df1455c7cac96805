"""The record of changes: who changed what and when, each record's history, undoing deletions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import (
    ChangeKind,
    Involvement,
    Purpose,
    Rating,
    RestraintType,
    RestrictionStatus,
    Sector,
    Strategy,
)
from rrn_desktop.core import benchmarks, history, incidents, plan, restrictions
from rrn_desktop.core.incident_settings import delete_past_retention
from rrn_desktop.core.services import create_service
from rrn_desktop.core.user import NOT_SET, set_user_name, user_name
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import utc_now
from tests.conftest import reopen

WHEN = dt.datetime(2026, 11, 16, 14, 30)
NAME = "Siân O'Brien-Jones 🙂"


@pytest.fixture
def home(db: Database) -> int:
    set_user_name(db, f"  {NAME} ")
    return create_service(db, "Cartref Bryn care home", Sector.ADULT_SOCIAL_CARE).id


def _kinds(entries: list[history.HistoryEntry]) -> list[tuple[str, str]]:
    """(what happened, to what), oldest first, as the history shows them."""
    return [(e.kind_label, e.summary) for e in reversed(entries)]


def _changes(entry: history.HistoryEntry) -> list[str]:
    return [change.text() for change in entry.changes]


def _register_entry(db: Database, service_id: int, title: str) -> int:
    found_on = dt.date(2026, 1, 5)
    kind = RestraintType.ENVIRONMENTAL
    return restrictions.add_custom_restriction(db, service_id, title, "other", kind, found_on)


def _incident(db: Database, service_id: int, reference: str = "INC-2026-001"):
    kinds = ["physical-standing-hold", "environmental-seclusion"]
    details = {"place": "Lounge", "reason": "Distressed after a phone call"}
    incident = incidents.record_incident(
        db, service_id, reference, WHEN, kinds, now=WHEN, **details
    )
    incidents.add_staff(db, incident.id, "Sam Patel", Involvement.INVOLVED, role="Carer")
    incidents.add_staff(db, incident.id, "Ann Lee", Involvement.WITNESS)
    incidents.save_person_support(db, incident.id, WHEN.date(), own_account="I felt scared.")
    incidents.save_review(
        db, incident.id, WHEN.date(), "Jo Lead", lead_not_involved=True, today=WHEN.date()
    )
    reviewed = incidents.add_learning_point(db, incident.id, "Agree a quiet space.", "")
    incidents.add_learning_point(db, incident.id, "Brief the night staff.", "")
    incidents.point_to_action(db, reviewed.review.points[0].id, WHEN.date())
    return incidents.get_incident(db, incident.id)


def _deletion(db: Database, table: str) -> history.HistoryEntry:
    return next(
        e
        for e in history.recent_changes(db)
        if e.kind is ChangeKind.DELETED and e.table_name == table
    )


def test_each_record_shows_who_changed_what_and_when_after_reopening(
    data_dir: Path, db: Database, home: int
) -> None:
    entry_id = _register_entry(db, home, "Kitchen locked at night")
    restrictions.update_restriction(
        db, entry_id, rationale="Knives kept there", next_review_on=dt.date(2026, 3, 1)
    )
    restrictions.change_status(db, entry_id, RestrictionStatus.REDUCING, dt.date(2026, 2, 1))
    action = plan.create_action(db, "Fit a lockable drawer", Strategy.TOOLS, dt.date(2026, 2, 1))
    plan.update_action(db, action.id, owner_name="Rhian", due_on=dt.date(2026, 4, 30))
    benchmark = benchmarks.start_benchmark(db, home, dt.date(2026, 2, 3), Purpose.SELF_AUDIT, [])
    benchmarks.set_rating(db, benchmark.id, "1.1.1", Rating.MET)
    benchmarks.sign_off(
        db, benchmark.id, "Morgan Example", "Registered manager", dt.date(2026, 2, 4)
    )
    benchmarks.reopen(db, benchmark.id, "Morgan Example", "Item 1.1.1 was rated too soon")
    incident = _incident(db, home)
    incidents.delete_incident(db, incident.id)
    db.close()

    with reopen(db) as reopened:
        register = history.history_of(reopened, "restriction", entry_id)
        actions = history.history_of(reopened, "action", action.id)
        benchmark_history = history.history_of(reopened, "benchmark", benchmark.id)
        incident_uid = _deletion(reopened, "incident").record_uid
        incident_history = history.history_for(reopened, incident_uid)

    assert {e.by_label for e in register + actions + benchmark_history} == {NAME}
    assert _kinds(register) == [
        ("Added", "Status change to active added to register entry 'Kitchen locked at night'"),
        ("Added", "Register entry 'Kitchen locked at night' added"),
        ("Edited", "Register entry 'Kitchen locked at night' edited: rationale, next review"),
        ("Added", "Status change to reducing added to register entry 'Kitchen locked at night'"),
        ("Edited", "Register entry 'Kitchen locked at night' edited: status"),
    ]
    assert _changes(register[2]) == [
        "Rationale: (blank) → Knives kept there",
        "Next review: 5 February 2026 → 1 March 2026",
    ]
    assert _changes(register[0]) == ["Status: Active → Reducing"]
    assert register[0].local_at.date() == dt.date.today()

    assert _kinds(actions)[-1] == (
        "Edited",
        "Action 'Fit a lockable drawer' edited: owner's name, due date",
    )
    assert _changes(actions[0]) == [
        "Owner's name: (blank) → Rhian",
        "Due date: (blank) → 30 April 2026",
    ]

    assert _kinds(benchmark_history) == [
        ("Added", "Benchmark of 3 Feb 2026 added"),
        ("Added", "Item 1.1.1 added to benchmark of 3 Feb 2026"),
        ("Signed off", "Benchmark of 3 Feb 2026 signed off by Morgan Example (Registered manager)"),
        (
            "Reopened",
            "Benchmark of 3 Feb 2026 reopened by Morgan Example: Item 1.1.1 was rated too soon",
        ),
    ]
    assert "Rating: Met" in _changes(benchmark_history[2])
    assert "Signed off on: 4 February 2026 → (blank)" in _changes(benchmark_history[0])

    # The incident and every part of it: added piece by piece, deleted in one go.
    kinds = _kinds(incident_history)
    assert ("Added", "Incident INC-2026-001 added") in kinds[:3]  # with its two kinds
    assert ("Added", "Person involved or witness added to incident INC-2026-001") in kinds
    assert ("Edited", "Learning point on incident INC-2026-001 edited: action on the plan") in kinds
    assert kinds[-1] == ("Deleted", "Incident INC-2026-001 deleted")
    removed = [summary for kind, summary in kinds if kind == "Deleted"]
    assert (
        len(removed) == 1 + 2 + 2 + 1 + 1 + 2
    )  # itself, 2 kinds, 2 people, support, review, 2 points
    assert len({e.batch for e in incident_history if e.kind is ChangeKind.DELETED}) == 1


def test_a_deleted_incident_comes_back_whole_and_only_once(db: Database, home: int) -> None:
    before = _incident(db, home)
    incidents.delete_incident(db, before.id)
    deletion = _deletion(db, "incident")
    assert [e.id for e in history.undoable_deletions(db, utc_now())] == [
        e.id for e in history.recent_changes(db) if e.kind is ChangeKind.DELETED
    ]

    message = history.undo_deletion(db, deletion.id, utc_now())

    assert message == "Incident INC-2026-001 is back, with 8 linked records."
    after = incidents.get_incident(db, before.id)
    assert after == before
    assert after.review.points[0].action_id is not None
    action = plan.get_action(db, after.review.points[0].action_id)
    assert "INC-2026-001" in action.source_detail
    restored = [
        e for e in history.history_for(db, deletion.record_uid) if e.kind is ChangeKind.RESTORED
    ]
    assert len(restored) == 9 and {e.by for e in restored} == {NAME}
    assert history.undoable_deletions(db, utc_now()) == []
    with pytest.raises(InputError, match="already been brought back"):
        history.undo_deletion(db, deletion.id, utc_now())
    # Any row of the batch undoes the whole batch, and is refused the same way.
    part = _deletion(db, "learning_point")
    with pytest.raises(InputError, match="already been brought back"):
        history.undo_deletion(db, part.id, utc_now())


def test_a_deletion_cannot_be_undone_after_30_days(db: Database, home: int) -> None:
    incident = _incident(db, home)
    incidents.delete_incident(db, incident.id)
    deletion = _deletion(db, "incident")
    later = deletion.at + dt.timedelta(days=30, minutes=1)

    assert history.undoable_deletions(db, later) == []
    with pytest.raises(InputError, match="undone for 30 days"):
        history.undo_deletion(db, deletion.id, later)
    assert incidents.list_incidents(db) == []
    # Once it can no longer be undone, the copy kept to undo it (personal details) goes too.
    history.forget_expired(db, later)
    kept = history.history_for(db, deletion.record_uid)
    assert kept and all(e.changes == () and not e.has_copy for e in kept)
    assert (
        history.history_for(db, deletion.record_uid)[0].summary == "Incident INC-2026-001 deleted"
    )


def test_a_register_entry_deleted_by_mistake_is_brought_back(db: Database, home: int) -> None:
    entry_id = _register_entry(db, home, "Garden gate padlocked")
    restrictions.delete_restriction(db, entry_id)
    deletion = _deletion(db, "restriction")
    assert deletion.summary == "Register entry 'Garden gate padlocked' deleted"

    assert history.undo_deletion(db, deletion.id, utc_now()) == (
        "Register entry 'Garden gate padlocked' is back."
    )
    assert [e.title for e in restrictions.list_restrictions(db, home)] == ["Garden gate padlocked"]
    assert history.history_of(db, "restriction", entry_id)[0].kind_label == "Brought back"
    with pytest.raises(InputError, match="already been brought back"):
        history.undo_deletion(db, deletion.id, utc_now())


def test_someone_removed_from_an_incident_can_be_put_back(db: Database, home: int) -> None:
    incident = _incident(db, home)
    sam = incident.staff[0]
    incidents.remove_staff(db, incident.id, sam.id)
    deletion = _deletion(db, "incident_staff")
    assert deletion.summary == "Person involved or witness removed from incident INC-2026-001"
    history.undo_deletion(db, deletion.id, utc_now())
    assert incidents.get_incident(db, incident.id).staff == incident.staff


def test_an_incident_reference_used_again_since_blocks_the_undo_with_a_reason(
    db: Database, home: int
) -> None:
    incident = _incident(db, home)
    incidents.delete_incident(db, incident.id)
    incidents.record_incident(db, home, "INC-2026-001", WHEN, ["physical-escort"], now=WHEN)
    deletion = _deletion(db, "incident")
    with pytest.raises(InputError, match="has the same reference"):
        history.undo_deletion(db, deletion.id, utc_now())
    assert [i.kinds_text for i in incidents.list_incidents(db)] == ["Escort or guiding hold"]


def test_an_edit_that_changes_nothing_records_nothing(db: Database, home: int) -> None:
    entry_id = _register_entry(db, home, "Kitchen locked")
    count = len(history.recent_changes(db))
    entry = restrictions.get_restriction(db, entry_id)
    restrictions.update_restriction(db, entry_id, title=entry.title, rationale=entry.rationale)
    plan.list_actions(db)
    with pytest.raises(InputError, match="cannot be before the last review"):
        restrictions.update_restriction(
            db, entry_id, last_reviewed_on=dt.date(2026, 3, 1), next_review_on=dt.date(2026, 2, 1)
        )
    assert len(history.recent_changes(db)) == count


def test_edits_typed_in_quick_succession_are_one_entry(db: Database, home: int) -> None:
    entry_id = _register_entry(db, home, "Kitchen locked")
    for text in ("Kni", "Knives", "Knives kept there"):
        restrictions.update_restriction(db, entry_id, rationale=text)
    entries = history.history_of(db, "restriction", entry_id)
    assert _changes(entries[0]) == ["Rationale: (blank) → Knives kept there"]
    # Typed and then taken away again: nothing changed after all.
    restrictions.update_restriction(db, entry_id, rationale="")
    assert [e.kind_label for e in history.history_of(db, "restriction", entry_id)] == [
        "Added",
        "Added",
    ]


def test_without_a_name_changes_are_recorded_as_name_not_set(db: Database) -> None:
    assert user_name(db) == ""
    create_service(db, "Heron Ward", Sector.HEALTH)
    entry = next(e for e in history.recent_changes(db) if e.table_name == "service")
    # On a shared database, nobody is nameless: the login to the database is the name.
    login = db.engine.url.username if db.shared else ""
    shown = login or NOT_SET
    assert (entry.by, entry.by_label, entry.summary) == (login, shown, "Service 'Heron Ward' added")
    with pytest.raises(InputError, match="The name cannot be left empty"):
        set_user_name(db, "   ")
    assert set_user_name(db, "Dr  Ngozi\tAdébáyọ̀") == "Dr Ngozi Adébáyọ̀"
    create_service(db, "Kestrel Lodge", Sector.CHILDRENS_SERVICES)
    assert history.recent_changes(db)[0].by_label == "Dr Ngozi Adébáyọ̀"


def test_records_deleted_at_the_end_of_retention_keep_no_details(db: Database, home: int) -> None:
    incident = _incident(db, home)
    today = dt.date(2030, 1, 1)
    assert delete_past_retention(db, [incident.id], today) == 1
    entries = history.history_for(db, _deletion(db, "incident").record_uid)
    assert entries[0].summary == "Incident INC-2026-001 deleted at the end of its retention period"
    assert all(e.changes == () and not e.has_copy for e in entries)
    assert all("scared" not in e.details_text() for e in history.recent_changes(db, limit=1000))
    with pytest.raises(InputError, match="gone for good"):
        history.undo_deletion(db, entries[0].id, utc_now())


def test_a_removed_evidence_file_is_not_offered_for_undo(
    db: Database, home: int, tmp_path: Path
) -> None:
    benchmark = benchmarks.start_benchmark(db, home, dt.date(2026, 2, 3), Purpose.SELF_AUDIT, [])
    source = tmp_path / "training matrix.txt"
    source.write_text("who attended", encoding="utf-8")
    evidence = benchmarks.attach_evidence(db, benchmark.id, "1.1.1", source)
    benchmarks.remove_evidence(db, benchmark.id, evidence.id)
    deletion = _deletion(db, "evidence_file")
    assert (
        deletion.summary
        == "Evidence file 'training matrix.txt' removed from benchmark of 3 Feb 2026"
    )
    assert history.undoable_deletions(db, utc_now()) == []
    with pytest.raises(InputError, match="attach the file again"):
        history.undo_deletion(db, deletion.id, utc_now())


def test_a_participant_list_saved_unchanged_records_nothing(db: Database, home: int) -> None:
    people = [benchmarks.ParticipantInfo("Morgan Example", "Registered manager")]
    benchmark = benchmarks.start_benchmark(
        db, home, dt.date(2026, 2, 3), Purpose.SELF_AUDIT, people
    )
    count = len(history.recent_changes(db))
    benchmarks.set_participants(db, benchmark.id, people)
    assert len(history.recent_changes(db)) == count
    benchmarks.set_participants(db, benchmark.id, [*people, benchmarks.ParticipantInfo("Lee")])
    assert history.recent_changes(db)[0].summary == (
        "Participant 'Lee' added to benchmark of 3 Feb 2026"
    )
    assert len(history.recent_changes(db)) == count + 1
