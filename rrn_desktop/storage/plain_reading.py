"""Reading the data file with plain SQL, without the ORM.

The start screen is drawn from a few narrow questions before SQLAlchemy has loaded (loading it
and mapping the models takes most of a start), and the window asks the same questions, through
the same functions, once it has. Values are stored as SQLAlchemy writes them to SQLite: dates as
"2026-03-05", moments as "2026-03-05 14:30:00.000000", choices as their value. A shared database
on PostgreSQL answers the same questions through its own driver, with real dates and moments.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from rrn_desktop.storage.file_check import read_only_uri

Row = tuple[Any, ...]
_MOMENT = "%Y-%m-%d %H:%M:%S.%f"


def _stored(value: object) -> object:
    """A parameter as the data file holds it, so that comparisons in SQL are like for like."""
    if isinstance(value, dt.datetime):
        return value.strftime(_MOMENT)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _native(value: object) -> object:
    """A parameter for a server that keeps real dates: only choices become their value."""
    return value.value if isinstance(value, Enum) else value


def stored_date(value: str | dt.date) -> dt.date:
    """A date as SQLite keeps it (text) or PostgreSQL gives it (a date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def stored_date_or_none(value: str | dt.date | None) -> dt.date | None:
    return stored_date(value) if value else None


def stored_moment(value: str | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


class PlainReader:
    """Questions asked of one connection, in one read transaction: SQLite's own, or a shared
    database's DB-API connection (``paramstyle`` "format": its marks are %s, not ?)."""

    def __init__(self, connection: Any, paramstyle: str = "qmark") -> None:
        self._connection = connection
        self._qmark = paramstyle == "qmark"

    def rows(self, sql: str, *values: object) -> list[Row]:
        """The rows of a query whose parameters are written "?"; dates, moments and choices
        are given as Python values."""
        if self._qmark:
            cursor = self._connection.execute(sql, [_stored(value) for value in values])
        else:
            cursor = self._connection.cursor()
            # The questions hold no "%" or "?" of their own: only the marks.
            cursor.execute(sql.replace("?", "%s"), [_native(value) for value in values])
        try:
            found: list[Row] = cursor.fetchall()
            return found
        finally:
            cursor.close()

    def rows_where_in(self, sql: str, values: Sequence[object], *more: object) -> list[Row]:
        """As rows, with "{in}" in the query standing for a list of values: `x IN ({in})`."""
        marks = ", ".join("?" * len(values))
        return self.rows(sql.replace("{in}", marks), *values, *more)


@contextmanager
def reading(connection: sqlite3.Connection) -> Iterator[PlainReader]:
    """A reader seeing one state of the file throughout, however many questions it asks."""
    in_transaction = connection.in_transaction
    if not in_transaction:
        connection.execute("BEGIN")
    try:
        yield PlainReader(connection)
    finally:
        if not in_transaction:
            connection.execute("ROLLBACK")  # nothing was written: a read ends here


@contextmanager
def reading_file(db_path: Path) -> Iterator[PlainReader]:
    """A reader on a data file opened read-only, for the start screen before the ORM loads."""
    connection = sqlite3.connect(read_only_uri(db_path), uri=True, isolation_level=None)
    try:
        with reading(connection) as reader:
            yield reader
    finally:
        connection.close()
