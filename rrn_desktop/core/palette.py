"""Colours shared by the screens and the printed reports, chosen to stay apart in greyscale."""

from __future__ import annotations

from rrn_desktop.base.vocabulary import Rating, RestraintType
from rrn_desktop.content.pack_models import ContentPack

RAG_COLOURS: dict[str, str] = {
    "green": "#2e7d32",
    "amber": "#f0a202",
    "red": "#c62828",
}
UNKNOWN_COLOUR = "#9e9e9e"

RATING_COLOURS: dict[Rating, str] = {
    Rating.MET: "#2e7d32",
    Rating.PARTLY_MET: "#f0a202",
    Rating.NOT_MET: "#c62828",
    Rating.NOT_APPLICABLE: "#607d8b",
    Rating.NOT_RATED: "#9e9e9e",
}


def answer_colour(pack: ContentPack, key: str) -> str:
    """An answer's colour: the pack's own, the Training Standards' for their answers, else
    from its points (the top one green, half or more amber, less red; unscored slate)."""
    option = pack.option(key)
    if option.colour:
        return option.colour
    if option.key in RATING_COLOURS:
        return RATING_COLOURS[Rating(option.key)]
    if option.points is None:
        return RATING_COLOURS[Rating.NOT_APPLICABLE]
    share = option.points / pack.top_points
    return RAG_COLOURS["green" if share >= 1 else "amber" if share >= 0.5 else "red"]


def rag_colour(name: str | None) -> str:
    return RAG_COLOURS.get((name or "").lower(), UNKNOWN_COLOUR)


# One colour per type of restrictive intervention, for the incident charts on screen and on paper.
RESTRAINT_TYPE_COLOURS: dict[RestraintType, str] = {
    RestraintType.PHYSICAL: "#1f4e79",
    RestraintType.MECHANICAL: "#7b3294",
    RestraintType.CHEMICAL: "#c2185b",
    RestraintType.ENVIRONMENTAL: "#e08214",
    RestraintType.PSYCHOLOGICAL: "#5aae61",
    RestraintType.SURVEILLANCE: "#80cdc1",
    RestraintType.CULTURAL: "#b2abd2",
    RestraintType.BLANKET: "#8c510a",
}
