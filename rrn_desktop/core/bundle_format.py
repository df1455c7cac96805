"""The bundle file that carries records between laptops, and the strict check of one coming in.

A bundle is a zip holding three kinds of member:

- ``manifest.json``: the format name and version, the app version and data (schema) version that
  made it, when (UTC), the organisation's name, the scope (which services; everything or one),
  the number of records of each kind, and the SHA-256 of ``records.json`` and of every evidence
  file with its size.
- ``records.json``: one list of records per table, keyed by table name. Every record carries its
  stable ``uid``; the local integer id never leaves the laptop, and a link to another record is
  written as that record's uid, in a field named after the link (``service_id`` becomes
  ``service_uid``).
- ``evidence/<stored_name>``: each evidence file, under the name it has in the data folder.

Nothing in a bundle is trusted: the members, their names and sizes, the checksums and every
field of every record are checked before anything is planned, and a bundle that fails any check
is refused with one sentence saying why. The checksums catch damage and careless editing; they
are not a signature, so they cannot prove who made the file. A bundle made on a laptop with the
organisation's signing key set is also signed, in the zip's comment (bundle_signing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from types import GenericAlias
from typing import IO, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    FiniteFloat,
    NaiveDatetime,
    NonNegativeInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
)
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Enum, Float, Integer, String

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.pack_ids import text_hash
from rrn_desktop.base.vocabulary import RestraintType
from rrn_desktop.content.loader import PackError, parse_pack, shipped_pack
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.bundle_signing import NOT_CHECKED, Origin, check_origin
from rrn_desktop.core.bundle_tables import (
    EVIDENCE_TABLES,
    SPECS,
    TABLES,
    TableSpec,
    field_name,
)
from rrn_desktop.core.text_cleaning import clean_line, clean_text
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.database import SCHEMA_HEAD
from rrn_desktop.storage.input_files import NotAFileError, require_regular_file
from rrn_desktop.storage.json_limits import shape_problem
from rrn_desktop.storage.models import VERSIONS
from rrn_desktop.storage.signing_key import SigningKey

FORMAT_NAME = "rrn-desktop-bundle"
FORMAT_VERSION = 1
BUNDLE_SUFFIX = ".rrnbundle"
MANIFEST = "manifest.json"
RECORDS = "records.json"
EVIDENCE_FOLDER = "evidence/"

# Limits on what a bundle may unpack to, checked against the sizes the zip declares before
# anything is read (and enforced while reading), so a "zip bomb" is refused, not unpacked.
MAX_MANIFEST_BYTES = 4 << 20
MAX_RECORDS_BYTES = 512 << 20
MAX_EVIDENCE_BYTES = 2 << 30

# Told how far slow work has got, as a fraction from 0 to 1. It may raise (the person pressed
# Cancel) to stop the work, which then changes nothing.
Progress = Callable[[float], None]
MAX_TOTAL_BYTES = 16 << 30
MAX_MEMBERS = 100_000
# Free text in a Text column: generous, as the app's own forms are stricter still.
TEXT_LIMIT = 1_000_000
SHORT_TEXT_LIMIT = 200
_BLOCK = 1 << 20


class BundleError(UserFacingError):
    """A bundle that cannot be made or imported; the message says why, and nothing changed."""


# --- strict models of what a bundle may hold ---------------------------------------------------

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)
Uid = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# The shape the app gives a stored evidence file (32 hex digits, then the original's suffix):
# never a folder, never hidden, never a path. An import writes only names of the narrower
# PORTABLE_NAME shape, so a name one file system allows cannot trip up another.
_SAFE_NAME = re.compile(r"^[0-9a-f]{32}[^/\\\x00-\x1f]{0,20}$")
PORTABLE_NAME = re.compile(r"^[0-9a-f]{32}(\.[0-9a-z_-]{1,19})?$")
StoredName = Annotated[str, StringConstraints(pattern=_SAFE_NAME.pattern)]
# Columns whose text must be one of a known set although the data file keeps it as plain text.
_FIELD_TYPES: dict[tuple[str, str], Any] = {
    ("restriction", "restraint_type"): RestraintType,
    ("evidence_file", "stored_name"): StoredName,
    ("evidence_file", "sha256"): Sha256,
    ("action_evidence_file", "stored_name"): StoredName,
    ("action_evidence_file", "sha256"): Sha256,
    ("evidence_file", "size_bytes"): NonNegativeInt,
    ("action_evidence_file", "size_bytes"): NonNegativeInt,
}


def _cleaned(clean: Callable[[str], str]) -> AfterValidator:
    """Text cleaned for reports (text_cleaning); each piece changed is counted in the list
    passed as the validation context, so the import can say so."""

    def check(value: str, info: ValidationInfo) -> str:
        tidy = clean(value)
        if tidy != value and isinstance(info.context, list):
            info.context.append(info.field_name or "")
        return tidy

    return AfterValidator(check)


OneLine = Annotated[str, _cleaned(clean_line)]


def _column_type(spec: TableSpec, column: Column[Any]) -> Any:
    kind = column.type
    chosen: Any
    if column.name in spec.links:
        chosen = Uid
    elif (spec.table, column.name) in _FIELD_TYPES:
        chosen = _FIELD_TYPES[(spec.table, column.name)]
    elif isinstance(kind, Enum):
        chosen = kind.enum_class
    elif isinstance(kind, Boolean):
        chosen = bool
    elif isinstance(kind, Integer):
        chosen = int
    elif isinstance(kind, Float):
        chosen = FiniteFloat
    elif isinstance(kind, DateTime):
        chosen = NaiveDatetime
    elif isinstance(kind, Date):
        chosen = dt.date
    elif isinstance(kind, JSON):
        chosen = dict[str, str]
    elif isinstance(kind, String):
        # The data file does not hold a short column to its length, and the app's own checks
        # allow 200 characters in some: the bundle accepts what the app may have saved.
        # A column with a length is laid out on one line in reports; one without (Text) is
        # free text that keeps its line breaks.
        if kind.length:
            limit, clean = max(kind.length, SHORT_TEXT_LIMIT), clean_line
        else:
            limit, clean = TEXT_LIMIT, clean_text
        chosen = Annotated[str, StringConstraints(max_length=limit), _cleaned(clean)]
    else:  # pragma: no cover - a new column type needs a decision here
        raise TypeError(f"No bundle type for {spec.table}.{column.name} ({kind!r})")
    return chosen | None if column.nullable else chosen


# A version vector (bundle_versions): laptop ids as the data file makes them, and counts that
# fit the data file's integers.
Versions = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")],
        Annotated[int, Field(ge=0, le=2**53)],
    ],
    Field(max_length=1000),
]


def _record_model(spec: TableSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {"uid": (Uid, ...)}
    if spec.versioned:
        fields[VERSIONS] = (Versions, ...)
    for column in spec.columns:
        fields[field_name(spec, column)] = (_column_type(spec, column), ...)
    return create_model(f"{spec.model.__name__}Record", __config__=_STRICT, **fields)


RECORD_MODELS: dict[str, type[BaseModel]] = {spec.table: _record_model(spec) for spec in TABLES}
Records = create_model(  # type: ignore[call-overload]
    "Records",
    __config__=_STRICT,
    # list[model] built at run time: GenericAlias is what list[...] makes, in a form mypy reads.
    **{spec.table: (GenericAlias(list, RECORD_MODELS[spec.table]), ...) for spec in TABLES},
)


class _Strict(BaseModel):
    model_config = _STRICT


class EvidenceEntry(_Strict):
    name: StoredName
    sha256: Sha256
    size_bytes: NonNegativeInt


class ServiceRef(_Strict):
    uid: Uid
    name: Annotated[OneLine, StringConstraints(max_length=200)]


class Scope(_Strict):
    everything: bool
    services: list[ServiceRef]


class Manifest(_Strict):
    format: Literal["rrn-desktop-bundle"]
    format_version: Literal[1]
    app_version: Annotated[str, StringConstraints(max_length=40)]
    schema_revision: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    created_at: NaiveDatetime
    organisation: Annotated[OneLine, StringConstraints(max_length=200)]
    scope: Scope
    counts: dict[str, NonNegativeInt]
    records_sha256: Sha256
    evidence: list[EvidenceEntry]


# --- writing -----------------------------------------------------------------------------------


def json_value(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return value


def encode_json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")


def copy_hashing(
    source: IO[bytes],
    sink: IO[bytes] | None,
    limit: int,
    on_block: Callable[[int], None] | None = None,
) -> tuple[str, int]:
    """Copy in blocks (or just read, with no sink), returning the SHA-256 and size; stop with
    ValueError past ``limit`` bytes. ``on_block`` hears each block's size once it is copied (an
    evidence file may be 2 GiB: long enough to need a progress bar, and a Cancel)."""
    digest = hashlib.sha256()
    size = 0
    while block := source.read(_BLOCK):
        size += len(block)
        if size > limit:
            raise ValueError("larger than it said")
        digest.update(block)
        if sink is not None:
            sink.write(block)
        if on_block is not None:
            on_block(len(block))
    return digest.hexdigest(), size


class ByteProgress:
    """Turns blocks copied into the fraction of ``total`` bytes done, for a progress callback
    (which may raise to stop the work: see read_bundle and apply_import)."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self._total = max(total, 1)
        self._done = 0
        self._progress = progress

    def __call__(self, size: int) -> None:
        self._done += size
        if self._progress is not None:
            self._progress(min(self._done / self._total, 1.0))


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    """A bundle read and checked: its manifest and its records, one list per table."""

    path: Path
    manifest: Manifest
    records: dict[str, list[Any]]
    evidence: dict[str, EvidenceEntry] = field(default_factory=dict)
    # What was tidied on the way in (line breaks in a name...), for the import to say.
    notes: tuple[str, ...] = ()
    # Whether its signature shows it comes from this laptop's organisation (bundle_signing).
    origin: Origin = NOT_CHECKED

    @property
    def record_count(self) -> int:
        return sum(len(rows) for rows in self.records.values())

    @property
    def service_names(self) -> list[str]:
        return [service.name for service in self.manifest.scope.services]


