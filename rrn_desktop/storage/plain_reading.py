"""Reading the data file with plain SQL, without the ORM.

The start screen is drawn from a few narrow questions before SQLAlchemy has loaded (loading it
and mapping the models takes most of a start), and the window asks the same questions, through
the same functions, once it has. Values are stored as SQLAlchemy writes them to SQLite: dates as
"2026-03-05", moments as "2026-03-05 14:30:00.000000", choices as their value.
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


def stored_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def stored_date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def stored_moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


class PlainReader:
    """Questions asked of one SQLite connection, in one read transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def rows(self, sql: str, *values: object) -> list[Row]:
        """The rows of a query whose parameters are written "?"; dates, moments and choices
        are given as Python values."""
        cursor = self._connection.execute(sql, [_stored(value) for value in values])
        try:
            return cursor.fetchall()
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
