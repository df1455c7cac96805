"""Data → Add a self-assessment…: a pack file checked, an upgrade asked about, and then
offered for new benchmarks (core.instrument_catalogue does the work)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from rrn_desktop.core.instrument_catalogue import Adding, add_instrument
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.operations import attempt
from rrn_desktop.storage.database import Database

TITLE = "Add a self-assessment"


def add_instrument_from_file(parent: QWidget, db: Database) -> Adding | None:
    chosen = dialogs.choose_open_path(parent, TITLE)
    if chosen is None:
        return None

    def upgrade(adding: Adding) -> bool:
        about = adding.about
        return dialogs.ask_confirmation(
            parent,
            "Upgrade the self-assessment?",
            f"{about.title} is here at version {adding.replaces}. Use version {about.version} "
            "from this file for new benchmarks? Benchmarks already made keep the version they "
            "were made with, and their reports do not change.",
            "&Upgrade",
        )

    done = attempt(parent, "Self-assessment not added", lambda: add_instrument(db, chosen, upgrade))
    if not done.ok or done.value is None:
        return None
    about = done.value.about
    dialogs.show_information(
        parent,
        "Self-assessment added",
        f"{about.title}, version {about.version}: {about.sections} sections, {about.items} "
        "items. Choose it under Self-assessment when you start a new benchmark.",
    )
    return done.value
