"""How the screens are shown: the text size, kept with the data like the user's name."""

from __future__ import annotations

from sqlalchemy import select

from rrn_desktop.errors import UserFacingError
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import AppSetting

TEXT_SIZE_KEY = "text_size_percent"
TEXT_SIZES = (100, 125, 150, 175, 200)
NORMAL_TEXT_SIZE = 100


def text_size(db: Database) -> int:
    """The text size as a percentage of normal; 100 when unset or not one of TEXT_SIZES."""
    with db.transaction() as session:
        value = session.scalars(select(AppSetting.value).where(AppSetting.key == TEXT_SIZE_KEY))
        stored = value.first() or ""
    try:
        percent = int(stored.strip())
    except ValueError:
        return NORMAL_TEXT_SIZE
    return percent if percent in TEXT_SIZES else NORMAL_TEXT_SIZE


def set_text_size(db: Database, percent: int) -> int:
    """Keep the text size for next time (one of TEXT_SIZES)."""
    if percent not in TEXT_SIZES:
        sizes = ", ".join(f"{size} %" for size in TEXT_SIZES)
        raise UserFacingError(f"The text size must be one of {sizes}, not {percent} %.")
    with db.transaction() as session:
        row = session.scalars(select(AppSetting).where(AppSetting.key == TEXT_SIZE_KEY)).first()
        if row is None:
            session.add(AppSetting(key=TEXT_SIZE_KEY, value=str(percent)))
        elif row.value != str(percent):
            row.value = str(percent)
    return percent


def larger(percent: int) -> int:
    """The next text size up (the largest stays the largest)."""
    return next((size for size in TEXT_SIZES if size > percent), TEXT_SIZES[-1])


def smaller(percent: int) -> int:
    """The next text size down (normal stays normal)."""
    return next((size for size in reversed(TEXT_SIZES) if size < percent), TEXT_SIZES[0])