def _refuse(path: Path, reason: str) -> BundleError:
    return BundleError(f"{path.name} cannot be imported: {reason}. Nothing was changed.")


def _problems(error: ValidationError, what: str) -> str:
    problems = error.errors(include_url=False)
    described = []
    for problem in problems[:3]:
        location = problem["loc"]
        if what == "records" and len(location) >= 3:
            table, index, *rest = location
            spec = SPECS.get(str(table))
            kind = spec.singular if spec else str(table)
            place = f"{kind} {int(index) + 1}, field '{'.'.join(map(str, rest))}'"
        else:
            place = "field '" + ".".join(map(str, location)) + "'" if location else "the file"
        described.append(f"{place}: {problem['msg']}")
    more = f" (and {len(problems) - 3} more problems)" if len(problems) > 3 else ""
    return f"its {what} are not valid ({'; '.join(described)}{more})"


def _check_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(path, f"it holds more than {MAX_MEMBERS} files")
    total = 0
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise _refuse(path, f"{name} inside it is encrypted")
        if name in members:
            raise _refuse(path, f"it holds {name} twice")
        if name in (MANIFEST, RECORDS):
            limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_RECORDS_BYTES
        elif name.startswith(EVIDENCE_FOLDER) and _SAFE_NAME.fullmatch(
            name.removeprefix(EVIDENCE_FOLDER)
        ):
            limit = MAX_EVIDENCE_BYTES
        else:
            shown = PurePosixPath(name).name or name
            raise _refuse(path, f"it holds a file it should not ('{shown[:80]}')")
        if info.file_size > limit:
            raise _refuse(path, f"{name} inside it is too large ({info.file_size} bytes)")
        total += info.file_size
        members[name] = info
    if total > MAX_TOTAL_BYTES:
        raise _refuse(path, "it would unpack to more than 16 GB")
    for name in (MANIFEST, RECORDS):
        if name not in members:
            raise _refuse(path, f"it has no {name}, so it is not a complete bundle")
    return members


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise _refuse(path, f"{info.filename} inside it is damaged")
    return data


