"""Counting words in plain English, for every layer's messages (core.wording re-exports it)."""

from __future__ import annotations


def plural(number: int, word: str, plural_form: str | None = None) -> str:
    """'1 incident', '3 incidents', '2 people' (with plural_form='people')."""
    return f"{number} {word if number == 1 else plural_form or word + 's'}"
