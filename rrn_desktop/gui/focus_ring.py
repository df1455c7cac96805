"""A ring round whichever control has the keyboard's focus, so a keyboard user always sees where
they are.

Styles mark focus unevenly: Fusion draws a focused default button exactly as an unfocused one,
and an empty list or a read-only text box not at all. The ring is drawn in the palette's
highlight colour (yellow in high contrast), inside the control's own edge, over its contents.
It follows Tab and shortcuts, not mouse clicks: someone pointing at a control knows where it is.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

RING_WIDTH = 2


class _Ring(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("focus-ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def follow(self, owner: QWidget) -> None:
        """Over owner's whole area, above its other parts, until `leave`."""
        self.setParent(owner)
        owner.installEventFilter(self)
        self.setGeometry(owner.rect())
        self.show()
        self.raise_()

    def leave(self) -> None:
        self.hide()
        owner = self.parentWidget()
        if owner is not None:
            owner.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(colour, RING_WIDTH))
        inset = RING_WIDTH / 2
        painter.drawRect(self.rect().toRectF().adjusted(inset, inset, -inset, -inset))


class FocusRing(QObject):
    """Moves the ring to each control that takes the focus from the keyboard."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._ring: _Ring | None = None
        app.focusChanged.connect(self._follow)

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        # The ring goes with the control it is on when that control is deleted.
        if self._ring is None or not shiboken6.isValid(self._ring):
            self._ring = _Ring()
        self._ring.leave()
        clicked = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if new is not None and not new.isWindow() and not clicked:
            self._ring.follow(new)


def show_focus_ring() -> None:
    """Once per application: the ring follows the focus from now on, in every window."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.findChild(FocusRing) is None:
        FocusRing(app)
