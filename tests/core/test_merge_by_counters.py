"""Merging bundles by counting each laptop's changes, not by trusting either laptop's clock."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.base.vocabulary import RestraintType, Sector
from rrn_desktop.core import restrictions
from rrn_desktop.core.bundle import (
    BundleError,
    Outcome,
    apply_import,
    export_bundle,
    plan_import,
    read_bundle,
)
from rrn_desktop.core.bundle_import import Choice, FieldDifference
from rrn_desktop.core.bundle_versions import Order, compare, merged, resolved
from rrn_desktop.core.history import history_for
from rrn_desktop.core.services import create_service, find_service
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.models import ChangeLogEntry, Restriction, utc_now

SERVICE = "Rowan House"
YEAR = dt.timedelta(days=365)


# --- two laptops ---------------------------------------------------------------------------------


def new_laptop(tmp_path: Path, name: str) -> Path:
    """A data folder of its own (its own laptop id), as a new laptop starts."""
    folder = tmp_path / name
    open_database(folder).close()
    return folder


def add_entry(folder: Path, entry_title: str) -> str:
    """A register entry at a new service on this laptop; its uid."""
    with open_database(folder) as db:
        service = create_service(db, SERVICE, Sector.ADULT_SOCIAL_CARE)
        made = restrictions.add_custom_restriction(
            db, service.id, entry_title, "building", RestraintType.ENVIRONMENTAL, dt.date.today()
        )
        with db.transaction() as session:
            return session.get(Restriction, made).uid


def entry_id(db: Database, uid: str) -> int:
    with db.transaction() as session:
        return session.scalars(select(Restriction.id).where(Restriction.uid == uid)).one()


def title(folder: Path, uid: str) -> str:
    with open_database(folder) as db:
        return restrictions.get_restriction(db, entry_id(db, uid)).title


def edit(folder: Path, uid: str, new_title: str, clock: dt.timedelta = dt.timedelta()) -> None:
    """Edit the entry's title on this laptop, whose clock is off by ``clock``: the time the edit
    is saved with is written as that laptop's clock would have written it."""
    with open_database(folder) as db:
        restrictions.update_restriction(db, entry_id(db, uid), title=new_title)
    set_updated_at(folder, uid, utc_now() + clock)


def set_updated_at(folder: Path, uid: str, when: dt.datetime) -> None:
    connection = sqlite3.connect(folder / DATABASE_NAME)
    with connection:
        connection.execute(
            "UPDATE restriction SET updated_at = ? WHERE uid = ?", (when.isoformat(" "), uid)
        )
    connection.close()


def export(folder: Path, out: Path) -> Path:
    with open_database(folder) as db:
        export_bundle(db, out, service_id=find_service(db, SERVICE).id)
    return out


def take_in(folder: Path, bundle: Path, choice: Choice | None = None):
    with open_database(folder) as db:
        plan = plan_import(db, read_bundle(bundle))
        if choice is not None:
            plan.choose_all(choice)
        return apply_import(db, plan)


def versions(folder: Path, uid: str) -> dict[str, int]:
    connection = sqlite3.connect(folder / DATABASE_NAME)
    [(text,)] = connection.execute("SELECT versions FROM restriction WHERE uid = ?", (uid,))
    connection.close()
    return json.loads(text)


def log_count(folder: Path) -> int:
    with open_database(folder) as db, db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path, str]:
    """Laptop A makes a register entry; laptop B receives it in a bundle. Returns A, B and the
    entry's uid."""
    a, b = new_laptop(tmp_path, "a"), new_laptop(tmp_path, "b")
    uid = add_entry(a, "Kitchen locked")
    take_in(b, export(a, tmp_path / "first.rrnbundle"))
    return a, b, uid


# --- the rules -----------------------------------------------------------------------------------


