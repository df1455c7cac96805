"""Backups: one zip file holding a consistent copy of the data, the evidence files and a manifest.

A backup file (``rrn-backup-YYYYMMDD-HHMMSS.zip``) holds:

* ``rrn-desktop.sqlite3``: a consistent copy made with SQLite's backup API, never a file copy
  (into a scratch file in the backups folder, then streamed into the zip: memory stays small
  whatever the size of the data);
* ``evidence/...``: every file in the data folder's evidence folder;
* ``manifest.json``: what made it (app version, data version, when) and each file's size and
  sha256, so a restore can prove the file is whole before it replaces anything.

Automatic backups go to the data folder's ``backups`` folder, one when the app starts if the
last is more than a day old; a rolling set is kept (the newest of each of the 7 latest days, 4
latest weeks and 12 latest months that have a backup). A restore checks the file completely,
keeps the current data (as a backup, or renamed if it is damaged), then swaps the data in
through a journal, so a crash part-way is finished the next time the data is opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rrn_desktop import __version__
from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR, data_folder_file
from rrn_desktop.base.date_words import long_moment
from rrn_desktop.base.saving import fsync_dir
from rrn_desktop.base.wording import plural
from rrn_desktop.storage.database import (
    Database,
)
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError
from rrn_desktop.storage.file_check import read_revision

BACKUP_FORMAT = "rrn-desktop-backup"


FORMAT_VERSION = 1


MANIFEST_NAME = "manifest.json"


BACKUP_PREFIX = "rrn-backup-"


BACKUP_SUFFIX = ".zip"


STAMP_FORMAT = "%Y%m%d-%H%M%S"


_NAME_PATTERN = re.compile(r"^rrn-backup-(\d{8}-\d{6})(?:-[a-z0-9-]+)?\.zip$")


DAILY_INTERVAL = dt.timedelta(days=1)


KEEP_DAILY = 7


KEEP_WEEKLY = 4


KEEP_MONTHLY = 12


BLOCK = 1 << 20


# The scratch copy of the database a backup is made from, in the backups folder while it is
# being written: `rrn-backup-<random>.sqlite3.partial`, never mistaken for a backup.
_COPY_SUFFIX = ".sqlite3.partial"


# One backup at a time in this program: the start-up backup runs on a thread of its own while
# the window is open, and the Data dialog can ask for another meanwhile.
_WRITING = threading.RLock()


class InvalidBackupError(StorageError):
    """The file is not a backup this version can restore; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime
    app_version: str
    schema_revision: str
    evidence_files: int
    record_counts: dict[str, int] = field(default_factory=dict)

    @property
    def when(self) -> str:
        local = self.created_at.astimezone() if self.created_at.tzinfo else self.created_at
        return long_moment(local)

    def describe(self) -> str:
        files = plural(self.evidence_files, "evidence file")
        return (
            f"made on {self.when} by version {self.app_version} "
            f"(data version {self.schema_revision}), with {files}"
        )


def current_time(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def write_failed(folder: Path, error: OSError, what: str) -> StorageError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(
            f"There is not enough free space in {folder} for {what}. Free some space or "
            "choose another place; nothing was left half-written."
        )
    reason = error.strerror or str(error)
    return StorageError(
        f"{what[0].upper()}{what[1:]} could not be written to {folder} ({reason}); "
        "nothing was left half-written."
    )


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names
    }


def _damaged(db_path: Path) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"The data file {db_path} is damaged, so it cannot be backed up. It has not been "
        "changed; restore an earlier backup instead."
    )


