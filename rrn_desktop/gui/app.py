"""Starting the window: open the data safely, show the main window, report problems plainly."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from rrn_desktop import __version__
from rrn_desktop.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.logs import logger
from rrn_desktop.storage.database import open_database

APP_NAME = "RRN Self-Audit"


def _application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("RRN Self-Audit")
    return app


def _report_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    logger.error("Unexpected error", exc_info=(kind, error, trace))
    if isinstance(error, UserFacingError):
        dialogs.show_error(QApplication.activeWindow(), APP_NAME, error.message)
        return
    dialogs.show_error(
        QApplication.activeWindow(),
        APP_NAME,
        "Something unexpected went wrong. Everything you had saved is safe; the last change "
        "may not have been saved. Details were written to the log file in the data folder.",
    )
    if not getattr(sys, "frozen", False) and sys.stderr is not None:
        traceback.print_exception(kind, error, trace)


def run_app(data_dir: Path, *, quit_after_start: bool = False) -> int:
    app = _application()
    try:
        db = open_database(data_dir)
    except UserFacingError as error:
        if quit_after_start:
            raise
        dialogs.show_error(None, APP_NAME, error.message)
        return 1
    previous_hook, sys.excepthook = sys.excepthook, _report_unexpected
    window = MainWindow(db)
    window.show()
    try:
        if quit_after_start:
            app.processEvents()
            window.repaint()
            return 0
        return app.exec()
    finally:
        window.close()
        db.close()
        sys.excepthook = previous_hook