def test_vectors_compare_by_every_laptops_count() -> None:
    assert compare({"a": 2}, {"a": 2}) is Order.SAME
    assert compare({"a": 2, "b": 1}, {"a": 2}) is Order.HERE_NEWER
    assert compare({"a": 2}, {"a": 2, "b": 1}) is Order.BUNDLE_NEWER
    assert compare({"a": 3}, {"a": 2, "b": 1}) is Order.BOTH_CHANGED
    assert compare({}, {}) is Order.SAME and compare({}, {"b": 1}) is Order.BUNDLE_NEWER
    assert merged({"a": 3}, {"a": 2, "b": 1}) == {"a": 3, "b": 1}
    chosen = resolved({"a": 3}, {"a": 2, "b": 1}, "b")
    assert chosen == {"a": 3, "b": 2}
    assert compare(chosen, {"a": 3}) is Order.HERE_NEWER
    assert compare(chosen, {"a": 2, "b": 1}) is Order.HERE_NEWER


def test_every_edit_here_counts_once_for_this_laptop(shared: tuple[Path, Path, str]) -> None:
    a, b, uid = shared
    before_a, before_b = versions(a, uid), versions(b, uid)
    assert before_a == before_b and len(before_a) == 1  # B took A's counts with the record
    edit(b, uid, "Kitchen locked at night")
    after = versions(b, uid)
    [b_id] = set(after) - set(before_b)
    assert after == {**before_b, b_id: 1}
    with open_database(b) as db:  # saving the same values again is not a change
        restrictions.update_restriction(db, entry_id(db, uid), title="Kitchen locked at night")
    assert versions(b, uid) == after


# --- clocks a year apart -------------------------------------------------------------------------


def test_an_edit_from_a_laptop_a_year_behind_wins_by_its_counts(
    shared: tuple[Path, Path, str], tmp_path: Path
) -> None:
    a, b, uid = shared
    # B's clock is a year behind: its edit, made after it received A's copy, is dated a year
    # before A's.
    edit(b, uid, "Kitchen locked at night only", clock=-YEAR)
    back = export(b, tmp_path / "back.rrnbundle")
    [record] = read_bundle(back).records["restriction"]
    with open_database(a) as db, db.transaction() as session:
        here = session.scalars(select(Restriction).where(Restriction.uid == uid)).one()
        assert record.updated_at < here.updated_at  # by the clocks, A's copy is newer

    applied = take_in(a, back)
    assert applied.counts(Outcome.UPDATED) == {"restriction": 1}
    assert not applied.conflicts
    assert title(a, uid) == "Kitchen locked at night only"
    assert versions(a, uid) == versions(b, uid)


def test_a_bundle_dated_in_the_future_does_not_undo_a_later_edit_here(
    shared: tuple[Path, Path, str], tmp_path: Path
) -> None:
    a, b, uid = shared
    # B's clock is a year ahead when it edits.
    edit(b, uid, "Kitchen locked after 10pm", clock=YEAR)
    ahead = export(b, tmp_path / "ahead.rrnbundle")
    with open_database(a) as db:
        preview = plan_import(db, read_bundle(ahead))
    assert preview.counts(Outcome.UPDATED) == {"restriction": 1}
    assert "1 record is dated in the future" in preview.describe()
    assert "the other laptop's clock may be wrong" in preview.describe()
    take_in(a, ahead)

    # A edits again, today: the bundle's copy (dated a year ahead) has seen fewer changes.
    edit(a, uid, "Kitchen open; snacks cupboard instead")
    with open_database(a) as db:
        again = plan_import(db, read_bundle(ahead))
        assert again.counts(Outcome.SAME_OR_OLDER)["restriction"] == 1
        assert not again.conflicts and again.changes == 0
        apply_import(db, again)
    assert title(a, uid) == "Kitchen open; snacks cupboard instead"


