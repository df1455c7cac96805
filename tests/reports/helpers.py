"""Shared helpers for report tests: ratings made through the core API, PDF text read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from rrn_desktop.base.vocabulary import Rating
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.benchmarks import ParticipantInfo, set_rating
from rrn_desktop.storage.database import Database

PEOPLE = [
    ParticipantInfo("Alex Manager", "Registered manager"),
    ParticipantInfo("Sam Voice", "Expert by experience", lived_experience=True),
]


def rate_all(db: Database, benchmark_id: int, pack: ContentPack, pattern: list[Rating]) -> None:
    for index, (_section, item) in enumerate(pack.items()):
        set_rating(db, benchmark_id, item.code, pattern[index % len(pattern)])


@dataclass(frozen=True)
class PdfText:
    pages: list[str]

    @property
    def all(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """All text with runs of whitespace (line breaks included) made single spaces."""
        return re.sub(r"\s+", " ", self.all)


def read_pdf(path: Path) -> PdfText:
    reader = PdfReader(path)
    return PdfText([page.extract_text() or "" for page in reader.pages])


# Words the reports once printed in place of an empty field: each now leaves the field out.
FILLER = (
    "No description written.",
    "No files attached.",
    "No measurable outcome recorded yet.",
    "No progress notes yet.",
    "No readings recorded yet.",
    "No changes recorded.",
    "No reason recorded.",
    "No notes or evidence recorded.",
    "No actions under this strategy yet.",
)
