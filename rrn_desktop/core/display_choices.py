"""The text sizes on offer, and reading the ones chosen, with plain SQL: the first screen is
drawn at the saved size and contrast before the ORM loads. Saving them is display_settings'."""

from __future__ import annotations

from rrn_desktop.storage.plain_reading import PlainReader

TEXT_SIZE_KEY = "text_size_percent"
HIGH_CONTRAST_KEY = "high_contrast"
TEXT_SIZES = (100, 125, 150, 175, 200)
NORMAL_TEXT_SIZE = 100


def stored_setting(reader: PlainReader, key: str) -> str:
    found = reader.rows("SELECT value FROM app_setting WHERE key = ? LIMIT 1", key)
    return str(found[0][0]) if found else ""


def text_size_in(reader: PlainReader) -> int:
    """The text size as a percentage of normal; 100 when unset or not one of TEXT_SIZES."""
    return size_from(stored_setting(reader, TEXT_SIZE_KEY))


def size_from(stored: str | None) -> int:
    """A kept text size, read back; 100 when unset or not one of TEXT_SIZES."""
    try:
        percent = int((stored or "").strip())
    except ValueError:
        return NORMAL_TEXT_SIZE
    return percent if percent in TEXT_SIZES else NORMAL_TEXT_SIZE


def high_contrast_in(reader: PlainReader) -> bool:
    """Whether the screens are shown in high contrast (off unless switched on)."""
    return stored_setting(reader, HIGH_CONTRAST_KEY) == "on"


def larger(percent: int) -> int:
    """The next text size up (the largest stays the largest)."""
    return next((size for size in TEXT_SIZES if size > percent), TEXT_SIZES[-1])


def smaller(percent: int) -> int:
    """The next text size down (normal stays normal)."""
    return next((size for size in reversed(TEXT_SIZES) if size < percent), TEXT_SIZES[0])
