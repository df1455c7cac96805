"""The fault corpus: damaged data folders, hostile backups and bundles, and outputs aimed at the
data's own files, each made here from a sound demo folder, so the corpus needs no files kept
in the repository and grows by adding one function.

Three kinds of case:

- ``data``: the data folder itself is damaged, empty, foreign or from elsewhere;
- ``input``: a file handed to ``restore`` and ``import``;
- ``output``: a path handed to ``report pack --out``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME

Kind = Literal["data", "input", "output"]


@dataclass(frozen=True)
class Sources:
    """A sound demo data folder with one backup, and a bundle and a backup of it outside; and
    another laptop's demo folder, made apart (so every record in the bundle is new to it)."""

    folder: Path
    backup: Path
    bundle: Path
    other: Path
    # The same bundle signed with the organisation's key (its signature is the zip comment).
    signed_bundle: Path
    key: bytes


@dataclass(frozen=True)
class Case:
    name: str
    kind: Kind
    # data: damages the folder given; input: returns the file to restore and import (made in
    # the folder given, a scratch folder); output: returns the path for --out in the data folder.
    make: Callable[[Sources, Path], Path | None]
    # The operations that must refuse (the rest may refuse or succeed, never harmfully).
    must_refuse: frozenset[str] = frozenset()
    # An import that is right to go ahead (the hostile part is made harmless on the way in).
    import_accepted: bool = False
    # A data fault that a restore of the newest backup puts right.
    restorable: bool = True
    # The laptop importing has the organisation's key set, and refuses what it cannot trust.
    signed: bool = False
    notes: tuple[str, ...] = field(default=())


CASES: list[Case] = []


def case(
    kind: Kind, must_refuse: tuple[str, ...] = (), **options: object
) -> Callable[[Callable[[Sources, Path], Path | None]], Callable[[Sources, Path], Path | None]]:
    def register(make: Callable[[Sources, Path], Path | None]) -> Callable[..., Path | None]:
        name = make.__name__.replace("_", " ")
        CASES.append(Case(name, kind, make, frozenset(must_refuse), **options))  # type: ignore[arg-type]
        return make

    return register


# --- helpers -----------------------------------------------------------------------------------


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, members: dict[str, bytes], comment: bytes = b"") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.comment = comment
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rehash_backup(members: dict[str, bytes]) -> None:
    """Make a backup's manifest match its members, as a careful forger would."""
    manifest = json.loads(members["manifest.json"])
    manifest["files"] = {
        name: {"sha256": _sha(data), "size": len(data)}
        for name, data in members.items()
        if name != "manifest.json"
    }
    members["manifest.json"] = json.dumps(manifest).encode()


def rehash_bundle(members: dict[str, bytes]) -> None:
    manifest = json.loads(members["manifest.json"])
    records = json.loads(members["records.json"])
    for table in ("evidence_file", "action_evidence_file"):
        for row in records.get(table, []):
            data = members["evidence/" + row["stored_name"]]
            row["sha256"], row["size_bytes"] = _sha(data), len(data)
    members["records.json"] = json.dumps(records).encode()
    manifest["records_sha256"] = _sha(members["records.json"])
    manifest["counts"] = {table: len(rows) for table, rows in records.items()}
    for entry in manifest["evidence"]:
        data = members["evidence/" + entry["name"]]
        entry["sha256"], entry["size_bytes"] = _sha(data), len(data)
    members["manifest.json"] = json.dumps(manifest).encode()


def edited_bundle(sources: Sources, scratch: Path, name: str, edit: Callable[..., None]) -> Path:
    """The bundle with its records (and evidence) edited by edit(records, members), re-hashed."""
    members = members_of(sources.bundle)
    records = json.loads(members["records.json"])
    edit(records, members)
    members["records.json"] = json.dumps(records).encode()
    rehash_bundle(members)
    return write_zip(scratch / name, members)


def sqlite_file(path: Path, *statements: str) -> Path:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


def _data(folder: Path) -> Path:
    return folder / DATABASE_NAME


def _index_page(db_path: Path) -> tuple[int, int]:
    """(page size, page number) of the first page of an index with entries."""
    connection = sqlite3.connect(db_path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        for name, root in connection.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type='index' AND rootpage > 0 "
            "ORDER BY name"
        ):
            if name.startswith("ix_service") or name.startswith("sqlite_autoindex_service"):
                return page_size, root
    finally:
        connection.close()
    raise AssertionError("the demo data has an index on services")


