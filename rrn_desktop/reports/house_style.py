"""The look every printed report shares: page, type, tables, cover, document control, sign-off.

Later reports (restrictions register, reduction plan, incidents) build their story from these
pieces and call :func:`build_pdf`, so they print with the same header, the same "Page X of Y"
footer and the same end-of-report marker an inspector has come to expect.

All user text goes through :func:`safe` (or :func:`plain` for text drawn straight on the page):
reportlab paragraphs are a small XML language, and a note containing ``<b>`` or ``&`` must print
as typed, never as markup or a crash.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from rrn_desktop import __version__
from rrn_desktop.content.pack_models import RagBand
from rrn_desktop.core import dates
from rrn_desktop.core.periods import Period as Period  # reports name it hs.Period
from rrn_desktop.core.wording import plural
from rrn_desktop.reports.fonts import (
    BOLD,
    EMOJI,
    REGULAR,
    REPLACEMENT_CHARACTER,
    coverage,
    register_fonts,
)

APP_NAME = "RRN Self-Audit"

# ---------------------------------------------------------------------------------------------
# Page geometry
# ---------------------------------------------------------------------------------------------

PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZE
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm  # the running header sits inside this margin
MARGIN_BOTTOM = 22 * mm  # and the footer inside this one
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
# reportlab's Frame keeps 6 pt of padding on every side by default; ours has none, so the
# content lines up with the header and footer rules.
FRAME_PADDING = 0

# ---------------------------------------------------------------------------------------------
# Colours: every colour is paired with words, and every tint is light enough for black text to
# stay readable when printed in black and white.
# ---------------------------------------------------------------------------------------------

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#404040")
ACCENT = colors.HexColor("#1F4E79")
RULE = colors.HexColor("#8C8C8C")
HEADER_FILL = colors.HexColor("#DCE4EE")
ZEBRA_FILL = colors.HexColor("#F3F5F8")
LABEL_FILL = colors.HexColor("#EEF1F5")

RAG_FILLS = {
    "green": colors.HexColor("#C9E7C1"),
    "amber": colors.HexColor("#FBE0A8"),
    "red": colors.HexColor("#F4C2BD"),
}
NO_BAND_FILL = colors.white

# Printed in an empty cell, so a blank never looks like something was missed off the page.
NOTHING = "\u2013"

BODY_SIZE = 10
SMALL_SIZE = 9  # the smallest text any report prints
MIN_FONT_SIZE = SMALL_SIZE

# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

# Control characters other than tab and newline cannot be printed and can upset the PDF text
# layer; surrogates only appear when text was decoded badly.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


# Set by each report as it starts: a Word copy keeps every character (Word has fonts for emoji),
# a PDF marks what its font cannot draw.
keep_every_character: ContextVar[bool] = ContextVar("keep_every_character", default=False)


# Kept whatever the fonts say: they join or separate characters, and take no room.
_JOINERS = "\n\u200b\u200c\u200d"


def plain(text: object) -> str:
    """User text made printable: line endings unified, unprintable characters dropped, and any
    character neither report font can draw shown as the replacement mark."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    value = _UNPRINTABLE.sub("", value)
    if value.isascii() or keep_every_character.get():
        return value
    fonts = coverage()
    return "".join(
        ch
        if ord(ch) in fonts.text or ord(ch) in fonts.emoji or ch in _JOINERS
        else REPLACEMENT_CHARACTER
        for ch in value
    )


def font_runs(value: str) -> list[tuple[str, bool]]:
    """Printable text (from :func:`plain`) cut into runs, each flagged True when it is to be
    set in the emoji font: what the house font has no shape for, and every emoji beyond U+FFFF
    (DejaVu draws a few of those, in another style from the rest)."""
    if value.isascii():
        return [(value, False)] if value else []
    fonts = coverage()
    runs: list[tuple[str, bool]] = []
    for ch in value:
        code = ord(ch)
        emoji = code in fonts.emoji and (code > 0xFFFF or code not in fonts.text)
        if runs and (runs[-1][1] == emoji or ch in _JOINERS):
            runs[-1] = (runs[-1][0] + ch, runs[-1][1])
        else:
            runs.append((ch, emoji))
    return runs


def safe(text: object) -> str:
    """User text ready for a Paragraph: printable, XML-escaped, newlines kept as line breaks,
    emoji set in the emoji font."""
    value = plain(text)
    if keep_every_character.get():
        return escape(value).replace("\n", "<br/>")
    return "".join(
        f'<font face="{EMOJI}">{escape(run)}</font>' if emoji else escape(run)
        for run, emoji in font_runs(value)
    ).replace("\n", "<br/>")


