"""Opening an evidence file: the one way the window hands one to the operating system.

A document or picture (file_types decides, on the stored file itself) opens in its usual program.
Anything else is never opened from here, not even after a second "are you sure": a file that
could run a program is the very thing a warning teaches people to click through, and evidence
never needs to run. Instead the warning names what the file really is and offers to save a copy
elsewhere, for IT support or a virus check to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from rrn_desktop.base.saving import written_in_place
from rrn_desktop.core.evidence import local_copy
from rrn_desktop.core.file_types import Risk, opening_risk
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.operations import attempt
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.input_files import require_regular_file


def open_evidence(parent: QWidget, db: Database, stored: Path, original_name: str) -> None:
    """Open the stored evidence file if it is a document or picture; otherwise warn, naming
    what it really is, and offer to save a copy elsewhere. On a shared database the file is
    first fetched to this person's own folder."""

    def judged() -> Risk | None:
        local_copy(db, stored)
        require_regular_file(stored, "evidence file")
        return opening_risk(stored)

    try:
        checked = attempt(parent, "File not opened", judged)
    except OSError as error:
        dialogs.show_error(
            parent,
            "File not opened",
            f"The evidence file '{original_name}' could not be read ({error.strerror or error}).",
        )
        return
    if not checked.ok:
        return
    risk = checked.value  # None: a document or picture, safe to open
    if risk is None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(stored)))
    elif ask_to_save_unsafe_file(parent, risk.warning(original_name)):
        save_copy(parent, stored, original_name)


def ask_to_save_unsafe_file(parent: QWidget | None, warning: str) -> bool:
    """True to save a copy elsewhere; False (the default) to leave it."""
    box = QMessageBox(QMessageBox.Icon.Warning, "File not opened", warning, parent=parent)
    box.setInformativeText(
        "RRN Self-Audit opens only documents and pictures. You can save a copy elsewhere, "
        "for example for your IT support to check."
    )
    save = box.addButton("&Save a copy elsewhere…", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is save


def save_copy(parent: QWidget, stored: Path, original_name: str) -> None:
    # A name from a bundle may hold a folder separator: only its last part is suggested.
    suggested = original_name.replace("\\", "/").rsplit("/", 1)[-1] or "evidence"
    out = dialogs.choose_save_path(
        parent, "Save a copy of the evidence file", Path.home() / suggested, "All files (*)"
    )
    if out is None:
        return

    def copy() -> None:
        with written_in_place(out, "copy of the evidence file") as partial:
            shutil.copyfile(stored, partial)

    attempt(parent, "Copy not saved", copy)
