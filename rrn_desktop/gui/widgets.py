"""Small widgets and helpers the screens share."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidgetItem,
    QWidget,
)

from rrn_desktop.gui.text_size import follow_text_size, scaled_font

# The values a drop-down's items carry: enums, strings, None for "not recorded"...
_K = TypeVar("_K")


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


def buddy_label(text: str, buddy: QWidget, parent: QWidget | None = None) -> QLabel:
    """A label whose &-shortcut moves the focus to `buddy` (and which screen readers tie to it)."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor for work of a second or two that the user has just asked for."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def choice_combo(options: Mapping[_K, str], name: str, parent: QWidget | None = None) -> QComboBox:
    """A drop-down whose items carry their values; `name` is read out by screen readers."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for value, label in options.items():
        combo.addItem(label, value)
    return combo


YES_NO_UNKNOWN: dict[object, str] = {None: "Not recorded", True: "Yes", False: "No"}


def filled_cell(table: QTableWidget, row: int, column: int = 0) -> QTableWidgetItem:
    """A cell of a table whose every cell is given an item when its rows are filled."""
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def child_items(parent: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The items directly under parent (a tree's invisibleRootItem() for its top level)."""
    children = (parent.child(index) for index in range(parent.childCount()))
    return [child for child in children if child is not None]


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
