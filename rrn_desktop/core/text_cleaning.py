"""Text that reaches a report: no hidden control characters, and no line breaks where a report
lays a field out on one line.

Two rules, one for each kind of field:

- One-line text (names, references, titles, owners, roles): every run of spaces that holds a
  line break or a tab becomes one space (none at either end), and every other control
  character is dropped. "Willow\\n\\nHouse" reads "Willow House": the words are kept, only
  the layout the field cannot show is lost.
- Free text (notes, descriptions): line breaks and tabs are kept; a Windows or old-Mac line
  ending becomes "\\n", Unicode's line and paragraph separators become "\\n" too, and every
  other control character is dropped.

Both drop the characters that reverse the direction of text (U+202A-U+202E, U+2066-U+2069): they
can make a line read differently from what it holds. Both are idempotent, so text typed in the
app, cleaned once, travels through a bundle unchanged.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, less the breaks and tab each rule deals with on its own.
_CONTROLS = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
_DIRECTION = "\u202a-\u202e\u2066-\u2069"
# Everything that ends a line, anywhere a person or a program may have put one.
_BREAKS = "\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029"

_DROP_IN_LINE = re.compile(f"[{_CONTROLS}{_DIRECTION}]")
_BREAK_RUN = re.compile(f"[ \t{_BREAKS}]*[\t{_BREAKS}][ \t{_BREAKS}]*")

_DROP_IN_TEXT = re.compile(f"[{_CONTROLS}\x0b\x0c\x1c-\x1f{_DIRECTION}]")
_TEXT_BREAK = re.compile("\r\n?|[\x85\u2028\u2029]")


def clean_line(text: str) -> str:
    """One-line text: line breaks and tabs flattened to single spaces, other controls gone."""
    text = _DROP_IN_LINE.sub("", text)
    start, end = 0, len(text)
    parts = []
    for run in _BREAK_RUN.finditer(text):
        parts.append(text[start : run.start()])
        start = run.end()
        # A run at either end is dropped, not turned into a space nobody typed.
        parts.append("" if run.start() == 0 or run.end() == end else " ")
    parts.append(text[start:])
    return "".join(parts)


def clean_text(text: str) -> str:
    """Free text: line breaks ("\\n") and tabs kept, other controls gone."""
    return _DROP_IN_TEXT.sub("", _TEXT_BREAK.sub("\n", text))