def _reads_whole(db_path: Path) -> bool:
    """True if SQLite reads the data file through without finding a fault."""
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return bool(connection.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def _copy_database(db_path: Path, copy_path: Path) -> tuple[str, dict[str, int]]:
    """Copy the database into copy_path (an empty file) with SQLite's backup API, from a
    read-only connection of its own, and check the copy: returns its data version and record
    counts. Pages go through SQLite's small page cache, so a file of any size takes a few MB
    of memory, and the data file is never written to (readers never block writers in WAL).

    Raises DamagedDatabaseError, or OSError if the copy could not be written (a full disk)."""
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(copy_path)
            try:
                # A scratch file, deleted afterwards: no journal, no waiting for the disk.
                copy.execute("PRAGMA journal_mode=OFF")
                copy.execute("PRAGMA synchronous=OFF")
                source.backup(copy)  # in one step: a consistent image even while edits go on
                if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise _damaged(db_path)
                revision = read_revision(copy)
                counts = table_counts(copy)
            finally:
                copy.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_FULL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from error
        if isinstance(error, sqlite3.OperationalError) and _reads_whole(db_path):
            # The data reads through whole, so it was writing the copy that failed.
            raise OSError(errno.EIO, str(error)) from error
        raise _damaged(db_path) from error
    if revision is None:
        raise _damaged(db_path)
    return revision, counts


def recorded_evidence(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """(stored name, sha256) of every evidence file a record points to."""
    recorded: list[tuple[str, str]] = []
    for table in ("evidence_file", "action_evidence_file"):
        exists = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()
        if exists:
            recorded += connection.execute(f"SELECT stored_name, sha256 FROM {table}").fetchall()
    return recorded


def files_in(evidence_dir: Path) -> dict[str, Path]:
    """The evidence folder's files by stored name (a file still being copied in excluded)."""
    if not evidence_dir.is_dir():
        return {}
    return {
        path.relative_to(evidence_dir).as_posix(): path
        for path in evidence_dir.rglob("*")
        if path.is_file() and not path.name.endswith(".partial")
    }


def _evidence_files(evidence_dir: Path, copy: Path) -> list[tuple[str, Path]]:
    """The evidence files that the records in the database copy point to: a file left behind
    by an import stopped part-way, which no record names, is not carried into a backup."""
    # Immutable: the scratch copy is the app's own and unchanging, so SQLite need not make
    # the shared-memory file a WAL database's reader otherwise needs.
    connection = sqlite3.connect(f"file:{copy}?mode=ro&immutable=1", uri=True)
    try:
        recorded = {name for name, _sha256 in recorded_evidence(connection)}
    finally:
        connection.close()
    present = files_in(evidence_dir)
    return sorted(
        (f"{EVIDENCE_DIR}/{name}", path) for name, path in present.items() if name in recorded
    )


def _write_member(archive: zipfile.ZipFile, name: str, source: IO[bytes]) -> tuple[str, int]:
    """Copy one file into the zip, returning its sha256 and size as written."""
    digest = hashlib.sha256()
    size = 0
    with archive.open(name, "w", force_zip64=True) as member:
        for block in iter(lambda: source.read(BLOCK), b""):
            digest.update(block)
            size += len(block)
            member.write(block)
    return digest.hexdigest(), size


def _scratch_copy(folder: Path) -> Path:
    """A new, empty file for the database copy: `rrn-backup-….sqlite3.partial` in folder."""
    descriptor, name = tempfile.mkstemp(prefix=BACKUP_PREFIX, suffix=_COPY_SUFFIX, dir=folder)
    os.close(descriptor)
    return Path(name)


def _remove_leftovers(folder: Path) -> None:
    """Delete what a backup stopped part-way (a power cut) left in the backups folder. Only
    while the data folder's lock is held: no other program writes there then."""
    if not folder.is_dir():
        return
    for path in folder.glob(f"{BACKUP_PREFIX}*.partial"):
        with contextlib.suppress(OSError):
            path.unlink()


def create_backup(
    db_path: Path,
    evidence_dir: Path,
    target: Path,
    *,
    now: dt.datetime | None = None,
    work_dir: Path | None = None,
) -> BackupInfo:
    """Write a backup of a closed or open database (and its evidence) to target, or nothing.

    The database is copied into a scratch file in work_dir (default: the data folder's backups
    folder, so a backup to a USB stick writes only the zip there), checked, then streamed into
    the zip: memory stays small whatever the size of the data. The zip is written as
    `target.partial` and renamed when whole; the scratch copy is deleted on every path."""
    protected = data_folder_file(target)
    if protected is not None:
        raise StorageError(
            f"The backup was not saved: {target} is {protected}, and saving there would "
            "destroy it. Choose another name or folder, such as a USB stick."
        )
    created = current_time(now).astimezone()
    work_dir = work_dir if work_dir is not None else db_path.parent / BACKUP_DIR
    files: dict[str, dict[str, object]] = {}
    partial = target.with_name(target.name + ".partial")
    copy: Path | None = None
    folder = work_dir  # where a write that fails was going, for the message
    made_work_dir = False
    with _WRITING:
        try:
            if not work_dir.is_dir():
                work_dir.mkdir(parents=True)
                made_work_dir = True
            copy = _scratch_copy(work_dir)
            revision, counts = _copy_database(db_path, copy)
            evidence = _evidence_files(evidence_dir, copy)
            folder = target.parent
            target.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as raw:
                with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                    with copy.open("rb") as handle:
                        sha256, size = _write_member(archive, DATABASE_NAME, handle)
                    files[DATABASE_NAME] = {"sha256": sha256, "size": size}
                    with contextlib.suppress(OSError):  # (tried again below)
                        copy.unlink()  # its space is free again before the evidence goes in
                    for name, path in evidence:
                        with path.open("rb") as handle:
                            sha256, size = _write_member(archive, name, handle)
                        files[name] = {"sha256": sha256, "size": size}
                    manifest = {
                        "format": BACKUP_FORMAT,
                        "format_version": FORMAT_VERSION,
                        "app_version": __version__,
                        "schema_revision": revision,
                        "created_at": created.isoformat(timespec="seconds"),
                        "record_counts": counts,
                        "files": files,
                    }
                    archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
            fsync_dir(target.parent)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise write_failed(folder, error, "the backup") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            if copy is not None:
                with contextlib.suppress(OSError):
                    copy.unlink()
            if made_work_dir:
                with contextlib.suppress(OSError):
                    work_dir.rmdir()  # a backup elsewhere leaves the data folder as it was
    return BackupInfo(target, created, __version__, revision, len(evidence), counts)


def backup_name(when: dt.datetime, label: str = "") -> str:
    return f"{BACKUP_PREFIX}{when:{STAMP_FORMAT}}{f'-{label}' if label else ''}{BACKUP_SUFFIX}"


def free_path(folder: Path, when: dt.datetime, label: str = "") -> Path:
    path = folder / backup_name(when, label)
    number = 2
    while path.exists():
        path = folder / backup_name(when, f"{label}-{number}" if label else str(number))
        number += 1
    return path


def back_up(
    db: Database, target: Path | None = None, *, now: dt.datetime | None = None
) -> BackupInfo:
    """Back up the open data: to the backups folder (then prune it), a folder, or a file."""
    when = current_time(now)
    folder = db.data_dir / BACKUP_DIR
    with _WRITING:
        _remove_leftovers(folder)  # db holds the data folder's lock
        if target is None:
            info = create_backup(db.path, db.evidence_dir, free_path(folder, when), now=when)
            prune_backups(folder)
            return info
        if target.is_dir():
            target = free_path(target, when)
        return create_backup(db.path, db.evidence_dir, target, now=when)


def backup_time(path: Path) -> dt.datetime | None:
    """When a backup in the backups folder was made, from its name (None: not one of ours)."""
    match = _NAME_PATTERN.match(path.name)
    if match is None:
        return None
    try:
        return dt.datetime.strptime(match.group(1), STAMP_FORMAT)
    except ValueError:
        return None


def list_backups(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The backups in a folder, newest first, by the time in their names."""
    if not folder.is_dir():
        return []
    found = [(backup_time(path), path) for path in folder.iterdir() if path.is_file()]
    return sorted(((when, path) for when, path in found if when is not None), reverse=True)


def select_to_keep(
    times: Iterable[dt.datetime],
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[dt.datetime]:
    """The newest backup of each of the latest `daily` days, `weekly` weeks and `monthly`
    months that have one. Periods with no backup do not count, so a laptop left in a drawer for
    a year still keeps its last backups."""
    newest_first = sorted(set(times), reverse=True)
    keep: set[dt.datetime] = set()
    periods: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (daily, lambda when: when.date()),
        (weekly, lambda when: when.isocalendar()[:2]),
        (monthly, lambda when: (when.year, when.month)),
    ]
    for allowed, period_of in periods:
        seen: set[object] = set()
        for when in newest_first:
            period = period_of(when)
            if period in seen:
                continue
            if len(seen) == allowed:
                break
            seen.add(period)
            keep.add(when)
    return keep


def prune_backups(folder: Path) -> list[Path]:
    """Delete the automatic backups the rolling set no longer needs; returns what was deleted."""
    backups = list_backups(folder)
    keep = select_to_keep(when for when, _path in backups)
    # Two backups in one second have the same time: keep only the newest name of those.
    kept_times: set[dt.datetime] = set()
    removed = []
    for when, path in backups:
        if when in keep and when not in kept_times:
            kept_times.add(when)
            continue
        try:
            path.unlink()
        except OSError:
            continue  # tried again after the next backup
        removed.append(path)
    return removed


def last_backup_time(data_dir: Path) -> dt.datetime | None:
    backups = list_backups(data_dir / BACKUP_DIR)
    return backups[0][0] if backups else None


def backup_due(data_dir: Path, now: dt.datetime | None = None) -> bool:
    last = last_backup_time(data_dir)
    # A backup dated in the future (a clock put right) does not stop backups for ever.
    return last is None or abs(current_time(now) - last) > DAILY_INTERVAL


def backup_if_due(db: Database, *, now: dt.datetime | None = None) -> BackupInfo | None:
    """The start-up backup: made if the last is more than a day old and there is data to keep.

    Safe to run on a thread of its own while the window uses the data: it reads the data only
    through read-only SQLite connections of its own, never db's engine or sessions."""
    if not backup_due(db.data_dir, now):
        return None
    if not _holds_services(db.path):
        return None  # a brand-new, empty folder: nothing worth keeping yet
    return back_up(db, now=now)


def _holds_services(db_path: Path) -> bool:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return bool(connection.execute("SELECT EXISTS (SELECT 1 FROM service)").fetchone()[0])
    finally:
        connection.close()


def file_size(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TB"  # pragma: no cover
