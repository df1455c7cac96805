"""Where the shipped data files (packs, fonts, icons) live: checkout, wheel or frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    candidates = [
        # PyInstaller unpacks data files beside the frozen program.
        Path(getattr(sys, "_MEIPASS", here)) / "resources",
        # A wheel carries them inside the package.
        here.parent / "resources",
        # A source checkout keeps them at the top of the repository.
        here.parent.parent / "resources",
    ]
    for candidate in candidates:
        if (candidate / "packs").is_dir():
            return candidate
    raise FileNotFoundError(
        "The app's resources folder is missing; please reinstall RRN Self-Audit."
    )


def packs_dir() -> Path:
    return resources_dir() / "packs"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def user_guide() -> Path:
    """The user guide: shipped beside the resources, or docs/ in a source checkout."""
    shipped = resources_dir() / "help" / "user-guide.md"
    if shipped.is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
