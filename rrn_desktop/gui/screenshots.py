"""Pictures of every main screen with the data as it is, at normal and double text size.

For the README and the user guide, and to review how a change looks before it ships. The data
is only read: nothing is selected that would save, and nothing typed is left to save.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.logs import logger
from rrn_desktop.base.vocabulary import ActionStatus
from rrn_desktop.core import benchmarks, incidents, plan, restrictions
from rrn_desktop.core.services import ServiceInfo, list_services
from rrn_desktop.gui.checklist_walk import ChecklistWalk
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.screen_fit import room_on_screen
from rrn_desktop.gui.starting import application
from rrn_desktop.gui.text_size import applied_text_size, apply_text_size
from rrn_desktop.storage.database import Database, open_database

SCREENSHOT_TEXT_SIZES = (100, 200)


def _log_qt_message(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    # Off screen, Qt warns about window hints it cannot pass on: the log, not the terminal.
    logger.debug("Qt: %s", message)


@contextmanager
def _qt_messages_to_log() -> Iterator[None]:
    previous = qInstallMessageHandler(_log_qt_message)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _settle() -> None:
    """Let layouts, resizes and repaints that are waiting happen before a picture is taken:
    one layout can ask the ones around it to lay out again (rows of buttons that wrap)."""
    for _ in range(10):
        QApplication.processEvents()


def _service_with_data(db: Database) -> ServiceInfo | None:
    """The first service with the most kinds of records (benchmarks, restrictions, incidents)."""

    def kinds(service: ServiceInfo) -> int:
        return sum(
            1
            for records in (
                benchmarks.list_benchmarks(db, service.id),
                restrictions.list_restrictions(db, service.id),
                incidents.list_incidents(db, service.id),
            )
            if records
        )

    services = list_services(db)
    return max(services, key=kinds) if services else None


def _action_to_show(db: Database) -> int | None:
    """An action under way if there is one: its editor has the most to show."""
    actions = plan.list_actions(db)
    for action in actions:
        if action.status is ActionStatus.IN_PROGRESS:
            return action.id
    return actions[0].id if actions else None


def _item_to_show(benchmark: benchmarks.BenchmarkInfo) -> str | None:
    """An item with notes if there is one, else the first."""
    codes = [item.code for _section, item in benchmark.pack().items()]
    return next((code for code in codes if benchmark.response(code).notes), None)


class _Camera:
    """Takes the pictures: each one named by its place in the tour, its screen and text size."""

    def __init__(self, out: Path, progress: Callable[[str], object]) -> None:
        self.out, self.progress = out, progress
        self.written: list[Path] = []
        self.percent = 100
        self._number = 0

    def start_round(self, percent: int) -> None:
        self.percent, self._number = percent, 0

    def take(self, widget: QWidget, name: str) -> None:
        self._number += 1
        _settle()
        path = self.out / f"{self._number:02d}-{name}@{self.percent}.png"
        if not widget.grab().save(str(path), "PNG"):
            raise UserFacingError(f"Could not write {path}. Check the folder can be written to.")
        self.written.append(path)
        self.progress(f"Wrote {path}")


@contextmanager
def text_size(percent: int) -> Iterator[None]:
    before = applied_text_size()
    apply_text_size(percent)
    try:
        yield
    finally:
        apply_text_size(before)


class Visitor(Protocol):
    """What a tour shows each screen to: the camera here, the accessibility checks in tests."""

    percent: int

    def take(self, widget: QWidget, name: str) -> None: ...


def tour(window: MainWindow, db: Database, camera: Visitor) -> None:
    """Every main screen in turn, as the user would go round them, in a window filling the
    screen as a maximised one does (less the caption a maximised window keeps)."""
    window.showNormal()
    window.resize(room_on_screen(window))
    window.refresh_services(select_id=None)
    if not window.services.count():
        camera.take(window, "welcome")
        return
    window.services.setCurrentRow(0)
    camera.take(window, "overview")

    window.show_plan()
    action_id = _action_to_show(db)
    if action_id is not None:
        window.show_action(action_id)
    plan_page = window.plan_page
    for index, name in enumerate(("plan-by-strategy", "plan-all-actions", "plan-timeline")):
        plan_page.tabs.setCurrentIndex(index)
        camera.take(window, name)
    plan_page.tabs.setCurrentWidget(plan_page.pledge)
    camera.take(window, "plan-pledge")

    service = _service_with_data(db)
    if service is None:
        return
    window.show_service(service.id)
    page = window.service_page
    page.tabs.setCurrentWidget(page.benchmarks_tab)
    camera.take(window, "service-benchmarks")
    history = benchmarks.list_benchmarks(db, service.id)
    if history:
        window.open_benchmark(history[0].id)
        code = _item_to_show(history[0])
        if code is not None:
            window.benchmark_page.select_code(code)
        camera.take(window, "benchmark")
        window.back_to_service()

    page.tabs.setCurrentWidget(page.restrictions)
    camera.take(window, "restrictions")
    walk = ChecklistWalk(db, service, lambda _entry_id: None, window)
    # Kept off the screen as the window is (see take_screenshots).
    hidden = window.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    walk.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, hidden)
    walk.show()
    try:
        camera.take(walk, "checklist")
    finally:
        walk.close()
        walk.deleteLater()

    page.tabs.setCurrentWidget(page.incidents)
    camera.take(window, "incidents")


def _picture_dialog(camera: Visitor, name: str, open_it: Callable[[], object]) -> None:
    """Open a dialog as the user would, picture it, and close it without saving anything."""
    before = set(QApplication.topLevelWidgets())
    open_it()
    _settle()
    for dialog in QApplication.topLevelWidgets():
        if dialog not in before and isinstance(dialog, QDialog) and dialog.isVisible():
            try:
                camera.take(dialog, name)
            finally:
                dialog.done(QDialog.DialogCode.Rejected)
                dialog.deleteLater()


def dialog_tour(window: MainWindow, db: Database, camera: Visitor) -> None:
    """The dialogs a new user meets first, each as it opens."""
    _picture_dialog(camera, "add-service", window.add_service_action.trigger)
    service = _service_with_data(db)
    if service is None:
        return
    window.show_service(service.id)
    _picture_dialog(camera, "new-benchmark", window.new_benchmark_action.trigger)
    page = window.service_page
    page.tabs.setCurrentWidget(page.incidents)
    _picture_dialog(camera, "record-incident", page.incidents.new_button.click)
    _picture_dialog(camera, "incidents-by-group", page.incidents.groups_button.click)
    _picture_dialog(camera, "inspection-pack", window.pack_action.trigger)
    _picture_dialog(camera, "connect-shared", window.shared_action.trigger)


def take_screenshots(
    data_dir: Path, out: Path, progress: Callable[[str], object] = print
) -> list[Path]:
    """Save a PNG of every main screen at 100 % and 200 % text size; the files written.

    The data is opened, read and closed: never changed. With no services yet, the welcome
    screen is the only one to show.
    """
    if out.exists() and not out.is_dir():
        raise UserFacingError(f"{out} is a file: give a folder for the screenshots.")
    out.mkdir(parents=True, exist_ok=True)
    application()
    camera = _Camera(out, progress)
    with _qt_messages_to_log(), open_database(data_dir) as db:
        window = MainWindow(db)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        try:
            window.show()
            for percent in SCREENSHOT_TEXT_SIZES:
                with text_size(percent):
                    camera.start_round(percent)
                    tour(window, db, camera)
                    dialog_tour(window, db, camera)
        finally:
            # Hidden, not closed: pictures are no reason to remember the window's size.
            window.hide()
            window.deleteLater()
            _settle()
    return camera.written
