"""Small pieces of plain English shared by the screens and the reports."""

from __future__ import annotations

# In base so that storage's messages count the same way; re-exported for the layers above.
from rrn_desktop.base.wording import plural as plural


def capitalised(words: str) -> str:
    """The words with their first letter made a capital, to begin a sentence."""
    return words[:1].upper() + words[1:]
