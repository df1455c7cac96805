"""Section scores, progress and comparisons, computed from ratings and the pack's own scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rrn_desktop.base.vocabulary import NOT_RATED, AnswerKey
from rrn_desktop.content.pack_models import ContentPack, RagBand, Section


@dataclass(frozen=True)
class SectionScore:
    section: Section
    rated: int
    scored: int
    total: int
    points: float
    percent: float | None
    band: RagBand | None


def _score(pack: ContentPack, section: Section, ratings: Mapping[str, AnswerKey]) -> SectionScore:
    rated = scored = 0
    points = 0.0
    for item in section.items:
        rating = ratings.get(item.code, NOT_RATED)
        if rating == NOT_RATED:
            continue
        rated += 1
        value = pack.option(rating).points
        if value is not None:
            scored += 1
            points += value
    # Whole percentages: what is shown, and so what changes are worked out from.
    percent = float(round(100 * points / (scored * pack.top_points))) if scored else None
    return SectionScore(
        section=section,
        rated=rated,
        scored=scored,
        total=len(section.items),
        points=points,
        percent=percent,
        band=pack.band_for(percent) if percent is not None else None,
    )


def section_scores(pack: ContentPack, ratings: Mapping[str, AnswerKey]) -> list[SectionScore]:
    return [_score(pack, section, ratings) for section in pack.sections]


def rated_count(pack: ContentPack, ratings: Mapping[str, AnswerKey]) -> int:
    return sum(
        1 for _section, item in pack.items() if ratings.get(item.code, NOT_RATED) != NOT_RATED
    )


def change(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return current - previous


def describe_change(current: float | None, previous: float | None) -> str:
    difference = change(current, previous)
    if difference is None:
        return "no earlier score" if previous is None else "not scored yet"
    if difference == 0:
        return "no change"
    return f"{difference:+.0f} points"


def format_percent(percent: float | None) -> str:
    return "not scored" if percent is None else f"{percent:.0f}%"


@dataclass(frozen=True)
class SectionComparison:
    section: Section
    earlier: SectionScore
    later: SectionScore

    @property
    def change_text(self) -> str:
        return describe_change(self.later.percent, self.earlier.percent)


@dataclass(frozen=True)
class ItemComparison:
    section: Section
    code: str
    text: str
    earlier: AnswerKey
    later: AnswerKey

    @property
    def changed(self) -> bool:
        return self.earlier != self.later


def compare_sections(
    pack: ContentPack, earlier: Mapping[str, AnswerKey], later: Mapping[str, AnswerKey]
) -> list[SectionComparison]:
    return [
        SectionComparison(section=a.section, earlier=a, later=b)
        for a, b in zip(section_scores(pack, earlier), section_scores(pack, later), strict=True)
    ]


def compare_items(
    pack: ContentPack, earlier: Mapping[str, AnswerKey], later: Mapping[str, AnswerKey]
) -> list[ItemComparison]:
    return [
        ItemComparison(
            section=section,
            code=item.code,
            text=item.text,
            earlier=earlier.get(item.code, NOT_RATED),
            later=later.get(item.code, NOT_RATED),
        )
        for section, item in pack.items()
    ]


@dataclass(frozen=True)
class VersionChanges:
    """What changed between the versions of a self-assessment two benchmarks were made with:
    items are matched by code, so a reworded item still compares."""

    earlier: str
    later: str
    added: tuple[str, ...]  # "code text" of each item only the later version has
    removed: tuple[str, ...]  # and of each only the earlier one has

    @property
    def text(self) -> str:
        if self.earlier == self.later:
            return ""
        parts = [
            f"Made with different versions of the self-assessment: {self.earlier} and then "
            f"{self.later}. Items are matched by their codes."
        ]
        if self.added:
            parts.append(f"Added in {self.later}: {'; '.join(self.added)}.")
        if self.removed:
            parts.append(f"Removed since {self.earlier}: {'; '.join(self.removed)}.")
        return " ".join(parts)


def version_changes(earlier: ContentPack, later: ContentPack) -> VersionChanges:
    before = {item.code: item.text for _s, item in earlier.items()}
    after = {item.code: item.text for _s, item in later.items()}
    return VersionChanges(
        earlier.version,
        later.version,
        tuple(f"{code} {text}" for code, text in after.items() if code not in before),
        tuple(f"{code} {text}" for code, text in before.items() if code not in after),
    )


def band_range(band: RagBand, bands: Sequence[RagBand]) -> str:
    """The band's range in words, from the pack's thresholds: "80% or more", "below 50%"."""
    ordered = sorted(bands, key=lambda b: b.min_percent, reverse=True)
    position = ordered.index(band)
    if position == 0:
        return f"{band.min_percent:g}% or more"
    upper = ordered[position - 1].min_percent
    if band.min_percent <= 0:
        return f"below {upper:g}%"
    return f"{band.min_percent:g}% to under {upper:g}%"


def band_text(band: RagBand | None, bands: Sequence[RagBand]) -> str:
    """A RAG result in words, always with its threshold: colour is never the only carrier."""
    if band is None:
        return "Not scored yet"
    return f"{band.label} ({band_range(band, bands)})"
