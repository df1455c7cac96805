"""The real pages of a report, before it is printed or saved.

Pages are drawn by PDFium (pypdfium2), the same renderer the app prints with, so what is seen is
what comes out of the printer, and no second PDF engine is bundled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.core.wording import plural
from rrn_desktop.gui.printing import render_page
from rrn_desktop.gui.screen_fit import fit_to_screen

PREVIEW_DPI = 80
ZOOM_STEPS = (0.6, 0.8, 1.0, 1.25, 1.6, 2.0)


class ReportPreview(QDialog):
    """Shows every page of ``pdf``; the buttons hand back to the window what to do next."""

    def __init__(
        self,
        pdf: Path,
        title: str,
        on_print: Callable[[], None],
        on_save_pdf: Callable[[], None],
        on_save_word: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {title}")
        try:
            self._document = pypdfium2.PdfDocument(str(pdf))
        except pypdfium2.PdfiumError as error:
            raise UserFacingError("The report could not be opened for preview.") from error
        self._zoom_index = ZOOM_STEPS.index(1.0)
        self.pages: list[QLabel] = []
        self.page_count = len(self._document)

        self.summary = QLabel(
            f"{plural(self.page_count, 'page')}, as they will print (A4). Ctrl+= and Ctrl+- zoom.",
            self,
        )
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for number in range(self.page_count):
            page = QLabel(f"Page {number + 1} of {self.page_count}…", holder)
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setAccessibleName(f"Page {number + 1} of {self.page_count}")
            page.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(page)
            self.pages.append(page)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(holder)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.print_button = QPushButton("&Print…", self)
        self.pdf_button = QPushButton("Save as P&DF…", self)
        self.word_button = QPushButton("Save as &Word…", self)
        close_button = QPushButton("&Close", self)
        self.print_button.clicked.connect(on_print)
        self.pdf_button.clicked.connect(on_save_pdf)
        self.word_button.clicked.connect(on_save_word)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, stretch=1)
        for button in (self.print_button, self.pdf_button, self.word_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, stretch=1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._zoom(1))
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self._zoom(1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._zoom(-1))
        fit_to_screen(self, QSize(820, 900))
        self.finished.connect(lambda _result: self._document.close())
        # One page at a time, so a long report opens at once and fills in as it is read.
        self._next = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._render_next)
        self._timer.start(0)

    def rendered(self) -> int:
        return self._next

    def _render_next(self) -> None:
        if self._next >= self.page_count:
            self._timer.stop()
            return
        dpi = PREVIEW_DPI * ZOOM_STEPS[self._zoom_index]
        image = render_page(self._document[self._next], dpi)
        self.pages[self._next].setPixmap(QPixmap.fromImage(image))
        self._next += 1

    def _zoom(self, step: int) -> None:
        index = min(max(self._zoom_index + step, 0), len(ZOOM_STEPS) - 1)
        if index != self._zoom_index:
            self._zoom_index = index
            self._next = 0
            self._timer.start(0)