# --- the data folder ---------------------------------------------------------------------------


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_of_zero_bytes(sources: Sources, folder: Path) -> None:
    _data(folder).write_bytes(b"")


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_of_another_program(sources: Sources, folder: Path) -> None:
    _data(folder).unlink()
    sqlite_file(
        _data(folder),
        "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)",
        "INSERT INTO recipes (title) VALUES ('Bara brith')",
    )


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_that_is_text(sources: Sources, folder: Path) -> None:
    _data(folder).write_text("These are my notes, saved over the data by a sync tool.\n")


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_missing_its_version_row(sources: Sources, folder: Path) -> None:
    sqlite_file(_data(folder), "DELETE FROM alembic_version")


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_from_a_newer_version(sources: Sources, folder: Path) -> None:
    sqlite_file(_data(folder), "UPDATE alembic_version SET version_num = '9999'")


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_cut_in_half(sources: Sources, folder: Path) -> None:
    path = _data(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_with_junk_in_the_middle(sources: Sources, folder: Path) -> None:
    path = _data(folder)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 16)


@case("data", must_refuse=("check", "start-up", "report pack"))
def data_file_with_flipped_bytes_in_an_index(sources: Sources, folder: Path) -> None:
    """Damage the quick start-up check cannot see: the rows are whole, an index is not."""
    path = _data(folder)
    page_size, page = _index_page(path)
    with path.open("r+b") as handle:
        start = (page - 1) * page_size
        handle.seek(start)
        content = bytearray(handle.read(page_size))
        # Flip 16 bytes of the cells at the end of the page, where the keys are kept.
        rng = random.Random(17)
        for offset in rng.sample(range(page_size - 200, page_size - 8), 16):
            content[offset] ^= 0x55
        handle.seek(start)
        handle.write(content)


@case("data", must_refuse=("report pack",))
def data_file_with_text_that_is_not_utf8(sources: Sources, folder: Path) -> None:
    sqlite_file(_data(folder), "UPDATE service SET name = name || CAST(X'FF' AS TEXT)")


@case("data", must_refuse=("report pack",))
def data_file_with_an_unknown_status(sources: Sources, folder: Path) -> None:
    sqlite_file(_data(folder), "UPDATE restriction SET status = 'WOBBLY'")


@case("data", must_refuse=("check", "start-up", "report pack"), restorable=False)
def data_folder_that_is_a_file(sources: Sources, folder: Path) -> Path:
    target = folder.parent / (folder.name + "-file")
    target.write_text("not a folder\n")
    return target


# --- files handed to restore and import --------------------------------------------------------

_BOTH = ("restore", "import")


@case("input", must_refuse=_BOTH)
def a_missing_file(sources: Sources, scratch: Path) -> Path:
    return scratch / "nowhere.zip"


@case("input", must_refuse=_BOTH)
def a_folder(sources: Sources, scratch: Path) -> Path:
    (scratch / "folder.zip").mkdir()
    return scratch / "folder.zip"


@case("input", must_refuse=_BOTH)
def a_named_pipe(sources: Sources, scratch: Path) -> Path:
    os.mkfifo(scratch / "pipe.zip")
    return scratch / "pipe.zip"


@case("input", must_refuse=_BOTH)
def the_endless_device(sources: Sources, scratch: Path) -> Path:
    return Path("/dev/zero")


@case("input", must_refuse=_BOTH)
def a_link_to_a_good_file(sources: Sources, scratch: Path) -> Path:
    (scratch / "link.zip").symlink_to(sources.backup)
    return scratch / "link.zip"


@case("input", must_refuse=_BOTH)
def an_empty_file(sources: Sources, scratch: Path) -> Path:
    (scratch / "empty.zip").write_bytes(b"")
    return scratch / "empty.zip"


@case("input", must_refuse=_BOTH)
def a_text_file(sources: Sources, scratch: Path) -> Path:
    (scratch / "notes.zip").write_text("Dear inspector <&> ŵ 🙂\n")
    return scratch / "notes.zip"


@case("input", must_refuse=_BOTH)
def random_bytes(sources: Sources, scratch: Path) -> Path:
    (scratch / "noise.zip").write_bytes(random.Random(3).randbytes(50_000))
    return scratch / "noise.zip"


@case("input", must_refuse=_BOTH)
def someone_elses_zip(sources: Sources, scratch: Path) -> Path:
    return write_zip(scratch / "photos.zip", {"readme.txt": b"holiday photos"})


