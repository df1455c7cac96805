"""Asking a question of the data as the screens do: through a plain reader (no ORM)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rrn_desktop.storage.database import Database

Answer = TypeVar("Answer")


def asked(db: Database, question: Callable[..., Answer], *args: object) -> Answer:
    with db.reading() as reader:
        return question(reader, *args)
