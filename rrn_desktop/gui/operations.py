"""The one way the window runs a core or storage call, in the manner of Anki's ``CollectionOp``:
``run_operation`` for a call that may be slow, ``attempt`` for a quick one.

``run_operation`` runs the call on a worker thread, so the window keeps repainting and
answering while it works; the call must not touch Qt. A window-modal progress dialog appears
if the call takes more than a moment, with a Cancel button when the call can stop safely. A
``UserFacingError`` is shown in the one standard way. Afterwards what changed is announced on
``change_notices()``, to which screens connect to refresh themselves, instead of each dialog
having signals of its own.

The call is given a ``progress(fraction)`` callback. Once Cancel is pressed, the next call of it
raises ``OperationCancelled``, which the call lets through its own clean-up, so it must call
progress only at points where stopping leaves everything as it was.

``attempt`` runs a quick call (saving a field, removing a file) on the GUI thread, with no
progress dialog, and shows a ``UserFacingError`` in the same standard way. It hands back an
``Attempt``: ``ok``, and only then ``value``, so a call that rightly returns None is not
mistaken for a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.screen_fit import room_on_screen
from rrn_desktop.storage.errors import DamagedDatabaseError

Result = TypeVar("Result")
Progress = Callable[[float], None]
# Quick work finishes before the dialog would appear; it shows only for work that takes a while.
SHOW_AFTER_MS = 400
STEPS = 1000  # the bar's resolution: a 2 GiB file moves it every 2 MiB


class Changed(Enum):
    """What an operation may have changed, for screens to decide whether to refresh."""

    SERVICES = "services"  # services added or renamed, or the organisation's name
    RECORDS = "records"  # benchmarks, register entries, actions, incidents...
    EVIDENCE = "evidence"  # evidence files in the data folder
    BACKUPS = "backups"  # the backups kept


@dataclass(frozen=True)
class Changes:
    """What changed, and in which data folder (tests, and a restore, have more than one)."""

    data_dir: Path
    what: frozenset[Changed]

    @classmethod
    def of(cls, data_dir: Path, *what: Changed) -> Changes:
        return cls(data_dir, frozenset(what))

    def touch(self, data_dir: Path, *any_of: Changed) -> bool:
        """Whether this is news for a screen on ``data_dir`` that shows any of ``any_of``."""
        return self.data_dir == data_dir and not self.what.isdisjoint(any_of)


class ChangeNotices(QObject):
    changed = Signal(object)  # a Changes


_notices: ChangeNotices | None = None


def change_notices() -> ChangeNotices:
    """The app-wide notice board: ``changed`` carries a Changes after every operation."""
    global _notices
    if _notices is None:
        _notices = ChangeNotices()
    return _notices


def announce(changes: Changes) -> None:
    """Tell every screen what changed."""
    change_notices().changed.emit(changes)


class OperationCancelled(Exception):
    """Raised by ``progress`` after Cancel was pressed; not a UserFacingError, and not an
    OSError or ValueError, so the core's own error handling lets it through untouched."""


class _Worker(QThread):
    progressed = Signal(int)

    def __init__(self, work: Callable[[Progress], object]) -> None:
        super().__init__()
        self._work = work
        self.cancelled = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None

    def progress(self, fraction: float) -> None:
        if self.cancelled.is_set():
            raise OperationCancelled()
        self.progressed.emit(round(max(0.0, min(1.0, fraction)) * STEPS))

    def run(self) -> None:
        try:
            self.result = self._work(self.progress)
        except BaseException as error:  # handed back to the GUI thread by run_operation
            self.error = error


