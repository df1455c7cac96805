"""Migration 0007: a data file from version 0006 keeps its data, gets a laptop id of its own and
empty version vectors, and its records still merge by time until they are changed again."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.core import restrictions
from rrn_desktop.core.bundle import Outcome, apply_import, export_bundle, plan_import, read_bundle
from rrn_desktop.core.services import find_service
from rrn_desktop.storage.database import open_database
from tests.storage.helpers import back_to

WILLOW = "Willow House care home (demo)"
VERSIONED = (
    "benchmark",
    "item_response",
    "restriction",
    "action",
    "incident",
    "person_support",
    "learning_review",
)


def _sql(folder: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(folder / DATABASE_NAME)
    with connection:
        rows = connection.execute(query, args).fetchall()
    connection.close()
    return rows


def _counts(folder: Path) -> dict[str, int]:
    return {table: _sql(folder, f"SELECT COUNT(*) FROM {table}")[0][0] for table in VERSIONED}


@pytest.fixture(scope="module")
def version_0006(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo data as version 0006 of the app saved it."""
    folder = shutil.copytree(demo_template, tmp_path_factory.mktemp("v0006") / "data")
    back_to(folder, "0006")
    assert _sql(folder, "SELECT version_num FROM alembic_version") == [("0006",)]
    columns = [row[1] for row in _sql(folder, "PRAGMA table_info(restriction)")]
    assert "versions" not in columns
    return folder


def test_0006_data_is_kept_with_empty_vectors_and_a_laptop_id_of_its_own(
    version_0006: Path, tmp_path: Path
) -> None:
    a = shutil.copytree(version_0006, tmp_path / "a")
    b = shutil.copytree(version_0006, tmp_path / "b")
    before = _counts(a)
    titles = _sql(a, "SELECT uid, title FROM restriction ORDER BY id")
    open_database(a).close()
    open_database(b).close()

    assert _counts(a) == before and all(before.values())
    assert _sql(a, "SELECT uid, title FROM restriction ORDER BY id") == titles
    for table in VERSIONED:
        assert _sql(a, f"SELECT DISTINCT versions FROM {table}") == [("{}",)]
    [(id_a,)] = _sql(a, "SELECT value FROM app_setting WHERE key = 'laptop_id'")
    [(id_b,)] = _sql(b, "SELECT value FROM app_setting WHERE key = 'laptop_id'")
    assert isinstance(id_a, str) and len(id_a) == 32 and int(id_a, 16) >= 0
    assert id_a != id_b
    assert list((a / "backups").glob("before-migration-0006-*.sqlite3"))

    # From now on each change is counted for this laptop.
    uid = titles[0][0]
    [(entry_id,)] = _sql(a, "SELECT id FROM restriction WHERE uid = ?", uid)
    with open_database(a) as db:
        restrictions.update_restriction(db, int(str(entry_id)), title="Edited after the update")
    [(vector,)] = _sql(a, "SELECT versions FROM restriction WHERE uid = ?", uid)
    assert json.loads(str(vector)) == {id_a: 1}


def test_records_changed_before_the_update_still_merge_by_time(
    version_0006: Path, tmp_path: Path
) -> None:
    a = shutil.copytree(version_0006, tmp_path / "a")
    b = shutil.copytree(version_0006, tmp_path / "b")
    first, second = (uid for (uid,) in _sql(a, "SELECT uid FROM restriction ORDER BY id")[:2])
    later = (dt.datetime.now() + dt.timedelta(hours=1)).isoformat(" ")
    # Before either laptop was updated: B changed the first entry, A the second, each later
    # than the other laptop's copy.
    _sql(b, "UPDATE restriction SET title = 'From B', updated_at = ? WHERE uid = ?", later, first)
    _sql(a, "UPDATE restriction SET title = 'From A', updated_at = ? WHERE uid = ?", later, second)

    with open_database(b) as db:
        bundle = tmp_path / "b.rrnbundle"
        export_bundle(db, bundle, service_id=find_service(db, WILLOW).id)
    with open_database(a) as db:
        plan = plan_import(db, read_bundle(bundle))
        assert not plan.conflicts
        assert plan.counts(Outcome.UPDATED) == {"restriction": 1}
        apply_import(db, plan)
    assert _sql(a, "SELECT title FROM restriction WHERE uid = ?", first) == [("From B",)]
    assert _sql(a, "SELECT title FROM restriction WHERE uid = ?", second) == [("From A",)]
