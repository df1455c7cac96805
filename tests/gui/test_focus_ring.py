"""The focus ring: on the control the keyboard moves to, never left behind, not on a click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from rrn_desktop.gui.focus_ring import show_focus_ring


def rings(window: QWidget) -> list[QWidget]:
    """The controls with a ring showing on them."""
    return [
        ring.parentWidget()
        for ring in window.findChildren(QWidget, "focus-ring")
        if ring.isVisible()
    ]


def test_the_ring_follows_the_keyboard_and_not_the_mouse(qtbot) -> None:
    show_focus_ring()
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    first, second = QLineEdit(window), QPushButton("Second", window)
    layout.addWidget(first)
    layout.addWidget(second)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    first.setFocus(Qt.FocusReason.TabFocusReason)
    assert rings(window) == [first]
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second
    assert rings(window) == [second]  # moved, not copied

    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is first
    assert rings(window) == []
