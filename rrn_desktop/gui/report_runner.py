"""Writing a report off the GUI thread, with a progress bar and a Cancel button.

The window stays responsive (it repaints, and Cancel works) while reportlab lays out pages. A
cancelled report leaves nothing behind: files are only written once they are complete.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.reports.output import ReportCancelled
from rrn_desktop.storage.errors import DamagedDatabaseError

Result = TypeVar("Result")
Progress = Callable[[float], None]
# Short reports finish before the bar would appear; it shows only for work that takes a while.
SHOW_AFTER_MS = 400


class _Signals(QObject):
    progressed = Signal(int)
    done = Signal()


def run_with_progress(
    parent: QWidget, label: str, work: Callable[[Progress], Result]
) -> Result | None:
    """Run ``work(progress)`` on a worker thread while a progress dialog shows how far it has got.

    Returns its result, or None when it was cancelled or failed with a message already shown.
    """
    bar = QProgressDialog(label, "Cancel", 0, 100, parent)
    bar.setWindowTitle("Working…")
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(SHOW_AFTER_MS)
    bar.setAutoReset(False)
    bar.setAutoClose(False)
    cancelled = threading.Event()
    bar.canceled.connect(cancelled.set)
    signals = _Signals()
    signals.progressed.connect(bar.setValue)
    loop = QEventLoop()
    signals.done.connect(loop.quit)
    outcome: dict[str, object] = {}

    def progress(fraction: float) -> None:
        if cancelled.is_set():
            raise ReportCancelled()
        signals.progressed.emit(round(fraction * 100))

    def worker() -> None:
        try:
            outcome["result"] = work(progress)
        except BaseException as error:  # handed back to the GUI thread below
            outcome["error"] = error
        finally:
            signals.done.emit()

    thread = threading.Thread(target=worker, name="report", daemon=True)
    thread.start()
    if thread.is_alive():
        loop.exec()
    thread.join()
    shown = bar.isVisible()
    bar.close()
    bar.deleteLater()
    if shown:
        # Give the keyboard back to the window the bar covered, so its shortcuts work at once.
        parent.window().activateWindow()
    error = outcome.get("error")
    if isinstance(error, ReportCancelled):
        return None
    if isinstance(error, UserFacingError) and not isinstance(error, DamagedDatabaseError):
        dialogs.show_error(parent, "Not finished", error.message)
        return None
    if isinstance(error, BaseException):
        # The app's own error handler logs it and explains; damage met while reading brings
        # the damaged-data message and the backup offer there, as anywhere else in the window.
        raise error
    return outcome.get("result")  # type: ignore[return-value]
