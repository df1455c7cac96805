"""The shape every content pack must have, checked by pydantic when a pack is loaded."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rrn_desktop.base.vocabulary import Rating

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def require_unique(what: str, values: Iterable[str]) -> None:
    """Refuse repeated ids or codes, naming them; linear, so a huge pack is refused quickly."""
    repeated = sorted(value for value, times in Counter(values).items() if times > 1)
    if repeated:
        raise ValueError(f"{what} must be unique; repeated: {', '.join(repeated)}")


class _Strict(BaseModel):
    # A typo in a pack field name should be an error, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RatingOption(_Strict):
    key: Rating
    label: NonEmpty
    points: float | None = Field(
        default=None,
        description="Score for this answer; none means the item is left out of the score.",
    )
    shortcut: Annotated[str, StringConstraints(pattern=r"^[0-9]$")]
    description: NonEmpty


class RagBand(_Strict):
    colour: NonEmpty
    label: NonEmpty
    min_percent: float = Field(ge=0, le=100)
    meaning: NonEmpty


class Item(_Strict):
    code: NonEmpty
    text: NonEmpty
    help: str = ""
    official: bool = Field(
        default=False,
        description="True only when the code is a published standard number, not the pack's own.",
    )
    standard: str = Field(
        default="",
        description="The published standard this prompt sits under, where the pack knows it.",
    )


class Section(_Strict):
    id: NonEmpty
    title: NonEmpty
    summary: NonEmpty
    help: str = ""
    items: list[Item] = Field(min_length=1)

    @property
    def numbered(self) -> bool:
        """A section numbered as the standards number theirs ("1"), not named ("leadership")."""
        return bool(re.fullmatch(r"[0-9][0-9.]*", self.id))

    @property
    def heading(self) -> str:
        """ "1. Leadership…" for a numbered section; a named one by its title alone."""
        return f"{self.id}. {self.title}" if self.numbered else self.title

    @property
    def column_title(self) -> str:
        """A short column heading for its score: "Section 1", or the title."""
        return f"Section {self.id}" if self.numbered else self.title


class ContentPack(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    version: NonEmpty
    source: NonEmpty
    wording_note: NonEmpty
    scoring_note: NonEmpty
    rating_scale: list[RatingOption]
    rag_note: NonEmpty
    rag: list[RagBand] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_consistency(self) -> ContentPack:
        keys = [option.key for option in self.rating_scale]
        if sorted(keys) != sorted(Rating) or len(keys) != len(set(keys)):
            raise ValueError(
                "rating_scale must list each of these answers exactly once: "
                + ", ".join(r.value for r in Rating)
            )
        shortcuts = [option.shortcut for option in self.rating_scale]
        if len(shortcuts) != len(set(shortcuts)):
            raise ValueError("rating_scale: two answers share the same shortcut key")
        require_unique("item codes", (i.code for s in self.sections for i in s.items))
        require_unique("section ids", (section.id for section in self.sections))
        thresholds = [band.min_percent for band in self.rag]
        if thresholds != sorted(thresholds, reverse=True) or thresholds[-1] != 0:
            raise ValueError(
                "rag bands must be listed from the highest threshold down, the last starting at 0"
            )
        return self

    def option(self, rating: Rating) -> RatingOption:
        return next(option for option in self.rating_scale if option.key == rating)

    def band_for(self, percent: float) -> RagBand:
        return next(band for band in self.rag if percent >= band.min_percent)

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)