def test_records_from_before_counters_still_go_by_time(tmp_path: Path) -> None:
    """Both copies with no counts (saved before 0007): the later updated_at wins, as before."""
    a, b = new_laptop(tmp_path, "a"), new_laptop(tmp_path, "b")
    uid = add_entry(a, "Garden locked")
    take_in(b, export(a, tmp_path / "first.rrnbundle"))
    for folder, text, when in (
        (a, "Garden locked (A)", dt.datetime(2026, 1, 1)),
        (b, "Garden locked (B)", dt.datetime(2026, 2, 1)),
    ):
        connection = sqlite3.connect(folder / DATABASE_NAME)
        with connection:  # as a data file before 0007 held it: no counts
            connection.execute(
                "UPDATE restriction SET title = ?, updated_at = ?, versions = '{}' WHERE uid = ?",
                (text, when.isoformat(" "), uid),
            )
        connection.close()
    from_b = export(b, tmp_path / "b.rrnbundle")
    from_a = export(a, tmp_path / "a.rrnbundle")
    assert take_in(a, from_b).counts(Outcome.UPDATED) == {"restriction": 1}
    assert title(a, uid) == "Garden locked (B)"
    assert versions(a, uid) == {}
    assert take_in(b, from_a).updated == 0
    assert title(b, uid) == "Garden locked (B)"
    # An edit here after the update counts, and beats a copy whose history is unknown.
    edit(b, uid, "Garden open")
    assert take_in(b, from_a).updated == 0 and title(b, uid) == "Garden open"


# --- both changed: a person chooses --------------------------------------------------------------


@pytest.fixture
def both_changed(shared: tuple[Path, Path, str], tmp_path: Path) -> tuple[Path, Path, str, Path]:
    """A and B both edit the entry after they last exchanged it; B's bundle comes back to A."""
    a, b, uid = shared
    edit(a, uid, "Kitchen locked from 11pm")
    edit(b, uid, "Kitchen locked at night", clock=-YEAR)
    return a, b, uid, export(b, tmp_path / "conflict.rrnbundle")


def test_a_record_changed_on_both_laptops_is_listed_and_never_decided_silently(
    both_changed: tuple[Path, Path, str, Path],
) -> None:
    a, _b, uid, bundle = both_changed
    logged = log_count(a)
    with open_database(a) as db:
        plan = plan_import(db, read_bundle(bundle))
        [conflict] = plan.conflicts
        assert plan.unresolved == [conflict]
        assert conflict.text().splitlines() == [
            "Register entry 'Kitchen locked from 11pm' at Rowan House",
            "Title:",
            "  On this laptop: Kitchen locked from 11pm",
            "  In the bundle: Kitchen locked at night",
        ]
        assert "Changed on both laptops since they last exchanged them: 1 record, 1 waiting" in (
            plan.describe()
        )
        with pytest.raises(BundleError) as refused:
            apply_import(db, plan)
    assert refused.value.message == (
        "conflict.rrnbundle was not imported: 1 record was changed on both laptops, and which "
        "version to keep has not been chosen. Nothing was changed."
    )
    assert title(a, uid) == "Kitchen locked from 11pm"
    assert log_count(a) == logged


# Two notes the same for their first 70 characters: cut short, both read the same.
NOTE = "Reviewed with the family on 3 March; they agreed the kitchen stays locked "
NOTE_HERE, NOTE_THERE = NOTE + "from 11pm until 6am.", NOTE + "from 10pm until 7am."


def edit_note(folder: Path, uid: str, note: str) -> None:
    with open_database(folder) as db:
        restrictions.update_restriction(db, entry_id(db, uid), description=note)


@pytest.fixture
def note_changed(shared: tuple[Path, Path, str], tmp_path: Path) -> tuple[Path, str, Path]:
    """A and B both edit the entry's description, the two differing only after character 60;
    B's bundle comes back to A. Returns A, the uid and the bundle."""
    a, b, uid = shared
    edit_note(a, uid, NOTE_HERE)
    edit_note(b, uid, NOTE_THERE)
    return a, uid, export(b, tmp_path / "notes.rrnbundle")


