"""Saving a form's fields as they are typed: after a short pause, or as soon as focus moves on.

There is no Save button to forget; closing the window flushes whatever is still waiting.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from rrn_desktop.gui.date_field import DateField

SAVE_DELAY_MS = 400
Getter = Callable[[], object]
# What a getter gives while its field cannot be saved as it is (a date half typed).
_UNSAVEABLE = object()


def _signal_and_getter(widget: QWidget) -> tuple[object, Getter]:
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged, widget.toPlainText
    if isinstance(widget, QLineEdit):
        return widget.textChanged, widget.text
    if isinstance(widget, DateField):
        return widget.changed, lambda: _UNSAVEABLE if widget.problem() else widget.day()
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged, widget.currentData
    raise TypeError(f"cannot watch {type(widget).__name__}")


class Autosave(QObject):
    """Collects changed fields and hands them to `save` in one go.

    `save` returns False when the change was refused (it has explained why to the user).
    """

    def __init__(self, save: Callable[[dict[str, object]], bool], parent: QObject) -> None:
        super().__init__(parent)
        self._save = save
        self._pending: dict[str, object] = {}
        self.loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def watch(self, widget: QWidget, field: str) -> None:
        signal, getter = _signal_and_getter(widget)
        signal.connect(lambda *_args: self._changed(field, getter))  # type: ignore[attr-defined]
        # A field made of parts (a date and its calendar button) loses focus from its text box.
        (widget.focusProxy() or widget).installEventFilter(self)

    def _changed(self, field: str, getter: Getter) -> None:
        if self.loading:
            return
        value = getter()
        if value is _UNSAVEABLE:
            # An earlier value of the field, still waiting, is no longer what it says.
            self._pending.pop(field, None)
            return
        self._pending[field] = value
        self._timer.start()

    def flush(self) -> bool:
        self._timer.stop()
        if not self._pending:
            return True
        changes, self._pending = self._pending, {}
        return self._save(changes)

    def keep(self, changes: dict[str, object]) -> None:
        """Changes that could not be saved yet, to be saved with the next flush (anything typed
        since stays newer)."""
        self._pending = changes | self._pending

    def discard(self) -> None:
        self._timer.stop()
        self._pending.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)
