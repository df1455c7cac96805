"""Backups: the rolling set, the start-up backup, refusing bad files, and a restore that survives
being stopped part-way."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.storage import backups, database, restore, restore_journal
from rrn_desktop.storage.backups import InvalidBackupError, back_up
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError
from rrn_desktop.storage.file_check import EarlyCheck, read_only_uri, read_revision
from rrn_desktop.storage.restore import restore_backup, verify_backup

# --- helpers shared with the command-line and window tests ------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_counts(db_path: Path) -> dict[str, int]:
    connection = sqlite3.connect(read_only_uri(db_path), uri=True)
    try:
        return backups.table_counts(connection)
    finally:
        connection.close()


def fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up part-way through writing a backup: the first file is written whole,
    then ENOSPC, as from a full USB stick."""
    real = backups._write_member

    def fill_up(archive: zipfile.ZipFile, name: str, source: object) -> tuple[str, int]:
        real(archive, name, source)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_write_member", fill_up)


def evidence_hashes(data_dir: Path) -> dict[str, str]:
    folder = data_dir / EVIDENCE_DIR
    return {path.name: sha256(path) for path in folder.iterdir() if path.is_file()}


def damage_in_the_middle(db_path: Path) -> None:
    """Overwrite 4 KB in the middle of a closed database file with junk."""
    size = db_path.stat().st_size
    with db_path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 16)


