"""The self-assessments a benchmark can be made with: the shipped packs and those the
organisation added, and the exact copy each benchmark was made with.

Every pack a benchmark uses is kept in the data file by the hash of its text
(storage.models.InstrumentPack), so editing, upgrading or removing a pack file never changes
a past result: a benchmark reads its own copy, and only new benchmarks take the newest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.pack_ids import TRAINING_STANDARDS_PACK_ID, pack_uid, text_hash
from rrn_desktop.content.instruments import (
    SHIPPED_INSTRUMENTS,
    InstrumentSummary,
    summary,
)
from rrn_desktop.content.loader import (
    PackError,
    parse_pack,
    read_pack_file,
    shipped_pack,
    shipped_path,
)
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.dates import long_date
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import InstrumentPack, utc_now

# Packs by the hash of their text: the same text is the same pack in any data file.
_PARSED: dict[str, ContentPack] = {}


@dataclass(frozen=True)
class Instrument:
    """One instrument as new benchmarks would use it: its newest version here."""

    about: InstrumentSummary
    added_on: str  # "" for a shipped one

    @property
    def id(self) -> str:
        return self.about.id

    @property
    def lines(self) -> list[str]:
        origin = f"  Added by the organisation on {self.added_on}" if self.added_on else ""
        return [*self.about.lines, *([origin] if origin else [])]


def _parsed(sha: str, text: str, name: str) -> ContentPack:
    if sha not in _PARSED:
        _PARSED[sha] = parse_pack(text, name, ContentPack)
    return _PARSED[sha]


def benchmark_pack(pack_id: str, sha: str | None) -> ContentPack:
    """The pack a benchmark was made with: its kept copy once read from the data file
    (see :func:`load_copy`), else the shipped pack of that id."""
    if sha is not None and sha in _PARSED:
        return _PARSED[sha]
    return shipped_pack(pack_id)


def load_copy(session: Session, sha: str | None) -> None:
    """Read a benchmark's kept copy, so that :func:`benchmark_pack` finds it."""
    if sha is None or sha in _PARSED:
        return
    row = session.scalars(select(InstrumentPack).where(InstrumentPack.sha256 == sha)).first()
    if row is not None:
        _parsed(sha, row.content, f"'{row.title}' (kept in the data file)")


def _newest_added(session: Session) -> dict[str, InstrumentPack]:
    rows = session.scalars(
        select(InstrumentPack)
        .where(InstrumentPack.added.is_(True))
        .order_by(InstrumentPack.added_at, InstrumentPack.id)
    ).all()
    return {row.pack_id: row for row in rows}  # the last added of each id wins


def instruments(db: Database) -> list[Instrument]:
    """Every instrument a new benchmark can use, the shipped ones first, each at its newest
    version here (an organisation's own version of a shipped one takes its place)."""
    with db.transaction() as session:
        added = _newest_added(session)
    order = [*SHIPPED_INSTRUMENTS, *(i for i in added if i not in SHIPPED_INSTRUMENTS)]
    found = []
    for pack_id in order:
        row = added.get(pack_id)
        if row is None:
            found.append(Instrument(summary(shipped_pack(pack_id)), ""))
        else:
            pack = _parsed(row.sha256, row.content, row.title)
            found.append(Instrument(summary(pack), long_date(row.added_at.date())))
    return found


def current_text(session: Session, pack_id: str) -> tuple[str, ContentPack]:
    """The text and pack a new benchmark of this instrument is made with."""
    row = _newest_added(session).get(pack_id)
    if row is not None:
        return row.content, _parsed(row.sha256, row.content, row.title)
    if pack_id not in SHIPPED_INSTRUMENTS:
        raise UserFacingError(f"There is no self-assessment called '{pack_id}' here.")
    text = shipped_path(pack_id).read_bytes().decode("utf-8")  # as kept: line ends and all
    return text, _parsed(text_hash(text), text, f"{pack_id}.toml")


def keep_copy(session: Session, text: str, pack: ContentPack, *, added: bool = False) -> str:
    """Store the text under its hash unless it is there already; returns the hash."""
    sha = text_hash(text)
    row = session.scalars(select(InstrumentPack).where(InstrumentPack.sha256 == sha)).first()
    if row is None:
        row = InstrumentPack(
            uid=pack_uid(sha),
            sha256=sha,
            pack_id=pack.id,
            version=pack.version,
            title=pack.title,
            content=text,
        )
        session.add(row)
    if added and not row.added:
        row.added, row.added_at = True, utc_now()
    session.flush()
    return sha


@dataclass(frozen=True)
class Adding:
    """What adding a pack file would do, for the person to confirm an upgrade."""

    about: InstrumentSummary
    replaces: str  # the version it upgrades ("" for a new instrument)


def _check_addition(db: Database, path: Path) -> tuple[str, ContentPack, Adding]:
    """The file's text and pack, and what adding it would do; PackError or UserFacingError
    saying why it cannot be added (nothing is changed)."""
    text, pack = read_pack_file(path, ContentPack)
    with db.transaction() as session:
        sha = text_hash(text)
        same = session.scalars(select(InstrumentPack).where(InstrumentPack.sha256 == sha)).first()
        if same is not None and same.added:
            raise UserFacingError(f"{path.name} is already added: {pack.title}, {pack.version}.")
        now = _newest_added(session).get(pack.id)
        if now is None and pack.id in SHIPPED_INSTRUMENTS:
            before = shipped_pack(pack.id).version
        else:
            before = now.version if now is not None else ""
    if before and before == pack.version:
        raise PackError(
            f"Content pack {path.name} has the id and version of one already here "
            f"({pack.id}, {pack.version}) but different content: give it a new version."
        )
    return text, pack, Adding(summary(pack), before)


def add_instrument(db: Database, path: Path, upgrade: Callable[[Adding], bool]) -> Adding | None:
    """Add the pack file for new benchmarks; where it would replace another version of the
    same instrument, only if ``upgrade`` agrees (None: it did not, and nothing changed).
    Benchmarks already made keep their own copy either way."""
    text, pack, adding = _check_addition(db, path)
    if adding.replaces and not upgrade(adding):
        return None
    with db.transaction() as session:
        keep_copy(session, text, pack, added=True)
    return adding


DEFAULT_INSTRUMENT = TRAINING_STANDARDS_PACK_ID
