"""Saving a file the person asked for (a report, a bundle, a copy of evidence): never a
half-written file, never over the data's own files, and plain words when saving fails."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from rrn_desktop.base.data_folder import data_folder_file
from rrn_desktop.base.errors import UserFacingError


class SaveError(UserFacingError):
    """The file was made but could not be saved where the person asked."""


def name_too_long(error: OSError) -> bool:
    """Whether the system refused a path because a name in it, or the whole, is too long."""
    return error.errno == errno.ENAMETOOLONG or getattr(error, "winerror", None) == 206


def _shown(out: Path) -> str:
    """A path short enough to read in a message."""
    text = str(out)
    return text if len(text) <= 80 else f"{text[:60]}…"


def _explain(error: OSError, out: Path, what: str, *, replacing: bool = False) -> str:
    folder = out.parent
    code = error.errno
    if name_too_long(error):
        return (
            f"The {what} could not be saved as {_shown(out)}: the name is too long for the "
            "disk. Choose a shorter name, or a folder nearer the top of the disk."
        )
    if code == errno.ENOENT:
        return f"The {what} could not be saved because the folder {folder} does not exist."
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        return (
            f"The {what} could not be saved because the disk holding {folder} is full. "
            "Free some space or choose another place, then try again."
        )
    if code == errno.EROFS:
        return (
            f"The {what} could not be saved because {folder} is on a read-only drive. "
            "Choose another place, such as your Documents folder."
        )
    if code == errno.EISDIR or _is_folder(out):
        return f"The {what} could not be saved because {out} is a folder. Choose a file name."
    if code in (errno.EACCES, errno.EPERM):
        if replacing:
            return (
                f"The {what} could not be saved as {out.name}: the file may be open in another "
                "program, such as a PDF reader or spreadsheet. Close it and try again, or choose "
                "another name."
            )
        return (
            f"The {what} could not be saved because RRN Self-Audit is not allowed to write in "
            f"{folder}. Choose another place, such as your Documents folder."
        )
    reason = error.strerror or str(error)
    return f"The {what} could not be saved as {out} ({reason})."


@contextmanager
def written_in_place(out: Path, what: str = "report") -> Iterator[Path]:
    """A temporary path beside ``out`` for the caller to write; once written it is flushed to
    disk and renamed into place, so a failure at any point leaves either the old file or none,
    never a partial one, and is explained in plain words."""
    out = Path(out).expanduser()
    _refuse_unusable(out, what)
    # Part of the name only: a name near the system's limit must not fail for the suffix.
    partial = out.with_name(f".{out.name[:40]}.{secrets.token_hex(4)}.partial")
    try:
        try:
            yield partial
            with partial.open("rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as error:
            raise SaveError(_explain(error, out, what)) from error
        try:
            os.replace(partial, out)
        except OSError as error:
            raise SaveError(_explain(error, out, what, replacing=True)) from error
    except BaseException:
        # A drive that refused the file (read-only) may refuse to delete it too: nothing to tidy.
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise


def save_atomically(data: bytes, out: Path, what: str = "report") -> Path:
    """Write ``data`` to ``out`` through :func:`written_in_place`."""
    out = Path(out).expanduser()
    with written_in_place(out, what) as partial:
        partial.write_bytes(data)
    return out


def refuse_data_folder_files(out: Path, what: str = "report") -> None:
    """Never write over the data, its lock or its evidence, whoever names the file."""
    protected = data_folder_file(Path(out))
    if protected is not None:
        raise SaveError(
            f"The {what} was not saved: {out} is {protected}, and saving there would destroy it. "
            "Choose another name or folder, such as your Documents folder."
        )


def check_writable(out: Path, what: str = "report") -> None:
    """Fail early, before spending time on layout, if ``out`` clearly cannot be written."""
    out = Path(out).expanduser()
    _refuse_unusable(out, what)
    if not _is_folder(out.parent):
        raise SaveError(
            f"The {what} could not be saved because the folder {out.parent} does not exist."
        )


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False  # a path the system cannot look up is no folder


def refuse_overlong_name(out: Path, what: str = "report") -> None:
    """Refuse, in plain words, a file or folder name too long for the disk, before any work."""
    try:
        os.lstat(out)
    except OSError as error:
        # Anything else (nothing there yet, say) is for the writing itself to meet or explain.
        if name_too_long(error):
            raise SaveError(_explain(error, out, what)) from error


def _refuse_unusable(out: Path, what: str) -> None:
    """Refuse, in plain words, a name that is one of the data's own files, a folder, or too
    long for the disk, before a byte is written."""
    refuse_data_folder_files(out, what)
    refuse_overlong_name(out, what)
    if _is_folder(out):
        raise SaveError(
            f"The {what} could not be saved because {out} is a folder. Choose a file name."
        )


def fsync_dir(folder: Path) -> None:
    """Make the renames and new names in ``folder`` last through a power cut."""
    if os.name != "posix":
        return  # Windows cannot open a folder to flush it; its renames are journalled anyway.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
