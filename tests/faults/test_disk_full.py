"""A full disk and a read-only data folder: plain messages, and nothing already saved is lost.

Both are the real thing, not imitations: the full disk is a small tmpfs filled to the last byte
(writes fail with ENOSPC, as on a full USB stick), the read-only folder is a read-only bind
mount (EROFS, as on a write-protected stick), and a read-only data file is one marked immutable
with chattr. Mounting needs root (CAP_SYS_ADMIN), as on CI; elsewhere these tests are skipped
and say why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.saving import SaveError
from rrn_desktop.base.vocabulary import RestraintType, Sector, Strategy
from rrn_desktop.core import incidents, plan, restrictions, services
from rrn_desktop.reports.restrictions_report import write_restrictions_report
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError
from rrn_desktop.storage.file_check import read_only_uri

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Uses Linux mounts (tmpfs, bind) and chattr."
)

DAY = dt.date(2024, 5, 1)
NOW = dt.datetime(2024, 5, 3, 9, 0)
# Words a person should never see in a message: they belong in the log, not on the screen.
TECHNICAL = re.compile(r"Traceback|sqlite|SQL|OperationalError|Errno|\[|sqlalche", re.IGNORECASE)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _mount_or_skip(*arguments: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("Simulating a full or read-only disk needs root to mount (as on CI).")
    result = _run("mount", *arguments)
    if result.returncode != 0:
        pytest.skip(f"mount {' '.join(arguments)} is not permitted here: {result.stderr.strip()}")


def _unmount(point: Path) -> None:
    if _run("umount", str(point)).returncode != 0:
        _run("umount", "-l", str(point))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty 4 MB disk of its own: filling it fills nothing else."""
    disk = tmp_path / "small-disk"
    disk.mkdir()
    _mount_or_skip("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk))
    try:
        yield disk
    finally:
        _unmount(disk)


def _fill(disk: Path) -> Path:
    """Fill the disk to the last byte, as a full USB stick is."""
    filler = disk / "filler.bin"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError as error:
                assert error.errno == 28  # ENOSPC: the disk really is full
    finally:
        os.close(descriptor)
    return filler


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read with a connection of its own: what 'nothing lost' means."""
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }
    finally:
        connection.close()


def _sound(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def _plain(message: str) -> None:
    assert message and not TECHNICAL.search(message), message


AUXILIARY = (LOCK_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm")


def _hashes(folder: Path) -> dict[str, str]:
    """The data file and evidence copies (not the lock, nor SQLite's -wal and -shm files)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in AUXILIARY
    }


# --- a full disk -------------------------------------------------------------------------------


def _edits_that_need_space(db: Database, service_id: int, entry_id: int, action_id: int):
    long_text = "Wrote a long account of what happened and why. " * 200
    return {
        "add an action": lambda: plan.create_action(
            db, "Action on a full disk", Strategy.DATA, DAY, description=long_text
        ),
        "add a restriction": lambda: restrictions.add_custom_restriction(
            db, service_id, "Found on a full disk", "other", RestraintType.ENVIRONMENTAL, DAY
        ),
        "change a restriction": lambda: restrictions.update_restriction(
            db, entry_id, rationale=long_text
        ),
        "add a progress note": lambda: plan.add_note(db, action_id, DAY, long_text),
        "record an incident": lambda: incidents.record_incident(
            db,
            service_id,
            "INC-FULL-1",
            dt.datetime(2024, 5, 1, 10, 0),
            ["physical-standing-hold"],
            now=NOW,
            reason=long_text,
        ),
        "add a service": lambda: services.create_service(db, "Annexe", Sector.HEALTH),
    }


def test_a_full_disk_refuses_each_edit_plainly_and_loses_nothing(
    small_disk: Path, demo_template: Path, tmp_path: Path
) -> None:
    data_dir = shutil.copytree(demo_template, small_disk / "data")
    db = open_database(data_dir)
    try:
        service_id = services.list_services(db)[0].id
        entry_id = restrictions.list_restrictions(db)[0].id
        action_id = plan.list_actions(db)[0].id
        # Edits saved just before the disk fills up must survive it.
        services.rename_organisation(db, "Saved before the disk filled")
        plan.add_note(db, action_id, DAY, "Saved before the disk filled ŵ 🙂")
        before = _tables(data_dir / DATABASE_NAME)
        evidence_before = _hashes(data_dir / EVIDENCE_DIR)
        filler = _fill(small_disk)
        messages = {}
        for what, edit in _edits_that_need_space(db, service_id, entry_id, action_id).items():
            with pytest.raises(StorageError) as refused:
                edit()
            messages[what] = refused.value.message
        evidence = tmp_path / "minutes.pdf"
        evidence.write_bytes(os.urandom(200_000))
        with pytest.raises(UserFacingError) as not_attached:
            plan.attach_action_evidence(db, action_id, evidence)
        # Reading still works, and shows nothing half-saved.
        assert services.organisation_name(db) == "Saved before the disk filled"
        assert _tables(data_dir / DATABASE_NAME) == before
    finally:
        db.close()  # on the full disk: must not fail or damage anything
    for what, message in messages.items():
        _plain(message)
        assert "disk is full" in message and "nothing already saved" in message, what
    assert "space" in not_attached.value.message and "Nothing was attached" in str(
        not_attached.value
    )
    assert _hashes(data_dir / EVIDENCE_DIR) == evidence_before  # no copy left half-written
    filler.unlink()
    _sound(data_dir / DATABASE_NAME)
    assert _tables(data_dir / DATABASE_NAME) == before
    # With space again, the same edits save.
    with open_database(data_dir) as db:
        plan.create_action(db, "Saved once there was space", Strategy.DATA, DAY)
        assert "Saved once there was space" in [a.title for a in plan.list_actions(db)]
    _sound(data_dir / DATABASE_NAME)


def test_starting_on_a_full_disk_changes_nothing_and_opens_once_there_is_space(
    small_disk: Path, demo_template: Path
) -> None:
    data_dir = shutil.copytree(demo_template, small_disk / "data")
    before = _hashes(data_dir)
    filler = _fill(small_disk)
    with pytest.raises(UserFacingError) as refused:
        open_database(data_dir)
    assert refused.value.message
    assert _hashes(data_dir) == before
    wal = data_dir / f"{DATABASE_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    filler.unlink()
    with open_database(data_dir) as db:
        assert services.list_services(db)
    _sound(data_dir / DATABASE_NAME)


def test_starting_on_a_full_disk_says_the_disk_is_full_not_that_the_file_is_damaged(
    small_disk: Path, demo_template: Path
) -> None:
    data_dir = shutil.copytree(demo_template, small_disk / "data")
    _fill(small_disk)
    with pytest.raises(UserFacingError) as refused:
        open_database(data_dir)
    assert not isinstance(refused.value, DamagedDatabaseError), refused.value.message
    _plain(refused.value.message)
    assert re.search(r"full|space", refused.value.message), refused.value.message


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_report_saved_to_a_full_disk_is_explained_and_leaves_no_partial_file(
    small_disk: Path, demo_db: Database, suffix: str
) -> None:
    _fill(small_disk)
    out = small_disk / f"register{suffix}"
    with pytest.raises(SaveError) as refused:
        write_restrictions_report(demo_db, out, today=DAY)
    _plain(refused.value.message)
    assert "is full" in refused.value.message
    assert sorted(path.name for path in small_disk.iterdir()) == ["filler.bin"]


# --- a read-only data folder -------------------------------------------------------------------


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder that is then made read-only, as a write-protected USB stick is (EROFS)."""
    folder = tmp_path / "stick"
    folder.mkdir()
    yield folder
    _unmount(folder)


def _protect(folder: Path) -> None:
    _mount_or_skip("--bind", str(folder), str(folder))
    result = _run("mount", "-o", "remount,bind,ro", str(folder))
    if result.returncode != 0:
        _unmount(folder)
        pytest.skip(f"A read-only bind mount is not permitted here: {result.stderr.strip()}")


def test_a_read_only_data_folder_is_refused_plainly_and_left_as_it_was(
    read_only: Path, demo_template: Path
) -> None:
    data_dir = shutil.copytree(demo_template, read_only / "data")
    with open_database(data_dir) as db:  # it was last used with a lock, as on a real stick
        services.rename_organisation(db, "Saved before the stick was locked")
    before = _hashes(data_dir)
    _protect(data_dir)
    with pytest.raises(StorageError) as refused:
        open_database(data_dir)
    message = refused.value.message
    assert "cannot be written to" in message and "Read-only" in message, message
    assert "sqlite" not in message.lower() and "Traceback" not in message
    assert _hashes(data_dir) == before
    _unmount(data_dir)
    with open_database(data_dir) as db:
        assert services.organisation_name(db) == "Saved before the stick was locked"
    _sound(data_dir / DATABASE_NAME)


def test_a_report_saved_to_a_read_only_folder_is_explained(
    read_only: Path, demo_db: Database
) -> None:
    _protect(read_only)
    with pytest.raises(SaveError) as refused:
        write_restrictions_report(demo_db, read_only / "register.pdf", today=DAY)
    _plain(refused.value.message)
    assert "read-only drive" in refused.value.message


@pytest.fixture
def immutable(demo_dir: Path) -> Iterator[Path]:
    """The data file itself cannot be changed (chattr +i), though its folder can."""
    path = demo_dir / DATABASE_NAME
    if os.geteuid() != 0 or _run("chattr", "+i", str(path)).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that supports it (ext4, xfs).")
    try:
        yield path
    finally:
        _run("chattr", "-i", str(path))


def test_a_read_only_data_file_can_be_read_and_refuses_edits_plainly(
    immutable: Path, demo_dir: Path
) -> None:
    before = hashlib.sha256(immutable.read_bytes()).hexdigest()
    with open_database(demo_dir) as db:
        name = services.organisation_name(db)
        titles = [entry.title for entry in restrictions.list_restrictions(db)]
        with pytest.raises(StorageError) as refused:
            services.rename_organisation(db, "Not saved")
        with pytest.raises(StorageError):
            plan.create_action(db, "Not saved either", Strategy.DATA, DAY)
        assert services.organisation_name(db) == name
        assert [entry.title for entry in restrictions.list_restrictions(db)] == titles
    _plain(refused.value.message)
    assert "read-only" in refused.value.message
    assert hashlib.sha256(immutable.read_bytes()).hexdigest() == before
