"""The start screen, drawn from a few plain queries before the rest of the program has loaded.

Loading the ORM and every screen takes a second or more on a tired laptop. Meanwhile this window
shows what the main window will: the list of services and the overview, at the saved text size
and colours, in the window's saved place, with its menus and buttons greyed and a busy pointer.
The main window then takes its place (see app.run_app). Only an up-to-date data file with at
least one service is drawn here; anything else (a first start, a file to update or to look at
more closely) waits for the main window, which says what is the matter."""

from __future__ import annotations

import datetime as dt
import importlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QToolBar

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.logs import logger
from rrn_desktop.core.display_choices import high_contrast_in, text_size_in
from rrn_desktop.core.overview import StartScreen, start_screen
from rrn_desktop.gui.overview_page import OverviewPage
from rrn_desktop.gui.reflow import scrolling_page
from rrn_desktop.gui.starting import (
    APP_NAME,
    OPENING,
    application,
    close_starting_window,
    paint_once_mapped,
)
from rrn_desktop.gui.text_size import apply_text_size
from rrn_desktop.gui.theme import apply_high_contrast
from rrn_desktop.gui.window_frame import MENU_TITLES, TOOLBAR_TEXTS, ServicesPane, beside_the_list
from rrn_desktop.gui.window_memory import restore_window
from rrn_desktop.storage.file_check import EarlyCheck
from rrn_desktop.storage.opening import OpenFolder, open_folder
from rrn_desktop.storage.plain_reading import reading_file

# The rest of the program, heaviest first: see load_the_rest.
_THE_REST = (
    "sqlalchemy.orm",
    "rrn_desktop.storage.models",
    "rrn_desktop.core.plan",
    "rrn_desktop.gui.main_window",
    "rrn_desktop.gui.app",
)


class FirstScreen(QMainWindow):
    def __init__(self, screen: StartScreen, data_dir: Path) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(APP_NAME)
        self.pane = ServicesPane(self)
        self.pane.add_service_button.setEnabled(False)
        self.overview = OverviewPage(self)
        pages = QStackedWidget(self)
        pages.addWidget(self.overview)
        beside_the_list(self, self.pane, scrolling_page(pages, self))
        for title in MENU_TITLES:
            self.menuBar().addMenu(title).setEnabled(False)
        toolbar = QToolBar("Main", self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for text in TOOLBAR_TEXTS:
            toolbar.addAction(text).setEnabled(False)
        self.addToolBar(toolbar)
        self.statusBar().showMessage(f"Data folder: {data_dir}")
        restore_window(self)
        self.pane.organisation.setText(screen.organisation)
        self.pane.fill(screen.rows)
        self.pane.services.setCurrentRow(0)
        self.overview.show_screen(screen)
        self.setCursor(Qt.CursorShape.BusyCursor)


@dataclass
class FirstStart:
    """The data folder, locked and its version read, and the start screen if one was drawn."""

    folder: OpenFolder
    window: FirstScreen | None = None


def _read_start_screen(folder: OpenFolder) -> tuple[StartScreen, int, bool] | None:
    """What the start screen shows, its text size and contrast; None when it is not to be
    drawn early (the file needs more than reading, or has no service yet)."""
    if not folder.up_to_date:
        return None
    try:
        with reading_file(folder.db_path) as reader:
            screen = start_screen(reader, dt.date.today(), dt.datetime.now())
            if not screen.rows:
                return None
            return screen, text_size_in(reader), high_contrast_in(reader)
    except (sqlite3.Error, ValueError) as error:
        # The main window reads the file again, and says plainly what is wrong with it.
        logger.warning("The start screen was not drawn early: %s", error)
        return None


def show_first_screen(data_dir: Path, early_check: EarlyCheck | None) -> FirstStart | None:
    """Lock the data folder and draw the start screen; None when the folder cannot be opened
    (the main window's opening meets the same problem and offers the way out)."""
    try:
        folder = open_folder(data_dir, early_check)
    except UserFacingError:
        return None
    found = _read_start_screen(folder)
    if found is None:
        return FirstStart(folder)
    screen, text_size, high_contrast = found
    application()
    apply_text_size(text_size)
    apply_high_contrast(high_contrast)
    window = FirstScreen(screen, folder.data_dir)
    close_starting_window()
    window.setProperty(OPENING, True)  # the main window closes it as it shows
    window.show()
    paint_once_mapped(window)
    return FirstStart(folder, window)


def load_the_rest() -> None:
    """Load the rest of the program a piece at a time, letting the start screen repaint in
    between (but taking no clicks: nothing on it works yet), so that a slow laptop never shows
    it as not responding."""
    for name in _THE_REST:
        importlib.import_module(name)
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
