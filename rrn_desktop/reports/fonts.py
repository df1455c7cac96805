"""The fonts every report uses: DejaVu Sans, shipped with the app and embedded in each PDF.

The PDF's built-in fonts (Helvetica and friends) cannot print ŵ or ŷ, let alone ≥ or →, so every
piece of text goes through these TrueType fonts instead. They are registered once per process as
a family, so ``<b>`` and ``<i>`` in paragraph markup pick the bold and oblique faces.
"""

from __future__ import annotations

import threading
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from rrn_desktop.errors import UserFacingError
from rrn_desktop.resources import fonts_dir

REGULAR = "RRNSans"
BOLD = "RRNSans-Bold"
ITALIC = "RRNSans-Italic"
FAMILY = REGULAR

FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

# Printed in place of a character the font has no shape for (most emoji, for example), so the
# reader can see something was there instead of it silently vanishing.
REPLACEMENT_CHARACTER = "\ufffd"

_lock = threading.Lock()


class FontError(UserFacingError):
    """The shipped fonts are missing or damaged."""


@cache
def _register() -> frozenset[int]:
    folder = fonts_dir()
    fonts: dict[str, TTFont] = {}
    for name, file_name in FONT_FILES.items():
        path = folder / file_name
        try:
            fonts[name] = TTFont(name, str(path))
        except (OSError, TTFError) as error:
            raise FontError(
                f"The report font {file_name} is missing or damaged (looked in {folder}). "
                "Please reinstall RRN Self-Audit."
            ) from error
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    # No bold-oblique face is shipped: bold is the closer match for the rare <b><i>.
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    return frozenset(fonts[REGULAR].face.charToGlyph)


def register_fonts() -> None:
    """Make the report fonts available to reportlab; cheap to call again."""
    with _lock:
        _register()


def covered_codepoints() -> frozenset[int]:
    """Every character the regular face can draw."""
    with _lock:
        return _register()
