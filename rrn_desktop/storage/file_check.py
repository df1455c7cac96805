"""The start-up check of the data file: every page read through, and its schema version read,
without writing a byte. Standard library only, so it can begin before the rest loads.

On a file with years of data the check takes a good part of a second. SQLite does that work
without holding Python's lock, so `EarlyCheck` runs it on a thread while the program loads, and
the two take the time of the longer one instead of adding up.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError, explain_sqlite_error

DATABASE_NAME = "rrn-desktop.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's own files beside the data file, which hold its latest changes.
_SIDECARS = ("-wal", "-shm", "-journal")


def read_revision(connection: sqlite3.Connection) -> str | None:
    """The schema version stamped in an open database, or None if it has none."""
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def stored_revision(db_path: Path) -> str | None:
    """Check the file and read its schema version without writing a byte, so a refused file
    stays untouched. None for a file not yet made (or empty)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            # Checks every page's structure (not the indexes' contents).
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise DamagedDatabaseError(
                    f"The data file {db_path} is damaged: the start-up check found a fault "
                    "inside it. It has not been changed. Restore a backup, or ask for help "
                    "before making any more changes."
                )
            return read_revision(connection)
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        # The disk, not the file: full, unplugged or locked. Nothing says the file is damaged.
        raise StorageError(
            explain_sqlite_error(error)
            or f"The data file {db_path} could not be read ({error}). It has not been changed."
        ) from error
    except sqlite3.DatabaseError as error:
        raise DamagedDatabaseError(
            f"The data file {db_path} is damaged or is not an RRN Self-Audit data file "
            f"({error}). It has not been changed. Restore a backup, or move the file "
            "elsewhere to start again."
        ) from error


def _signature(db_path: Path) -> tuple[int, ...] | None:
    """Size and time of last change of the file and of its write-ahead log: if any of them
    moves, what was checked is no longer what is there."""
    try:
        main = db_path.stat()
    except OSError:
        return None
    try:
        log = db_path.with_name(db_path.name + "-wal").stat()
    except OSError:
        return (main.st_size, main.st_mtime_ns)
    return (main.st_size, main.st_mtime_ns, log.st_size, log.st_mtime_ns)


class EarlyCheck:
    """`stored_revision` of a data folder's file, begun now on a thread of its own.

    Begun before the folder is locked, so its answer is used only if the file has not changed
    since (see `revision`); otherwise the check is simply made again."""

    def __init__(self, data_dir: Path) -> None:
        self.db_path = data_dir.expanduser().resolve() / DATABASE_NAME
        self._before = _signature(self.db_path)
        self._revision: str | None = None
        self._error: Exception | None = None
        # A daemon: a program that stops early (a second copy, say) need not wait for it.
        self._thread = threading.Thread(target=self._run, name="data-file-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._revision = stored_revision(self.db_path)
        except Exception as error:  # handed to whoever asks for the answer, on their thread
            self._error = error

    def wait(self) -> None:
        self._thread.join()

    def revision(self, db_path: Path) -> str | None:
        """The answer for db_path once the check is done: as `stored_revision(db_path)`."""
        self.wait()
        if db_path != self.db_path or _signature(db_path) != self._before:
            return stored_revision(db_path)
        if self._error is not None:
            raise self._error
        return self._revision


def data_folder_file(path: Path) -> str | None:
    """In words, which of a data folder's own files writing to ``path`` would destroy (the data
    file, its journal, the lock, its small settings files, a stored evidence file, a log, a
    backup, or any other database), or None.

    Worked out from the path alone, so it holds for every data folder, open or not. A path the
    system cannot even look up (a name too long for the disk) holds nothing to protect."""
    from rrn_desktop.logs import LOG_DIR
    from rrn_desktop.storage.database import BACKUP_DIR, EVIDENCE_DIR, LOCK_NAME

    def in_data_folders(name: str) -> bool:
        return any(
            folder.name == name and (folder.parent / DATABASE_NAME).exists()
            for folder in path.parents
        )

    try:
        path = path.expanduser().resolve()
        beside_data = (path.parent / DATABASE_NAME).exists()
        if beside_data and path.name in {DATABASE_NAME, *(DATABASE_NAME + s for s in _SIDECARS)}:
            return "RRN Self-Audit's own data file"
        if beside_data and path.name == LOCK_NAME:
            return "the lock that keeps a second copy of RRN Self-Audit out of the data"
        if beside_data and path.suffix.casefold() == ".json":
            # The restore journal, the signing key, the last check's stamp, and any added later.
            return "one of the files RRN Self-Audit keeps beside its data"
        if in_data_folders(EVIDENCE_DIR):
            return "in the folder where RRN Self-Audit keeps its evidence files"
        if in_data_folders(LOG_DIR):
            return "in the folder where RRN Self-Audit keeps its log"
        # A new backup belongs there (the app writes its own); an existing one must not be lost.
        if path.exists() and in_data_folders(BACKUP_DIR):
            return "one of RRN Self-Audit's backups of the data"
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                return "a database file"
    except OSError:
        pass  # nothing there yet, or nothing readable: nothing to protect
    return None