def string_width(value: str, font: str, size: float) -> float:
    """How wide printable text stands when drawn with :func:`draw_text`."""
    width: float = sum(
        stringWidth(run, EMOJI if emoji else font, size) for run, emoji in font_runs(value)
    )
    return width


def draw_text(canvas: Canvas, x: float, y: float, value: str, font: str, size: float) -> None:
    """Printable text drawn straight on the page from ``x``, its emoji in the emoji font.

    One text object for the whole line, so the line copies (and is read aloud) as one."""
    line = canvas.beginText(x, y)
    for run, emoji in font_runs(value):
        line.setFont(EMOJI if emoji else font, size)
        line.textOut(run)
    canvas.drawText(line)


def long_date(value: dt.date | None) -> str:
    """A date as people in the UK write it: 5 March 2025."""
    return "" if value is None else dates.long_date(value)


def short_date(value: dt.date | None) -> str:
    """A date for a narrow table column: 5 Mar 2025 (as the screens show it)."""
    return dates.brief_date(value)


def long_datetime(value: dt.datetime) -> str:
    """A date and time as the screens write it too: 5 March 2025 at 14:05."""
    return dates.long_moment(value)


ALL_SERVICES = "All services"


class Service(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def sector_label(self) -> str: ...


class ServiceScope:
    """What a report about one service (``service``) or every one (``services``) covers, in
    words. For a report's context, which gives the two."""

    service: Service | None  # None: every service
    services: Sequence[Service]

    @property
    def scope(self) -> str:
        return ALL_SERVICES if self.service is None else self.service.name

    @property
    def scope_in_full(self) -> str:
        """The service with its type, or every service by name."""
        if self.service is not None:
            return f"{self.service.name} ({self.service.sector_label})"
        if not self.services:
            return f"{ALL_SERVICES} (none set up yet)"
        names = "; ".join(each.name for each in self.services)
        return f"{ALL_SERVICES} ({len(self.services)}): {names}"


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_muted: ParagraphStyle
    small: ParagraphStyle
    small_bold: ParagraphStyle
    small_muted: ParagraphStyle
    label: ParagraphStyle
    part: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    indented: ParagraphStyle
    indented_muted: ParagraphStyle


@cache
def styles() -> Styles:
    """The paragraph styles of the house style (DejaVu Sans, nothing below 9 pt)."""
    register_fonts()
    base = ParagraphStyle(
        "HouseBody",
        fontName=REGULAR,
        fontSize=BODY_SIZE,
        leading=14,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=5,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
        # Hyphenation points are not needed: a word wider than the column is split at the edge.
        wordWrap=None,
        bulletFontName=REGULAR,
    )

    def style(name: str, parent: ParagraphStyle = base, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **changes)

    small = style("HouseSmall", fontSize=SMALL_SIZE, leading=12, spaceAfter=0)
    # The other headings (and a part's) are made from this one, each at its own size.
    heading_look = {"fontName": BOLD, "textColor": ACCENT, "keepWithNext": 1}
    h1 = style("HouseH1", fontSize=17, leading=22, spaceBefore=18, spaceAfter=8, **heading_look)
    result = Styles(
        body=base,
        body_muted=style("HouseBodyMuted", textColor=MUTED),
        small=small,
        small_bold=style("HouseSmallBold", parent=small, fontName=BOLD),
        small_muted=style("HouseSmallMuted", parent=small, textColor=MUTED),
        label=style("HouseLabel", parent=small, fontName=BOLD, textColor=MUTED),
        # A part of a document made of several reports: a first-level heading, larger.
        part=style("HousePart", parent=h1, fontSize=21, leading=26, spaceBefore=0, spaceAfter=10),
        h1=h1,
        h2=style("HouseH2", parent=h1, fontSize=13, leading=17, spaceBefore=12, spaceAfter=5),
        h3=style(
            "HouseH3",
            parent=h1,
            fontSize=11,
            leading=15,
            textColor=INK,
            spaceBefore=6,
            spaceAfter=2,
        ),
        cover_kicker=style(
            "HouseCoverKicker", fontName=BOLD, fontSize=12, leading=16, textColor=MUTED
        ),
        cover_title=style(
            "HouseCoverTitle",
            fontName=BOLD,
            fontSize=26,
            leading=32,
            textColor=ACCENT,
            spaceBefore=4,
            spaceAfter=10,
        ),
        cover_subtitle=style("HouseCoverSubtitle", fontSize=15, leading=20, spaceAfter=16),
        indented=style("HouseIndented", leftIndent=6 * mm, spaceAfter=3),
        indented_muted=style(
            "HouseIndentedMuted", parent=small, leftIndent=6 * mm, spaceAfter=3, textColor=MUTED
        ),
    )
    for candidate in vars(result).values():
        assert candidate.fontSize >= MIN_FONT_SIZE, candidate.name
    return result


def para(markup: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of markup the report itself wrote (user text must already be safe())."""
    return Paragraph(markup, style or styles().body)


def text(value: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of user text, printed exactly as typed."""
    return Paragraph(safe(value), style or styles().body)


@dataclass(frozen=True)
class Anchor:
    """A place in the document that a contents page and the PDF's bookmarks point to."""

    key: str  # unique in the document
    title: str
    level: int = 0  # in the bookmarks panel: 0 at the top, 1 under the last 0, ...


class Heading(Paragraph):  # type: ignore[misc]  # reportlab has no type stubs
    """A heading. Given an anchor, it tells the page it lands on to the document, which then
    numbers it on the contents page and lists it among the PDF's bookmarks."""

    anchor: Anchor | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        pieces: list[Flowable] = super().split(availWidth, availHeight)
        if pieces and self.anchor is not None:
            pieces[0].anchor = self.anchor  # the heading starts where its first line is
        return pieces

    def draw(self) -> None:
        super().draw()
        place = getattr(self.canv, "place_anchor", None)
        if self.anchor is not None and place is not None:
            _x, top = self.canv.absolutePosition(0, self.height)
            place(self.anchor, top)


def heading_style(level: int) -> ParagraphStyle:
    """Level 0 is a part of a document made of several reports; 1 to 3 are headings."""
    st = styles()
    return {0: st.part, 1: st.h1, 2: st.h2, 3: st.h3}[max(0, min(level, 3))]


def heading(title: str, level: int = 1, *, anchor: Anchor | None = None) -> Heading:
    """A heading of the given level (deeper than 3 is printed as 3)."""
    made = Heading(safe(title), heading_style(level))
    made.anchor = anchor
    return made


def section_start(
    title: str,
    *,
    new_page: bool = False,
    level: int = 1,
    anchor: Anchor | None = None,
    room: float = 60 * mm,
) -> list[Flowable]:
    """A top-level section: on a fresh page, or at least not stranded at the foot of one (it
    starts a new page unless ``room`` is left on this one)."""
    opener: Flowable = PageBreak() if new_page else CondPageBreak(room)
    return [opener, heading(title, level, anchor=anchor)]


class PageNumber(Paragraph):  # type: ignore[misc]  # reportlab has no type stubs
    """The number of the page an anchor lands on, right-aligned, for a contents page.

    The number is filled in when the document is saved (every page is known by then), so the
    contents page is laid out once, however long the document. It sits in the page's text
    where it is printed, so it is copied and read aloud beside its entry."""

    key = ""

    def draw(self) -> None:
        super().draw()
        refer = getattr(self.canv, "page_number_form", None)
        if refer is None:
            return
        canvas = self.canv
        _left, bottom = canvas.absolutePosition(0, 0)
        right, top = canvas.absolutePosition(self.width, self.height)
        rect = (MARGIN_LEFT, bottom, right, top)
        name = refer(self.key, rect, self.style.fontName, self.style.fontSize)
        canvas.saveState()
        canvas.translate(self.width, self.height - self.style.fontSize)
        canvas.doForm(name)
        canvas.restoreState()


def page_number(key: str, style: ParagraphStyle | None = None) -> PageNumber:
    number = PageNumber("\u00a0", style or styles().small)
    number.key = key
    return number


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

MIN_ROW_PIECE = 4 * 12.0  # a row split across pages keeps at least four lines on each side


class HouseTable(Table):  # type: ignore[misc]  # reportlab has no type stubs
    """A table that moves whole rows to the next page, and splits inside a row only when the
    row (with the repeated header) is taller than :attr:`tallest` (a page, unless a report sets
    less), e.g. an action described in thousands of words. reportlab's own in-row splitting
    would otherwise split any row that happens to straddle the foot of a page.

    A row too tall for a page is always split, whatever the table's ``splitInRow`` (0 uses
    :data:`MIN_ROW_PIECE`): text of any length prints in full rather than stopping the report."""

    # The tallest a row may be and still move whole to the next page: a page, for a table on
    # the page. A table inside another's cell (an action's readings) has no page of its own:
    # when that cell is split, the table is split too, inside a row if need be, as text in
    # the cell would be. The pieces of a split table keep their table's.
    tallest: float = FRAME_HEIGHT
    # reportlab's own: how far into a row a split may be made (0: rows are not split).
    splitInRow: float

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in self._cellvalues:
            for value in row:
                for inner in value if isinstance(value, list | tuple) else [value]:
                    if isinstance(inner, HouseTable):
                        inner.tallest = 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        in_row = self.splitInRow
        self.splitInRow = 0
        try:
            pieces: list[Flowable] = super().split(availWidth, availHeight)
        finally:
            self.splitInRow = in_row
        # The pieces were made while in-row splitting was off; their rows may need it later.
        self._pass_on(pieces, in_row)
        if len(pieces) == 2 and self._next_row_needs_splitting(pieces[0]):
            # That row will be split anyway: start splitting it on this page. Otherwise the
            # next piece would begin with the repeated header and split the row there, leaving
            # the header printed twice on one page.
            in_row_pieces = self._split_inside_row(availHeight)
            if in_row_pieces:
                return in_row_pieces
        if pieces:
            return pieces
        first_rows = self._rowHeights[: self.repeatRows + 1]
        if sum(first_rows) <= self.tallest:
            return []  # it fits on the next page in one piece
        return self._split_inside_row(availHeight)

    def _split_inside_row(self, availHeight: float) -> list[Flowable]:
        """The table split inside the row at the foot of ``availHeight`` (``split`` has laid
        the table out), each piece of the row at least the minimum tall.

        reportlab refuses a split that leaves less than the minimum for the next page, even
        for a row that cannot fit on any page whole (one a little taller than a page, around
        2,000 characters in a narrow column): such a row is split that much higher instead."""
        in_row = self.splitInRow
        self.splitInRow = in_row or MIN_ROW_PIECE
        try:
            pieces: list[Flowable] = self._splitRows(
                availHeight, doInRowSplit=1
            ) or self._splitRows(availHeight - self.splitInRow, doInRowSplit=1)
        finally:
            self.splitInRow = in_row
        self._pass_on(pieces, in_row)
        if len(pieces) == 2:
            _fill_to_foot(pieces[0], availHeight)
            _name_continued_row(*pieces)
        return pieces

    def _pass_on(self, pieces: list[Flowable], in_row: float) -> None:
        """The pieces split the way this table does (reportlab makes them afresh)."""
        for piece in pieces:
            if isinstance(piece, HouseTable):
                piece.splitInRow = in_row
                piece.tallest = self.tallest

    def _next_row_needs_splitting(self, first_piece: Table) -> bool:
        after = len(first_piece._cellvalues)  # the first row that did not fit
        header = sum(self._rowHeights[: self.repeatRows])
        return after < len(self._rowHeights) and header + self._rowHeights[after] > self.tallest


def _fill_to_foot(first: Flowable, availHeight: float) -> None:
    """The first piece of a row split across pages stretched to the foot of the room it was
    split for, so the rest of the row starts on the next page: left a few lines' room (a row
    split a little high, a paragraph that splits only between lines), the page would otherwise
    take a few more lines of the same row below it, as a row of its own."""
    heights = getattr(first, "_argH", None)
    if not isinstance(heights, list) or not heights or None in heights:
        return
    spare = availHeight - sum(heights) - 0.5  # half a point short, for rounding
    if spare > 0:
        heights[-1] += spare


class _Continued(Paragraph):  # type: ignore[misc]  # reportlab has no type stubs
    """A split row's first cell again, on the page the row goes on to: "Description
    (continued)". ``name`` is the cell's own text, so a row split twice says it only once."""

    name = ""


def _name_continued_row(first: Flowable, rest: Flowable) -> None:
    """A row split across pages names its first cell again on the next page, marked as
    continued (the label of a long field, the person of a long pledge), where reportlab would
    leave it blank, so a page holding only the rest of a long text still says what it is."""
    if not isinstance(first, Table) or not isinstance(rest, Table):
        return
    row = rest.repeatRows if isinstance(rest.repeatRows, int) else 0
    if len(rest._cellvalues) <= row:
        return
    shown, carried = first._cellvalues[-1][0], rest._cellvalues[row][0]
    if carried or not isinstance(shown, list | tuple) or not shown:
        return
    label = shown[0]
    if not isinstance(label, Paragraph):
        return
    name = label.name if isinstance(label, _Continued) else label.text
    again = _Continued(f"{name} <i>(continued)</i>", label.style)
    again.name = name
    style = rest._cellStyles[row][0]
    room = rest._colWidths[0] - style.leftPadding - style.rightPadding
    heights = rest._argH or []
    height = heights[row] if row < len(heights) else None
    _width, needed = again.wrap(room, FRAME_HEIGHT)
    if height is None or needed + style.topPadding + style.bottomPadding <= height:
        rest._cellvalues[row][0] = [again]


def _cell(value: object, style: ParagraphStyle) -> list[Flowable]:
    # Always a list: reportlab can split a row across pages only through cells holding lists.
    if isinstance(value, list):
        return value
    if isinstance(value, Flowable):
        return [value]
    return [Paragraph(safe(value), style)]


# One TableStyle command: its name, the first and last cell, then what it takes, as in
# ("FONT", (0, 0), (-1, -1), REGULAR, SMALL_SIZE).
StyleCommand: TypeAlias = tuple[object, ...]


def table_style(*, header_rows: int = 1, zebra: bool = True) -> list[StyleCommand]:
    commands: list[StyleCommand] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, SMALL_SIZE),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 1.2, INK),
        ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA_FILL]))
    return commands


