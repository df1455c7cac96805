"""The text size: every screen's text scaled from the platform's own font, at once.

The platform's fonts are captured the first time, so going back to 100 % is exactly normal
again. Widgets that size something from the text (a heading's font, a box a few lines high, a
column so many letters wide) say how with `follow_text_size`, and are told again on a change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from rrn_desktop.core.display_choices import NORMAL_TEXT_SIZE, TEXT_SIZES

# The class names some platforms (Windows, macOS) give fonts of their own: they are scaled too.
_CLASS_FONTS = (
    "QAbstractItemView",
    "QCheckBox",
    "QComboLineEdit",
    "QComboMenuItem",
    "QDockWidgetTitle",
    "QHeaderView",
    "QLabel",
    "QListBox",
    "QListView",
    "QMdiSubWindowTitleBar",
    "QMenu",
    "QMenuBar",
    "QMenuItem",
    "QMessageBox",
    "QMiniFont",
    "QPushButton",
    "QRadioButton",
    "QSmallFont",
    "QStatusBar",
    "QTabBar",
    "QTipLabel",
    "QToolButton",
)


class _Platform:
    """The fonts as the platform set them, before any scaling."""

    def __init__(self) -> None:
        self.font = QFont(QApplication.font())
        self.class_fonts: dict[str, QFont] = {}
        for name in _CLASS_FONTS:
            # PySide6 takes the class name as str; its stubs say bytes, which it refuses.
            font = QApplication.font(name)  # type: ignore[call-overload]
            if font != self.font:
                self.class_fonts[name] = QFont(font)


class _Notice(QObject):
    changed = Signal()


_platform: _Platform | None = None
_notice: _Notice | None = None
_applied = NORMAL_TEXT_SIZE


def _platform_fonts() -> _Platform:
    global _platform
    if _platform is None:
        _platform = _Platform()
    return _platform


def _notices() -> _Notice:
    global _notice
    if _notice is None:
        _notice = _Notice()
    return _notice


def _scaled(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    else:
        scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled


def scaled_font(factor: float, widget: QWidget | None = None) -> QFont:
    """The current text size times factor: the font a heading or chart label should use.

    Based on the application's font for the widget's class, never on the widget's own font,
    so a widget given a larger font still follows every change of text size.
    """
    base = QApplication.font(widget) if widget is not None else QApplication.font()
    return _scaled(base, factor)


def applied_text_size() -> int:
    """The text size now on screen, as a percentage of normal."""
    return _applied


def apply_text_size(percent: int) -> None:
    """Scale every window's text, open or still to open, to percent of the platform's size."""
    global _applied
    if percent not in TEXT_SIZES:
        raise ValueError(f"text size {percent} % is not one of {TEXT_SIZES}")
    platform = _platform_fonts()  # captured before the first change
    if percent == _applied:
        return
    factor = percent / NORMAL_TEXT_SIZE
    QApplication.setFont(_scaled(platform.font, factor))  # this forgets the class fonts
    for name, font in platform.class_fonts.items():
        QApplication.setFont(_scaled(font, factor), name)  # type: ignore[arg-type]  # as above
    _applied = percent
    # Qt tells open widgets later, through the event queue: now, so what follows sees the change.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange.value)
    for widget in QApplication.allWidgets():
        if widget.styleSheet():
            # A style sheet fixes the font it was worked out with; work it out again.
            widget.setStyleSheet(widget.styleSheet())
    _notices().changed.emit()
    for widget in QApplication.allWidgets():
        layout = widget.layout()
        if layout is not None:
            # Laid out again now, hidden pages too: a page shown later would keep stale sizes.
            layout.activate()


class _Follower(QObject):
    """Calls update on each change of text size, for as long as its widget lives."""

    def __init__(self, widget: QWidget, update: Callable[[], object]) -> None:
        super().__init__(widget)
        self._update = update
        _notices().changed.connect(self.changed)

    @Slot()
    def changed(self) -> None:
        self._update()


def follow_text_size(widget: QWidget, update: Callable[[], object]) -> None:
    """Run update now and after every change of text size, while widget lives.

    For sizes worked out from the text: a box four lines high, a column thirty letters wide.
    """
    update()
    _Follower(widget, update)


def follow_row_height(table: QTableView) -> None:
    """Rows tall enough for a line of text at any text size (the style's own height is fixed)."""
    rows = table.verticalHeader()
    style_height = rows.defaultSectionSize()
    # The header's least height is a line of its font and margins: the same need as a row's.
    follow_text_size(
        table, lambda: rows.setDefaultSectionSize(max(style_height, rows.minimumSectionSize()))
    )
