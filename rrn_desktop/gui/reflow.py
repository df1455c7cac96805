"""Layouts that reflow rather than grow: what sits side by side where there is room goes one
under the other where there is not, so a laptop screen with large text never has to be wider
than it is."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


def _least(widget: QWidget) -> QSize:
    return widget.minimumSizeHint().expandedTo(widget.minimumSize())


class ReflowSplitter(QSplitter):
    """A list beside its detail pane when both fit at their least widths; the list above the
    detail when they do not. The panes start with the shares given, equal by default (a list
    cut short beside a wide pane is the commoner complaint); the user can still drag the
    handle either way."""

    def __init__(
        self, name: str, *panes: QWidget, parent: QWidget, shares: tuple[int, ...] = ()
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName(name)  # the name its shares are remembered by
        self.setChildrenCollapsible(False)
        self._shares = shares
        self._shared = False
        for index, pane in enumerate(panes):
            self.add_pane(pane)
            self.setStretchFactor(index, 1)

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        restored = super().restoreState(state)
        self._shared = self._shared or restored
        return restored

    def add_pane(self, pane: QWidget) -> None:
        """Add a pane; one that does not scroll itself (nor its tabs' pages) is put in a scroll
        area, so that text which wraps onto more lines than the splitter guessed scrolls
        instead of being cut."""
        if not isinstance(pane, QScrollArea | QTabWidget):
            pane = VerticalScrollArea(pane, self)
            pane.setFrameShape(QFrame.Shape.NoFrame)
        self.addWidget(pane)

    def _panes(self) -> list[QWidget]:
        panes = (self.widget(i) for i in range(self.count()))
        return [pane for pane in panes if pane is not None and not pane.isHidden()]

    def side_by_side_width(self) -> int:
        panes = self._panes()
        handles = self.handleWidth() * max(len(panes) - 1, 0)
        return sum(_least(pane).width() for pane in panes) + handles

    def minimumSizeHint(self) -> QSize:
        # As narrow and as low as the largest pane, so the window may always shrink to the
        # screen: narrower than both side by side, the panes stack.
        panes = self._panes()
        if not panes:
            return super().minimumSizeHint()
        return QSize(
            max(_least(pane).width() for pane in panes),
            max(_least(pane).height() for pane in panes),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        wanted = (
            Qt.Orientation.Horizontal
            if size.width() >= self.side_by_side_width()
            else Qt.Orientation.Vertical
        )
        if wanted != self.orientation():
            self.setOrientation(wanted)
            self._shared = False  # shares of the width mean nothing of the height
        super().resizeEvent(event)
        panes = self.count()
        if not self._shared and panes > 1 and min(size.width(), size.height()) > 0:
            length = size.width() if wanted == Qt.Orientation.Horizontal else size.height()
            shares = self._shares if len(self._shares) == panes else (1,) * panes
            self.setSizes([length * share // sum(shares) for share in shares])
            self._shared = True


class VerticalScrollArea(QScrollArea):
    """A pane that scrolls up and down, never sideways: as wide as what it holds needs at
    least, so a splitter or dialog knows to make room for it (or to stack its panes)."""

    def __init__(self, contents: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(contents)

    def minimumSizeHint(self) -> QSize:
        contents = self.widget()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.frameWidth()
        least = _least(contents).width() if contents is not None else 0
        return QSize(least + bar + frame, 4 * self.fontMetrics().lineSpacing())

    def sizeHint(self) -> QSize:
        contents = self.widget()
        return contents.sizeHint() if contents is not None else super().sizeHint()


class _AtLeastLayout(QVBoxLayout):
    """Lays a page out in what room there is, asking for its least height rather than the
    height its wrapped text would like (which a scroll area would otherwise insist on)."""

    def hasHeightForWidth(self) -> bool:
        return False


def scrolling_page(page: QWidget, parent: QWidget) -> QScrollArea:
    """The page fills the area; only a window shorter than the page's least height scrolls
    (large text on a small screen), and it scrolls as a whole."""
    holder = QWidget()
    layout = _AtLeastLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(page)
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(holder)
    return area


class FlowLayout(QLayout):
    """Buttons in a row that carries on onto the next line when the row is full."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._height = -1
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:
        # Everything on one line, as a row of buttons would be.
        visible = [item for item in self._items if not item.isEmpty()]
        width = sum(item.sizeHint().width() for item in visible)
        width += self._spacing() * max(len(visible) - 1, 0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        # The widest button alone, and, once the layout knows its width, as many lines as it
        # takes at that width: containers that do not ask heightForWidth still leave room.
        least = QSize()
        for item in self._items:
            if not item.isEmpty():
                least = least.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        least += QSize(margins.left() + margins.right(), margins.top() + margins.bottom())
        if self.geometry().width() > 0:
            least.setHeight(max(least.height(), self.heightForWidth(self.geometry().width())))
        return least

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        height = self._arrange(rect, move=True)
        if height != self._height:
            self._height = height
            # Ask the windows above again for room, now the number of lines has changed.
            QTimer.singleShot(0, self, self.invalidate)

    def _spacing(self) -> int:
        if self.spacing() >= 0:
            return self.spacing()
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        if style is None:
            return 6
        return style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing, None, parent)

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = max(self._spacing(), 0)
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            size = item.sizeHint().expandedTo(item.minimumSize())
            if x > area.x() and x + size.width() > area.right() + 1:
                x, y = area.x(), y + line_height + gap
                line_height = 0
            if move:
                width = min(size.width(), area.width())
                item.setGeometry(QRect(QPoint(x, y), QSize(width, size.height())))
            x += size.width() + gap
            line_height = max(line_height, size.height())
        return y + line_height - rect.y() + margins.bottom()


def size_by_shown_page(pages: QStackedWidget | QTabWidget) -> None:
    """Let the page on show alone decide how small the stack may be: a long page elsewhere
    must not make a short one scroll."""
    stack = pages if isinstance(pages, QStackedWidget) else pages.findChild(QStackedWidget)
    assert stack is not None  # a QTabWidget keeps its pages in one

    def follow(current: int) -> None:
        for index in range(stack.count()):
            policy = (
                QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            )
            page = stack.widget(index)
            assert page is not None  # the index is in range
            page.setSizePolicy(policy, policy)

    follow(stack.currentIndex())
    stack.currentChanged.connect(follow)


def button_row(*buttons: QWidget) -> FlowLayout:
    """Buttons left to right, onto a new line when the pane is too narrow for them all."""
    row = FlowLayout()
    for button in buttons:
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row.addWidget(button)
    return row
