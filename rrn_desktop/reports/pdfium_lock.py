"""One lock for PDFium, which is not thread-safe.

A report is made on a worker thread (a Word export draws its charts with PDFium) while the
preview and printing draw pages with PDFium on the GUI thread. Kept in a module of its own so the
window can hold it without loading reportlab or python-docx at start-up.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.Lock()