def stacked_height(flowables: Iterable[Flowable]) -> float:
    """Roughly how tall the flowables stand, one after another, on a page of their own."""
    total = 0.0
    for flowable in flowables:
        _width, height = flowable.wrap(CONTENT_WIDTH, FRAME_HEIGHT)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def together_if_short(
    flowables: Sequence[Flowable], limit: float = FRAME_HEIGHT / 3
) -> list[Flowable]:
    """The flowables kept on one page when together they stand no taller than ``limit``: a
    short table is not left with a row or two on the next page, away from its heading."""
    if stacked_height(flowables) <= limit:
        return [KeepTogether(list(flowables))]
    return list(flowables)


def data_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[float],
    *,
    extra_style: Iterable[StyleCommand] = (),
    zebra: bool = True,
) -> HouseTable:
    """A table with a header row repeated on every page. ``widths`` are fractions of the text
    width; plain values are printed as typed (escaped), Paragraphs and lists as given."""
    st = styles()
    data: list[list[Any]] = [[_cell(title, st.small_bold) for title in header]]
    data += [[_cell(value, st.small) for value in row] for row in rows]
    table = HouseTable(
        data,
        colWidths=[fraction * CONTENT_WIDTH for fraction in widths],
        repeatRows=1,
        splitByRow=1,
        splitInRow=MIN_ROW_PIECE,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([*table_style(zebra=zebra), *extra_style]))
    return table


