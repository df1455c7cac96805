"""When someone else saved a record since it was shown here: both versions side by side, and the
person chooses. Nothing they typed is lost either way: it is in the question until they do."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from rrn_desktop.gui import dialogs
from rrn_desktop.storage.change_log import field_label
from rrn_desktop.storage.errors import ChangedElsewhereError


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
