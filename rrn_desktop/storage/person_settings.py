"""One person's own settings on a shared database (their name, text size, contrast): kept in a
small file on their own machine, never in the data everyone shares."""

from __future__ import annotations

import json
from pathlib import Path

from rrn_desktop.base.saving import save_atomically

SETTINGS_FILE = "my-settings.json"


def _read(folder: Path) -> dict[str, str]:
    try:
        found = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: the defaults, and the next save writes it afresh
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def personal_value(folder: Path, key: str) -> str | None:
    return _read(folder).get(key)


def set_personal_value(folder: Path, key: str, value: str) -> None:
    settings = _read(folder) | {key: value}
    folder.mkdir(parents=True, exist_ok=True)
    save_atomically(
        json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"),
        folder / SETTINGS_FILE,
        "settings file",
    )
