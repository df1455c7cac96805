"""Colours shared by the screens and the printed reports, chosen to stay apart in greyscale."""

from __future__ import annotations

from rrn_desktop.base.vocabulary import Rating, RestraintType

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
