"""Saving an editor's changes where someone else may have saved the same record first (a shared
database): both versions are shown and the person chooses, and a lost connection keeps what was
typed for the next save. Nothing they typed is lost either way."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QWidget

from rrn_desktop.gui import dialogs
from rrn_desktop.gui.autosave import Autosave
from rrn_desktop.gui.operations import attempt
from rrn_desktop.storage.change_log import field_label
from rrn_desktop.storage.errors import ChangedElsewhereError, ConnectionLostError


class Unsaved(Enum):
    REFUSED = "refused"  # the save was refused and explained: show what is kept
    THEIRS = "theirs"  # the person chose the other version, which is now shown
    LOST = "lost"  # no connection: what was typed waits for the next save


class Counted(Protocol):
    @property
    def row_version(self) -> int: ...


Info = TypeVar("Info", bound=Counted)


def save_mine_over_theirs(
    parent: QWidget, error: ChangedElsewhereError, mine: dict[str, object]
) -> bool:
    """True: save what was typed over their version; False: show theirs instead."""
    lines = [
        f"{field_label(name)}: theirs '{getattr(error.theirs, name, '')}', yours '{value}'"
        for name, value in mine.items()
    ]
    return dialogs.ask_confirmation(
        parent,
        "Changed by someone else",
        f"{error.message}\n\n" + "\n".join(lines),
        "&Save mine over theirs",
    )


def save_checked(
    parent: QWidget,
    autosave: Autosave,
    changes: dict[str, object],
    opened: int,
    save: Callable[[int], Info],
    show: Callable[[Info], None],
) -> Info | Unsaved:
    """``save(opened)`` the changes, made to the copy saved ``opened`` times; if someone else
    saved since, ask, and show theirs or save again over it."""
    refused: list[ChangedElsewhereError] = []
    lost = False

    def first() -> Info | None:
        nonlocal lost
        try:
            return save(opened)
        except ChangedElsewhereError as error:
            refused.append(error)
            return None
        except ConnectionLostError:
            lost = True
            autosave.keep(changes)
            raise

    saved = attempt(parent, "Not saved", first)
    if lost:
        return Unsaved.LOST
    if not saved.ok:
        return Unsaved.REFUSED
    if saved.value is not None:
        return saved.value
    theirs: Info = refused[0].theirs  # type: ignore[assignment]  # the same kind as saved
    if not save_mine_over_theirs(parent, refused[0], changes):
        show(theirs)
        return Unsaved.THEIRS
    again = attempt(parent, "Not saved", lambda: save(theirs.row_version))
    return again.value if again.ok else Unsaved.REFUSED
