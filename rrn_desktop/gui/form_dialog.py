"""A dialog that saves on OK and, if what was typed cannot be saved, says why and stays open.

Its fields scroll when the screen is too short for them, while the buttons stay in sight; the
keyboard starts in the first field; and closing it with changes typed asks first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.reflow import VerticalScrollArea
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.theme import warning_style


def _value(widget: QWidget) -> object:
    """What a field holds, to tell whether anything was typed since the form opened."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        return [widget.item(row).text() for row in range(widget.count())]
    return None


class FormDialog(QDialog):
    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit: Callable[[], None] = lambda: None
        self.fields = QWidget()
        self.form = QFormLayout(self.fields)
        # Labels go above their fields when the dialog is too narrow for both side by side.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._scroll = VerticalScrollArea(self.fields, self)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(warning_style())
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._opened_with: list[object] | None = None

    def finish_layout(self, width: int | None = None) -> None:
        """The problem line and the buttons below the fields; the dialog made at least width
        wide (wider where large text needs it) and tall enough for every wrapped line at the
        width it ends up, as far as the screen allows: beyond that the fields scroll."""
        layout = QVBoxLayout(self)
        layout.addWidget(self._scroll, stretch=1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.fit(width)

    def fit(self, width: int | None = None) -> None:
        """Size the dialog for its fields (at least width wide) within the screen."""
        layout = self.layout()
        assert layout is not None  # made by finish_layout
        layout.activate()
        wanted_width = max(width or 0, self.sizeHint().width(), self.minimumSizeHint().width())
        margins = layout.contentsMargins()
        inner = wanted_width - margins.left() - margins.right()
        fields_height = (
            self.fields.heightForWidth(inner)
            if self.fields.hasHeightForWidth()
            else self.fields.sizeHint().height()
        )
        rest = self.sizeHint().height() - self._scroll.sizeHint().height()
        fit_to_screen(self, QSize(wanted_width, max(fields_height, 0) + rest))

    def _inputs(self) -> list[QWidget]:
        return [
            widget
            for widget in self.fields.findChildren(QWidget)
            if _value(widget) is not None and not isinstance(widget, QPushButton)
        ]

    def _values(self) -> list[object]:
        return [_value(widget) for widget in self._inputs()]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened_with is None:
            self._opened_with = self._values()
            self._focus_first_field()

    def _focus_first_field(self) -> None:
        """The keyboard starts where the typing starts, not on OK."""
        widget = self.fields.nextInFocusChain()
        while widget is not None and widget is not self.fields:
            if (
                self.fields.isAncestorOf(widget)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, QPushButton)
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def has_changes(self) -> bool:
        return self._opened_with is not None and self._values() != self._opened_with

    def accept(self) -> None:
        try:
            self.submit()
        except UserFacingError as error:
            self.problem.setText(error.message)
            self.problem.show()
            return
        super().accept()

    def reject(self) -> None:
        """Cancel, Esc and the close box: what was typed is only thrown away when asked."""
        if self.isVisible() and self.has_changes() and not dialogs.ask_to_discard(self):
            return
        super().reject()