def _check_shape(path: Path, data: bytes, member: str) -> None:
    if problem := shape_problem(data):
        raise _refuse(path, f"its {member} {problem}, so it was not made by RRN Self-Audit")


def _manifest(path: Path, data: bytes) -> Manifest:
    _check_shape(path, data, MANIFEST)
    try:
        raw = json.loads(data)
    except ValueError as error:
        raise _refuse(path, f"its manifest is not readable ({error})") from error
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise _refuse(path, "it is not an RRN Self-Audit bundle")
    version = raw.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise _refuse(
            path,
            f"it was made by a newer version of RRN Self-Audit (bundle format {version}); "
            "install the newer version to import it",
        )
    if version != FORMAT_VERSION:
        raise _refuse(path, f"its bundle format ({version!r}) is not one this version knows")
    revision = raw.get("schema_revision")
    if isinstance(revision, str) and revision.isdigit() and revision > SCHEMA_HEAD:
        raise _refuse(
            path,
            f"it was made by a newer version of RRN Self-Audit (data version {revision}); "
            "install the newer version to import it",
        )
    try:
        manifest = Manifest.model_validate_json(data)
    except ValidationError as error:
        raise _refuse(path, _problems(error, "manifest contents")) from error
    if manifest.schema_revision != SCHEMA_HEAD:
        raise _refuse(
            path,
            f"it holds data version {manifest.schema_revision}, which this version cannot read",
        )
    return manifest


