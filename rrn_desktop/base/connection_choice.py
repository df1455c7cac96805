"""Whether to open a shared database rather than this computer's data folder: read before
anything heavy loads, so the window can start as quickly either way."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_VARIABLE = "RRN_DESKTOP_DATABASE"
REMEMBERED = "shared-database.txt"  # in the person's data folder: the address, no password


def remembered_database(data_dir: Path) -> str | None:
    try:
        text = (data_dir / REMEMBERED).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def chosen_database(data_dir: Path, given: str | None = None) -> str | None:
    """The shared database to open, if any: --database, then the environment, then the one
    remembered; "" given on the command line means this computer's data folder."""
    if given is not None:
        return given or None
    return os.environ.get(DATABASE_VARIABLE) or remembered_database(data_dir)
