"""Moving data between laptops: one service (or everything) in a bundle file, merged elsewhere.

``export_bundle`` writes the file; ``read_bundle`` checks one coming in; ``plan_import`` says
what it would add, update and skip; ``apply_import`` carries that out, all or nothing. The file
format is described in bundle_format, the merge rules in bundle_import.

What travels with one service: the service, its benchmarks (participants, ratings, evidence,
sign-offs), checklist answers, register entries (deleted ones too, marked so) with their status
changes and reviews, its actions and every action linked to its benchmarks, register entries or
learning points (with their history, readings and evidence), and its incident records with
support, reviews and learning points. Exporting everything adds the organisation-wide actions,
the pledge and staff pledges. Never carried: the organisation itself (the importing laptop keeps
its own name and settings), the change log, settings, and the retention removal record.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rrn_desktop import __version__
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.saving import check_writable, written_in_place
from rrn_desktop.core.bundle_format import (
    BUNDLE_SUFFIX,
    EVIDENCE_FOLDER,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MAX_EVIDENCE_BYTES,
    RECORDS,
    Bundle,
    BundleError,
    ByteProgress,
    Progress,
    copy_hashing,
    encode_json,
    json_value,
    read_bundle,
)
from rrn_desktop.core.bundle_import import ImportPlan, Outcome, apply_import, plan_import
from rrn_desktop.core.bundle_signing import fingerprint, signature_comment
from rrn_desktop.core.bundle_tables import (
    EVIDENCE_TABLES,
    TABLES,
    TableSpec,
    field_name,
)
from rrn_desktop.core.bundle_versions import read_versions
from rrn_desktop.core.evidence import local_copy
from rrn_desktop.core.wording import plural
from rrn_desktop.storage.database import SCHEMA_HEAD, Database
from rrn_desktop.storage.models import (
    VERSIONS,
    Action,
    Benchmark,
    Incident,
    InstrumentPack,
    LearningPoint,
    LearningReview,
    Organisation,
    Service,
    table_of,
    utc_now,
)
from rrn_desktop.storage.signing_key import load_signing

__all__ = [
    "BUNDLE_SUFFIX",
    "Bundle",
    "BundleError",
    "BundleSummary",
    "ImportPlan",
    "Outcome",
    "apply_import",
    "export_bundle",
    "plan_import",
    "read_bundle",
]


@dataclass(frozen=True)
class BundleSummary:
    """What a finished export gives back."""

    path: Path
    services: tuple[str, ...]
    records: int
    evidence_files: int
    size_bytes: int
    seconds: float
    # Evidence files missing from (or changed in) the data folder, so left out of the bundle.
    left_out: tuple[str, ...] = ()
    # The fingerprint of the organisation's key it was signed with, if it was.
    signed_with: str | None = None

    @property
    def summary(self) -> str:
        """'bundle.rrnbundle: 1 service, 245 records, 3 evidence files'."""
        services = len(self.services)
        text = (
            f"{self.path}: {plural(services, 'service')}, "
            f"{plural(self.records, 'record')}, "
            f"{plural(self.evidence_files, 'evidence file')}"
        )
        if self.left_out:
            text += (
                f" ({plural(len(self.left_out), 'evidence file')} left out, missing or changed "
                f"in the data folder: {', '.join(self.left_out)})"
            )
        if self.signed_with:
            text += f", signed with your organisation's key ({self.signed_with})"
        return text


# --- choosing the records ------------------------------------------------------------------------


def _actions_of_learning(session: Session, service_ids: set[int]) -> set[int]:
    return set(
        session.scalars(
            select(LearningPoint.action_id)
            .join(LearningReview, LearningPoint.review_id == LearningReview.id)
            .join(Incident, LearningReview.incident_id == Incident.id)
            .where(Incident.service_id.in_(service_ids), LearningPoint.action_id.is_not(None))
        )
    )


def _belongs(
    spec: TableSpec,
    row: Any,
    chosen: dict[str, set[int]],
    service_ids: set[int],
    extra: set[int],
    packs: set[str | None],
) -> bool:
    """Whether a row travels with these services (everything else: see _collect): ``extra``
    are the actions of their learning, ``packs`` the hashes of their benchmarks' packs."""
    if spec.model is Service:
        return row.id in service_ids
    if spec.model is Action:
        return (
            row.service_id in service_ids
            or row.benchmark_id in chosen["benchmark"]
            or row.restriction_id in chosen["restriction"]
            or row.id in extra
        )
    if spec.model is InstrumentPack:
        return row.sha256 in packs
    if spec.owner is None:
        return False  # the pledge and staff pledges belong to the whole organisation
    return getattr(row, spec.owner) in chosen[spec.links[spec.owner]]


def _collect(session: Session, service_ids: set[int] | None) -> dict[str, list[Any]]:
    """Each table's rows in the bundle, oldest first; every service's when service_ids is None."""
    learning_actions = _actions_of_learning(session, service_ids) if service_ids else set()
    chosen: dict[str, set[int]] = {}
    rows: dict[str, list[Any]] = {}
    packs: set[str | None] = set()  # filled once the benchmarks are chosen
    for spec in TABLES:
        every = session.scalars(select(spec.model).order_by(table_of(spec.model).c.id)).all()
        rows[spec.table] = (
            list(every)
            if service_ids is None
            else [
                r for r in every if _belongs(spec, r, chosen, service_ids, learning_actions, packs)
            ]
        )
        if spec.model is Benchmark:
            packs = {row.pack_sha256 for row in rows[spec.table]}
        chosen[spec.table] = {row.id for row in rows[spec.table]}
    return rows


