"""How the screens are shown: the text size and high contrast, kept with the data like the
user's name."""

from __future__ import annotations

from sqlalchemy import select

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import AppSetting

TEXT_SIZE_KEY = "text_size_percent"
HIGH_CONTRAST_KEY = "high_contrast"
TEXT_SIZES = (100, 125, 150, 175, 200)
NORMAL_TEXT_SIZE = 100


def _stored(db: Database, key: str) -> str:
    with db.transaction() as session:
        value = session.scalars(select(AppSetting.value).where(AppSetting.key == key))
        return value.first() or ""


def _store(db: Database, key: str, value: str) -> None:
    with db.transaction() as session:
        row = session.scalars(select(AppSetting).where(AppSetting.key == key)).first()
        if row is None:
            session.add(AppSetting(key=key, value=value))
        elif row.value != value:
            row.value = value


def text_size(db: Database) -> int:
    """The text size as a percentage of normal; 100 when unset or not one of TEXT_SIZES."""
    stored = _stored(db, TEXT_SIZE_KEY)
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
    _store(db, TEXT_SIZE_KEY, str(percent))
    return percent


def high_contrast(db: Database) -> bool:
    """Whether the screens are shown in high contrast (off unless switched on)."""
    return _stored(db, HIGH_CONTRAST_KEY) == "on"


def set_high_contrast(db: Database, on: bool) -> None:
    _store(db, HIGH_CONTRAST_KEY, "on" if on else "off")


def larger(percent: int) -> int:
    """The next text size up (the largest stays the largest)."""
    return next((size for size in TEXT_SIZES if size > percent), TEXT_SIZES[-1])


def smaller(percent: int) -> int:
    """The next text size down (normal stays normal)."""
    return next((size for size in reversed(TEXT_SIZES) if size < percent), TEXT_SIZES[0])