def _cleaning_note(cleaned: list[str]) -> tuple[str, ...]:
    if not cleaned:
        return ()
    pieces = plural(len(cleaned), "piece of text", "pieces of text")
    return (
        f"Line breaks or hidden control characters were taken out of {pieces} (names and "
        "other one-line fields become one line); the words are unchanged.",
    )


def _records(
    path: Path, data: bytes, manifest: Manifest
) -> tuple[dict[str, list[Any]], tuple[str, ...]]:
    """The records, checked, and a note of any text tidied on the way in."""
    if hashlib.sha256(data).hexdigest() != manifest.records_sha256:
        raise _refuse(
            path,
            "its records do not match the checksum in its manifest, so it has been changed or "
            "damaged since it was made",
        )
    _check_shape(path, data, RECORDS)
    cleaned: list[str] = []
    try:
        parsed = Records.model_validate_json(data, context=cleaned)
    except ValidationError as error:
        raise _refuse(path, _problems(error, "records")) from error
    records: dict[str, list[Any]] = {spec.table: getattr(parsed, spec.table) for spec in TABLES}
    counts = {table: len(rows) for table, rows in records.items() if rows}
    if {table: n for table, n in manifest.counts.items() if n} != counts:
        raise _refuse(path, "its manifest does not match the records it holds")
    for spec in TABLES:
        uids = [record.uid for record in records[spec.table]]
        if len(set(uids)) != len(uids):
            raise _refuse(path, f"it holds the same {spec.singular} twice")
    if {s.uid for s in manifest.scope.services} != {r.uid for r in records["service"]}:
        raise _refuse(path, "its manifest does not match the records it holds")
    return records, _cleaning_note(cleaned)


