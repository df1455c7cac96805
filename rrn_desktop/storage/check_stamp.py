"""The last good full check of the data file, remembered beside it.

Reading every page and index of years of data takes a good part of a second, so start-up does it
only when the file has changed since it was last found sound, or since the app itself last closed
it cleanly. "Changed" is judged by the file's signature: its identity, size and time of last
change, and those of its write-ahead log. Standard library only: it runs before the rest loads.

The stamp is a convenience, never a requirement: if it cannot be read or written (a read-only
folder, a full disk) the full check simply runs each time.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

STAMP_NAME = "last-check.json"

Signature = tuple[int, ...]


def signature(db_path: Path) -> Signature | None:
    """Identity, size and time of last change of the file and of its write-ahead log: if any of
    them moves, what was checked is no longer what is there. None if there is no file."""
    try:
        main = db_path.stat()
    except OSError:
        return None
    own = (main.st_ino, main.st_size, main.st_mtime_ns)
    try:
        log = db_path.with_name(db_path.name + "-wal").stat()
    except OSError:
        return own
    return (*own, log.st_size, log.st_mtime_ns)


def _stamp_path(db_path: Path) -> Path:
    return db_path.with_name(STAMP_NAME)


def checked_as(db_path: Path, now: Signature | None) -> bool:
    """True if the data file was last found sound (or closed cleanly) exactly as it is now."""
    if now is None:
        return False
    try:
        stamp = json.loads(_stamp_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stamp, dict) and stamp.get("signature") == list(now)


def remember_sound(db_path: Path, when_checked: Signature | None) -> None:
    """Note that the file was sound with this signature (taken before the check began, so a
    change made during the check is seen next time). Quietly does nothing if it cannot."""
    if when_checked is None:
        return
    stamp = _stamp_path(db_path)
    with contextlib.suppress(OSError):
        # A name of its own, then renamed: a half-written stamp is never read, and two copies
        # of the app checking at once do not write into one file.
        descriptor, name = tempfile.mkstemp(prefix=".last-check-", dir=stamp.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump({"signature": list(when_checked)}, handle)
            os.replace(name, stamp)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise


def renew(db_path: Path) -> None:
    """After the app's own clean close: the file is as sound as it was found at opening, so
    the stamp moves to its new signature. Not if damage was found meanwhile (see `forget`)."""
    if _stamp_path(db_path).exists():
        remember_sound(db_path, signature(db_path))


def forget(db_path: Path) -> None:
    """Damage was found: the next start reads every page again."""
    with contextlib.suppress(OSError):
        _stamp_path(db_path).unlink(missing_ok=True)
