"""Windows and dialogs that fit the screen they open on, a 1366x768 laptop with large text
included: never larger than the room the screen has, whatever they would like."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What the window system adds around a window's contents before it is shown: a caption and
# thin borders (Windows 10 and 11 at normal scaling). Qt learns the real frame only once the
# window is on screen, too late for choosing its size.
WINDOW_FRAME = QSize(2, 32)


def room_on_screen(widget: QWidget | None = None) -> QSize:
    """The largest contents a window can have and still be seen whole: the screen less its
    taskbar and the window's own frame."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() - WINDOW_FRAME


def fit_to_screen(window: QWidget, wanted: QSize) -> None:
    """Give the window the size it wants, or as much of it as the screen has room for."""
    window.resize(wanted.boundedTo(room_on_screen(window)))