def _check_evidence(
    path: Path,
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    manifest: Manifest,
    records: dict[str, list[Any]],
    progress: Progress | None,
) -> dict[str, EvidenceEntry]:
    entries = {entry.name: entry for entry in manifest.evidence}
    files = {
        name.removeprefix(EVIDENCE_FOLDER) for name in members if name not in {MANIFEST, RECORDS}
    }
    if len(entries) != len(manifest.evidence) or set(entries) != files:
        raise _refuse(path, "its evidence files do not match its manifest")
    referred = set()
    for table in EVIDENCE_TABLES:
        for record in records[table]:
            entry = entries.get(record.stored_name)
            if (
                entry is None
                or entry.sha256 != record.sha256
                or entry.size_bytes != record.size_bytes
            ):
                raise _refuse(
                    path, f"the evidence file '{record.original_name[:80]}' is missing or altered"
                )
            referred.add(record.stored_name)
    if referred != set(entries):
        raise _refuse(path, "it holds evidence files that no record uses")
    hashed = ByteProgress(sum(members[EVIDENCE_FOLDER + n].file_size for n in entries), progress)
    for name, entry in entries.items():
        info = members[EVIDENCE_FOLDER + name]
        try:
            with archive.open(info) as handle:
                sha256, size = copy_hashing(handle, None, info.file_size, hashed)
        except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise _refuse(path, f"the evidence file {name} inside it is damaged") from error
        if (sha256, size) != (entry.sha256, entry.size_bytes):
            raise _refuse(
                path,
                f"the evidence file {name} does not match the checksum in its manifest, so it "
                "has been changed or damaged since the bundle was made",
            )
    return entries


def _check_packs(path: Path, records: dict[str, list[Any]]) -> None:
    """Each benchmark's pack is one this version ships, or one the bundle carries (and the
    carried ones are usable packs)."""
    carried = {}
    for kept in records.get("instrument_pack", []):
        try:
            if text_hash(kept.content) != kept.sha256:
                raise PackError(f"{kept.title} does not match its own checksum")
            carried[kept.pack_id] = parse_pack(kept.content, kept.title, ContentPack)
        except PackError as error:
            raise _refuse(path, f"a self-assessment pack in it is damaged: {error}") from error
    for pack_id in sorted({record.pack_id for record in records["benchmark"]}):
        try:
            if not re.fullmatch(r"[0-9a-z_-]{1,100}", pack_id):
                raise PackError(pack_id)
            if pack_id not in carried:
                shipped_pack(pack_id)
        except PackError as error:
            raise _refuse(
                path,
                f"it holds a benchmark made with the content pack '{pack_id}', which this "
                "version of RRN Self-Audit does not have",
            ) from error


def read_bundle(
    path: Path, signing: SigningKey | None = None, progress: Progress | None = None
) -> Bundle:
    """Open and check a bundle; raise BundleError saying why if it cannot be imported.

    ``signing`` is this laptop's key and policy (storage/signing_key.load_signing), None when
    no key is set: a bundle its policy refuses is refused here, before its records are read.
    ``progress`` follows the evidence files being checked; reading changes nothing, so it may
    raise at any point to stop."""
    try:
        # At once, before a byte is read: a pipe or a device such as /dev/zero never ends.
        path = require_regular_file(path, "bundle")
    except NotAFileError as error:
        raise BundleError(error.message) from error
    try:
        with zipfile.ZipFile(path) as archive:
            members = _check_members(path, archive)
            manifest_json = _read_member(path, archive, members[MANIFEST])
            manifest = _manifest(path, manifest_json)
            origin = check_origin(manifest_json, archive.comment, signing)
            if origin.refused:
                raise _refuse(path, origin.reason)
            records, notes = _records(path, _read_member(path, archive, members[RECORDS]), manifest)
            evidence = _check_evidence(path, archive, members, manifest, records, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise _refuse(
            path, "it is not a bundle made by RRN Self-Audit, or it is damaged or incomplete"
        ) from error
    except OSError as error:
        raise BundleError(
            f"{path.name} could not be read ({error.strerror or error}). Nothing was changed."
        ) from error
    _check_packs(path, records)
    return Bundle(
        path=path,
        manifest=manifest,
        records=records,
        evidence=evidence,
        notes=notes,
        origin=origin,
    )
