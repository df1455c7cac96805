"""Storage problems sorted into ones the user can act on, each with a plain-English message."""

from __future__ import annotations

import sqlite3

from rrn_desktop.base.errors import UserFacingError


class StorageError(UserFacingError):
    """The data file or folder cannot be used as asked."""


class DataInUseError(StorageError):
    """Another copy of the app already has this data folder open."""


class NewerDatabaseError(StorageError):
    """The data file was written by a newer version of the app."""


class DamagedDatabaseError(StorageError):
    """The data file cannot be used as it is, and a backup may be the answer.

    reason: what is wrong with the file in a few words ("is damaged"), for the backup offer."""

    def __init__(self, message: str, reason: str = "is damaged") -> None:
        super().__init__(message)
        self.reason = reason


class UnrecognisedDataError(DamagedDatabaseError):
    """The data file is there but is not one this app made: empty, not a database, another
    program's, or missing its data version. It is never written to."""


CHANGED_SINCE_OPENED = "Someone else changed this since you opened it."
CHANGED_ELSEWHERE = (
    f"{CHANGED_SINCE_OPENED} Your changes have not been saved; what they saved is shown, and "
    "what you typed is kept so you can add it again."
)


class ChangedElsewhereError(StorageError):
    """A save refused because someone else saved the same record first (shared database)."""

    def __init__(self, message: str = CHANGED_ELSEWHERE, theirs: object = None) -> None:
        super().__init__(message)
        self.theirs = theirs  # the record as the other person saved it, when known


CONNECTION_LOST = (
    "The connection to the shared database was lost, so this change was not saved. "
    "What you typed is still here: check the network, and it is saved again when you next "
    "change something or move to another field."
)


class ConnectionLostError(StorageError):
    """The shared database could not be reached: nothing was saved, nothing typed is lost."""


def explain_server_error(exc: BaseException) -> str | None:
    """A message for a shared database that could not be reached or refused the change."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "permission denied" in text or "row-level security" in text:
        return (
            "The shared database refused this: your account is not allowed to see or change "
            "these records. Ask your head office to give you access to the service."
        )
    if "password authentication failed" in text:
        return "The shared database did not accept the name and password. Check them and try again."
    if "does not exist" in text and "database" in text:
        return "That shared database does not exist on the server. Check its name."
    if any(
        words in text
        for words in (
            "connection",
            "could not connect",
            "server closed",
            "timeout",
            "terminat",
            "network",
        )
    ):
        return CONNECTION_LOST
    return None


def explain_sqlite_error(exc: BaseException) -> str | None:
    """Return a message for errors caused by the disk or the file, or None for our own bugs."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return (
            "The disk is full, so the last change could not be saved. Free some space "
            "and try again; nothing already saved has been lost."
        )
    if "readonly" in text or "read-only" in text:
        return (
            "The data folder is read-only, so changes cannot be saved. Check that the "
            "folder (or USB stick) is not write-protected."
        )
    if "locked" in text or "busy" in text:
        return "The data file is busy in another program. Close it there and try again."
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            "The data file is damaged. It has not been changed; restore it from a backup "
            "or ask for help before making any more changes."
        )
    if "disk i/o error" in text:
        return (
            "The data file could not be read or written: the disk may be full, unplugged or "
            "failing. Nothing already saved has been lost; free some space or check the drive, "
            "then try again."
        )
    if "unable to open" in text or isinstance(exc, PermissionError):
        return (
            "The data file could not be opened. Check that the folder exists and that you "
            "may write to it."
        )
    return None


def is_sqlite_error(exc: BaseException) -> bool:
    return isinstance(getattr(exc, "orig", exc), sqlite3.Error)
