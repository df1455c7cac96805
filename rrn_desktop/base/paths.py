"""Which data folder the app uses: --data-dir, then RRN_DESKTOP_DATA_DIR, then the user's own."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from rrn_desktop.base.errors import UserFacingError

DATA_DIR_VARIABLE = "RRN_DESKTOP_DATA_DIR"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("RRN Self-Audit", appauthor=False, roaming=False))


def _named_folder(text: str | os.PathLike[str], where: str) -> Path:
    # An empty name would otherwise mean "the current folder", or fall through to the user's
    # real data: a script with an unset variable must not quietly change the real data.
    if not str(text).strip():
        raise UserFacingError(
            f"{where} is empty: name the folder that holds the data. Nothing was changed."
        )
    return Path(text).expanduser()


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit is not None:
        return _named_folder(explicit, "--data-dir")
    from_environment = os.environ.get(DATA_DIR_VARIABLE)
    if from_environment is not None:
        return _named_folder(from_environment, DATA_DIR_VARIABLE)
    return default_data_dir()