class _ProgressDialog(QProgressDialog):
    """Escape and the title bar's close button cancel, as the Cancel button does; where there is
    no Cancel button they do nothing, rather than uncover the window while the work goes on."""

    def __init__(self, parent: QWidget, label: str, can_cancel: bool) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)  # 0, 0: busy until progress comes
        self._can_cancel = can_cancel
        if not can_cancel:
            self.setCancelButton(None)  # None takes the button away
        self.setWindowTitle("Working…")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.setAutoReset(False)
        self.setAutoClose(False)
        # Qt's own showing waits for the first progress; work that reports none (a restore,
        # checking a backup) would otherwise run for seconds with nothing said on screen.
        self._show_later = QTimer(self)
        self._show_later.setSingleShot(True)
        self._show_later.timeout.connect(self._show_while_working)
        self._show_later.start(SHOW_AFTER_MS)
        # The label on one line as far as the screen allows, then wrapped: a long file name at
        # large text pushed the dialog and its Cancel button off the side of a laptop's screen.
        # (A wrapped QLabel left to itself wraps even short labels; a minimum width stops it.)
        text = self.findChild(QLabel)
        if text is not None:
            frame = self.sizeHint().width() - text.sizeHint().width()
            room = room_on_screen(self).width() - frame
            text.setMinimumWidth(min(text.sizeHint().width(), room))
            text.setWordWrap(True)
            self.resize(self.sizeHint())

    def _show_while_working(self) -> None:
        if not (self.wasCanceled() or self.isVisible()):
            self.show()

    def cancel(self) -> None:
        """Hides it for good, as the work has ended (run_operation's call)."""
        self._show_later.stop()
        super().cancel()

    def show_progress(self, steps: int) -> None:
        if self.maximum() == 0:
            self.setRange(0, STEPS)
        self.setValue(steps)

    def reject(self) -> None:
        # Escape: a plain QDialog would only hide, leaving the work going on unseen.
        if self._can_cancel:
            self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._can_cancel:
            event.ignore()
            return
        super().closeEvent(event)


_running: list[str] = []  # the label of the operation under way, if any


def run_operation(
    parent: QWidget,
    label: str,
    work: Callable[[Progress], Result],
    *,
    failure_title: str,
    can_cancel: bool = True,
    changes: Changes | None = None,
) -> Result | None:
    """Run ``work(progress)`` off the GUI thread, showing ``label`` while it takes a while.

    Returns its result, or None when it was cancelled, or failed with a message already shown
    (titled ``failure_title``). ``can_cancel`` offers Cancel: only for work that calls progress
    where stopping is safe. ``changes`` are announced once the work has ended, however it
    ended: a failure part-way may have changed something, and refreshing is cheap. Any error
    other than a UserFacingError goes on to the app's error handler."""
    if _running:
        # Only reachable in the moment before the dialog appears and blocks the window.
        dialogs.show_error(parent, failure_title, f"Wait until “{_running[0]}” has finished.")
        return None
    bar = _ProgressDialog(parent, label, can_cancel)
    worker = _Worker(work)
    bar.canceled.connect(worker.cancelled.set)
    worker.progressed.connect(bar.show_progress)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    _running.append(label)
    try:
        worker.start()
        if not worker.isFinished():
            loop.exec()  # the window goes on painting and answering meanwhile
        worker.wait()
    finally:
        _running.clear()
        shown = bar.isVisible()
        bar.canceled.disconnect(worker.cancelled.set)
        bar.cancel()  # hides it, and stops the timer that would show it
        bar.deleteLater()
        worker.deleteLater()
        if changes is not None:
            announce(changes)
    if shown:
        # Give the keyboard back to the window the bar covered, so its shortcuts work at once.
        parent.window().activateWindow()
    error = worker.error
    if isinstance(error, OperationCancelled):
        return None
    if isinstance(error, UserFacingError) and not isinstance(error, DamagedDatabaseError):
        dialogs.show_error(parent, failure_title, error.message)
        return None
    if error is not None:
        # The app's own error handler logs it and explains; damage met while reading brings
        # the damaged-data message and the backup offer there, as anywhere else in the window.
        raise error
    return cast(Result, worker.result)


@dataclass(frozen=True)
class Attempt(Generic[Result]):
    """How a quick call went: ``ok``, and then its ``value``. A failure's message has been
    shown already, so the caller only decides what to do next."""

    ok: bool
    _value: Result | None = None

    @property
    def value(self) -> Result:
        if not self.ok:
            raise ValueError("A failed attempt has no value: look at ok first.")
        return cast(Result, self._value)


def attempt(
    parent: QWidget,
    failure_title: str,
    call: Callable[[], Result],
    *,
    changes: Changes | None = None,
) -> Attempt[Result]:
    """Run the quick ``call()`` here on the GUI thread, as run_operation would off it.

    A UserFacingError is shown, titled ``failure_title``, and gives an attempt that is not ok.
    ``changes`` are announced once the call has ended, however it ended. Any other error,
    damage to the data file among them, goes on to the app's error handler."""
    try:
        try:
            value = call()
        finally:
            if changes is not None:
                announce(changes)
    except DamagedDatabaseError:
        # Not a plain message: the app's handler explains the damage and offers a backup.
        raise
    except UserFacingError as error:
        dialogs.show_error(parent, failure_title, error.message)
        return Attempt(ok=False)
    return Attempt(ok=True, _value=value)
