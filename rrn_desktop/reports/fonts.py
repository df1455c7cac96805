"""The fonts every report uses: DejaVu Sans for the text and Noto Emoji for the emoji DejaVu
has no shape for, both shipped with the app and embedded in each PDF.

The PDF's built-in fonts (Helvetica and friends) cannot print ŵ or ŷ, let alone ≥ or →, so every
piece of text goes through these TrueType fonts instead. They are registered once per process as
families, so ``<b>`` and ``<i>`` in paragraph markup pick the bold and oblique faces. reportlab
has no font fallback: text in the house font is cut into runs, and a run of emoji is set in the
emoji font (see ``house_style.font_runs``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.resources import fonts_dir

REGULAR = "RRNSans"
BOLD = "RRNSans-Bold"
ITALIC = "RRNSans-Italic"
FAMILY = REGULAR
# One monochrome face: emoji print the same in bold or italic text.
EMOJI = "RRNEmoji"

FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
}

# Printed in place of a character neither font has a shape for, so the reader can see
# something was there instead of it silently vanishing.
REPLACEMENT_CHARACTER = "\ufffd"

_lock = threading.Lock()

# One line of a ToUnicode map as reportlab writes it: a character code, then the character.
_TO_UNICODE_ENTRY = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _as_utf16(entry: re.Match[str]) -> str:
    code = int(entry[2], 16) - 0x10000
    high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
    return f"<{entry[1]}> <{high:04X}{low:04X}>"


class _HouseFont(TTFont):  # type: ignore[misc]  # reportlab has no type stubs
    """A TrueType font whose characters beyond U+FFFF (most emoji) copy and search as typed.

    reportlab writes such a character into the PDF's ToUnicode map as five hex digits, which
    readers misread, garbling the rest of the line; the PDF standard wants it as UTF-16 (a
    surrogate pair), which is what this font writes."""

    def addObjects(self, doc: Any) -> None:
        super().addObjects(doc)
        for name, stream in doc.idToObject.items():
            if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
                stream.content = _TO_UNICODE_ENTRY.sub(_as_utf16, stream.content)


class FontError(UserFacingError):
    """The shipped fonts are missing or damaged."""


@dataclass(frozen=True)
class Coverage:
    """The characters each font can draw."""

    text: frozenset[int]  # the house font (its regular face)
    emoji: frozenset[int]


@cache
def _register() -> Coverage:
    folder = fonts_dir()
    fonts: dict[str, TTFont] = {}
    for name, file_name in FONT_FILES.items():
        path = folder / file_name
        try:
            fonts[name] = _HouseFont(name, str(path))
        except (OSError, TTFError) as error:
            raise FontError(
                f"The report font {file_name} is missing or damaged (looked in {folder}). "
                "Please reinstall RRN Self-Audit."
            ) from error
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    # No bold-oblique face is shipped: bold is the closer match for the rare <b><i>.
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    pdfmetrics.registerFontFamily(EMOJI, normal=EMOJI, bold=EMOJI, italic=EMOJI, boldItalic=EMOJI)
    return Coverage(
        text=frozenset(fonts[REGULAR].face.charToGlyph),
        emoji=frozenset(fonts[EMOJI].face.charToGlyph),
    )


def register_fonts() -> None:
    """Make the report fonts available to reportlab; cheap to call again."""
    with _lock:
        _register()


def coverage() -> Coverage:
    """Every character the house font and the emoji font can draw."""
    with _lock:
        return _register()
