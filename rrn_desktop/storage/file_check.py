"""What the data file is, decided in one place for start-up, `check` and every command, without
writing a byte. Standard library only, so it can begin before the rest loads.

Only a missing file is new. A file that is there is either RRN Self-Audit's data that reads
through whole, or it is refused in plain words and left exactly as it is: empty, not a database,
another program's database, missing its data version, or damaged. Start-up reads every page and
index (`PRAGMA integrity_check`) when the file has changed since it was last found sound (see
check_stamp), and only checks its structure (`quick_check`) when it has not.

On a file with years of data the full check takes a good part of a second. SQLite does that work
without holding Python's lock, so `EarlyCheck` runs it on a thread while the program loads, and
the two take the time of the longer one instead of adding up.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rrn_desktop.base.data_folder import DATABASE_NAME, SQLITE_HEADER
from rrn_desktop.storage.check_stamp import checked_as, remember_sound, signature
from rrn_desktop.storage.errors import (
    DamagedDatabaseError,
    StorageError,
    UnrecognisedDataError,
)

VERSION_TABLE = "alembic_version"

# What can be wrong with a data file, in the words every part of the app uses: a few words for
# a title, and the sentence that follows "The data file FILE".
EMPTY = ("is empty", "is empty (0 bytes), so it holds no RRN Self-Audit data")
NOT_A_DATABASE = (
    "is not a database",
    "is not a database: it is damaged, or something else was saved over it",
)
NO_TABLES = ("is not RRN Self-Audit's", "is an empty database that RRN Self-Audit did not make")
ANOTHER_PROGRAMS = (
    "belongs to another program",
    "belongs to another program: it is a database, but not one RRN Self-Audit made",
)
NO_VERSION = (
    "has lost its data version",
    "has lost its data version, so RRN Self-Audit cannot tell how to read it",
)
DAMAGED = "is damaged"


def unrecognised(db_path: Path, reason: tuple[str, str]) -> UnrecognisedDataError:
    short, words = reason
    return UnrecognisedDataError(
        f"The data file {db_path} {words}. It has not been changed.", short
    )


def damaged(db_path: Path, detail: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"The data file {db_path} {DAMAGED}: {detail}. It has not been changed.", DAMAGED
    )


def unreadable(db_path: Path, error: BaseException) -> StorageError:
    """The disk, not the file: full, unplugged, read-only or locked. Nothing says it is damaged."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The data file {db_path} is busy in another program. Close it there and try "
            "again; it has not been changed."
        )
    return StorageError(
        f"The data file {db_path} could not be read ({error}). That happens when the disk is "
        "full, the folder is read-only or a USB stick was taken out; the file itself may be "
        "fine and has not been changed. Put that right and try again."
    )


def looks_sound(db_path: Path) -> str:
    """Something failed to open or read the file, yet a full check finds nothing wrong."""
    return f"The data file {db_path} could not be opened, but it looks sound; try again."


def read_revision(connection: sqlite3.Connection) -> str | None:
    """The schema version stamped in an open database, or None if it has none."""
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (VERSION_TABLE,)
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return row[0] if row else None


def _recognise(connection: sqlite3.Connection, db_path: Path, *, full: bool) -> str:
    # Every page and index when full; else every page's structure (not the indexes' contents).
    pragma = "integrity_check" if full else "quick_check"
    problems = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
    if problems != ["ok"]:
        count = len(problems)
        raise damaged(db_path, f"a check of its contents found {count} fault{'s' * (count > 1)}")
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if not tables:
        raise unrecognised(db_path, NO_TABLES)
    if VERSION_TABLE not in tables:
        raise unrecognised(db_path, ANOTHER_PROGRAMS)
    revision = read_revision(connection)
    if not revision:
        raise unrecognised(db_path, NO_VERSION)
    return revision


def _starts_as_sqlite(db_path: Path) -> bool:
    try:
        with db_path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def read_only_uri(db_path: Path) -> str:
    """How to read the file without making anything beside it. With no journal or log beside
    it, the file alone holds everything, so SQLite is told it will not change and need not make
    the shared-memory and log files a reader of a WAL database otherwise makes."""
    alone = not any(db_path.with_name(db_path.name + s).exists() for s in ("-wal", "-journal"))
    return f"file:{db_path}?mode=ro" + ("&immutable=1" if alone else "")


@contextmanager
def examined(db_path: Path, *, full: bool = True) -> Iterator[tuple[sqlite3.Connection, str]]:
    """A read-only connection to the data file and its data version, once it is known to be
    RRN Self-Audit's and sound; else DamagedDatabaseError (UnrecognisedDataError for a file that
    is not ours), or StorageError when the disk, not the file, stops it being read.

    The file must exist: a missing file is the one case that means "new"."""
    try:
        empty = db_path.stat().st_size == 0
    except OSError as error:
        raise unreadable(db_path, error) from error
    if empty:
        raise unrecognised(db_path, EMPTY)
    try:
        connection = sqlite3.connect(read_only_uri(db_path), uri=True)
    except sqlite3.Error as error:
        raise unreadable(db_path, error) from error
    try:
        try:
            revision = _recognise(connection, db_path, full=full)
        except sqlite3.OperationalError as error:
            raise unreadable(db_path, error) from error
        except sqlite3.DatabaseError as error:
            if not _starts_as_sqlite(db_path):
                raise unrecognised(db_path, NOT_A_DATABASE) from error
            raise damaged(db_path, f"SQLite says: {error}") from error
        yield connection, revision
    finally:
        connection.close()


def examine(db_path: Path, *, full: bool = True) -> str:
    """The data version of an existing data file after checking it; raises as `examined`."""
    with examined(db_path, full=full) as (_connection, revision):
        return revision


def stored_revision(db_path: Path) -> str | None:
    """Check the file and read its schema version without writing a byte to it, so a refused
    file stays untouched. None only for a file not yet made.

    The full check runs when the file has changed since it was last found sound; once it
    passes, that is remembered beside the file."""
    before = signature(db_path)
    if before is None:
        if db_path.exists():  # there, but its details cannot be read
            return examine(db_path)
        return None
    full = not checked_as(db_path, before)
    revision = examine(db_path, full=full)
    if full:
        remember_sound(db_path, before)
    return revision


class EarlyCheck:
    """`stored_revision` of a data folder's file, begun now on a thread of its own.

    Begun before the folder is locked, so its answer is used only if the file has not changed
    since (see `revision`); otherwise the check is simply made again."""

    def __init__(self, data_dir: Path) -> None:
        self.db_path = data_dir.expanduser().resolve() / DATABASE_NAME
        self._before = signature(self.db_path)
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
        if db_path != self.db_path or signature(db_path) != self._before:
            return stored_revision(db_path)
        if self._error is not None:
            raise self._error
        return self._revision
