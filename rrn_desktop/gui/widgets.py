"""Small widgets and helpers the screens share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLabel, QWidget

from rrn_desktop.gui.text_size import follow_text_size, scaled_font

NO_DATE = QDate(2000, 1, 1)


def colour_chip(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def heading(text: str, parent: QWidget | None = None, level: int = 1) -> QLabel:
    label = QLabel(text, parent)

    def set_font() -> None:
        # Larger than the text around it, at whatever text size is chosen.
        font = scaled_font(1.5 if level == 1 else 1.2, label)
        font.setBold(True)
        label.setFont(font)

    follow_text_size(label, set_font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def wrapped(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def to_qdate(value: dt.date | None) -> QDate:
    return NO_DATE if value is None else QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date | None:
    return None if value == NO_DATE else dt.date(value.year(), value.month(), value.day())


def chosen_day(edit: QDateEdit) -> dt.date:
    """The date in a required date field (today if it somehow holds none)."""
    return from_qdate(edit.date()) or dt.date.today()


def optional_date_edit(parent: QWidget | None = None) -> QDateEdit:
    """A date field that can also say 'No date' (its lowest value stands for none)."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("No date")
    edit.setDate(NO_DATE)
    return edit


def date_edit(value: dt.date, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(to_qdate(value), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    return edit


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor for work of a second or two that the user has just asked for."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def choice_combo(options: dict[object, str], name: str, parent: QWidget | None = None) -> QComboBox:
    """A drop-down whose items carry their values; `name` is read out by screen readers."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for value, label in options.items():
        combo.addItem(label, value)
    return combo


YES_NO_UNKNOWN: dict[object, str] = {None: "Not recorded", True: "Yes", False: "No"}


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
