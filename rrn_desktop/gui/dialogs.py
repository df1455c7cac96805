"""Every blocking question the app asks, behind small functions that tests replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def ask_confirmation(parent: QWidget, title: str, text: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    confirm = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is confirm


def ask_to_discard(parent: QWidget) -> bool:
    """True to throw away what was typed in a form; False to go back to it (the default)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard your changes?",
        "You have typed things in this form that are not saved yet.",
        parent=parent,
    )
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def show_information(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def choose_save_path(parent: QWidget, title: str, suggested: Path, filter_text: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filter_text)
    return Path(chosen) if chosen else None


def choose_open_path(parent: QWidget, title: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title)
    return Path(chosen) if chosen else None


def choose_printer(parent: QWidget) -> QPrinter | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print report")
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


def ask_text(parent: QWidget, title: str, label: str, current: str) -> str | None:
    text, accepted = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, current)
    return text if accepted else None


def choose_backup_file(parent: QWidget, title: str, folder: Path) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, title, str(folder), "RRN Self-Audit backups (*.zip);;All files (*)"
    )
    return Path(chosen) if chosen else None