def rewrite_backup(
    source: Path,
    target: Path,
    *,
    change_member: tuple[str, bytes] | None = None,
    schema_revision: str | None = None,
) -> None:
    """Copy a backup, replacing one member's bytes (keeping the manifest: a wrong hash) or
    moving its data to another data version (with a matching manifest: a newer backup)."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    if change_member is not None:
        name, data = change_member
        members[name] = data
    if schema_revision is not None:
        work = target.with_suffix(".work.sqlite3")
        work.write_bytes(members[DATABASE_NAME])
        connection = sqlite3.connect(work)
        connection.execute("UPDATE alembic_version SET version_num = ?", (schema_revision,))
        connection.commit()
        connection.close()
        members[DATABASE_NAME] = work.read_bytes()
        work.unlink()
        manifest["schema_revision"] = schema_revision
        manifest["files"][DATABASE_NAME] = {
            "sha256": hashlib.sha256(members[DATABASE_NAME]).hexdigest(),
            "size": len(members[DATABASE_NAME]),
        }
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def folder_hashes(data_dir: Path) -> dict[str, str]:
    """Every file of the data itself (not backups or logs), by name: to prove nothing changed."""
    files = [data_dir / DATABASE_NAME, *(data_dir / EVIDENCE_DIR).iterdir()]
    return {path.name: sha256(path) for path in files}


@pytest.fixture
def demo_backup(demo_dir: Path, tmp_path: Path) -> Path:
    with open_database(demo_dir) as db:
        return back_up(db, tmp_path / "demo-backup.zip").path


# --- the rolling set --------------------------------------------------------------------------


def test_retention_keeps_7_daily_4_weekly_and_12_monthly() -> None:
    start = dt.datetime(2025, 1, 1, 9, 0)
    # Two backups a day (morning and evening) for 500 days.
    times = [start + dt.timedelta(days=day, hours=hour) for day in range(500) for hour in (0, 9)]
    keep = backups.select_to_keep(times)
    newest = max(times)
    days = sorted({when.date() for when in times}, reverse=True)
    # The evening backup of each of the last 7 days...
    daily = {dt.datetime.combine(day, dt.time(18, 0)) for day in days[:7]}
    assert daily <= keep
    # ...the newest of each of the last 4 weeks (this week's is today's)...
    weeks = sorted({when.isocalendar()[:2] for when in times}, reverse=True)[:4]
    weekly = {max(t for t in times if t.isocalendar()[:2] == week) for week in weeks}
    assert weekly <= keep
    # ...and of each of the last 12 months.
    months = sorted({(when.year, when.month) for when in times}, reverse=True)[:12]
    monthly = {max(t for t in times if (t.year, t.month) == month) for month in months}
    assert monthly <= keep
    assert keep == daily | weekly | monthly
    assert newest in keep
    assert len(keep) == len(daily | weekly | monthly) <= 7 + 4 + 12
    assert min(keep) > newest - dt.timedelta(days=366)


def test_retention_counts_only_periods_that_have_a_backup() -> None:
    # A laptop used now and then: nothing is lost just because time passed.
    times = [dt.datetime(2020, 3, 2, 10), dt.datetime(2022, 7, 9, 10), dt.datetime(2026, 1, 5, 10)]
    assert backups.select_to_keep(times) == set(times)
    assert backups.select_to_keep([]) == set()
    one_day = [dt.datetime(2026, 1, 5, hour) for hour in range(9, 17)]
    assert backups.select_to_keep(one_day) == {dt.datetime(2026, 1, 5, 16)}


def test_pruning_deletes_only_backups_the_set_drops_and_never_other_files(tmp_path: Path) -> None:
    folder = tmp_path / BACKUP_DIR
    folder.mkdir()
    start = dt.datetime(2026, 1, 1, 12)
    for day in range(40):
        (folder / backups.backup_name(start + dt.timedelta(days=day))).write_bytes(b"x")
    others = ["before-migration-0004-20250101-120000.sqlite3", "notes.txt", "rrn-backup-bad.zip"]
    for name in others:
        (folder / name).write_bytes(b"keep me")
    removed = backups.prune_backups(folder)
    left = {when for when, _path in backups.list_backups(folder)}
    assert left == backups.select_to_keep(start + dt.timedelta(days=day) for day in range(40))
    assert len(removed) == 40 - len(left)
    for name in others:
        assert (folder / name).exists()


# --- the start-up backup ----------------------------------------------------------------------


def test_the_start_up_backup_is_made_only_when_the_last_is_over_a_day_old(demo_dir: Path) -> None:
    monday = dt.datetime(2026, 3, 2, 9, 0)
    with open_database(demo_dir) as db:
        first = backups.backup_if_due(db, now=monday)
        assert first is not None and first.path.parent == demo_dir / BACKUP_DIR
        assert backups.backup_if_due(db, now=monday + dt.timedelta(hours=5)) is None
        assert backups.backup_if_due(db, now=monday + dt.timedelta(hours=23, minutes=59)) is None
        second = backups.backup_if_due(db, now=monday + dt.timedelta(days=1, minutes=1))
        assert second is not None
        assert [path for _when, path in backups.list_backups(demo_dir / BACKUP_DIR)] == [
            second.path,
            first.path,
        ]
        # A backup dated far in the future (the clock was wrong) does not stop backups.
        assert backups.backup_if_due(db, now=monday - dt.timedelta(days=30)) is not None
    verify_backup(second.path)


@pytest.mark.sqlite_only  # the data folder's own file and lock
def test_an_empty_new_folder_is_not_backed_up(db) -> None:
    assert backups.backup_if_due(db, now=dt.datetime(2026, 3, 2, 9)) is None
    assert not (db.data_dir / BACKUP_DIR).exists()


# --- making a backup --------------------------------------------------------------------------


def test_a_backup_holds_a_consistent_copy_evidence_and_a_manifest(demo_backup: Path) -> None:
    with zipfile.ZipFile(demo_backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert manifest["format"] == "rrn-desktop-backup"
    assert manifest["schema_revision"] == database.SCHEMA_HEAD
    assert manifest["record_counts"]["service"] == 5
    assert names == {"manifest.json", *manifest["files"]}
    assert len([name for name in names if name.startswith("evidence/")]) == 3
    info = verify_backup(demo_backup)
    assert info.evidence_files == 3
    assert f"data version {database.SCHEMA_HEAD}" in info.describe()


def test_a_full_disk_gives_a_plain_message_and_leaves_no_partial_file(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_the_disk(monkeypatch)
    usb = tmp_path / "usb"
    usb.mkdir()
    with open_database(demo_dir) as db, pytest.raises(StorageError) as caught:
        back_up(db, usb / "backup.zip")
    assert caught.value.message.startswith(f"There is not enough free space in {usb}")
    assert list(usb.iterdir()) == []


def test_a_damaged_database_is_never_backed_up(demo_dir: Path, tmp_path: Path) -> None:
    damage_in_the_middle(demo_dir / DATABASE_NAME)
    with pytest.raises(DamagedDatabaseError, match="cannot be backed up"):
        backups.create_backup(demo_dir / DATABASE_NAME, demo_dir / EVIDENCE_DIR, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


# --- start-up check ---------------------------------------------------------------------------


def test_the_start_up_check_refuses_a_file_damaged_in_the_middle(demo_dir: Path) -> None:
    path = demo_dir / DATABASE_NAME
    damage_in_the_middle(path)
    before = sha256(path)
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        open_database(demo_dir)
    assert sha256(path) == before
    assert not (demo_dir / BACKUP_DIR).exists()  # not "backed up before migration" either


def test_a_fault_found_by_the_early_check_is_refused_the_same_way(demo_dir: Path) -> None:
    path = demo_dir / DATABASE_NAME
    damage_in_the_middle(path)
    before = sha256(path)
    check = EarlyCheck(demo_dir)  # as the app begins it, before anything else loads
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        open_database(demo_dir, check)
    assert sha256(path) == before


def test_a_file_changed_after_the_early_check_began_is_checked_again(demo_dir: Path) -> None:
    check = EarlyCheck(demo_dir)
    check.wait()  # found the file sound...
    damage_in_the_middle(demo_dir / DATABASE_NAME)  # ...which it no longer is
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        open_database(demo_dir, check)


def test_the_early_check_of_a_new_folder_lets_it_be_created(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    with open_database(folder, EarlyCheck(folder)) as db:
        assert db.path.stat().st_size > 0
    with sqlite3.connect(folder / DATABASE_NAME) as connection:
        assert read_revision(connection) == database.SCHEMA_HEAD


# --- restoring --------------------------------------------------------------------------------


def test_restore_into_a_folder_with_data_backs_that_data_up_first(
    demo_backup: Path, data_dir: Path
) -> None:
    empty_counts = table_counts(data_dir / DATABASE_NAME)
    result = restore_backup(data_dir, demo_backup)
    assert table_counts(data_dir / DATABASE_NAME) == result.restored.record_counts
    assert not result.previous_was_damaged
    assert result.previous is not None and result.previous.name.endswith("-before-restore.zip")
    kept = verify_backup(result.previous)
    assert kept.record_counts == empty_counts
    leftovers = {".restore-staging", ".restore-old", restore_journal.RESTORE_MARKER}
    assert not leftovers & {path.name for path in data_dir.iterdir()}
    open_database(data_dir).close()


def test_restore_over_a_damaged_file_keeps_it_aside_renamed(
    demo_backup: Path, demo_dir: Path
) -> None:
    path = demo_dir / DATABASE_NAME
    damage_in_the_middle(path)
    damaged = sha256(path)
    result = restore_backup(demo_dir, demo_backup)
    assert result.previous_was_damaged
    assert result.previous.name.startswith("rrn-desktop.damaged-")
    assert sha256(result.previous) == damaged
    assert "damaged data file was kept aside" in result.summary
    with open_database(demo_dir):
        pass


@pytest.mark.parametrize("kind", ["random file", "wrong hash", "newer data version", "missing"])
def test_restore_refuses_a_bad_file_with_a_reason_and_changes_nothing(
    kind: str, demo_backup: Path, demo_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.zip"
    if kind == "random file":
        bad.write_bytes(os.urandom(10_000))
        reason = "not an RRN Self-Audit backup"
    elif kind == "wrong hash":
        with zipfile.ZipFile(demo_backup) as archive:
            evidence = next(n for n in archive.namelist() if n.startswith("evidence/"))
        rewrite_backup(demo_backup, bad, change_member=(evidence, b"altered"))
        reason = "does not match the hash recorded"
    elif kind == "newer data version":
        rewrite_backup(demo_backup, bad, schema_revision="9999_from_the_future")
        reason = "newer version of RRN Self-Audit"
    else:
        reason = "There is no backup file"
    before = folder_hashes(demo_dir)
    with pytest.raises(InvalidBackupError, match=reason):
        restore_backup(demo_dir, bad)
    assert folder_hashes(demo_dir) == before
    assert not (demo_dir / BACKUP_DIR).exists()
    assert not (demo_dir / ".restore-staging").exists()


def test_a_restore_stopped_part_way_is_finished_when_the_data_is_next_opened(
    demo_backup: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = verify_backup(demo_backup).record_counts
    real_replace = os.replace
    calls = {"count": 0}

    def crash_on_third_move(source: object, target: object) -> None:
        calls["count"] += 1
        if calls["count"] == 3:  # after the marker, part-way through the swap
            raise KeyboardInterrupt("power cut")
        real_replace(source, target)

    monkeypatch.setattr(backups.os, "replace", crash_on_third_move)
    with pytest.raises(KeyboardInterrupt):
        restore_backup(data_dir, demo_backup)
    monkeypatch.setattr(backups.os, "replace", real_replace)
    assert (data_dir / restore_journal.RESTORE_MARKER).exists()
    with open_database(data_dir):
        pass
    assert table_counts(data_dir / DATABASE_NAME) == expected
    assert len(evidence_hashes(data_dir)) == 3
    assert not (data_dir / restore_journal.RESTORE_MARKER).exists()


def test_a_restore_stopped_before_its_marker_leaves_the_data_as_it_was(
    demo_backup: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = folder_hashes(data_dir)

    def power_cut(*_args: object) -> None:
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(restore, "write_marker", power_cut)
    with pytest.raises(KeyboardInterrupt):
        restore_backup(data_dir, demo_backup)
    monkeypatch.undo()
    with open_database(data_dir):
        pass
    assert folder_hashes(data_dir) == before
    assert not (data_dir / ".restore-staging").exists()


def test_a_backup_of_an_older_data_version_is_restored_and_updated_on_open(
    tmp_path: Path,
) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from rrn_desktop.core.services import list_services

    old = tmp_path / "old"
    old.mkdir()
    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS_DIR))
    engine = create_engine(f"sqlite:///{old / DATABASE_NAME}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.exec_driver_sql(
            "INSERT INTO organisation (id, name, created_at) VALUES (1, 'Old Org', '2025-01-01')"
        )
        connection.exec_driver_sql(
            "INSERT INTO service (id, organisation_id, name, sector, created_at) "
            "VALUES (1, 1, 'Old ward', 'health', '2025-01-01')"
        )
    engine.dispose()
    made = backups.create_backup(old / DATABASE_NAME, old / EVIDENCE_DIR, tmp_path / "old.zip")
    assert made.schema_revision == "0004"
    fresh = tmp_path / "fresh"
    result = restore_backup(fresh, made.path)
    assert "updated to this version's format when it is next opened" in result.summary
    with open_database(fresh) as db:
        assert [service.name for service in list_services(db)] == ["Old ward"]
