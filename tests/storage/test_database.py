"""Opening the data folder: WAL, versions, damage, and one copy of the app at a time."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import uuid
from functools import partial
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core.services import create_service, list_services
from rrn_desktop.storage.database import MIGRATIONS_DIR, SCHEMA_HEAD, Database, open_database
from rrn_desktop.storage.errors import DamagedDatabaseError, DataInUseError, NewerDatabaseError


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_data_folder_is_created_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    folder = tmp_path / "brand new" / "data"
    open_database(folder).close()
    connection = sqlite3.connect(folder / DATABASE_NAME)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
        SCHEMA_HEAD
    )
    connection.close()


def test_the_fast_start_up_head_matches_the_migration_scripts() -> None:
    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD


@pytest.mark.sqlite_only  # the data folder's own file and lock
def test_connections_enforce_foreign_keys_and_full_sync(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_saved_service_is_there_after_reopening(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        create_service(db, "Tŷ Gwyn & <Annexe> 🌳", Sector.HEALTH)
    with open_database(data_dir) as db:
        [service] = list_services(db)
    assert service.name == "Tŷ Gwyn & <Annexe> 🌳"
    assert service.sector is Sector.HEALTH


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(data_dir: Path) -> None:
    path = data_dir / DATABASE_NAME
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = _hash(path)
    with pytest.raises(NewerDatabaseError, match="newer version of RRN Self-Audit"):
        open_database(data_dir)
    assert _hash(path) == before
    # The refusal let go of the folder: once the right version is back, it opens.
    connection = sqlite3.connect(path)
    connection.execute(f"UPDATE alembic_version SET version_num = '{SCHEMA_HEAD}'")
    connection.commit()
    connection.close()
    open_database(data_dir).close()


def test_a_damaged_file_is_explained_and_never_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / DATABASE_NAME
    path.write_bytes(b"this is not a database at all " * 200)
    before = _hash(path)
    with pytest.raises(DamagedDatabaseError, match="damaged"):
        open_database(folder)
    assert _hash(path) == before


@pytest.mark.sqlite_only  # the data folder's own file and lock
def test_a_second_open_of_the_same_folder_is_told_it_is_in_use(db: Database) -> None:
    with pytest.raises(DataInUseError, match="already open in another copy"):
        open_database(db.data_dir)


@pytest.mark.sqlite_only  # the data folder's own file and lock
def test_a_second_process_on_the_same_folder_exits_with_a_plain_message(db: Database) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rrn_desktop", "--data-dir", str(db.data_dir), "demo"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "already open in another copy of RRN Self-Audit" in result.stderr
    assert "Traceback" not in result.stderr
    assert list_services(db) == []


def test_a_failed_change_leaves_no_half_written_record(db: Database) -> None:
    from rrn_desktop.core.validation import InputError

    create_service(db, "Willow", Sector.ADULT_SOCIAL_CARE)
    with pytest.raises(InputError, match="already a service called"):
        create_service(db, "Willow", Sector.EDUCATION)
    with pytest.raises(InputError, match="cannot be left empty"):
        create_service(db, "   ", Sector.EDUCATION)
    assert [s.name for s in list_services(db)] == ["Willow"]


def _insert_row(
    connection: Connection, with_uid: bool, table: str, columns: str, values: str
) -> None:
    if with_uid:
        columns, values = f"uid, {columns}", f"'{uuid.uuid4()}', {values}"
    connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({values})")


def test_a_populated_database_from_every_earlier_version_is_migrated(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from rrn_desktop.base.vocabulary import PersonIdentity
    from rrn_desktop.core import incidents, plan, restrictions
    from rrn_desktop.core.benchmarks import list_benchmarks
    from rrn_desktop.core.incident_settings import incident_settings

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    earlier = [rev.revision for rev in script.walk_revisions() if rev.revision != SCHEMA_HEAD]
    assert earlier, "there is at least one earlier version to migrate from"
    for revision in earlier:
        folder = tmp_path / revision
        folder.mkdir()
        path = folder / DATABASE_NAME
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            # Rows as version 0001 wrote them; from 0005 on every record also carries a uid.
            insert = partial(_insert_row, connection, revision >= "0005")
            insert("organisation", "id, name, created_at", "1, 'Old Org', '2025-01-01'")
            insert(
                "service",
                "id, organisation_id, name, sector, created_at",
                "1, 1, 'Old ward', 'health', '2025-01-01'",
            )
            insert(
                "benchmark",
                "id, service_id, pack_id, pack_version, held_on, purpose, created_at, updated_at",
                "1, 1, 'rrn-training-standards-2019', '1.0', '2025-02-01', 'self_audit', "
                "'2025-02-01', '2025-02-01'",
            )
            if revision < "0003":
                insert(
                    "item_response",
                    "benchmark_id, item_code, rating, notes, evidence_refs, needs_action, "
                    "action_text, action_owner, action_due, updated_at",
                    "1, '1.1.1', 'not_met', 'n', '', 1, 'Old action', 'Lead', '2025-06-01', "
                    "'2025-02-01'",
                )
            else:
                # From 0003 on, an item's action lives on the plan.
                insert(
                    "item_response",
                    "benchmark_id, item_code, rating, notes, evidence_refs, updated_at",
                    "1, '1.1.1', 'not_met', 'n', '', '2025-02-01'",
                )
                insert(
                    "action",
                    "service_id, title, description, strategy, owner_name, owner_role, due_on, "
                    "priority, status, dropped_reason, outcome_measure, outcome_unit, source, "
                    "benchmark_id, item_code, created_at, updated_at",
                    "1, 'Old action', '', 'workforce', 'Lead', '', '2025-06-01', 'medium', "
                    "'planned', '', '', '', 'benchmark_item', 1, '1.1.1', '2025-02-01', "
                    "'2025-02-01'",
                )
        engine.dispose()

        with open_database(folder) as db:
            [service] = list_services(db)
            assert service.name == "Old ward"
            assert [b.held_on.isoformat() for b in list_benchmarks(db, service.id)] == [
                "2025-02-01"
            ]
            assert restrictions.list_restrictions(db, service.id) == []
            # The item's action moved to the plan, still linked to the item.
            [action] = plan.list_actions(db)
            assert (action.title, action.owner_name) == ("Old action", "Lead")
            assert action.due_on.isoformat() == "2025-06-01"
            assert (action.benchmark_id, action.item_code) == (1, "1.1.1")
            [benchmark] = list_benchmarks(db, service.id)
            assert benchmark.response("1.1.1").needs_action
            # Incident settings start private: reference codes only, kept three years.
            settings = incident_settings(db)
            assert settings.identity is PersonIdentity.REFERENCE_ONLY
            assert settings.retention_months == 36
            assert incidents.list_incidents(db, service.id) == []
        backups = list((folder / "backups").glob(f"before-migration-{revision}-*.sqlite3"))
        assert len(backups) == 1
        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every older record was given its own stable uid.
        uids = [row[0] for row in connection.execute("SELECT uid FROM action")]
        uids += [row[0] for row in connection.execute("SELECT uid FROM service")]
        assert len(uids) == 2 and all(len(uid) == 36 for uid in uids)
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            SCHEMA_HEAD
        )
        connection.close()
