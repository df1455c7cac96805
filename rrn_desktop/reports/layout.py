"""How the reports print records and the headings over them, the same way in every report.

A record prints only the fields that hold something: a row saying "No files attached." on
every action tells the reader nothing and hides what matters. Where an empty field is itself a
finding (a register entry with no legal basis), the gaps are named once, in one row.

A heading over a table or text that may run on for pages is kept off the foot of a page, but
not tied to what follows: tied, a table longer than the rest of the page would move whole to
the next one and leave this one mostly empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from rrn_desktop.reports import house_style as hs

__all__ = [
    "KEEP_LIMIT",
    "NOT_RECORDED_YET",
    "filled_rows",
    "gaps_row",
    "keep_if_short",
    "loose_heading",
    "record_table",
    "status_history",
]

NOT_RECORDED_YET = "Not recorded yet"

# A block is kept on one page only when shorter than this: moved whole to the next page, it then
# leaves less than a third of this one empty, with room to spare for the space around it.
KEEP_LIMIT = hs.FRAME_HEIGHT / 3 - 10 * mm

# The least a heading over a table needs below it: the heading, a line or two of introduction,
# the table's header and a row or two. Well under a third of a page, so a heading moved on to
# the next page never leaves much behind.
_HEADING_ROOM = 55 * mm


def _is_empty(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []


def filled_rows(rows: Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    """The rows whose value holds something (None, blank text or an empty list is empty)."""
    return [(label, value) for label, value in rows if not _is_empty(value)]


def gaps_row(rows: Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    """One row naming, in a sentence, the fields whose value is empty; none when all are
    filled."""
    gaps = [label for label, value in rows if _is_empty(value)]
    if not gaps:
        return []
    words = "; ".join(label[0].lower() + label[1:] for label in gaps)
    return [(NOT_RECORDED_YET, words[0].upper() + words[1:] + ".")]


def keep_if_short(flowables: Sequence[Flowable]) -> list[Flowable]:
    """The flowables kept on one page when short (a short table is not left with a row or two
    on the next page, away from its heading); otherwise free to split across pages."""
    return hs.together_if_short(flowables, KEEP_LIMIT)


def record_table(header: object, rows: Iterable[tuple[str, object]]) -> hs.HouseTable:
    """One record as one table (see :func:`house_style.record_table`), whose rows taller than
    :data:`KEEP_LIMIT` (a long description, a long log) are split at the foot of a page rather
    than moved whole to the next one, leaving this one mostly empty."""
    table = hs.record_table(header, rows)
    table.tallest = KEEP_LIMIT  # a row taller than a piece may be is split inside
    return table


def loose_heading(
    title: str, level: int = 2, *, room: float = _HEADING_ROOM, anchor: hs.Anchor | None = None
) -> list[Flowable]:
    """A heading over something that may run on: never in the last ``room`` of a page, and not
    tied to what follows it."""
    base = hs.heading_style(level)
    style = ParagraphStyle(f"{base.name}Loose", parent=base, keepWithNext=0)
    made = hs.Heading(hs.safe(title), style)
    made.anchor = anchor
    return [CondPageBreak(room), made]


Change = TypeVar("Change", bound=hs.StatusChangeLike)


def _unrepeated(change: Change) -> Change:
    """The change with its note not repeating the status it follows ("Done: Done; the plan
    was updated" prints as "Done: the plan was updated")."""
    label = re.escape(change.status_label)
    note = re.sub(rf"^\s*{label}\s*[;:,.\u2013-]\s*", "", change.note, flags=re.IGNORECASE)
    if note == change.note or not note.strip():
        return change
    return replace(change, note=note)  # type: ignore[type-var]


def status_history(changes: Sequence[hs.StatusChangeLike]) -> list[Flowable]:
    """One dated line per change of status, each note without a repeat of its status."""
    return hs.status_history([_unrepeated(change) for change in changes])
