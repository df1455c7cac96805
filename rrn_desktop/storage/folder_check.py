"""The state of a data folder, in plain words, for `rrn-desktop check`: the data file, its
evidence files and its backups, without changing or creating anything.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.base.wording import plural
from rrn_desktop.storage.backups import (
    current_time,
    file_size,
    files_in,
    list_backups,
    recorded_evidence,
    sha256_file,
    table_counts,
)
from rrn_desktop.storage.database import SCHEMA_HEAD, _known_revisions
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError, UnrecognisedDataError
from rrn_desktop.storage.file_check import examine, examined, looks_sound
from rrn_desktop.storage.restore_journal import RESTORE_MARKER


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
        return f"{plural(int(seconds // 60), 'minute')} ago"
    if seconds < 2 * 86400:
        return f"{plural(int(seconds // 3600), 'hour')} ago"
    return f"{plural(int(seconds // 86400), 'day')} ago"


def _check_evidence(
    connection: sqlite3.Connection, evidence_dir: Path, report: FolderCheck
) -> None:
    recorded = recorded_evidence(connection)
    known = {name for name, _sha256 in recorded}
    unrecorded = sorted(name for name in files_in(evidence_dir) if name not in known)
    missing = [name for name, _ in recorded if not (evidence_dir / name).is_file()]
    changed = [
        name
        for name, sha256 in recorded
        if (evidence_dir / name).is_file() and sha256_file(evidence_dir / name) != sha256
    ]
    report.lines.append(
        f"Evidence files: {len(recorded)} recorded, "
        f"{len(recorded) - len(missing) - len(changed)} present and matching"
    )
    if missing:
        report.problems.append(
            f"{plural(len(missing), 'evidence file')} missing from {evidence_dir}: "
            + ", ".join(missing[:5])
        )
    if changed:
        report.problems.append(
            f"{plural(len(changed), 'evidence file')} changed since attached: "
            + ", ".join(changed[:5])
        )
    if unrecorded:
        report.warnings.append(
            f"{plural(len(unrecorded), 'file')} in {evidence_dir} that no record points to "
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
            f"Newest backup: {path.name} ({_age(current_time(now) - when)}); "
            f"{plural(len(backups), 'backup')} in {data_dir / BACKUP_DIR}"
        )
        if current_time(now) - when > dt.timedelta(days=7):
            report.warnings.append("The newest backup is more than a week old.")
    else:
        report.lines.append(f"Newest backup: none in {data_dir / BACKUP_DIR}")
        if db_path.exists():
            report.warnings.append("There is no backup yet.")
    free = shutil.disk_usage(data_dir).free
    report.lines.append(f"Free disk space: {file_size(free)}")
    if free < 200 * 1024 * 1024:
        report.warnings.append("The disk is nearly full; backups and saving may fail.")
    return report
