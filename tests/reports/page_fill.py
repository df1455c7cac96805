"""How full each printed page is, measured from the PDF itself: the room left empty at the foot
of the page's text area, below the lowest character printed in it (charts print their axis
labels, tables their last row)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from rrn_desktop.reports import house_style as hs

# A character's box can reach a little past the frame (descenders, a table's padding).
_SLACK = 2.0


def empty_below(path: Path) -> list[float]:
    """For each page in order, the height in points between the foot of the text area and
    the lowest character printed in it (the whole text area for a page with nothing in it)."""
    foot = hs.MARGIN_BOTTOM
    head = hs.PAGE_HEIGHT - hs.MARGIN_TOP
    document = pdfium.PdfDocument(path)
    try:
        empties = []
        for page in document:
            text = page.get_textpage()
            lowest = head
            for index in range(text.count_chars()):
                if not chr(pdfium_c.FPDFText_GetUnicode(text.raw, index)).strip():
                    continue
                _left, bottom, _right, top = text.get_charbox(index)
                if bottom >= foot - _SLACK and top <= head + _SLACK:
                    lowest = min(lowest, bottom)
            empties.append(max(lowest - foot, 0.0))
        return empties
    finally:
        document.close()


def emptier_than_a_third(path: Path, ends: set[int]) -> list[tuple[int, int]]:
    """(page from 1, percentage empty) of each page more than a third empty, leaving out the
    ``ends``: the pages numbered there (from 1) and the last page, after which a new page is
    started on purpose."""
    empties = empty_below(path)
    return [
        (number, round(100 * empty / hs.FRAME_HEIGHT))
        for number, empty in enumerate(empties, start=1)
        if empty > hs.FRAME_HEIGHT / 3 and number not in ends and number != len(empties)
    ]
