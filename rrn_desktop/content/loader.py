"""Reading content packs from disk, with errors that name the file, the place and the reason."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.pack_ids import TRAINING_STANDARDS_PACK_ID
from rrn_desktop.base.resources import packs_dir
from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.base.wording import plural
from rrn_desktop.content.checklist_models import ChecklistPack
from rrn_desktop.content.incident_models import FieldKind, IncidentPack, SectorField
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.content.recording_rules import RulePack

BLANKET_RESTRICTIONS_PACK_ID = "blanket-restrictions"
INCIDENT_PACK_ID = "incident-recording"
Pack = TypeVar("Pack", ContentPack, ChecklistPack, IncidentPack, RulePack)
RULES_FOLDER = "rules"  # under the packs folder: one recording-rules pack per nation and sector
# The largest shipped pack is some 60 KB: a file many times that is a mistake or an attack,
# refused before it is parsed.
MAX_PACK_BYTES = 2 * 1024 * 1024


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


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PACK_BYTES + 1)
    except OSError as exc:
        raise PackError(f"Content pack {path.name} could not be read: {exc.strerror}.") from exc
    if len(raw) > MAX_PACK_BYTES:
        raise PackError(
            f"Content pack {path.name} is larger than {MAX_PACK_BYTES // (1024 * 1024)} MB, "
            "far more than any self-assessment needs."
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(
            f"Content pack {path.name} is not UTF-8 text (byte {exc.start} is not valid)."
        ) from exc


def load_pack(path: Path, model: type[Pack]) -> Pack:
    return parse_pack(_read_text(path), path.name, model)


def read_pack_file(path: Path, model: type[Pack]) -> tuple[str, Pack]:
    """The file's text (to be kept as it is) and the pack it holds."""
    text = _read_text(path)
    return text, parse_pack(text, path.name, model)


def parse_pack(text: str, name: str, model: type[Pack]) -> Pack:
    """A pack from its TOML text; ``name`` (a file's) is what the messages call it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"Content pack {name} is not valid TOML: {exc}.") from exc
    except RecursionError as exc:
        # tomllib reads nested arrays and tables by recursion: thousands of levels exhaust it.
        raise PackError(
            f"Content pack {name} nests lists or tables too deeply to be a content pack."
        ) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{_describe_location(error['loc'], data)}: {error['msg']}"
            for error in exc.errors(include_url=False)
        ]
        raise PackError(
            f"Content pack {name} has {plural(len(problems), 'problem')}: " + "; ".join(problems)
        ) from exc


def shipped_path(pack_id: str) -> Path:
    """Where a shipped pack's file is (PackError when the app has none of that id)."""
    path = packs_dir() / f"{pack_id}.toml"
    if not path.exists():
        raise PackError(f"The content pack '{pack_id}' is not installed (looked for {path}).")
    return path


@cache
def shipped_pack(pack_id: str) -> ContentPack:
    return load_pack(shipped_path(pack_id), ContentPack)


@cache
def shipped_checklist(pack_id: str = BLANKET_RESTRICTIONS_PACK_ID) -> ChecklistPack:
    return load_pack(shipped_path(pack_id), ChecklistPack)


def training_standards() -> ContentPack:
    return shipped_pack(TRAINING_STANDARDS_PACK_ID)


@cache
def incident_pack(pack_id: str = INCIDENT_PACK_ID) -> IncidentPack:
    return load_pack(shipped_path(pack_id), IncidentPack)


def _check_against_incidents(path: Path, pack: RulePack, incidents: IncidentPack) -> None:
    """Every sector question a rule points at is one the sector's record asks, and every
    deadline is met by a date."""
    record = incidents.sector_record(pack.sector)
    sector_fields = {f.id: f for f in record.fields} if record is not None else {}
    own = {q.id: q for q in pack.questions}
    clash = sorted(own.keys() & sector_fields.keys())
    if clash:
        raise PackError(
            f"Recording rules {path.name}: questions → {clash[0]}: the sector's record already "
            "asks a question of that id."
        )
    for place, ref in [(f"facts → {f.id}", f.field) for f in pack.facts if f.field] + [
        (f"deadlines → {d.id}", d.done_on) for d in pack.deadlines
    ]:
        kind, _, name = ref.partition(":")
        found = {"sector": sector_fields, "rule": own}.get(kind, {}).get(name) if name else None
        if name and found is None:
            raise PackError(
                f"Recording rules {path.name}: {place}: '{ref}' is not a question of the "
                f"{pack.sector.value} record."
            )
        if place.startswith("deadlines") and not _is_date(found):
            raise PackError(
                f"Recording rules {path.name}: {place}: '{ref}' is not a date, so it cannot "
                "say when the deadline was met."
            )


def _is_date(field: SectorField | None) -> bool:
    return field is not None and field.kind is FieldKind.DATE


def load_rule_pack(path: Path) -> RulePack:
    """A recording-rules pack, checked on its own and against the incident pack's questions."""
    pack = load_pack(path, RulePack)
    _check_against_incidents(path, pack, incident_pack())
    return pack


@cache
def rule_packs() -> tuple[RulePack, ...]:
    """Every shipped recording-rules pack, one for each nation and sector they cover."""
    folder = packs_dir() / RULES_FOLDER
    packs = tuple(load_rule_pack(path) for path in sorted(folder.glob("*.toml")))
    seen: dict[tuple[str, str], str] = {}
    for pack in packs:
        key = (pack.jurisdiction.value, pack.sector.value)
        if key in seen:
            raise PackError(
                f"Recording rules {pack.id} and {seen[key]} both cover "
                f"{pack.sector.value} in {pack.jurisdiction.value}: keep one."
            )
        seen[key] = pack.id
    return packs


def rule_pack_for(jurisdiction: str, sector: str) -> RulePack | None:
    """The rules a service in that nation and sector records under (None: none shipped)."""
    return next((pack for pack in rule_packs() if pack.covers(jurisdiction, sector)), None)


def sector_questions(sector: str, jurisdiction: str) -> list[SectorField]:
    """The questions a service's incident record asks beyond the main record: its sector's own,
    then those its nation's recording rules add."""
    record = incident_pack().sector_record(Sector(sector))
    rules = rule_pack_for(jurisdiction, sector)
    return [*(record.fields if record else ()), *(rules.questions if rules else ())]