def _records(session: Session, rows: dict[str, list[Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows as bundle records: links written as uids, with their version vectors. A link to a
    record that is not in the bundle (an action of this service made from another service's
    benchmark) is left empty."""
    uids = {table: {row.id: row.uid for row in table_rows} for table, table_rows in rows.items()}
    records: dict[str, list[dict[str, Any]]] = {}
    for spec in TABLES:
        records[spec.table] = []
        vectors = (
            read_versions(session, spec.model, (row.id for row in rows[spec.table]))
            if spec.versioned
            else {}
        )
        for row in rows[spec.table]:
            record: dict[str, Any] = {"uid": row.uid}
            if spec.versioned:
                record[VERSIONS] = vectors[row.id]
            for column in spec.columns:
                value = getattr(row, column.name)
                if column.name in spec.links and value is not None:
                    value = uids[spec.links[column.name]].get(value)
                    if value is None and not column.nullable:  # pragma: no cover - a bug
                        raise AssertionError(f"{spec.table}.{column.name} leads out of the bundle")
                record[field_name(spec, column)] = json_value(value)
            records[spec.table].append(record)
    return records


def _evidence_files(
    evidence_dir: Path, records: dict[str, list[dict[str, Any]]]
) -> tuple[dict[str, Path], list[str]]:
    """The files to pack, by stored name; records whose file is missing or changed are dropped."""
    files: dict[str, Path] = {}
    left_out: list[str] = []
    for table in EVIDENCE_TABLES:
        kept = []
        for record in records[table]:
            path = evidence_dir / record["stored_name"]
            try:
                with path.open("rb") as handle:
                    sha256, size = copy_hashing(handle, None, MAX_EVIDENCE_BYTES)
                fine = (sha256, size) == (record["sha256"], record["size_bytes"])
            except (OSError, ValueError):
                fine = False
            if fine:
                kept.append(record)
                files[record["stored_name"]] = path
            else:
                left_out.append(record["original_name"])
        records[table] = kept
    return files, left_out


# --- writing the file ----------------------------------------------------------------------------


def _write_zip(
    target: Path,
    manifest: dict[str, Any],
    records_json: bytes,
    files: dict[str, Path],
    key: bytes | None,
    progress: Progress | None,
) -> None:
    packed = ByteProgress(sum(entry["size_bytes"] for entry in manifest["evidence"]), progress)
    with zipfile.ZipFile(target, "x", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(RECORDS, records_json)
        for entry in manifest["evidence"]:
            info = zipfile.ZipInfo(EVIDENCE_FOLDER + entry["name"], time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with (
                files[entry["name"]].open("rb") as source,
                archive.open(info, "w", force_zip64=entry["size_bytes"] >= 1 << 31) as sink,
            ):
                sha256, _size = copy_hashing(source, sink, entry["size_bytes"], packed)
            if sha256 != entry["sha256"]:
                raise BundleError(
                    f"The evidence file {entry['name']} changed while the bundle was being "
                    "made. Try again."
                )
        manifest_json = encode_json(manifest)
        archive.writestr(MANIFEST, manifest_json)
        if key is not None:
            archive.comment = signature_comment(manifest_json, key)


def _save(
    out: Path,
    manifest: dict[str, Any],
    records_json: bytes,
    files: dict[str, Path],
    key: bytes | None,
    progress: Progress | None,
) -> int:
    """Write beside ``out`` and rename into place: never a half-written bundle. Signed with
    ``key`` when there is one."""
    with written_in_place(out, "bundle") as partial:
        _write_zip(partial, manifest, records_json, files, key, progress)
    return out.stat().st_size


def export_bundle(
    db: Database, out: Path, *, service_id: int | None = None, progress: Progress | None = None
) -> BundleSummary:
    """Write one service's records and evidence (every service's without service_id) to out.

    ``progress`` follows the evidence files being packed; whatever it raises stops the export,
    leaving no file behind."""
    started = time.perf_counter()
    out = Path(out).expanduser()
    check_writable(out, "bundle")
    signing = load_signing(db.data_dir)
    with db.transaction() as session:
        if service_id is not None and session.get(Service, service_id) is None:
            raise BundleError("That service no longer exists, so no bundle was made.")
        rows = _collect(session, None if service_id is None else {service_id})
        organisation = session.scalars(select(Organisation.name).order_by(Organisation.id)).first()
        records = _records(session, rows)
    if db.shared:  # the files are in the database: fetched here to go into the bundle
        for table in EVIDENCE_TABLES:
            for record in records.get(table, []):
                with contextlib.suppress(UserFacingError):  # missing: the bundle says so
                    local_copy(db, db.evidence_dir / record["stored_name"])
    files, left_out = _evidence_files(db.evidence_dir, records)
    records_json = encode_json(records)
    services = [{"uid": r["uid"], "name": r["name"]} for r in records["service"]]
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_revision": SCHEMA_HEAD,
        "created_at": json_value(utc_now()),
        "organisation": organisation or "",
        "scope": {"everything": service_id is None, "services": services},
        "counts": {table: len(table_records) for table, table_records in records.items()},
        "records_sha256": hashlib.sha256(records_json).hexdigest(),
        "evidence": [
            {"name": r["stored_name"], "sha256": r["sha256"], "size_bytes": r["size_bytes"]}
            for table in EVIDENCE_TABLES
            for r in records[table]
        ],
    }
    key = signing.key if signing else None
    size = _save(out, manifest, records_json, files, key, progress)
    return BundleSummary(
        path=out,
        services=tuple(s["name"] for s in services),
        records=sum(len(table_records) for table_records in records.values()),
        evidence_files=len(files),
        size_bytes=size,
        seconds=time.perf_counter() - started,
        left_out=tuple(left_out),
        signed_with=fingerprint(key) if key else None,
    )
