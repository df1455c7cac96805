"""Colours shared by the screens and the printed reports, chosen to stay apart in greyscale."""

from __future__ import annotations

from rrn_desktop.content.pack_models import Rating

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