def key_value_table(rows: Sequence[tuple[str, object]], *, label_width: float = 0.3) -> HouseTable:
    """Label / value pairs (document control, cover facts, sign-off), labels shaded."""
    st = styles()
    data = [[_cell(label, st.small_bold), _cell(value, st.small)] for label, value in rows]
    table = HouseTable(
        data,
        colWidths=[label_width * CONTENT_WIDTH, (1 - label_width) * CONTENT_WIDTH],
        splitByRow=1,
        splitInRow=MIN_ROW_PIECE,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                *table_style(header_rows=0, zebra=False),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
            ]
        )
    )
    return table


# ---------------------------------------------------------------------------------------------
# Red / amber / green, always in words as well as colour
# ---------------------------------------------------------------------------------------------


def rag_fill(band: RagBand | None) -> colors.Color:
    if band is None:
        return NO_BAND_FILL
    known = RAG_FILLS.get(band.colour.strip().lower())
    if known is not None:
        return known
    try:
        # A pack may name another colour; lighten it so black text stays readable.
        colour = colors.toColor(band.colour)
    except ValueError:
        return NO_BAND_FILL
    return colors.linearlyInterpolatedColor(colour, colors.white, 0, 1, 0.7)


# ---------------------------------------------------------------------------------------------
# Cover, document control and sign-off
# ---------------------------------------------------------------------------------------------


