"""Evidence files: copied into the data folder, so a record survives the original moving.

Each copy keeps its contents byte for byte, but is named by file_types: under its own extension
only when that is a document or picture type and its first bytes agree, so the operating system
can never be asked to run it (see file_types and gui.evidence_opening).
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.saving import save_atomically
from rrn_desktop.core.file_types import read_head, stored_suffix
from rrn_desktop.core.text_cleaning import clean_line
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.input_files import NotAFileError, require_regular_file
from rrn_desktop.storage.models import EvidenceContent


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    original_name: str
    stored_path: Path
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class StoredCopy:
    original_name: str
    stored_name: str
    sha256: str
    size_bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def stored_copy(evidence_dir: Path, source: Path) -> Iterator[StoredCopy]:
    """Copy the file in; if the record that should point to it is not saved, remove it again."""
    try:
        # A pipe or a device would never finish copying; a link is not the file itself.
        require_regular_file(source, "file")
    except NotAFileError as error:
        raise InputError(
            error.message.replace("Nothing was changed.", "Nothing was attached.")
        ) from error
    partial = evidence_dir / f"{uuid.uuid4().hex}.partial"
    try:
        shutil.copyfile(source, partial)
        # Named by the copy's own first bytes, which are what will be opened later.
        stored_name = partial.stem + stored_suffix(source.name, read_head(partial))
        target = evidence_dir / stored_name
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserFacingError(
            f"The file {source.name} could not be copied into the data folder "
            f"({error.strerror}). Nothing was attached."
        ) from error
    try:
        yield StoredCopy(
            clean_line(source.name), stored_name, _sha256(target), target.stat().st_size
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def discard_copy(evidence_dir: Path, stored_name: str) -> None:
    (evidence_dir / stored_name).unlink(missing_ok=True)


def keep_content(db: Database, session: Session, copy: StoredCopy | str) -> None:
    """On a shared database, the file's bytes go into the database with its record, so that
    everyone can open it; a data folder keeps the copy in its evidence folder alone."""
    if db.shared:
        name = copy if isinstance(copy, str) else copy.stored_name
        content = (db.evidence_dir / name).read_bytes()
        session.add(EvidenceContent(stored_name=name, content=content))


def forget_content(db: Database, session: Session, stored_name: str) -> None:
    if db.shared:
        session.execute(delete(EvidenceContent).where(EvidenceContent.stored_name == stored_name))


def local_copy(db: Database, stored: Path) -> Path:
    """The file to open: on a shared database, fetched into this person's own folder the first
    time it is opened here."""
    if not db.shared or stored.is_file():
        return stored
    with db.transaction() as session:
        row = session.get(EvidenceContent, stored.name)
        if row is None:
            raise UserFacingError(f"The evidence file {stored.name} is not in the shared database.")
        content = row.content
    save_atomically(content, stored, "evidence file")
    return stored
