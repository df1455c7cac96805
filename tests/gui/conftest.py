"""GUI fixtures: a main window on a real data folder, with every blocking dialog replaced."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from rrn_desktop.gui import app as app_module
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.storage.database import Database, open_database


class DialogAnswers:
    """What the replaced dialogs answer, and what they were asked."""

    def __init__(self) -> None:
        self.confirm = True
        self.discard = True
        self.save_path: Path | None = None
        self.open_path: Path | None = None
        self.printer: object = None
        self.text: str | None = None
        self.errors: list[str] = []
        self.questions: list[str] = []


@pytest.fixture(autouse=True)
def never_blocked_by_discard(monkeypatch: pytest.MonkeyPatch) -> None:
    """A form closed with something typed in it asks before discarding: in a test that has
    not said what to answer (the answers fixture), discard, rather than wait for ever for a
    click no one will make."""
    monkeypatch.setattr(dialogs, "ask_to_discard", lambda _parent: True)


@pytest.fixture(autouse=True)
def own_window_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test starts as on a new laptop: no window size or pane widths remembered."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> DialogAnswers:
    given = DialogAnswers()

    def confirm(_parent: QWidget, title: str, _text: str, _action: str) -> bool:
        given.questions.append(title)
        return given.confirm

    monkeypatch.setattr(dialogs, "ask_confirmation", confirm)

    def discard(_parent: QWidget) -> bool:
        given.questions.append("Discard your changes?")
        return given.discard

    monkeypatch.setattr(dialogs, "ask_to_discard", discard)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, text: given.errors.append(text))
    monkeypatch.setattr(dialogs, "show_information", lambda _p, _t, _text: None)
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *_args: given.save_path)
    monkeypatch.setattr(dialogs, "choose_open_path", lambda *_args: given.open_path)
    monkeypatch.setattr(dialogs, "choose_printer", lambda _parent: given.printer)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_args: given.text)

    def about_the_data_file(_title: str, text: str, *, can_restore: bool) -> str:
        given.errors.append(text)  # the start-up offer, answered Quit
        return app_module.QUIT

    monkeypatch.setattr(app_module, "ask_about_the_data_file", about_the_data_file)
    return given


@pytest.fixture
def open_window(qtbot, answers: DialogAnswers) -> Iterator[Callable[[Path], MainWindow]]:
    """Open the app's main window on a data folder; closed (and the data released) afterwards."""
    opened: list[tuple[MainWindow, object]] = []

    def opener(folder: Path) -> MainWindow:
        db = open_database(folder)
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        opened.append((window, db))
        return window

    yield opener
    for window, db in opened:
        window.close()
        db.close()  # type: ignore[attr-defined]


def type_text(widget: QWidget, text: str) -> None:
    """Type text as key presses, including letters QTest cannot (Welsh ŵ ŷ, emoji)."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, character)
            QApplication.sendEvent(widget, event)


def select_service(window: MainWindow, name: str) -> None:
    """Choose a service in the left-hand list by its name (its label may add overdue notes)."""
    for row in range(window.services.count()):
        if window.services.item(row).text().startswith(name):
            window.services.setCurrentRow(row)
            return
    raise AssertionError(f"no service called {name} in the list")


@pytest.fixture
def window_on(qtbot) -> Iterator[Callable[[Path], tuple[MainWindow, Database]]]:
    """Open the main window on a data folder; the window and its data, both closed afterwards."""
    opened: list[tuple[MainWindow, Database]] = []

    def opener(folder: Path) -> tuple[MainWindow, Database]:
        db = open_database(folder)
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append((window, db))
        return window, db

    yield opener
    for window, db in opened:
        window.close()
        db.close()