class Person(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def lived_experience(self) -> bool: ...


def participants_table(participants: Sequence[Person]) -> list[Flowable]:
    st = styles()
    if not participants:
        return [para("No one was recorded as taking part.", st.body_muted)]
    lived = sum(1 for person in participants if person.lived_experience)
    flowables: list[Flowable] = [
        data_table(
            ["Name", "Role", "Lived experience"],
            [
                (person.name, person.role or NOTHING, "Yes" if person.lived_experience else NOTHING)
                for person in participants
            ],
            [0.38, 0.42, 0.2],
        )
    ]
    if lived:
        summary = (
            f"{plural(lived, 'person', 'people')} with lived experience of restrictive practice "
            "took part (marked Yes above)."
        )
    else:
        summary = "No one taking part was recorded as having lived experience."
    flowables.append(Spacer(1, 2 * mm))
    flowables.append(para(summary, st.small_muted))
    return flowables


def cover_heading(
    *,
    organisation: str,
    report_title: str,
    subtitle: str,
    facts: Sequence[tuple[str, object]],
    purpose_note: str = "",
) -> list[Flowable]:
    """The top of every cover: organisation, report title, what it covers, key facts, purpose."""
    st = styles()
    flowables: list[Flowable] = [
        Spacer(1, 18 * mm),
        para(safe(organisation), st.cover_kicker),
        para(safe(report_title), st.cover_title),
        para(safe(subtitle), st.cover_subtitle),
        key_value_table(facts, label_width=0.28),
    ]
    if purpose_note:
        flowables += [Spacer(1, 4 * mm), para(purpose_note, st.body_muted)]
    return [*flowables, Spacer(1, 6 * mm)]


def cover_page(
    *,
    report_title: str,
    service: str,
    organisation: str,
    facts: Sequence[tuple[str, object]],
    participants: Sequence[Person],
    purpose_note: str = "",
) -> list[Flowable]:
    """The first page: who and what the report is about, when, and who took part."""
    return [
        *cover_heading(
            organisation=organisation,
            report_title=report_title,
            subtitle=service,
            facts=[("Service", service), ("Organisation", organisation), *facts],
            purpose_note=purpose_note,
        ),
        heading("Who took part", 2),
        *participants_table(participants),
        PageBreak(),
    ]


def document_control(
    rows: Sequence[tuple[str, object]],
    *,
    generated_at: dt.datetime | None = None,
    status: str = "",
) -> list[Flowable]:
    """The document-control table: the report's own rows, then when it was made and what
    status the copy has (where given); the app's name and version are always added."""
    ending: list[tuple[str, object]] = []
    if generated_at is not None:
        ending.append(("Date generated", long_datetime(generated_at)))
    if status:
        ending.append(("Status", status))
    ending.append(("Produced by", f"{APP_NAME} version {__version__}"))
    return [heading("Document control", 2), key_value_table([*rows, *ending])]


def pack_document_control(
    rows: Sequence[tuple[str, object]],
    *,
    pack_title: str,
    pack_version: str,
    generated_at: dt.datetime,
    status: str,
) -> list[Flowable]:
    """Document control for a report built on a content pack: the report's own rows first,
    then the pack and its version, when the report was made and what status the copy has."""
    standard: list[tuple[str, object]] = [
        ("Content pack", pack_title),
        ("Content pack version", pack_version),
    ]
    return document_control([*rows, *standard], generated_at=generated_at, status=status)


def sign_off_block(
    name: str | None,
    role: str | None,
    on: dt.date | None,
    *,
    what: str = "this report",
    level: int = 2,
) -> list[Flowable]:
    """Name, role and date of sign-off, or a plain statement that it has not happened yet."""
    st = styles()
    if on is None:
        rows: list[tuple[str, object]] = [
            ("Signed off by", "Not signed off yet"),
            ("Role", NOTHING),
            ("Date", NOTHING),
        ]
        note = f"Until it is signed off, {what} shows work in progress and may still change."
    else:
        rows = [
            ("Signed off by", name or NOTHING),
            ("Role", role or NOTHING),
            ("Date", long_date(on)),
        ]
        note = f"Signing off records that {what} is an accurate account; it is not a pass mark."
    return [
        KeepTogether([heading("Sign-off", level), key_value_table(rows), Spacer(1, 2 * mm)]),
        para(note, st.small_muted),
    ]


# ---------------------------------------------------------------------------------------------
# The document: header, "Page X of Y" footer, end-of-report marker
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageDecoration:
    report_title: str
    header: str
    footer_note: str = ""


def _fit(value: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so it fits the width."""
    if string_width(value, font, size) <= width:
        return value
    # The longest start that fits with the ellipsis, found by halving: a name may be long.
    low, high = 0, len(value)
    while low < high:
        middle = (low + high + 1) // 2
        if string_width(value[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return value[:low].rstrip() + "…"


def draw_decorations(canvas: Canvas, decoration: PageDecoration, page: int, total: int) -> None:
    canvas.saveState()
    left, right = MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT
    if page > 1:
        y = PAGE_HEIGHT - MARGIN_TOP + 8 * mm
        canvas.setFillColor(MUTED)
        header = _fit(plain(decoration.header), REGULAR, SMALL_SIZE, right - left)
        draw_text(canvas, left, y, header, REGULAR, SMALL_SIZE)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)

    y = MARGIN_BOTTOM - 11 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y + 4.5 * mm, right, y + 4.5 * mm)
    last = page == total
    page_text = f"Page {page} of {total}"
    marker = "End of report" if last else "report continues"
    marker_font = BOLD if last else REGULAR
    separator = " · "
    marker_width = stringWidth(marker, marker_font, SMALL_SIZE)
    page_width = stringWidth(page_text + separator, BOLD, SMALL_SIZE)
    canvas.setFillColor(INK)
    canvas.setFont(marker_font, SMALL_SIZE)
    canvas.drawRightString(right, y, marker)
    canvas.setFont(BOLD, SMALL_SIZE)
    canvas.drawRightString(right - marker_width, y, page_text + separator)
    canvas.setFillColor(MUTED)
    title = plain(decoration.report_title)
    if decoration.footer_note:
        title += f" · {plain(decoration.footer_note)}"
    room = right - left - page_width - marker_width - 8 * mm
    draw_text(canvas, left, y, _fit(title, REGULAR, SMALL_SIZE, room), REGULAR, SMALL_SIZE)
    canvas.restoreState()


@dataclass(frozen=True)
class _Placed:
    anchor: Anchor
    page: int
    top: float  # from the foot of the page


@dataclass(frozen=True)
class _Link:
    key: str
    page: int
    rect: tuple[float, float, float, float]


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type stubs
    """Holds every page back until the end, so each footer can say "Page X of Y" and the last
    one "End of report" (the usual single-pass alternative to building the document twice).

    The same wait lets a contents page print the page each anchored heading landed on, and
    lets those headings become the PDF's bookmarks."""

    def __init__(self, *args: Any, decoration: PageDecoration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decoration = decoration
        self._pages: list[dict[str, Any]] = []
        self._placed: dict[str, _Placed] = {}
        self._links: list[_Link] = []
        # Anchor key → the name of the form printing its page number, in this font and size.
        self._forms: dict[str, tuple[str, str, float]] = {}

    @property
    def _this_page(self) -> int:
        return len(self._pages) + 1

    def place_anchor(self, anchor: Anchor, top: float) -> None:
        self._placed.setdefault(anchor.key, _Placed(anchor, self._this_page, top))

    def page_number_form(
        self,
        key: str,
        rect: tuple[float, float, float, float],
        font: str = REGULAR,
        size: float = SMALL_SIZE,
    ) -> str:
        """The name of the form that will print the page ``key`` lands on; ``rect`` (on this
        page) becomes a link to it."""
        self._links.append(_Link(key, self._this_page, rect))
        made = (f"HousePageOf{len(self._forms) + 1}", font, size)
        return self._forms.setdefault(key, made)[0]

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def _fill_page_numbers(self) -> None:
        for key, (name, font, size) in self._forms.items():
            placed = self._placed.get(key)
            self.beginForm(name, -30 * mm, -0.5 * size, 0, 1.5 * size)
            self.setFont(font, size)
            self.setFillColor(INK)
            self.drawRightString(0, 0, str(placed.page) if placed else NOTHING)
            self.endForm()

    def _mark_page(self, number: int, outline_level: int) -> int:
        """Bookmarks for the anchors on this page, links from it; the last outline level."""
        for placed in self._placed.values():
            if placed.page != number:
                continue
            self.bookmarkHorizontalAbsolute(placed.anchor.key, placed.top)
            # An outline level may only go one deeper than the entry before it.
            outline_level = max(0, min(placed.anchor.level, outline_level + 1))
            self.addOutlineEntry(plain(placed.anchor.title), placed.anchor.key, outline_level)
        for link in self._links:
            if link.page == number and link.key in self._placed:
                self.linkAbsolute("", link.key, link.rect, thickness=0)
        return outline_level

    def save(self) -> None:
        total = len(self._pages)
        self._fill_page_numbers()
        outline_level = -1
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            draw_decorations(self, self._decoration, number, total)
            outline_level = self._mark_page(number, outline_level)
            super().showPage()
        if self._placed:
            self.showOutline()
        self.page_count = total
        super().save()


class _HouseDocument(BaseDocTemplate):  # type: ignore[misc]  # reportlab has no type stubs
    def __init__(self, buffer: io.BytesIO, **kwargs: Any) -> None:
        super().__init__(
            buffer,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            creator=f"{APP_NAME} {__version__}",
            producer=f"{APP_NAME} {__version__} (ReportLab)",
            lang="en-GB",
            initialFontName=REGULAR,
            initialFontSize=BODY_SIZE,
            **kwargs,
        )
        frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            FRAME_HEIGHT,
            leftPadding=FRAME_PADDING,
            rightPadding=FRAME_PADDING,
            topPadding=FRAME_PADDING,
            bottomPadding=FRAME_PADDING,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])


@dataclass(frozen=True)
class BuiltPdf:
    data: bytes
    page_count: int


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    header: str,
    footer_note: str = "",
    author: str = "",
    subject: str = "",
    progress: Callable[[float], None] | None = None,
) -> BuiltPdf:
    """Lay the story out in the house style and return the finished PDF bytes.

    ``progress`` receives fractions from 0 to 1 as flowables are placed.
    """
    register_fonts()
    buffer = io.BytesIO()
    document = _HouseDocument(buffer, title=plain(title), author=plain(author), subject=subject)
    if progress is not None:
        total = max(len(story), 1)

        done = 0

        def on_progress(kind: str, value: int) -> None:
            # A flowable split across pages goes back on the list, so the count can dip.
            nonlocal done
            if kind == "PROGRESS" and value > done:
                done = value
                progress(min(done / total, 1.0))

        document.setProgressCallBack(on_progress)
    decoration = PageDecoration(report_title=title, header=header, footer_note=footer_note)
    canvases: list[_NumberedCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        canvas = _NumberedCanvas(*args, decoration=decoration, **kwargs)
        canvases.append(canvas)
        return canvas

    document.build(list(story), canvasmaker=make_canvas)
    return BuiltPdf(data=buffer.getvalue(), page_count=canvases[-1].page_count)


SIGNATURE_ROW_HEIGHT = 12 * mm


def paper_sign_off(what: str, *, level: int = 2) -> list[Flowable]:
    """Blank name, role, signature and date lines, tall enough to write in by hand.

    :func:`sign_off_block` prints a sign-off already recorded in the app; a register or a plan
    has none, so it is signed on paper."""
    st = styles()
    labels = ["Name", "Role", "Signature", "Date"]
    data = [[[para(label, st.small_bold)], ""] for label in labels]
    table = HouseTable(
        data,
        colWidths=[0.3 * CONTENT_WIDTH, 0.7 * CONTENT_WIDTH],
        rowHeights=[SIGNATURE_ROW_HEIGHT] * len(labels),
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                *table_style(header_rows=0, zebra=False),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return [
        KeepTogether(
            [
                heading("Sign-off", level),
                para(
                    f"To be signed by the person responsible for {what}, to confirm it is an "
                    "accurate record on the date it was printed. Signing records an accurate "
                    "account; it is not a pass mark."
                ),
                table,
            ]
        )
    ]


def muted(words: str) -> Paragraph:
    """A quiet note in place of something missing: 'No files attached.'"""
    return para(safe(words), styles().small_muted)


def cell_line_style() -> ParagraphStyle:
    """One line of a list inside a table cell (a note, a status change), a little apart."""
    return ParagraphStyle("CellLine", parent=styles().small, spaceAfter=3)


class StatusChangeLike(Protocol):
    # Read-only, as the frozen dataclasses that fill it are.
    @property
    def changed_on(self) -> dt.date: ...

    @property
    def note(self) -> str: ...

    @property
    def status_label(self) -> str: ...


def status_history(changes: Sequence[StatusChangeLike]) -> list[Flowable]:
    """'5 May 2026 · Removed: the alarm works', one dated line per change of status."""
    lines: list[Flowable] = []
    for change in changes:
        note = f": {safe(change.note)}" if change.note.strip() else ""
        lines.append(
            para(
                f"<b>{long_date(change.changed_on)}</b> · {safe(change.status_label)}{note}",
                cell_line_style(),
            )
        )
    return lines


def record_cell(value: object) -> list[Flowable]:
    """A field's value in a record table: text, a flowable, or a list of flowables."""
    if isinstance(value, list):
        return value
    if isinstance(value, Flowable):
        return [value]
    return [text(value, styles().small)]


def record_table(header: object, rows: Iterable[tuple[str, object]]) -> HouseTable:
    """One record (a register entry, an action) as one table: a heading row that repeats on
    every page the record runs onto, then a labelled row for each field."""
    st = styles()
    data: list[list[object]] = [[header, ""]]
    for label, value in rows:
        data.append([[para(safe(label), st.small_bold)], record_cell(value)])
    table = HouseTable(
        data,
        colWidths=[0.3 * CONTENT_WIDTH, 0.7 * CONTENT_WIDTH],
        repeatRows=1,
        splitByRow=1,
        splitInRow=MIN_ROW_PIECE,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                *table_style(header_rows=1, zebra=False),
                ("SPAN", (0, 0), (1, 0)),
                ("BACKGROUND", (0, 1), (0, -1), LABEL_FILL),
            ]
        )
    )
    return table
