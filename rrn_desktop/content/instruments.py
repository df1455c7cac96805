"""The self-assessment instruments the app knows, declared once: the command line (and, as
they come, the menus and reports) read them from here.

Today only the shipped packs are listed; an instrument file a person brings is checked with
:func:`check_instrument_file` before anything else is done with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rrn_desktop.base.pack_ids import TRAINING_STANDARDS_PACK_ID
from rrn_desktop.base.wording import plural
from rrn_desktop.content.loader import load_pack, shipped_pack
from rrn_desktop.content.pack_models import ContentPack

SHIPPED_INSTRUMENTS = (
    TRAINING_STANDARDS_PACK_ID,
    "six-core-strategies",
    "wales-reducing-restrictive-practices",
)


@dataclass(frozen=True)
class InstrumentSummary:
    """What a person needs to know to choose an instrument."""

    id: str
    title: str
    version: str
    source: str
    licence_note: str
    sections: int
    items: int
    answers: tuple[str, ...]

    @property
    def lines(self) -> list[str]:
        return [
            f"{self.title} (id {self.id}, version {self.version})",
            f"  {plural(self.sections, 'section')}, {plural(self.items, 'item')}; "
            f"answers: {', '.join(self.answers)}",
            f"  Source: {self.source}",
            f"  Wording: {self.licence_note}",
        ]


def summary(pack: ContentPack) -> InstrumentSummary:
    return InstrumentSummary(
        id=pack.id,
        title=pack.title,
        version=pack.version,
        source=pack.source,
        licence_note=pack.wording_note,
        sections=len(pack.sections),
        items=pack.item_count,
        answers=tuple(option.label for option in pack.rating_scale),
    )


def shipped_instruments() -> list[InstrumentSummary]:
    return [summary(shipped_pack(pack_id)) for pack_id in SHIPPED_INSTRUMENTS]


def check_instrument_file(path: Path) -> InstrumentSummary:
    """The file's instrument, or PackError naming the file, the place and the reason."""
    return summary(load_pack(path, ContentPack))
