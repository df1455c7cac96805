"""Which data folder the app uses: --data-dir, then RRN_DESKTOP_DATA_DIR, then the user's own."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_VARIABLE = "RRN_DESKTOP_DATA_DIR"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("RRN Self-Audit", appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_environment = os.environ.get(DATA_DIR_VARIABLE)
    if from_environment:
        return Path(from_environment).expanduser()
    return default_data_dir()
