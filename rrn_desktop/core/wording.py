"""Small pieces of plain English shared by the screens and the reports."""

from __future__ import annotations


def plural(number: int, word: str, plural_form: str | None = None) -> str:
    """'1 incident', '3 incidents', '2 people' (with plural_form='people')."""
    return f"{number} {word if number == 1 else plural_form or word + 's'}"


def capitalised(words: str) -> str:
    """The words with their first letter made a capital, to begin a sentence."""
    return words[:1].upper() + words[1:]
