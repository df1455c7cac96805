"""Backups of large data: the database goes through a scratch file in the backups folder, never
through memory; the scratch file never outlives the backup; the window can keep saving while a
backup is made on another thread, and two backups at once do not get in each other's way."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.storage import backups
from rrn_desktop.storage.backups import back_up, list_backups
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError
from rrn_desktop.storage.restore import verify_backup
from tests.storage.test_backups import damage_in_the_middle, fill_the_disk, sha256, table_counts

MB = 1024 * 1024


def scratch_files(folder: Path) -> list[str]:
    """The scratch copies of the database in folder (a zip being written is `….zip.partial`)."""
    return sorted(path.name for path in folder.glob("*.sqlite3.partial")) if folder.is_dir() else []


def left_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def large_dir(demo_dir: Path) -> Path:
    """The demo organisation with 24 MB more data (incompressible, as scanned letters are)."""
    connection = sqlite3.connect(demo_dir / DATABASE_NAME)
    connection.execute("CREATE TABLE padding (id INTEGER PRIMARY KEY, blob BLOB)")
    connection.executemany(
        "INSERT INTO padding (blob) VALUES (?)", [(os.urandom(MB),) for _ in range(24)]
    )
    connection.commit()
    connection.close()
    return demo_dir


def test_a_large_database_is_streamed_into_the_backup_not_held_in_memory(
    large_dir: Path, tmp_path: Path
) -> None:
    size = (large_dir / DATABASE_NAME).stat().st_size
    assert size > 24 * MB
    with open_database(large_dir) as db:
        tracemalloc.start()
        try:
            info = back_up(db, tmp_path / "large.zip")
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # The old way held the whole database twice (an in-memory copy, then its bytes).
    assert peak < 8 * MB, f"{peak / MB:.1f} MB of Python memory for a {size / MB:.0f} MB file"
    assert verify_backup(info.path).record_counts["padding"] == 24
    with zipfile.ZipFile(info.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        with archive.open(DATABASE_NAME) as member:
            copied = member.read()
    assert manifest["files"][DATABASE_NAME]["size"] == len(copied)
    assert table_counts(large_dir / DATABASE_NAME) == info.record_counts
    assert scratch_files(large_dir / BACKUP_DIR) == []


def test_the_scratch_copy_is_in_the_backups_folder_and_never_outlives_the_backup(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    real = backups._write_member

    def looking(archive: zipfile.ZipFile, name: str, source: object) -> tuple[str, int]:
        if name == DATABASE_NAME:
            seen.append(scratch_files(demo_dir / BACKUP_DIR))
        return real(archive, name, source)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "_write_member", looking)
    with open_database(demo_dir) as db:
        made = back_up(db)
    [[scratch]] = seen
    assert scratch.startswith("rrn-backup-") and scratch.endswith(".sqlite3.partial")
    assert [path for _when, path in list_backups(demo_dir / BACKUP_DIR)] == [made.path]
    assert left_in(demo_dir / BACKUP_DIR) == [made.path.name]


def test_a_backup_to_another_folder_leaves_the_data_folder_as_it_was(
    demo_dir: Path, tmp_path: Path
) -> None:
    assert not (demo_dir / BACKUP_DIR).exists()
    with open_database(demo_dir) as db:
        back_up(db, tmp_path / "usb.zip")
    assert not (demo_dir / BACKUP_DIR).exists()


def test_a_full_disk_or_damaged_data_leaves_no_scratch_copy(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = demo_dir / BACKUP_DIR
    with monkeypatch.context() as patch:
        fill_the_disk(patch)  # the full disk strikes after the database went into the zip
        with open_database(demo_dir) as db, pytest.raises(StorageError) as caught:
            back_up(db)
    assert caught.value.message.startswith(f"There is not enough free space in {folder}")
    assert left_in(folder) == []

    damage_in_the_middle(demo_dir / DATABASE_NAME)
    with pytest.raises(DamagedDatabaseError, match="cannot be backed up"):
        backups.create_backup(demo_dir / DATABASE_NAME, demo_dir / EVIDENCE_DIR, folder / "b.zip")
    assert left_in(folder) == []


def test_a_copy_that_cannot_be_written_is_not_called_damage(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a fault SQLite finds in the data file itself is called damage (whose answer is to
    restore a backup): a scratch copy that cannot be written is the disk's problem."""
    not_a_file = tmp_path / "a folder"
    not_a_file.mkdir()
    monkeypatch.setattr(backups, "_scratch_copy", lambda _folder: not_a_file)
    with open_database(demo_dir) as db, pytest.raises(StorageError) as caught:
        back_up(db, tmp_path / "b.zip")
    assert not isinstance(caught.value, DamagedDatabaseError)
    assert caught.value.message.startswith(
        f"The backup could not be written to {demo_dir / BACKUP_DIR} ("
    )
    assert caught.value.message.endswith("nothing was left half-written.")
    assert not (tmp_path / "b.zip").exists()
    assert not (demo_dir / BACKUP_DIR).exists()


