"""Restoring a backup: every file is checked against the manifest and the free space before
anything changes; the data that was there is kept first; the swap goes through the journal.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.storage.backups import (
    BACKUP_FORMAT,
    BLOCK,
    FORMAT_VERSION,
    MANIFEST_NAME,
    STAMP_FORMAT,
    BackupInfo,
    InvalidBackupError,
    create_backup,
    current_time,
    file_size,
    free_path,
    list_backups,
    write_failed,
)
from rrn_desktop.storage.database import SCHEMA_HEAD, _known_revisions
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError
from rrn_desktop.storage.file_check import read_revision
from rrn_desktop.storage.input_files import NotAFileError, require_regular_file
from rrn_desktop.storage.json_limits import shape_problem
from rrn_desktop.storage.models import LAPTOP_ID_KEY, new_laptop_id
from rrn_desktop.storage.opening import prepare_folder, take_lock
from rrn_desktop.storage.restore_journal import (
    RESTORE_MARKER,
    RESTORE_STAGING_DIR,
    damaged_name,
    finish_interrupted_restore,
    write_marker,
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
            f"unpacks to {file_size(needed)} and {file_size(free)} is free. Free some space and "
            "try again. Nothing was changed."
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
                    while left and (block := member.read(min(BLOCK, left))):
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
            raise write_failed(target_dir.parent, error, "the restore") from error
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
            free_path(folder, stamp, "before-restore"),
            now=stamp,
        )
    except DamagedDatabaseError:
        return None, f"{stamp:{STAMP_FORMAT}}"
    return info.path, None


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
                "UPDATE app_setting SET value = ? WHERE key = ?", (new_laptop_id(), LAPTOP_ID_KEY)
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
    prepare_folder(data_dir)
    lock = take_lock(data_dir)
    try:
        finish_interrupted_restore(data_dir)
        staging = data_dir / RESTORE_STAGING_DIR
        try:
            staging.mkdir()
            info = _unpack(backup, staging)
            _renew_laptop_id(staging / DATABASE_NAME)
            kept, damaged_stamp = _keep_current(data_dir, current_time(now))
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise write_failed(data_dir, error, "the restore") from error
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            # The point of no return: from here a crash is finished at the next open.
            write_marker(data_dir, {"backup": str(backup), "keep_damaged_as": damaged_stamp})
        except OSError as error:
            (data_dir / RESTORE_MARKER).unlink(missing_ok=True)
            shutil.rmtree(staging, ignore_errors=True)
            raise write_failed(data_dir, error, "the restore") from error
        finish_interrupted_restore(data_dir)
    finally:
        lock.release()
    if damaged_stamp:
        return RestoreResult(info, data_dir / damaged_name(DATABASE_NAME, damaged_stamp), True)
    return RestoreResult(info, kept, False)