def test_both_versions_of_a_note_are_shown_whole(note_changed: tuple[Path, str, Path]) -> None:
    a, _uid, bundle = note_changed
    assert len(NOTE) > 60 and NOTE_HERE[:60] == NOTE_THERE[:60]
    with open_database(a) as db:
        [conflict] = plan_import(db, read_bundle(bundle)).conflicts
    assert conflict.differences == (FieldDifference("Description", NOTE_HERE, NOTE_THERE),)
    assert not conflict.differences[0].long
    assert conflict.text().splitlines() == [
        "Register entry 'Kitchen locked' at Rowan House",
        "Description:",
        f"  On this laptop: {NOTE_HERE}",
        f"  In the bundle: {NOTE_THERE}",
    ]


def test_where_two_long_values_differ_is_pointed_out_and_both_are_kept_whole() -> None:
    same = "Staff unlock the kitchen on request at any time of the day or night. " * 5
    here, there = same + "The GP agreed on 4 March.", same + "The GP disagreed on 3 March."
    difference = FieldDifference("Consulted", here, there)
    assert difference.long and len(same) > 300
    # A few words before the first difference, to the end (it is near the end).
    assert difference.where_they_differ() == (
        "…at any time of the day or night. The GP agreed on 4 March.",
        "…at any time of the day or night. The GP disagreed on 3 March.",
    )
    # In the middle: a few words either side, and "…" for the rest.
    middle = FieldDifference("Consulted", same + "Agreed. " + same, same + "Refused. " + same)
    before, after = (
        "…request at any time of the day or night. ",
        " Staff unlock the kitchen on request at…",
    )
    assert middle.where_they_differ() == (before + "Agreed." + after, before + "Refused." + after)
    lines = difference.lines()
    assert lines[:2] == ["Consulted:", "  Where they differ:"]
    assert lines[-2:] == [f"    On this laptop: {here}", f"    In the bundle: {there}"]


@pytest.mark.parametrize(
    ("choice", "kept", "other"),
    [
        (Choice.TAKE_BUNDLE, "Kitchen locked at night", "Kitchen locked from 11pm"),
        (Choice.KEEP_HERE, "Kitchen locked from 11pm", "Kitchen locked at night"),
    ],
)
def test_the_chosen_version_wins_and_the_other_is_kept_in_the_history(
    both_changed: tuple[Path, Path, str, Path],
    tmp_path: Path,
    choice: Choice,
    kept: str,
    other: str,
) -> None:
    a, b, uid, bundle = both_changed
    with open_database(a) as db:
        plan = plan_import(db, read_bundle(bundle))
        plan.choose(plan.conflicts[0], choice)
        done = apply_import(db, plan)
        entries = history_for(db, uid)
    assert done.applied and [c.key for c in done.conflicts] == [("restriction", uid)]
    assert title(a, uid) == kept
    [note] = [e for e in entries if "changed on both laptops" in e.summary]
    assert other in note.summary and "conflict.rrnbundle" in note.summary
    assert note.by_label  # shown like any other entry

    # Settled for good: the same bundle raises no conflict again, and B takes A's choice.
    with open_database(a) as db:
        again = plan_import(db, read_bundle(bundle))
    assert not again.conflicts and again.changes == 0
    answer = take_in(b, export(a, tmp_path / "answer.rrnbundle"))
    assert not answer.conflicts and answer.counts(Outcome.UPDATED) == {"restriction": 1}
    assert title(b, uid) == kept
    assert versions(b, uid) == versions(a, uid)


def test_the_same_change_made_on_both_laptops_is_no_conflict(
    shared: tuple[Path, Path, str], tmp_path: Path
) -> None:
    a, b, uid = shared
    edit(a, uid, "Kitchen locked at night")
    edit(b, uid, "Kitchen locked at night", clock=YEAR)
    applied = take_in(a, export(b, tmp_path / "same.rrnbundle"))
    assert not applied.conflicts and applied.changes == 0
    # Each side has now seen the other's change: going back again is no conflict either.
    assert not take_in(b, export(a, tmp_path / "back.rrnbundle")).conflicts