def test_what_a_backup_stopped_by_a_power_cut_left_is_cleared_by_the_next(
    demo_dir: Path,
) -> None:
    folder = demo_dir / BACKUP_DIR
    folder.mkdir()
    leftovers = [
        folder / "rrn-backup-k2j4h5.sqlite3.partial",
        folder / "rrn-backup-20260301-090000.zip.partial",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    someone_elses = folder / "notes.txt"
    someone_elses.write_text("mine")
    with open_database(demo_dir) as db:
        made = back_up(db)
    assert left_in(folder) == sorted([made.path.name, "notes.txt"])


def test_a_backup_does_not_wait_for_or_take_in_an_edit_still_being_saved(
    demo_dir: Path, tmp_path: Path
) -> None:
    with open_database(demo_dir) as db:
        before = table_counts(db.path)
        with db.engine.connect() as connection:
            # The window is part-way through saving (a write transaction is open): the backup,
            # from its own connection, neither waits for it nor takes the half-made change in.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.exec_driver_sql("CREATE TABLE half_made (x)")
            connection.exec_driver_sql("INSERT INTO half_made VALUES (1)")
            info = back_up(db, tmp_path / "during.zip")
            connection.exec_driver_sql("ROLLBACK")
    assert info.record_counts == before
    assert verify_backup(info.path).record_counts == info.record_counts


def test_two_backups_at_once_each_make_a_whole_file(demo_dir: Path) -> None:
    """The start-up backup on its thread, and one the Data dialog asks for meanwhile."""
    when = dt.datetime(2026, 3, 2, 9, 0)
    made: list[Path] = []
    errors: list[BaseException] = []
    (demo_dir / BACKUP_DIR).mkdir()
    with open_database(demo_dir) as db:

        def one() -> None:
            try:
                made.append(back_up(db, demo_dir / BACKUP_DIR, now=when).path)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=one) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(set(made)) == 3
    for path in made:
        verify_backup(path)
    assert scratch_files(demo_dir / BACKUP_DIR) == []


# --- a real full disk (a tiny tmpfs), as on CI -------------------------------------------------


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture
def tiny_backups_disk(demo_dir: Path) -> Iterator[Path]:
    """The data folder's backups folder on a 64 KB disk of its own: too small for a copy."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("Simulating a full disk needs root to mount a tmpfs (as on CI).")
    folder = demo_dir / BACKUP_DIR
    folder.mkdir()
    result = _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder))
    if result.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        if _run("umount", str(folder)).returncode != 0:
            _run("umount", "-l", str(folder))


def test_a_disk_too_full_for_the_copy_gives_the_plain_message(
    demo_dir: Path, tiny_backups_disk: Path
) -> None:
    before = sha256(demo_dir / DATABASE_NAME)
    with open_database(demo_dir) as db:
        with pytest.raises(StorageError) as caught:
            backups.backup_if_due(db, now=dt.datetime(2026, 3, 2, 9))
        message = caught.value.message
        assert message.startswith(f"There is not enough free space in {tiny_backups_disk}")
        assert "nothing was left half-written" in message
        assert "sqlite" not in message.lower()
        assert left_in(tiny_backups_disk) == []
    assert sha256(demo_dir / DATABASE_NAME) == before
