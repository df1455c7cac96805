"""The first thing on screen: a small "opening" window, shown before the heavy modules load.

Loading the database layer and the screens takes most of start-up (about half a second on a
fast machine, several on a tired laptop). This module imports only Qt, so the window appears
almost as soon as a bare Qt window would, and nobody double-clicks the icon again wondering
whether anything happened.
"""

from __future__ import annotations

import logging
import sys
import time

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QRectF,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from rrn_desktop import __version__
from rrn_desktop.base.logs import logger
from rrn_desktop.base.resources import icons_dir

APP_NAME = "RRN Self-Audit"
_TILE = QColor("#1d5c73")
_SIZE = (440, 170)
# Set on each window shown only while the program opens (this one, the first screen): the main
# window, or a message about the data, closes them all.
OPENING = "rrn_opening"

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def application() -> QApplication:
    """The one QApplication, named and with its icon."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(icons_dir() / "rrn-desktop.png")))
    if getattr(sys, "frozen", False):
        # The installed program has no console: Qt's warnings belong in the log file.
        qInstallMessageHandler(_log_qt_message)
    return app


def _log_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    logger.log(_QT_LEVELS.get(kind, logging.WARNING), "Qt: %s", message)


class StartingWindow(QLabel):
    """A frameless picture in the middle of the screen.

    Not a QSplashScreen: that waits up to a second for the window system to say the window is
    visible, which some never say (the offscreen platform the tests use, for one).
    """

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setProperty(OPENING, True)
        self.setAccessibleName(f"{APP_NAME} is opening")
        self.setPixmap(_picture())
        self.setFixedSize(*_SIZE)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.center().x() - _SIZE[0] // 2, area.center().y() - _SIZE[1] // 2)


def show_starting_window() -> StartingWindow:
    """Shows and paints the opening window; the main window closes it when it appears."""
    application()
    window = StartingWindow()
    window.show()
    paint_once_mapped(window)
    return window


def paint_once_mapped(window: QWidget, seconds: float = 0.5) -> None:
    """A window system puts a new window on screen in its own time; painting before it has
    would leave the window black while the rest loads. Waits a bounded time: some platforms
    never say."""
    handle = window.windowHandle()
    deadline = time.monotonic() + seconds
    while handle is not None and not handle.isExposed() and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        time.sleep(0.005)
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    window.repaint()


def close_starting_window() -> None:
    """The windows shown while the program opens: once the main window shows, or before a
    message, so that they cannot sit over the message."""
    for widget in QApplication.topLevelWidgets():
        if widget.property(OPENING):
            widget.close()


def _picture() -> QPixmap:
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    width, height = _SIZE
    pixmap = QPixmap(int(width * ratio), int(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(_TILE)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    icon = QPixmap(str(icons_dir() / "rrn-desktop.png"))
    painter.drawPixmap(QRectF(28, 41, 88, 88), icon, QRectF(icon.rect()))
    painter.setPen(QColor("white"))
    title = QFont(QApplication.font())
    title.setPointSizeF(title.pointSizeF() * 1.8)
    title.setBold(True)
    painter.setFont(title)
    painter.drawText(QRectF(136, 40, width - 150, 44), Qt.AlignmentFlag.AlignVCenter, APP_NAME)
    body = QFont(QApplication.font())
    body.setPointSizeF(body.pointSizeF() * 1.1)
    painter.setFont(body)
    painter.drawText(
        QRectF(136, 84, width - 150, 28), Qt.AlignmentFlag.AlignVCenter, "Opening your audits…"
    )
    painter.setPen(QColor("#d7e6ec"))
    painter.drawText(
        QRectF(136, 112, width - 150, 24), Qt.AlignmentFlag.AlignVCenter, f"Version {__version__}"
    )
    painter.end()
    return pixmap