@case("input", must_refuse=_BOTH)
def a_backup_cut_in_half(sources: Sources, scratch: Path) -> Path:
    data = sources.backup.read_bytes()
    (scratch / "half.zip").write_bytes(data[: len(data) // 2])
    return scratch / "half.zip"


@case("input", must_refuse=_BOTH)
def a_bundle_cut_in_half(sources: Sources, scratch: Path) -> Path:
    data = sources.bundle.read_bytes()
    (scratch / "half.rrnbundle").write_bytes(data[: len(data) // 2])
    return scratch / "half.rrnbundle"


@case("input", must_refuse=_BOTH)
def a_backup_with_a_path_out_of_its_folder(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    members["evidence/../../escaped.txt"] = b"out"
    rehash_backup(members)
    return write_zip(scratch / "slip.zip", members)


@case("input", must_refuse=_BOTH)
def a_bundle_with_a_path_out_of_its_folder(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.bundle)
    members["evidence/../../escaped.txt"] = b"out"
    return write_zip(scratch / "slip.rrnbundle", members)


@case("input", must_refuse=_BOTH)
def a_backup_whose_manifest_is_not_json(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    members["manifest.json"] = b"{not json"
    return write_zip(scratch / "manifest.zip", members)


@case("input", must_refuse=_BOTH)
def a_bundle_whose_manifest_is_nested_deep(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.bundle)
    members["manifest.json"] = b"[" * 5000 + b"]" * 5000
    return write_zip(scratch / "deep.rrnbundle", members)


@case("input", must_refuse=_BOTH)
def a_backup_whose_manifest_is_nested_deep(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    members["manifest.json"] = b'{"format": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    return write_zip(scratch / "deep.zip", members)


@case("input", must_refuse=_BOTH)
def a_bundle_with_a_number_beyond_64_bits(sources: Sources, scratch: Path) -> Path:
    def edit(records: dict[str, list[dict[str, object]]], _members: object) -> None:
        records["incident"][0]["duration_minutes"] = 2**70

    return edited_bundle(sources, scratch, "huge.rrnbundle", edit)


@case("input", must_refuse=_BOTH)
def a_backup_from_a_newer_format(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = 99
    members["manifest.json"] = json.dumps(manifest).encode()
    return write_zip(scratch / "newer.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_with_a_member_not_listed(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    members["evidence/extra.pdf"] = b"%PDF-1.4 extra"
    return write_zip(scratch / "extra.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_missing_a_listed_member(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    gone = next(name for name in members if name.startswith(EVIDENCE_DIR + "/"))
    del members[gone]
    return write_zip(scratch / "missing.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_whose_data_was_altered(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    data = bytearray(members[DATABASE_NAME])
    data[len(data) // 2] ^= 0xFF
    members[DATABASE_NAME] = bytes(data)
    return write_zip(scratch / "altered.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_that_says_its_data_is_small(sources: Sources, scratch: Path) -> Path:
    """A few MB that would unpack to far more than its list of contents admits."""
    members = members_of(sources.backup)
    name = "evidence/zeros.pdf"
    members[name] = b"%PDF" + bytes(40_000_000)
    rehash_backup(members)
    manifest = json.loads(members["manifest.json"])
    manifest["files"][name]["size"] = 10
    members["manifest.json"] = json.dumps(manifest).encode()
    return write_zip(scratch / "small.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_holding_another_programs_database(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    foreign = sqlite_file(scratch / "foreign.sqlite3", "CREATE TABLE recipes (id INTEGER)")
    members[DATABASE_NAME] = foreign.read_bytes()
    rehash_backup(members)
    return write_zip(scratch / "foreign.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_holding_an_empty_data_file(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    members[DATABASE_NAME] = b""
    rehash_backup(members)
    return write_zip(scratch / "empty-data.zip", members)


@case("input", must_refuse=_BOTH)
def a_backup_from_a_newer_data_version(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.backup)
    work = scratch / "newer.sqlite3"
    work.write_bytes(members[DATABASE_NAME])
    sqlite_file(work, "UPDATE alembic_version SET version_num = '9999'")
    members[DATABASE_NAME] = work.read_bytes()
    rehash_backup(members)
    manifest = json.loads(members["manifest.json"])
    manifest["schema_revision"] = "9999"
    members["manifest.json"] = json.dumps(manifest).encode()
    return write_zip(scratch / "newer-data.zip", members)


@case("input", must_refuse=_BOTH)
def a_bundle_whose_records_were_altered(sources: Sources, scratch: Path) -> Path:
    members = members_of(sources.bundle)
    records = json.loads(members["records.json"])
    records["service"][0]["name"] = "Altered after export"
    members["records.json"] = json.dumps(records).encode()
    return write_zip(scratch / "altered.rrnbundle", members)


@case("input", must_refuse=("restore",), import_accepted=True)
def a_bundle_carrying_a_program_dressed_as_a_document(sources: Sources, scratch: Path) -> Path:
    def edit(records: dict[str, list[dict[str, object]]], members: dict[str, bytes]) -> None:
        for table in ("evidence_file", "action_evidence_file"):
            for row in records.get(table, []):
                old = str(row["stored_name"])
                new = old.rsplit(".", 1)[0] + ".hta"
                members["evidence/" + new] = b'<HTA:APPLICATION><script>alert("x")</script>'
                del members["evidence/" + old]
                row["stored_name"] = new
                row["original_name"] = "Training plan 2025.pdf"
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["evidence"]:
            entry["name"] = entry["name"].rsplit(".", 1)[0] + ".hta"
        members["manifest.json"] = json.dumps(manifest).encode()

    return edited_bundle(sources, scratch, "hta.rrnbundle", edit)


@case("input", must_refuse=("restore",), import_accepted=True)
def a_bundle_with_a_service_named_with_99_line_breaks(sources: Sources, scratch: Path) -> Path:
    def edit(records: dict[str, list[dict[str, object]]], _members: object) -> None:
        records["service"][0]["name"] = "\n".join(["Ward"] + ["x"] * 98)[:199]

    return edited_bundle(sources, scratch, "lines.rrnbundle", edit)


@case("input", must_refuse=("restore",), import_accepted=True)
def a_bundle_with_a_note_of_350_words(sources: Sources, scratch: Path) -> Path:
    def edit(records: dict[str, list[dict[str, object]]], _members: object) -> None:
        words = "Staff <b>&amp; families</b> met at Tŷ Gwyn 🙂 to agree the next steps; "
        records["action_note"][0]["text"] = words * 30

    return edited_bundle(sources, scratch, "long-note.rrnbundle", edit)


@case("input", must_refuse=("restore",), import_accepted=True)
def a_bundle_dated_a_year_in_the_future(sources: Sources, scratch: Path) -> Path:
    def edit(records: dict[str, list[dict[str, object]]], _members: object) -> None:
        for rows in records.values():
            for row in rows:
                if isinstance(row.get("updated_at"), str):
                    row["updated_at"] = "2027-12-05T09:00:00"
        records["service"][0]["name"] = "Renamed on a laptop a year ahead"

    return edited_bundle(sources, scratch, "future.rrnbundle", edit)


@case("input", must_refuse=_BOTH, signed=True)
def a_signed_bundle_altered_and_rehashed(sources: Sources, scratch: Path) -> Path:
    """What someone without the key can do at best: change a record, fix every hash, and keep
    the signature that was there."""
    members = members_of(sources.signed_bundle)
    records = json.loads(members["records.json"])
    records["service"][0]["name"] = "Altered after signing"
    members["records.json"] = json.dumps(records).encode()
    rehash_bundle(members)
    with zipfile.ZipFile(sources.signed_bundle) as archive:
        comment = archive.comment
    return write_zip(scratch / "forged.rrnbundle", members, comment)


@case("input", must_refuse=_BOTH, signed=True)
def an_unsigned_bundle_where_signatures_are_required(sources: Sources, scratch: Path) -> Path:
    return sources.bundle


@case("input", must_refuse=("restore",), import_accepted=True, signed=True)
def a_signed_bundle_as_it_was_made(sources: Sources, scratch: Path) -> Path:
    return sources.signed_bundle


# --- outputs aimed at the data's own files -----------------------------------------------------


@case("output", must_refuse=("report pack",))
def a_report_over_the_data_file(sources: Sources, folder: Path) -> Path:
    return _data(folder)


@case("output", must_refuse=("report pack",))
def a_report_over_the_journal(sources: Sources, folder: Path) -> Path:
    return folder / f"{DATABASE_NAME}-wal"


@case("output", must_refuse=("report pack",))
def a_report_over_the_lock(sources: Sources, folder: Path) -> Path:
    return folder / LOCK_NAME


@case("output", must_refuse=("report pack",))
def a_report_over_an_evidence_file(sources: Sources, folder: Path) -> Path:
    return sorted((folder / EVIDENCE_DIR).iterdir())[0]


@case("output", must_refuse=("report pack",))
def a_report_over_a_backup(sources: Sources, folder: Path) -> Path:
    return sorted((folder / "backups").glob("*.zip"))[0]


@case("output", must_refuse=("report pack",))
def a_report_with_a_name_too_long(sources: Sources, folder: Path) -> Path:
    return folder.parent / ("pack-" + "x" * 300 + ".pdf")


@case("output", must_refuse=("report pack",))
def a_report_into_a_missing_folder(sources: Sources, folder: Path) -> Path:
    return folder.parent / "no-such-folder" / "pack.pdf"
