"""The first steps of opening a data folder, before the ORM is needed: one copy at a time, an
interrupted restore finished, and the data file's version read.

Kept apart from database.py (which loads SQLAlchemy) so that the start screen can be drawn from
an up-to-date file, with the folder already locked, while the rest of the program loads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import filelock

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME, SIDECARS
from rrn_desktop.storage.errors import DataInUseError, StorageError
from rrn_desktop.storage.file_check import EarlyCheck, stored_revision
from rrn_desktop.storage.restore_journal import (
    RESTORE_MARKER,
    RESTORE_OLD_DIR,
    RESTORE_STAGING_DIR,
    finish_interrupted_restore,
)

# The newest migration this version knows. A test checks it against the migration scripts, so
# the common start-up (already up to date) need not load Alembic at all.
SCHEMA_HEAD = "0012"
# A new data file while it is being made; renamed to DATABASE_NAME once whole.
CREATING_NAME = ".rrn-desktop.creating.sqlite3"


def prepare_folder(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / EVIDENCE_DIR).mkdir(exist_ok=True)
    except OSError as error:
        raise StorageError(
            f"The data folder {data_dir} could not be created or used ({error.strerror})."
        ) from error


def take_lock(data_dir: Path) -> filelock.BaseFileLock:
    lock = filelock.FileLock(data_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout as error:
        raise DataInUseError(
            f"The data in {data_dir} is already open in another copy of RRN Self-Audit. "
            "Switch to that window, or close it and try again."
        ) from error
    except OSError as error:
        raise StorageError(
            f"The data folder {data_dir} cannot be written to ({error.strerror})."
        ) from error
    return lock


def _remove_unfinished(data_dir: Path) -> None:
    """What a first start stopped part-way left (the folder's lock is held: nothing else is
    writing there)."""
    creating = data_dir / CREATING_NAME
    for path in (creating, *(creating.with_name(creating.name + s) for s in SIDECARS)):
        path.unlink(missing_ok=True)


@dataclass
class OpenFolder:
    """A data folder locked for this copy of the program, and its data file's version."""

    data_dir: Path
    lock: filelock.BaseFileLock
    revision: str | None  # None: there is no data file yet

    @property
    def db_path(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def up_to_date(self) -> bool:
        """The file exists, is RRN Self-Audit's and sound, and needs no migration."""
        return self.revision == SCHEMA_HEAD


def open_folder(data_dir: Path, early_check: EarlyCheck | None = None) -> OpenFolder:
    """Lock data_dir, finish a restore a crash interrupted, and read the data file's version;
    the lock is let go again if any of it fails.

    early_check: the file's check, begun while the program loaded (its answer is used only if
    the file has not changed since)."""
    data_dir = data_dir.expanduser().resolve()
    prepare_folder(data_dir)
    lock = take_lock(data_dir)
    try:
        leftovers = (RESTORE_MARKER, RESTORE_STAGING_DIR, RESTORE_OLD_DIR)
        if any((data_dir / name).exists() for name in leftovers):
            if early_check is not None:
                early_check.wait()  # its reading of the old file ends before the file moves
            finish_interrupted_restore(data_dir)
        _remove_unfinished(data_dir)
        db_path = data_dir / DATABASE_NAME
        revision = (
            early_check.revision(db_path) if early_check is not None else stored_revision(db_path)
        )
        return OpenFolder(data_dir, lock, revision)
    except BaseException:
        lock.release()
        raise
