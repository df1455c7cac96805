"""How the screens are shown: the text size and high contrast, kept with the data like the
user's name. What sizes there are, and reading them without the ORM: display_choices."""

from __future__ import annotations

from sqlalchemy import select

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.core.display_choices import HIGH_CONTRAST_KEY as HIGH_CONTRAST_KEY
from rrn_desktop.core.display_choices import NORMAL_TEXT_SIZE as NORMAL_TEXT_SIZE
from rrn_desktop.core.display_choices import TEXT_SIZE_KEY as TEXT_SIZE_KEY
from rrn_desktop.core.display_choices import TEXT_SIZES as TEXT_SIZES
from rrn_desktop.core.display_choices import high_contrast_in, size_from, text_size_in
from rrn_desktop.core.display_choices import larger as larger
from rrn_desktop.core.display_choices import smaller as smaller
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import AppSetting
from rrn_desktop.storage.person_settings import personal_value, set_personal_value


def _store(db: Database, key: str, value: str) -> None:
    if db.shared:  # each person's own, on their own machine
        set_personal_value(db.data_dir, key, value)
        return
    with db.transaction() as session:
        row = session.scalars(select(AppSetting).where(AppSetting.key == key)).first()
        if row is None:
            session.add(AppSetting(key=key, value=value))
        elif row.value != value:
            row.value = value


def text_size(db: Database) -> int:
    """The text size as a percentage of normal; 100 when unset or not one of TEXT_SIZES."""
    if db.shared:
        return size_from(personal_value(db.data_dir, TEXT_SIZE_KEY))
    with db.reading() as reader:
        return text_size_in(reader)


def set_text_size(db: Database, percent: int) -> int:
    """Keep the text size for next time (one of TEXT_SIZES)."""
    if percent not in TEXT_SIZES:
        sizes = ", ".join(f"{size} %" for size in TEXT_SIZES)
        raise UserFacingError(f"The text size must be one of {sizes}, not {percent} %.")
    _store(db, TEXT_SIZE_KEY, str(percent))
    return percent


def high_contrast(db: Database) -> bool:
    """Whether the screens are shown in high contrast (off unless switched on)."""
    if db.shared:
        return personal_value(db.data_dir, HIGH_CONTRAST_KEY) == "on"
    with db.reading() as reader:
        return high_contrast_in(reader)


def set_high_contrast(db: Database, on: bool) -> None:
    _store(db, HIGH_CONTRAST_KEY, "on" if on else "off")
