"""The shape every content pack must have, checked by pydantic when a pack is loaded."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rrn_desktop.base.vocabulary import NOT_RATED

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def require_unique(what: str, values: Iterable[str]) -> None:
    """Refuse repeated ids or codes, naming them; linear, so a huge pack is refused quickly."""
    repeated = sorted(value for value, times in Counter(values).items() if times > 1)
    if repeated:
        raise ValueError(f"{what} must be unique; repeated: {', '.join(repeated)}")


class _Strict(BaseModel):
    # A typo in a pack field name should be an error, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


AnswerKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
MIN_ANSWERS, MAX_ANSWERS = 2, 7  # not counting "not yet rated", which every scale has


class RatingOption(_Strict):
    """One answer of a pack's scale; the data file stores its key."""

    key: AnswerKey
    label: NonEmpty
    points: float | None = Field(
        default=None,
        ge=0,
        description="Score for this answer; none means the item is left out of the score.",
    )
    shortcut: Annotated[str, StringConstraints(pattern=r"^[0-9]$")]
    description: NonEmpty
    colour: HexColour | None = Field(
        default=None, description="Its colour on screen and paper; by default from its points."
    )
    needs_action: bool | None = Field(
        default=None,
        description="Whether the answer shows a gap to act on; by default, any scored answer "
        "below the top one.",
    )


# Every scale has this answer: an item no one has rated yet (the data file's default).
NOT_RATED_OPTION = {
    "key": NOT_RATED,
    "label": "Not yet rated",
    "shortcut": "0",
    "description": "Not answered yet. Left out of the score until it is rated.",
}


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

    @model_validator(mode="before")
    @classmethod
    def _with_not_rated(cls, data: Any) -> Any:
        """A scale that leaves out "not yet rated" gets the standard one, last."""
        scale = data.get("rating_scale") if isinstance(data, dict) else None
        if isinstance(scale, list) and not any(
            isinstance(option, dict) and option.get("key") == NOT_RATED for option in scale
        ):
            return {**data, "rating_scale": [*scale, NOT_RATED_OPTION]}
        return data

    @model_validator(mode="after")
    def _check_consistency(self) -> ContentPack:
        require_unique("rating_scale keys", (option.key for option in self.rating_scale))
        answers = [option for option in self.rating_scale if option.key != NOT_RATED]
        if not MIN_ANSWERS <= len(answers) <= MAX_ANSWERS:
            raise ValueError(
                f"rating_scale must have from {MIN_ANSWERS} to {MAX_ANSWERS} answers besides "
                f"'{NOT_RATED}' (it has {len(answers)})"
            )
        if not any(option.points is not None for option in answers):
            raise ValueError("rating_scale: at least one answer must have points")
        if self.option(NOT_RATED).points is not None:
            raise ValueError(f"rating_scale: '{NOT_RATED}' cannot have points")
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

    def option(self, key: str) -> RatingOption:
        """The answer of that key; one the scale does not have (say, from another version)
        reads as not yet rated."""
        found = next((option for option in self.rating_scale if option.key == key), None)
        return found or next(o for o in self.rating_scale if o.key == NOT_RATED)

    @property
    def answers(self) -> list[RatingOption]:
        """The scale without "not yet rated", in the pack's order."""
        return [option for option in self.rating_scale if option.key != NOT_RATED]

    @property
    def top_points(self) -> float:
        return max(option.points for option in self.rating_scale if option.points is not None)

    def needs_action(self, key: str) -> bool:
        """Whether an item with this answer is a gap to act on."""
        option = self.option(key)
        if option.needs_action is not None:
            return option.needs_action
        return option.points is not None and option.points < self.top_points

    def band_for(self, percent: float) -> RagBand:
        return next(band for band in self.rag if percent >= band.min_percent)

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)
