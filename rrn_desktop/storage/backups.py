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
import shutil
import sqlite3
import tempfile
import threading
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from rrn_desktop import __version__
from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR, data_folder_file
from rrn_desktop.storage.database import (
    RESTORE_MARKER,
    RESTORE_OLD_DIR,
    RESTORE_STAGING_DIR,
    SCHEMA_HEAD,
    Database,
    _known_revisions,
    _prepare_folder,
    _take_lock,
)
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError, UnrecognisedDataError
from rrn_desktop.storage.file_check import examine, examined, looks_sound, read_revision
from rrn_desktop.storage.input_files import NotAFileError, require_regular_file
from rrn_desktop.storage.json_limits import shape_problem
from rrn_desktop.storage.models import LAPTOP_ID_KEY

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
_DATABASE_FILES = (DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm")
_BLOCK = 1 << 20
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
        return f"{local.day} {local:%B %Y} at {local:%H:%M}"

    def describe(self) -> str:
        files = _plural(self.evidence_files, "evidence file")
        return (
            f"made on {self.when} by version {self.app_version} "
            f"(data version {self.schema_revision}), with {files}"
        )


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    # Where the data that was there before went: a backup file, or (if it was damaged) the
    # damaged file renamed in the data folder. None when the folder held no data.
    previous: Path | None
    previous_was_damaged: bool

    @property
    def summary(self) -> str:
        text = f"Restored the backup {self.restored.describe()}."
        if self.previous_was_damaged:
            text += f" The damaged data file was kept aside as {self.previous}."
        elif self.previous is not None:
            text += f" The data that was there before was backed up first to {self.previous}."
        if self.restored.schema_revision != SCHEMA_HEAD:
            text += " It will be updated to this version's format when it is next opened."
        return text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder to flush it; its renames are journalled anyway.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_failed(folder: Path, error: OSError, what: str) -> StorageError:
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


# --- making a backup --------------------------------------------------------------------------


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
            return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
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


def _recorded_evidence(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """(stored name, sha256) of every evidence file a record points to."""
    recorded: list[tuple[str, str]] = []
    for table in ("evidence_file", "action_evidence_file"):
        exists = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()
        if exists:
            recorded += connection.execute(f"SELECT stored_name, sha256 FROM {table}").fetchall()
    return recorded


def _files_in(evidence_dir: Path) -> dict[str, Path]:
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
        recorded = {name for name, _sha256 in _recorded_evidence(connection)}
    finally:
        connection.close()
    present = _files_in(evidence_dir)
    return sorted(
        (f"{EVIDENCE_DIR}/{name}", path) for name, path in present.items() if name in recorded
    )


def _write_member(archive: zipfile.ZipFile, name: str, source: IO[bytes]) -> tuple[str, int]:
    """Copy one file into the zip, returning its sha256 and size as written."""
    digest = hashlib.sha256()
    size = 0
    with archive.open(name, "w", force_zip64=True) as member:
        for block in iter(lambda: source.read(_BLOCK), b""):
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
    created = _now(now).astimezone()
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
            _fsync_dir(target.parent)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise _write_failed(folder, error, "the backup") from error
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


def _free_path(folder: Path, when: dt.datetime, label: str = "") -> Path:
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
    when = _now(now)
    folder = db.data_dir / BACKUP_DIR
    with _WRITING:
        _remove_leftovers(folder)  # db holds the data folder's lock
        if target is None:
            info = create_backup(db.path, db.evidence_dir, _free_path(folder, when), now=when)
            prune_backups(folder)
            return info
        if target.is_dir():
            target = _free_path(target, when)
        return create_backup(db.path, db.evidence_dir, target, now=when)


# --- the rolling set --------------------------------------------------------------------------


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
    return last is None or abs(_now(now) - last) > DAILY_INTERVAL


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


# --- checking and unpacking a backup ----------------------------------------------------------


# A manifest lists one line per file: a few MB holds tens of thousands of evidence files.
_MANIFEST_LIMIT = 16 << 20
# Room left on the disk after a restore's files: the kept copy of the current data and SQLite's
# own journal need some, and a disk filled to the last byte fails everything else on it.
_FREE_SPACE_MARGIN = 64 << 20


def _refuse(path: Path, reason: str) -> InvalidBackupError:
    return InvalidBackupError(f"{path.name} cannot be restored: {reason}. Nothing was changed.")


def _require_backup_file(path: Path) -> None:
    """Refuse at once a pipe, device, folder or link: reading one could hang or mislead."""
    if not os.path.lexists(path):
        raise InvalidBackupError(f"There is no backup file at {path}. Nothing was changed.")
    try:
        require_regular_file(path, "backup file")
    except NotAFileError as error:
        raise InvalidBackupError(error.message) from error


def _member_sizes(
    path: Path, files: dict[str, object], members: dict[str, zipfile.ZipInfo]
) -> dict[str, int]:
    """Each file's size as its manifest records it, once every member is found to declare that
    same size: a file that would unpack larger than recorded is refused before a byte is
    written."""
    sizes: dict[str, int] = {}
    for name, expected in files.items():
        if not _safe_member(name) or not isinstance(expected, dict):
            raise _refuse(path, f"it holds a file with an unexpected name ({name[:80]})")
        size = expected.get("size")
        if type(size) is not int or size < 0:
            raise _refuse(path, f"its list of contents gives no size for {name[:80]}")
        if members[name].file_size != size:
            raise _refuse(
                path,
                f"{name[:80]} inside it does not match the hash recorded when the backup was "
                "made (it is a different size), so the file is damaged or has been altered",
            )
        sizes[name] = size
    return sizes


def _refuse_if_no_room(path: Path, target_dir: Path, needed: int) -> None:
    free = shutil.disk_usage(target_dir).free
    if needed + _FREE_SPACE_MARGIN > free:
        raise StorageError(
            f"There is not enough free space in {target_dir.parent} to restore {path.name}: it "
            f"unpacks to {_size(needed)} and {_size(free)} is free. Free some space and try "
            "again. Nothing was changed."
        )


def _safe_member(name: str) -> bool:
    if name == DATABASE_NAME:
        return True
    parts = PurePosixPath(name).parts
    return (
        len(parts) >= 2
        and parts[0] == EVIDENCE_DIR
        and "\\" not in name
        and all(part not in ("", ".", "..") and ":" not in part for part in parts)
    )


def _read_manifest(path: Path, archive: zipfile.ZipFile) -> dict[str, object]:
    try:
        info = archive.getinfo(MANIFEST_NAME)
    except KeyError as error:
        raise _refuse(path, "it is a zip file but not an RRN Self-Audit backup") from error
    if info.file_size > _MANIFEST_LIMIT:
        raise _refuse(path, "its list of contents (manifest) is far larger than any backup's")
    data = archive.read(info)
    if problem := shape_problem(data):
        raise _refuse(path, f"its list of contents (manifest) {problem}")
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise _refuse(path, "its list of contents (manifest) cannot be read") from error
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise _refuse(path, "it is a zip file but not an RRN Self-Audit backup")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _refuse(
            path, "it was made by a newer version of RRN Self-Audit; install that version"
        )
    return manifest


def _newer_schema(path: Path, revision: str) -> InvalidBackupError:
    return _refuse(
        path,
        f"it holds data from a newer version of RRN Self-Audit (data version {revision}); "
        "install that version to restore it",
    )


def _unpack(path: Path, target_dir: Path) -> BackupInfo:
    """Check a backup completely while writing its files into target_dir.

    Sized first: every file must declare the size its manifest records, and all of them must
    fit on the disk; each is then copied no further than that size."""
    _require_backup_file(path)
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "it is not an RRN Self-Audit backup (not a zip file)")
    damaged = "the file is damaged or incomplete (it may not have copied fully)"
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(path, archive)
            files = manifest.get("files")
            revision = manifest.get("schema_revision")
            if not isinstance(files, dict) or DATABASE_NAME not in files:
                raise _refuse(path, "its list of contents has no data file")
            if not isinstance(revision, str):
                raise _refuse(path, "its list of contents does not say which data version")
            if revision != SCHEMA_HEAD and revision not in _known_revisions():
                raise _newer_schema(path, revision)
            members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
            if set(members) - {MANIFEST_NAME} != set(files):
                raise _refuse(path, "its contents do not match its list of contents")
            sizes = _member_sizes(path, files, members)
            _refuse_if_no_room(path, target_dir, sum(sizes.values()))
            for name, expected in files.items():
                destination = target_dir.joinpath(*PurePosixPath(name).parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                left = sizes[name]
                with archive.open(members[name]) as member, destination.open("wb") as out:
                    while left and (block := member.read(min(_BLOCK, left))):
                        left -= len(block)
                        digest.update(block)
                        out.write(block)
                    out.flush()
                    os.fsync(out.fileno())
                if left or digest.hexdigest() != expected.get("sha256"):
                    raise _refuse(
                        path,
                        f"{name} inside it does not match the hash recorded when the backup "
                        "was made, so the file is damaged or has been altered",
                    )
            (target_dir / EVIDENCE_DIR).mkdir(exist_ok=True)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _refuse(path, damaged) from error
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _write_failed(target_dir.parent, error, "the restore") from error
        raise _refuse(path, f"it could not be read ({error.strerror or error})") from error
    stored = _check_database(path, target_dir / DATABASE_NAME)
    if stored != revision:
        raise _refuse(path, "its data file does not match its list of contents")
    counts = manifest.get("record_counts")
    try:
        created = dt.datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError as error:
        raise _refuse(path, "its list of contents has no valid date") from error
    return BackupInfo(
        path=path,
        created_at=created,
        app_version=str(manifest.get("app_version", "unknown")),
        schema_revision=revision,
        evidence_files=len(files) - 1,
        record_counts=counts if isinstance(counts, dict) else {},
    )


def _check_database(path: Path, db_file: Path) -> str:
    try:
        connection = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            stored = read_revision(connection) if problems == ["ok"] else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise _refuse(path, "the data file inside it is damaged") from error
    if problems != ["ok"]:
        raise _refuse(path, "the data file inside it is damaged (its integrity check failed)")
    if stored is None:
        raise _refuse(path, "the data file inside it is not an RRN Self-Audit data file")
    if stored != SCHEMA_HEAD and stored not in _known_revisions():
        raise _newer_schema(path, stored)
    return stored


def verify_backup(path: Path) -> BackupInfo:
    """Check a backup file as a restore would, changing nothing; raise InvalidBackupError."""
    with tempfile.TemporaryDirectory(prefix="rrn-check-") as folder:
        return _unpack(path, Path(folder))


def newest_good_backup(data_dir: Path) -> BackupInfo | None:
    """The newest backup in the data folder's backups folder that passes every check."""
    for _when, path in list_backups(data_dir / BACKUP_DIR):
        try:
            return verify_backup(path)
        except StorageError:
            continue
    return None


# --- restoring --------------------------------------------------------------------------------


def _keep_current(data_dir: Path, stamp: dt.datetime) -> tuple[Path | None, str | None]:
    """Back up the data about to be replaced; if it is too damaged to back up, say to keep it
    aside instead. Returns (the backup, None) or (None, the damaged name's stamp)."""
    db_path = data_dir / DATABASE_NAME
    if not db_path.exists():
        return None, None
    folder = data_dir / BACKUP_DIR
    try:
        info = create_backup(
            db_path,
            data_dir / EVIDENCE_DIR,
            _free_path(folder, stamp, "before-restore"),
            now=stamp,
        )
    except DamagedDatabaseError:
        return None, f"{stamp:{STAMP_FORMAT}}"
    return info.path, None


def _damaged_name(name: str, stamp: str) -> str:
    if name == EVIDENCE_DIR:
        return f"{EVIDENCE_DIR}.damaged-{stamp}"
    return name.replace(DATABASE_NAME, f"rrn-desktop.damaged-{stamp}.sqlite3")


def _write_marker(data_dir: Path, plan: dict[str, object]) -> None:
    marker = data_dir / RESTORE_MARKER
    partial = marker.with_name(marker.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(plan, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, marker)
    _fsync_dir(data_dir)


def _aside(path: Path, folder: Path) -> None:
    target = folder / path.name
    number = 2
    while target.exists():
        target = folder / f"{path.name}-{number}"
        number += 1
    os.replace(path, target)


def finish_interrupted_restore(data_dir: Path) -> bool:
    """Complete a restore that was stopped part-way (the caller holds the folder's lock).

    Before the marker is written nothing in the data folder has been touched, so leftovers are
    removed. After it, every step below can run again from any point: each moves a file only if
    it is still where that step expects it."""
    marker = data_dir / RESTORE_MARKER
    staging = data_dir / RESTORE_STAGING_DIR
    old = data_dir / RESTORE_OLD_DIR
    if not marker.exists():
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
        return False
    plan = json.loads(marker.read_text(encoding="utf-8"))
    old.mkdir(exist_ok=True)
    new_db = staging / DATABASE_NAME
    if new_db.exists():
        # The old file's journal goes with it: left behind, it would be replayed into the new one.
        for name in reversed(_DATABASE_FILES):
            if (data_dir / name).exists():
                _aside(data_dir / name, old)
        os.replace(new_db, data_dir / DATABASE_NAME)
    new_evidence = staging / EVIDENCE_DIR
    if new_evidence.exists():
        if (data_dir / EVIDENCE_DIR).exists():
            _aside(data_dir / EVIDENCE_DIR, old)
        os.replace(new_evidence, data_dir / EVIDENCE_DIR)
    stamp = plan.get("keep_damaged_as")
    if stamp:
        for name in (*_DATABASE_FILES, EVIDENCE_DIR):
            if (old / name).exists():
                os.replace(old / name, data_dir / _damaged_name(name, str(stamp)))
    _fsync_dir(data_dir)
    marker.unlink()
    _fsync_dir(data_dir)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return True


def _renew_laptop_id(db_path: Path) -> None:
    """Give restored data an id of its own for counting changes (see core/bundle_versions.py).

    The backup may come from another laptop that goes on working, or from this one before
    changes other laptops have already seen: kept, its id would count new changes with numbers
    already used for others, and a later merge could take one change for another. Data from
    before the counts (no id yet) gets its id when it is updated."""
    connection = sqlite3.connect(db_path)
    try:
        with connection:
            # No journal beside the staged copy: only the data file itself is moved into place.
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute(
                "UPDATE app_setting SET value = ? WHERE key = ?", (uuid.uuid4().hex, LAPTOP_ID_KEY)
            )
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
    finally:
        connection.close()


def restore_backup(
    data_dir: Path, backup: Path, *, now: dt.datetime | None = None
) -> RestoreResult:
    """Replace the data in data_dir with a backup's, keeping what was there first.

    The data folder must not be open (this takes its lock). The backup is checked completely
    before anything changes; an older data version is updated when the data is next opened."""
    data_dir = data_dir.expanduser().resolve()
    _require_backup_file(backup.expanduser())  # before the data folder is touched
    backup = backup.expanduser().resolve()
    _prepare_folder(data_dir)
    lock = _take_lock(data_dir)
    try:
        finish_interrupted_restore(data_dir)
        staging = data_dir / RESTORE_STAGING_DIR
        try:
            staging.mkdir()
            info = _unpack(backup, staging)
            _renew_laptop_id(staging / DATABASE_NAME)
            kept, damaged_stamp = _keep_current(data_dir, _now(now))
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise _write_failed(data_dir, error, "the restore") from error
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            # The point of no return: from here a crash is finished at the next open.
            _write_marker(data_dir, {"backup": str(backup), "keep_damaged_as": damaged_stamp})
        except OSError as error:
            (data_dir / RESTORE_MARKER).unlink(missing_ok=True)
            shutil.rmtree(staging, ignore_errors=True)
            raise _write_failed(data_dir, error, "the restore") from error
        finish_interrupted_restore(data_dir)
    finally:
        lock.release()
    if damaged_stamp:
        return RestoreResult(info, data_dir / _damaged_name(DATABASE_NAME, damaged_stamp), True)
    return RestoreResult(info, kept, False)


# --- the state of the data folder, for `rrn-desktop check` ------------------------------------


@dataclass
class FolderCheck:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _age(delta: dt.timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds < 0:
        return "dated in the future; check the computer's clock"
    if seconds < 3600:
        return f"{_plural(int(seconds // 60), 'minute')} ago"
    if seconds < 2 * 86400:
        return f"{_plural(int(seconds // 3600), 'hour')} ago"
    return f"{_plural(int(seconds // 86400), 'day')} ago"


def _size(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TB"  # pragma: no cover


def _check_evidence(
    connection: sqlite3.Connection, evidence_dir: Path, report: FolderCheck
) -> None:
    recorded = _recorded_evidence(connection)
    known = {name for name, _sha256 in recorded}
    unrecorded = sorted(name for name in _files_in(evidence_dir) if name not in known)
    missing = [name for name, _ in recorded if not (evidence_dir / name).is_file()]
    changed = [
        name
        for name, sha256 in recorded
        if (evidence_dir / name).is_file() and _sha256_file(evidence_dir / name) != sha256
    ]
    report.lines.append(
        f"Evidence files: {len(recorded)} recorded, "
        f"{len(recorded) - len(missing) - len(changed)} present and matching"
    )
    if missing:
        report.problems.append(
            f"{_plural(len(missing), 'evidence file')} missing from {evidence_dir}: "
            + ", ".join(missing[:5])
        )
    if changed:
        report.problems.append(
            f"{_plural(len(changed), 'evidence file')} changed since attached: "
            + ", ".join(changed[:5])
        )
    if unrecorded:
        report.warnings.append(
            f"{_plural(len(unrecorded), 'file')} in {evidence_dir} that no record points to "
            "(left by an import or attachment that was stopped part-way; backups leave them "
            "out): " + ", ".join(unrecorded[:5])
        )


_RESTORE_ADVICE = "Restore the newest backup (the app offers it when it starts)."


def _check_database_file(db_path: Path, evidence_dir: Path, report: FolderCheck) -> None:
    try:
        with examined(db_path) as (connection, revision):
            if revision == SCHEMA_HEAD:
                state = f"ok, data version {revision} (this version's)"
            elif revision in _known_revisions():
                state = f"ok, data version {revision} (updated to {SCHEMA_HEAD} at next open)"
            else:
                state = f"data version {revision}, from a newer version of RRN Self-Audit"
                report.problems.append(
                    f"The data was saved by a newer version of RRN Self-Audit (data version "
                    f"{revision}); install that version to use it."
                )
            report.lines.append(f"Database: {state}")
            report.lines.append("Records:")
            counts = table_counts(connection)
            width = max(len(name) for name in counts)
            report.lines += [f"  {name:{width}}  {count:>7}" for name, count in counts.items()]
            _check_evidence(connection, evidence_dir, report)
    except UnrecognisedDataError as error:
        report.lines.append(f"Database: not RRN Self-Audit data (it {error.reason})")
        report.problems.append(f"{error.message} {_RESTORE_ADVICE}")
    except DamagedDatabaseError as error:
        report.lines.append("Database: DAMAGED")
        report.problems.append(f"{error.message} {_RESTORE_ADVICE}")
    except StorageError as error:
        report.lines.append("Database: could not be read")
        report.problems.append(error.message)


def damage_confirmed(db_path: Path) -> str | None:
    """None if the full check every part of the app uses finds the file damaged or not RRN
    Self-Audit's (so restoring a backup is the answer); else a message saying it could not be
    read, or was found sound, which a restore would not mend. A full disk or a read-only folder
    stops SQLite reading too, and is no reason to restore."""
    try:
        examine(db_path)
    except DamagedDatabaseError:
        return None
    except StorageError as error:
        return error.message
    return looks_sound(db_path)


def check_data_folder(data_dir: Path, *, now: dt.datetime | None = None) -> FolderCheck:
    """Report on a data folder without changing it: database, records, evidence, backups, space."""
    report = FolderCheck()
    data_dir = data_dir.expanduser().resolve()
    report.lines.append(f"Data folder: {data_dir}")
    if not data_dir.is_dir():
        report.problems.append(
            f"{data_dir} is a file, not a data folder. Nothing was changed."
            if data_dir.exists()
            else f"There is no data folder at {data_dir}: the app has not saved anything there "
            "yet. Nothing was made."
        )
        return report
    db_path = data_dir / DATABASE_NAME
    if not db_path.exists():
        report.lines.append("Database: none yet (it is made when the app first opens the folder)")
    else:
        _check_database_file(db_path, data_dir / EVIDENCE_DIR, report)
    if (data_dir / RESTORE_MARKER).exists():
        report.warnings.append(
            "A restore was interrupted; it is finished when the app next opens the data."
        )
    backups = list_backups(data_dir / BACKUP_DIR)
    if backups:
        when, path = backups[0]
        report.lines.append(
            f"Newest backup: {path.name} ({_age(_now(now) - when)}); "
            f"{_plural(len(backups), 'backup')} in {data_dir / BACKUP_DIR}"
        )
        if _now(now) - when > dt.timedelta(days=7):
            report.warnings.append("The newest backup is more than a week old.")
    else:
        report.lines.append(f"Newest backup: none in {data_dir / BACKUP_DIR}")
        if db_path.exists():
            report.warnings.append("There is no backup yet.")
    free = shutil.disk_usage(data_dir).free
    report.lines.append(f"Free disk space: {_size(free)}")
    if free < 200 * 1024 * 1024:
        report.warnings.append("The disk is nearly full; backups and saving may fail.")
    return report
