"""Reading content packs from disk, with errors that name the file, the place and the reason."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.resources import packs_dir
from rrn_desktop.base.wording import plural
from rrn_desktop.content.checklist_models import ChecklistPack
from rrn_desktop.content.incident_models import IncidentPack
from rrn_desktop.content.pack_models import ContentPack

TRAINING_STANDARDS_PACK_ID = "rrn-training-standards-2019"
BLANKET_RESTRICTIONS_PACK_ID = "blanket-restrictions"
INCIDENT_PACK_ID = "incident-recording"
Pack = TypeVar("Pack", ContentPack, ChecklistPack, IncidentPack)


class PackError(UserFacingError):
    """A content pack file that cannot be used, with a message a person can act on."""


def _describe_location(location: tuple[int | str, ...], data: object) -> str:
    """Turn pydantic's ('sections', 2, 'items', 4, 'text') into words a pack editor can follow."""
    words: list[str] = []
    node = data
    for part in location:
        if isinstance(part, int):
            label = f"#{part + 1}"
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                entry = node[part]
                name = entry.get("code") or entry.get("id") or entry.get("key")
                if name:
                    label += f" ({name})"
            words[-1] = f"{words[-1]} {label}" if words else label
        else:
            words.append(str(part))
        if isinstance(node, list):
            node = node[part] if isinstance(part, int) and part < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = None
    return " → ".join(words) if words else "the top of the file"


def load_pack(path: Path, model: type[Pack]) -> Pack:
    try:
        raw = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise PackError(f"Content pack {path.name} could not be read: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise PackError(
            f"Content pack {path.name} is not UTF-8 text (byte {exc.start} is not valid)."
        ) from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"Content pack {path.name} is not valid TOML: {exc}.") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{_describe_location(error['loc'], data)}: {error['msg']}"
            for error in exc.errors(include_url=False)
        ]
        raise PackError(
            f"Content pack {path.name} has {plural(len(problems), 'problem')}: "
            + "; ".join(problems)
        ) from exc


def _shipped_path(pack_id: str) -> Path:
    path = packs_dir() / f"{pack_id}.toml"
    if not path.exists():
        raise PackError(f"The content pack '{pack_id}' is not installed (looked for {path}).")
    return path


@cache
def shipped_pack(pack_id: str) -> ContentPack:
    return load_pack(_shipped_path(pack_id), ContentPack)


@cache
def shipped_checklist(pack_id: str = BLANKET_RESTRICTIONS_PACK_ID) -> ChecklistPack:
    return load_pack(_shipped_path(pack_id), ChecklistPack)


def training_standards() -> ContentPack:
    return shipped_pack(TRAINING_STANDARDS_PACK_ID)


@cache
def incident_pack(pack_id: str = INCIDENT_PACK_ID) -> IncidentPack:
    return load_pack(_shipped_path(pack_id), IncidentPack)
