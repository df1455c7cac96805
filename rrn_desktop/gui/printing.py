"""Printing a PDF the app wrote, through the system's printer (pages rendered by PDFium)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_raw
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.reports.pdfium_lock import PDFIUM_LOCK

PRINT_DPI = 200


def render_page(page: pypdfium2.PdfPage, dpi: float, grayscale: bool = False) -> QImage:
    # PDFium is not thread-safe, and a Word export may be drawing its charts meanwhile.
    with PDFIUM_LOCK:
        bitmap = page.render(
            scale=dpi / 72,
            grayscale=grayscale,
            force_bitmap_format=pdfium_raw.FPDFBitmap_BGRx,
            rev_byteorder=True,
        )
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGBX8888,
        )
        # copy() detaches the image from PDFium's buffer, which is freed with the bitmap.
        return image.copy()


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Send every page of the PDF to the printer; returns the number of pages printed."""
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as error:
        raise UserFacingError(f"The report {pdf.name} could not be read for printing.") from error
    grayscale = printer.colorMode() == QPrinter.ColorMode.GrayScale
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise UserFacingError("The printer could not be started. Check that it is ready.")
        area = painter.viewport()
        for number in range(len(document)):
            if number:
                printer.newPage()
            image = render_page(document[number], PRINT_DPI, grayscale)
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), size), image)
        return len(document)
    finally:
        if painter.isActive():
            painter.end()
        document.close()
