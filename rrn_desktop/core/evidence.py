"""Evidence files: copied into the data folder, so a record survives the original moving."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rrn_desktop.core.validation import InputError
from rrn_desktop.errors import UserFacingError


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
    if not source.is_file():
        raise InputError(f"The file {source} could not be found.")
    stored_name = f"{uuid.uuid4().hex}{source.suffix.lower()[:20]}"
    target = evidence_dir / stored_name
    partial = target.with_name(stored_name + ".partial")
    try:
        shutil.copyfile(source, partial)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserFacingError(
            f"The file {source.name} could not be copied into the data folder "
            f"({error.strerror}). Nothing was attached."
        ) from error
    try:
        yield StoredCopy(source.name, stored_name, _sha256(target), target.stat().st_size)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def discard_copy(evidence_dir: Path, stored_name: str) -> None:
    (evidence_dir / stored_name).unlink(missing_ok=True)
