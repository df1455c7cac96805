"""The main window's size, place and pane widths, kept on this computer for the next start.

They belong to the person at this screen, not to the data (which may be opened on another
laptop with another screen), so they live in the user's own settings, not the database.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter

from rrn_desktop.gui.screen_fit import room_on_screen

_GEOMETRY = "main-window/geometry"
_SPLITTER = "main-window/splitters/{}"


def _settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "RRN Self-Audit", "window"
    )


def _named_splitters(window: QMainWindow) -> list[QSplitter]:
    return [splitter for splitter in window.findChildren(QSplitter) if splitter.objectName()]


def restore_window(window: QMainWindow) -> None:
    """As the window was last closed; the first time, filling the screen (maximised)."""
    settings = _settings()
    geometry = settings.value(_GEOMETRY)
    if not (isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)):
        window.resize(room_on_screen(window))
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    for splitter in _named_splitters(window):
        state = settings.value(_SPLITTER.format(splitter.objectName()))
        if isinstance(state, QByteArray):
            splitter.restoreState(state)


def remember_window(window: QMainWindow) -> None:
    settings = _settings()
    settings.setValue(_GEOMETRY, window.saveGeometry())
    for splitter in _named_splitters(window):
        settings.setValue(_SPLITTER.format(splitter.objectName()), splitter.saveState())
    settings.sync()
