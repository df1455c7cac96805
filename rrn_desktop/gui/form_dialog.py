"""A dialog that saves on OK and, if what was typed cannot be saved, says why and stays open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from rrn_desktop.errors import UserFacingError
from rrn_desktop.gui.theme import warning_style


class FormDialog(QDialog):
    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit: Callable[[], None] = lambda: None
        self.form = QFormLayout(self)
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

    def finish_layout(self, width: int | None = None) -> None:
        """The problem line and the buttons below the fields; given a width, the dialog is made
        at least that wide (wider where large text needs it) and tall enough for every wrapped
        line at the width it ends up."""
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)
        if width is not None:
            width = max(width, self.minimumSizeHint().width())
            self.resize(width, max(self.heightForWidth(width), self.sizeHint().height()))

    def accept(self) -> None:
        try:
            self.submit()
        except UserFacingError as error:
            self.problem.setText(error.message)
            self.problem.show()
            return
        super().accept()
