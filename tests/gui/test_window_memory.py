"""The window opens filling the screen the first time, and as it was left after that."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSplitter

from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.storage.database import open_database


def open_and_show(qtbot, folder: Path) -> MainWindow:
    window = MainWindow(open_database(folder))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def close(window: MainWindow) -> None:
    window.close()
    window._db.close()


def test_first_start_fills_the_screen_and_later_starts_keep_the_size_and_panes(
    qtbot, demo_dir: Path
) -> None:
    first = open_and_show(qtbot, demo_dir)
    assert first.isMaximized()  # the window system fits it to the screen above the taskbar

    first.showNormal()
    first.resize(QSize(1000, 600))
    splitter = first.findChild(QSplitter, "main-splitter")
    splitter.setSizes([300, 700])
    close(first)

    again = open_and_show(qtbot, demo_dir)
    assert not again.isMaximized()
    assert again.size() == QSize(1000, 600)
    assert again.findChild(QSplitter, "main-splitter").sizes()[0] == 300
    close(again)
