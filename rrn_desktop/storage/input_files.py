"""Files the app is asked to read (a backup, a bundle, a content pack): only ordinary files.

A device such as /dev/zero or a named pipe never ends, so reading one would hang the app; a
folder or a link to somewhere else is not what the person meant. Each is refused at once, with
the file and the reason named, before a byte is read.
"""

from __future__ import annotations

import stat
from pathlib import Path

from rrn_desktop.base.errors import UserFacingError


class NotAFileError(UserFacingError):
    """The path named is not an ordinary file that can be read."""


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a file"
    return "it is not an ordinary file"


def require_regular_file(path: Path, what: str = "file") -> Path:
    """``path`` if it is an ordinary file (not a link, device, pipe or folder); otherwise raise
    NotAFileError naming the file, saying why, and that nothing was changed."""
    path = Path(path).expanduser()
    try:
        details = path.lstat()
    except FileNotFoundError as error:
        raise NotAFileError(
            f"The {what} {path} could not be found. Nothing was changed."
        ) from error
    except OSError as error:
        raise NotAFileError(
            f"The {what} {path} could not be read ({error.strerror or error}). Nothing was changed."
        ) from error
    reason: str | None
    if stat.S_ISLNK(details.st_mode):
        reason = "it is a link to another file; choose the file itself"
    else:
        reason = _kind(details.st_mode)
    if reason is not None:
        raise NotAFileError(f"The {what} {path} cannot be used: {reason}. Nothing was changed.")
    return path
