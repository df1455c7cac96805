"""Damage met while reading the data, after it opened: told apart from the app's own faults, and
confirmed by reading the whole file again before anyone is told the data is damaged.

The window and every command ask `damage_found` about an error they did not expect, so all of
them say the same thing and offer the same backup. Standard library only (SQLAlchemy's errors
are recognised by the one they wrap, `orig`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.storage import check_stamp
from rrn_desktop.storage.errors import DamagedDatabaseError, StorageError
from rrn_desktop.storage.file_check import DAMAGED, examine, looks_sound

# SQLAlchemy's Enum, reading a value it does not know.
_UNKNOWN_VALUE = "is not among the defined enum values"
# Python's sqlite3, reading text that is not UTF-8.
_NOT_TEXT = "could not decode to utf-8"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (SQLAlchemy's `orig`) and what it was raised from."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        pending += [
            wrapped if isinstance(wrapped, BaseException) else None,
            current.__cause__,
            current.__context__,
        ]


# A fault in the file's pages, which the full check confirms or not.
IN_THE_FILE = ""


def _what_was_unreadable(error: BaseException) -> str | None:
    """What could not be read: a record's contents in words, IN_THE_FILE for a fault SQLite met
    in the file itself, or None if error is no reading fault."""
    for cause in _causes(error):
        text = str(cause).lower()
        if isinstance(cause, UnicodeDecodeError) or (
            isinstance(cause, sqlite3.OperationalError) and _NOT_TEXT in text
        ):
            return "text that is not readable"
        if type(cause) is LookupError and _UNKNOWN_VALUE in text:
            return "a value RRN Self-Audit does not know"
        if isinstance(cause, DamagedDatabaseError) or (
            isinstance(cause, sqlite3.DatabaseError)
            and not isinstance(cause, sqlite3.OperationalError)
        ):
            return IN_THE_FILE
    return None


def damage_found(data_dir: Path, error: BaseException) -> StorageError | None:
    """If error is the data failing to read (a damaged page, text that is not UTF-8, a value
    the app does not know), the message to give, with the whole file checked again first:
    DamagedDatabaseError when it is damaged, StorageError when the file is sound after all or
    the disk stopped the check. None when error is no such thing (the app's own fault, to be
    logged as unexpected)."""
    what = _what_was_unreadable(error)
    if what is None:
        return None
    db_path = data_dir.expanduser().resolve() / DATABASE_NAME
    try:
        examine(db_path, full=True)
    except DamagedDatabaseError as found:
        check_stamp.forget(db_path)
        return found
    except StorageError as unreadable:
        return unreadable
    if what == IN_THE_FILE:
        return StorageError(looks_sound(db_path))
    # Every page is whole, but a record in them cannot be read as what it should hold.
    check_stamp.forget(db_path)
    return DamagedDatabaseError(
        f"The data file {db_path} {DAMAGED}: a record in it holds {what}, so it cannot be "
        "read. It has not been changed.",
        DAMAGED,
    )
