"""Word copies of the printed reports, made from the very same story of flowables as the PDF.

A manager may want to add their own words before sending a report on, so every report can also
be saved as a Word document: the same text, with real Word headings (the navigation pane and a
table of contents work), real tables whose header rows repeat on every page, charts as pictures,
and a footer whose "Page X of Y" Word fills in itself. Word lays out its own pages, so nothing
here measures or splits anything: each flowable is simply turned into what Word would use for
it. The text comes from reportlab's own parse of each paragraph, so ``&lt;`` and ``&amp;`` come
out as the characters a person typed, never as markup.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pypdfium2 as pdfium
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    XPreformatted,
)
from reportlab.platypus.flowables import DDIndenter

from rrn_desktop import __version__
from rrn_desktop.base.logs import logger
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.fonts import EMOJI
from rrn_desktop.reports.pdfium_lock import PDFIUM_LOCK

# Calibri comes with every copy of Word, so the document looks as meant wherever it is opened;
# DejaVu Sans, the PDF's font (embedded there), is rarely installed on the reader's computer.
FONT = "Calibri"
BODY_PT = hs.BODY_SIZE
SMALL_PT = hs.SMALL_SIZE  # nothing is set smaller than this
TABLE_TEXT = "Table Text"
END_MARKER = "End of report"
PICTURE_DPI = 200
# Left and right cell margins together (see _set_cell_margins).
CELL_PADDING = 8.0
# A spacer in the story becomes space above the next paragraph, never a whole blank page top.
MOST_SPACE_BEFORE = 24.0

# A table row with less text than this is never split across pages (it is far shorter than a
# page); a longer one may be, as in the PDF.
SHORT_ROW_CHARS = 1500
# Tables up to this many rows stay on one page with what follows when the PDF kept them so.
KEEP_TABLE_ROWS = 12

_SPACES = re.compile(r"[ \t\r\n]+")
# Characters XML 1.0 cannot hold at all (python-docx would refuse the whole document).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Paragraph bullets that are only a mark (•, ◦, ▪, ‣, ●, a dash...): Word's own bullets instead.
_BULLET_MARKS = frozenset(
    "\u2022\u25e6\u25aa\u25ab\u2023\u2043\u25cf\u25cb\u25a0\u25a1\u2013-*\u00b7"
)
_ALIGNMENTS = {
    TA_CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    TA_RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    TA_JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def story_to_docx(
    story: Sequence[Flowable],
    *,
    title: str,
    header: str,
    footer_note: str,
    author: str,
    subject: str,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The story as a Word document (.docx bytes), in the house style as far as Word allows.

    ``progress`` receives fractions from 0 to 1 as the flowables are converted.
    """
    writer = _Writer(title=title, header=header, footer_note=footer_note, parts=_has_parts(story))
    total = max(len(story), 1)
    for done, flowable in enumerate(story, start=1):
        writer.add(flowable, writer.body)
        if progress is not None:
            progress(done / total)
    writer.end()
    _set_properties(writer.document, title=title, author=author, subject=subject)
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def _xml_safe(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


@dataclass(frozen=True)
class _Look:
    """How a stretch of text is set: one Word run."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    colour: str | None = None  # RRGGBB, None for ordinary ink
    size: float = BODY_PT
    rise: int = 0  # 1 superscript, -1 subscript


def _hex(colour: object) -> str | None:
    if colour is None:
        return None
    try:
        value = colors.toColor(colour)
    except (ValueError, TypeError):
        return None
    if getattr(value, "alpha", 1) == 0:
        return None
    hexval: str = value.hexval()
    return hexval[2:].upper()


_INK_COLOURS = frozenset({"000000", _hex(hs.INK)})


def _look(frag: Any) -> _Look:
    # The face's name says what is printed. reportlab's bold and italic flags do not: the house
    # family prints bold-italic in the bold face, so its bold text is flagged italic too.
    font = (getattr(frag, "fontName", "") or "").lower()
    colour = _hex(getattr(frag, "textColor", None))
    rise = getattr(frag, "rise", 0) or 0
    return _Look(
        bold="bold" in font,
        italic="italic" in font or "oblique" in font,
        underline=bool(getattr(frag, "underline", 0)),
        strike=bool(getattr(frag, "strike", 0)),
        colour=None if colour in _INK_COLOURS else colour,
        size=float(getattr(frag, "fontSize", BODY_PT) or BODY_PT),
        rise=(rise > 0) - (rise < 0),
    )


def _frags(paragraph: Paragraph) -> list[Any]:
    """The paragraph's parsed text. Once a paragraph has been measured (some reports measure
    before they decide what to keep together), reportlab has replaced its fragments with its
    own list of words; the markup it was made from is parsed again then."""
    frags = getattr(paragraph, "frags", None) or []
    if all(hasattr(frag, "text") and not isinstance(frag, list) for frag in frags):
        return list(frags)
    kind = XPreformatted if isinstance(paragraph, XPreformatted) else Paragraph
    parsed: list[Any] = kind(paragraph.text, paragraph.style).frags
    return parsed


def _pieces(paragraph: Paragraph) -> list[tuple[str, _Look]]:
    """The paragraph's text in stretches of one look, spaced as the PDF prints it: runs of
    white space made one space, none at the start or end of a line, ``<br/>`` kept as "\\n"."""
    preformatted = isinstance(paragraph, XPreformatted)
    raw: list[tuple[str, _Look]] = []
    for frag in _frags(paragraph):
        # The PDF's emoji face has no bold or italic of its own: an emoji is set like the
        # words before it (Word picks its own emoji font).
        emoji = getattr(frag, "fontName", "") == EMOJI and raw
        look = raw[-1][1] if emoji else _look(frag)
        if getattr(frag, "lineBreak", False):
            raw.append(("\n", look))
            continue
        value = _xml_safe(getattr(frag, "text", ""))
        if preformatted:
            lines = value.split("\n")
            for index, line in enumerate(lines):
                if index:
                    raw.append(("\n", look))
                if line:
                    raw.append((line, look))
        elif value:
            raw.append((_SPACES.sub(" ", value), look))
    pieces: list[list[Any]] = []
    at_line_start = True
    for value, look in raw:
        if value == "\n":
            if pieces and not preformatted:
                pieces[-1][0] = pieces[-1][0].rstrip(" ")
            at_line_start = True
        elif not preformatted:
            if at_line_start or (pieces and pieces[-1][0].endswith(" ")):
                value = value.lstrip(" ")
            if not value:
                continue
            at_line_start = False
        if pieces and pieces[-1][1] == look:
            pieces[-1][0] += value
        else:
            pieces.append([value, look])
    if pieces and not preformatted:
        pieces[-1][0] = pieces[-1][0].rstrip(" ")
    return [(value, look) for value, look in pieces if value]


# ---------------------------------------------------------------------------------------------
# What a paragraph is: heading, title, or body text
# ---------------------------------------------------------------------------------------------

WORD_HEADING_LEVELS = 5  # a pack's parts, a report's three levels, and one below for its own


@cache
def _house_headings() -> dict[str, tuple[int, float]]:
    """House heading style name → (level, font size). Level 0 is a part of a document made of
    several reports (the inspection pack); 1 to 3 are a report's headings."""
    st = hs.styles()
    return {
        style.name: (level, style.fontSize)
        for level, style in enumerate((st.part, st.h1, st.h2, st.h3))
    }


@cache
def _cover_styles() -> dict[str, str]:
    st = hs.styles()
    return {st.cover_title.name: "Title", st.cover_subtitle.name: "Subtitle"}


def _ancestors(style: ParagraphStyle | None) -> list[ParagraphStyle]:
    found: list[ParagraphStyle] = []
    while style is not None and len(found) < 20:
        found.append(style)
        style = getattr(style, "parent", None)
    return found


def _heading_level(style: ParagraphStyle | None) -> int | None:
    """The house heading level of a paragraph style, or None for text.

    A report's own style made from a house heading counts as that heading, one level down when
    it is set smaller (the register's categories sit under its level-2 "The register")."""
    headings = _house_headings()
    for ancestor in _ancestors(style):
        found = headings.get(getattr(ancestor, "name", ""))
        if found is not None:
            level, size = found
            return level + 1 if style is not None and style.fontSize < size else level
    return None


def _cover_role(style: ParagraphStyle | None) -> str | None:
    covers = _cover_styles()
    for ancestor in _ancestors(style):
        found = covers.get(getattr(ancestor, "name", ""))
        if found is not None:
            return found
    return None


def _has_parts(flowables: Iterable[object]) -> bool:
    """Whether the story has part headings (level 0): then a report's level-1 headings are
    Word's Heading 2, and so on down."""
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            if _heading_level(flowable.style) == 0:
                return True
        elif isinstance(flowable, list | tuple):
            if _has_parts(flowable):
                return True
        elif not isinstance(flowable, Table):
            children = _children(flowable)
            if children is not None and _has_parts(children):
                return True
    return False


def _anchor_key(paragraph: Paragraph) -> str | None:
    """The key of a heading that a contents page gives the page of."""
    if isinstance(paragraph, hs.Heading) and paragraph.anchor is not None:
        return paragraph.anchor.key
    return None


# ---------------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------------


def _png_from_pdf(pdf: bytes) -> bytes:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            # A copy: the image PDFium hands over shares memory with its bitmap.
            image = document[0].render(scale=PICTURE_DPI / 72).to_pil().convert("RGB")
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(PICTURE_DPI, PICTURE_DPI))
    return buffer.getvalue()


def _drawing_png(drawing: Drawing) -> bytes:
    return _png_from_pdf(renderPDF.drawToString(drawing))


def _flowable_png(flowable: Flowable, width: float) -> tuple[bytes, float] | None:
    """Draw any flowable on a page of its own size and take a picture of it."""
    canvas_width, height = flowable.wrap(width, hs.FRAME_HEIGHT)
    if canvas_width <= 0 or height <= 0:
        return None
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(canvas_width, height))
    flowable.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return _png_from_pdf(buffer.getvalue()), canvas_width


# ---------------------------------------------------------------------------------------------
# The document's styles, page, header and footer
# ---------------------------------------------------------------------------------------------


def _set_fonts(rpr: Any) -> None:
    """Name the house font outright: theme font attributes would win over a plain name."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _restyle(
    style: Any,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    colour: colors.Color = hs.INK,
    before: float = 0,
    after: float = 0,
    line: float = 1.15,
) -> None:
    _set_fonts(style.element.get_or_add_rPr())
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = RGBColor.from_string(_hex(colour) or "000000")
    paragraph = style.paragraph_format
    paragraph.space_before = Pt(before)
    paragraph.space_after = Pt(after)
    paragraph.line_spacing = line
    ppr = style.element.pPr
    if ppr is not None:
        for unwanted in ("w:pBdr", "w:contextualSpacing"):
            for element in ppr.findall(qn(unwanted)):
                ppr.remove(element)


_USED_STYLES = (
    "Normal",
    *(f"Heading {level}" for level in range(1, WORD_HEADING_LEVELS + 1)),
    "Title",
    "Subtitle",
    "List Bullet",
    "List Number",
    TABLE_TEXT,
    "Table Grid",
)


@dataclass(frozen=True)
class _WordStyle:
    """What the converter needs to know of a Word style, read once: python-docx looks a style
    up by walking every style in the document, far too slow to do for each paragraph."""

    style_id: str | None  # None for Normal, the default
    size: float
    before: float
    after: float

    @classmethod
    def of(cls, style: Any) -> _WordStyle:
        def points(length: Any, default: float) -> float:
            return default if length is None else length.pt

        is_paragraph = style.type == WD_STYLE_TYPE.PARAGRAPH
        return cls(
            style_id=None if style.name == "Normal" else style.style_id,
            size=points(style.font.size, BODY_PT),
            before=points(style.paragraph_format.space_before, 0) if is_paragraph else 0,
            after=points(style.paragraph_format.space_after, 0) if is_paragraph else 0,
        )


def _set_up_styles(document: WordDocument, *, parts: bool) -> dict[str, _WordStyle]:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "en-GB")
    language.set(qn("w:eastAsia"), "en-GB")

    st = hs.styles()
    _restyle(styles["Normal"], size=BODY_PT, after=st.body.spaceAfter)
    house = [st.h1, st.h2, st.h3]
    if parts:
        house.insert(0, st.part)
    house += [st.h3] * (WORD_HEADING_LEVELS - len(house))
    for level, heading in enumerate(house, start=1):
        _restyle(
            styles[f"Heading {level}"],
            size=heading.fontSize,
            bold=True,
            colour=heading.textColor,
            before=heading.spaceBefore,
            after=heading.spaceAfter,
            line=1.0,
        )
    _restyle(
        styles["Title"],
        size=st.cover_title.fontSize,
        bold=True,
        colour=st.cover_title.textColor,
        before=st.cover_title.spaceBefore,
        after=st.cover_title.spaceAfter,
        line=1.0,
    )
    subtitle = styles["Subtitle"]
    _restyle(subtitle, size=st.cover_subtitle.fontSize, after=st.cover_subtitle.spaceAfter)
    numbering = subtitle.element.pPr.find(qn("w:numPr"))
    if numbering is not None:
        subtitle.element.pPr.remove(numbering)
    for name in ("List Bullet", "List Number"):
        _restyle(styles[name], size=BODY_PT, after=3)
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.quick_style = True
    _restyle(table_text, size=SMALL_PT, line=1.1)
    for name in ("Header", "Footer"):
        style = styles[name]
        _restyle(style, size=SMALL_PT, colour=hs.MUTED, line=1.0)
        style.paragraph_format.tab_stops.clear_all()
        style.paragraph_format.tab_stops.add_tab_stop(Pt(hs.CONTENT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    return {name: _WordStyle.of(styles[name]) for name in _USED_STYLES}


def _insert_after(parent: Any, element: Any, before: Sequence[str]) -> None:
    """Put ``element`` in ``parent`` after the last of the children named in ``before`` (the
    ones the schema puts ahead of it), or first when there are none."""
    anchor = None
    for name in before:
        found = parent.find(qn(name))
        if found is not None:
            anchor = found
    if anchor is None:
        parent.insert(0, element)
    else:
        anchor.addnext(element)


def _rule(paragraph: WordParagraph, side: str) -> None:
    """A thin grey line above ("top") or below ("bottom") the paragraph, like the PDF's."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), "4")
    line.set(qn("w:space"), "4")
    line.set(qn("w:color"), _hex(hs.RULE) or "auto")
    borders.append(line)
    # pBdr comes before spacing, indentation and the rest in a paragraph's properties.
    earlier = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr")
    _insert_after(ppr, borders, (*earlier, "w:widowControl", "w:numPr", "w:suppressLineNumbers"))


def _add_field(
    paragraph: WordParagraph, instruction: str, *, bold: bool, placeholder: str = "1"
) -> None:
    """A Word field (PAGE, NUMPAGES) that Word works out when it lays out the pages."""

    def field_run(kind: str | None = None, text: str | None = None) -> None:
        run = paragraph.add_run(text or "")
        run.bold = bold
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)

    field_run("begin")
    run = paragraph.add_run()
    run.bold = bold
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(code)
    field_run("separate")
    field_run(text=placeholder)
    field_run("end")


def _fill_footer(paragraph: WordParagraph, title: str, footer_note: str) -> None:
    words = hs.plain(title)
    if footer_note:
        words += f" · {hs.plain(footer_note)}"
    paragraph.add_run(_xml_safe(words))
    paragraph.add_run("\t")
    paragraph.add_run("Page ").bold = True
    _add_field(paragraph, "PAGE", bold=True)
    paragraph.add_run(" of ").bold = True
    _add_field(paragraph, "NUMPAGES", bold=True)
    _rule(paragraph, "top")


def _update_fields_on_opening(document: WordDocument) -> None:
    """Ask Word to work out the fields when the document is opened: a contents page's page
    numbers are only known once Word has laid out the pages."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # updateFields comes before compat (and what follows it) in the settings.
    later = settings.find(qn("w:compat"))
    if later is None:
        settings.append(update)
    else:
        later.addprevious(update)


def _set_up_page(document: WordDocument, *, title: str, header: str, footer_note: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Pt(hs.PAGE_WIDTH), Pt(hs.PAGE_HEIGHT)
    section.left_margin = section.right_margin = Pt(hs.MARGIN_LEFT)
    section.top_margin = Pt(hs.MARGIN_TOP)
    section.bottom_margin = Pt(hs.MARGIN_BOTTOM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(9)
    # As in the PDF, the cover has no running header; every page has the footer.
    section.different_first_page_header_footer = True
    running = section.header.paragraphs[0]
    running.add_run(_xml_safe(hs.plain(header)))
    _rule(running, "bottom")
    for footer in (section.footer, section.first_page_footer):
        _fill_footer(footer.paragraphs[0], title, footer_note)


def _set_properties(document: WordDocument, *, title: str, author: str, subject: str) -> None:
    properties = document.core_properties
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    properties.title = _xml_safe(hs.plain(title))
    properties.subject = _xml_safe(hs.plain(subject))
    properties.author = properties.last_modified_by = _xml_safe(hs.plain(author))
    properties.comments = f"Made by {hs.APP_NAME} version {__version__}"
    properties.keywords = properties.category = ""
    properties.language = "en-GB"
    properties.created = properties.modified = now
    properties.revision = 1


# ---------------------------------------------------------------------------------------------
# Walking the story
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Place:
    """Where blocks go: the document body or one table cell."""

    container: Any  # the Document, or a docx _Cell
    width: float  # points of text width available
    in_cell: bool = False
    header_row: bool = False
    blank: WordParagraph | None = None  # a cell's empty paragraph, to be used first
    made: list[WordParagraph | WordTable] = field(default_factory=list)


def _children(flowable: object) -> list[Any] | None:
    """What a container flowable holds (KeepTogether, KeepInFrame, indenters and the like)."""
    # _flowables first: a ListFlowable's _content wraps its items (and drops _flowables).
    for name in ("_flowables", "_content"):
        content = getattr(flowable, name, None)
        if isinstance(content, list | tuple):
            return list(content)
    inner = getattr(flowable, "_flowable", None)
    if isinstance(inner, Flowable):
        return [inner]
    return None


def _text_of(flowable: object) -> str:
    """Whatever words a flowable of an unknown kind will give up."""
    getter = getattr(flowable, "getPlainText", None)
    if callable(getter):
        return str(getter())
    for name in ("text", "_text", "caption", "title"):
        value = getattr(flowable, name, None)
        if isinstance(value, str) and value.strip():
            return value
    lines = getattr(flowable, "lines", None)
    if isinstance(lines, list | tuple) and all(isinstance(line, str) for line in lines):
        return "\n".join(lines)
    return ""


def _header_row_count(table: Table) -> int:
    repeat = getattr(table, "repeatRows", 0) or 0
    if isinstance(repeat, int):
        return repeat
    count = 0
    for row in sorted(repeat):
        if row != count:
            break
        count += 1
    return count


def _column_widths(table: Table, columns: int, room: float) -> list[float]:
    raw = list(getattr(table, "_argW", None) or [])
    raw += [None] * (columns - len(raw))
    widths: list[float | None] = []
    for value in raw[:columns]:
        if isinstance(value, int | float):
            widths.append(float(value))
        elif isinstance(value, str) and value.strip().endswith("%"):
            try:
                widths.append(float(value.strip()[:-1]) / 100 * room)
            except ValueError:
                widths.append(None)
        else:
            widths.append(None)
    fixed = sum(w for w in widths if w is not None)
    free = [i for i, w in enumerate(widths) if w is None]
    share = max(room - fixed, 36.0 * len(free)) / len(free) if free else 0
    resolved = [share if w is None else w for w in widths]
    total = sum(resolved)
    if total > room:
        resolved = [w * room / total for w in resolved]
    return resolved


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    # tcPr's children have a fixed order; shading comes after width, span and borders.
    _insert_after(tcpr, shading, ("w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders"))


def _cell_fills(table: Table) -> dict[tuple[int, int], str]:
    """(row, column) → fill for each cell given a single background colour (RAG, labels,
    header); alternate-row tints are left to Word so added rows do not come out striped."""
    fills: dict[tuple[int, int], str] = {}
    for command in getattr(table, "_bkgrndcmds", []):
        if command[0] != "BACKGROUND" or len(command) < 4:
            continue
        colour = _hex(command[3]) if not isinstance(command[3], list | tuple) else None
        (sc, sr), (ec, er) = command[1], command[2]
        sc, ec, sr, er = table.normCellRange(sc, ec, sr, er)
        for row in range(sr, er + 1):
            for column in range(sc, ec + 1):
                if colour is None or colour == "FFFFFF":
                    fills.pop((row, column), None)
                else:
                    fills[(row, column)] = colour
    return fills


def _set_cell_margins(table: WordTable) -> None:
    """Cell padding near the PDF's (4 pt at the sides, 3 above and below) instead of Word's wider
    default, so the columns hold as much as they do in the PDF."""
    margins = OxmlElement("w:tblCellMar")
    for side, points in (("top", 3), ("left", 4), ("bottom", 3), ("right", 4)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(points * 20))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties = table._tbl.tblPr
    # In tblPr, tblCellMar comes after the width, alignment and layout, before tblLook.
    look = properties.find(qn("w:tblLook"))
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _mark_row(row: Any, *, header: bool) -> None:
    """A row that moves to the next page whole (and, for a header row, repeats on each page).

    As in the PDF, only a row too long to fit a page is split across pages."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.append(OxmlElement("w:cantSplit"))
    if header and trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))


def _row_is_short(row: Any) -> bool:
    return sum(len(paragraph.text) for paragraph in row._tr.iter(qn("w:p"))) < SHORT_ROW_CHARS


def _keep_with_next(table: WordTable) -> None:
    """Keep a short table on the page of what follows it, as a KeepTogether did in the PDF."""
    if len(table.rows) > KEEP_TABLE_ROWS:
        return
    for paragraph in table._tbl.iter(qn("w:p")):
        paragraph.get_or_add_pPr().keepNext_val = True


class _Writer:
    def __init__(self, *, title: str, header: str, footer_note: str, parts: bool) -> None:
        self.document = Document()
        self.styles = _set_up_styles(self.document, parts=parts)
        self._heading_shift = 1 if parts else 0
        self._bookmarks: dict[str, str] = {}  # anchor key → Word bookmark name
        self._fields_to_update = False
        _set_up_page(self.document, title=title, header=header, footer_note=footer_note)
        self.body = _Place(self.document, hs.CONTENT_WIDTH)
        self._break_pending = False
        self._space_pending = 0.0

    # -- dispatch -----------------------------------------------------------------------------

    def add(self, flowable: object, place: _Place) -> None:
        if flowable is None:
            return
        if isinstance(flowable, list | tuple):
            for item in flowable:
                self.add(item, place)
        elif isinstance(flowable, str):
            self._plain_text(flowable, place)
        elif isinstance(flowable, PageBreak):
            self._page_break(place)
        elif isinstance(flowable, CondPageBreak):
            return  # Word finds its own page breaks (a heading keeps with what follows it)
        elif isinstance(flowable, Spacer):
            if not place.in_cell and place.made:
                self._space_pending += float(getattr(flowable, "height", 0) or 0)
        elif isinstance(flowable, HRFlowable):
            return
        elif isinstance(flowable, Paragraph):
            self._paragraph(flowable, place)
        elif isinstance(flowable, Table):
            self._table(flowable, place)
        elif isinstance(flowable, Drawing):
            self._picture(lambda: (_drawing_png(flowable), flowable.width), place)
        elif isinstance(flowable, ListFlowable):
            self._list(flowable, place)
        elif isinstance(flowable, Image):
            self._image(flowable, place)
        elif isinstance(flowable, Preformatted):
            self._plain_text("\n".join(flowable.lines), place)
        else:
            children = _children(flowable)
            if children is not None:
                self._keep_together(children, place)
            else:
                self._unknown(flowable, place)

    # -- paragraphs ---------------------------------------------------------------------------

    def _new_paragraph(self, place: _Place, style: str) -> WordParagraph:
        if place.blank is not None:
            paragraph, place.blank = place.blank, None
        else:
            paragraph = place.container.add_paragraph()
        paragraph._p.style = self.styles[style].style_id
        if not place.in_cell and self._break_pending:
            paragraph.paragraph_format.page_break_before = True
            self._break_pending = False
        place.made.append(paragraph)
        return paragraph

    def _space_before(self, paragraph: WordParagraph, house: float, style: str) -> None:
        """Space above a body paragraph: its own, and that of any spacers just before it."""
        wanted = min(house + self._space_pending, MOST_SPACE_BEFORE)
        self._space_pending = 0.0
        if abs(wanted - self.styles[style].before) > 0.5:
            paragraph.paragraph_format.space_before = Pt(wanted)

    def _paragraph(self, source: Paragraph, place: _Place, list_style: str | None = None) -> None:
        style = source.style
        if isinstance(source, hs.PageNumber):
            self._page_reference(source, place)
            return
        role = None if place.in_cell else self._role(style)
        bullet = getattr(source, "bulletText", None)
        prefix = ""
        if bullet and list_style is None and role is None:
            if isinstance(bullet, list):
                bullet = "".join(getattr(frag, "text", "") for frag in bullet)
            mark = _xml_safe(bullet).strip()
            if mark and all(ch in _BULLET_MARKS for ch in mark):
                list_style = "List Bullet"
            elif mark:
                prefix = f"{mark} "
        word = role or list_style or (TABLE_TEXT if place.in_cell else "Normal")
        paragraph = self._new_paragraph(place, word)
        if prefix:
            paragraph.add_run(prefix)
        for value, look in _pieces(source):
            run = paragraph.add_run(value)
            if role is not None:
                # The heading style sets size, weight and colour; only emphasis is kept.
                run.italic = look.italic or None
            else:
                self._set_look(run, look, word, bold=place.header_row)
        key = _anchor_key(source)
        if key is not None:
            self._bookmark(paragraph, key)
        formatting = paragraph.paragraph_format
        alignment = _ALIGNMENTS.get(getattr(style, "alignment", None))
        if alignment is not None:
            formatting.alignment = alignment
        if role is not None:
            # Headings keep the spacing of their Word style, plus any spacer above them.
            if not place.in_cell:
                self._space_before(paragraph, self.styles[word].before, word)
            return
        left_indent = getattr(style, "leftIndent", 0)
        if list_style is None and left_indent:
            formatting.left_indent = Pt(left_indent)
        after = float(getattr(style, "spaceAfter", 0) or 0)
        if abs(after - self.styles[word].after) > 0.5:
            formatting.space_after = Pt(after)
        if not place.in_cell:
            self._space_before(paragraph, float(getattr(style, "spaceBefore", 0) or 0), word)

    def _role(self, style: ParagraphStyle | None) -> str | None:
        """The Word style of a heading or cover title, or None for text."""
        level = _heading_level(style)
        if level is not None:
            return f"Heading {min(max(level + self._heading_shift, 1), WORD_HEADING_LEVELS)}"
        return _cover_role(style)

    def _bookmark_name(self, key: str) -> str:
        # Word's bookmark names are short, plain and start with a letter; the keys may not be.
        return self._bookmarks.setdefault(key, f"rrn_anchor_{len(self._bookmarks) + 1}")

    def _bookmark(self, paragraph: WordParagraph, key: str) -> None:
        """Mark the heading so a contents page can give its page (and link to it)."""
        name = self._bookmark_name(key)
        number = str(list(self._bookmarks).index(key) + 1)
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), number)
        ppr = paragraph._p.pPr
        if ppr is None:
            paragraph._p.insert(0, start)
        else:
            ppr.addnext(start)
        paragraph._p.append(end)

    def _page_reference(self, source: hs.PageNumber, place: _Place) -> None:
        """A contents page's page number: a PAGEREF field Word fills in from the heading's
        bookmark, where the PDF prints the page the heading landed on."""
        paragraph = self._new_paragraph(place, TABLE_TEXT if place.in_cell else "Normal")
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        name = self._bookmark_name(source.key)
        _add_field(paragraph, f"PAGEREF {name} \\h", bold=False, placeholder=hs.NOTHING)
        self._fields_to_update = True

    def _set_look(self, run: Any, look: _Look, style: str, *, bold: bool) -> None:
        if look.bold or bold:
            run.bold = True
        if look.italic:
            run.italic = True
        if look.underline:
            run.underline = True
        if look.strike:
            run.font.strike = True
        if look.rise:
            run.font.superscript = look.rise > 0
            run.font.subscript = look.rise < 0
        if abs(look.size - self.styles[style].size) > 0.1:
            run.font.size = Pt(max(look.size, SMALL_PT))
        if look.colour is not None:
            run.font.color.rgb = RGBColor.from_string(look.colour)

    def _plain_text(self, value: str, place: _Place) -> None:
        word = TABLE_TEXT if place.in_cell else "Normal"
        paragraph = self._new_paragraph(place, word)
        run = paragraph.add_run(_xml_safe(hs.plain(value)))
        if place.header_row:
            run.bold = True
        if not place.in_cell:
            self._space_before(paragraph, 0, word)

    def _list(self, source: ListFlowable, place: _Place) -> None:
        numbered = getattr(source, "_bulletType", "bullet") != "bullet"
        style = "List Number" if numbered else "List Bullet"
        items = getattr(source, "_flowables", None)
        if items is None:
            items = _children(source) or []
        for item in items:
            if isinstance(item, ListItem):
                content = list(item._flowables)
            elif isinstance(item, list | tuple):
                content = list(item)
            elif isinstance(item, DDIndenter):  # an item of a list already laid out
                content = _children(item) or []
            else:
                content = [item]
            for index, inner in enumerate(content):
                if isinstance(inner, ListFlowable):
                    self._list(inner, place)
                elif index == 0 and isinstance(inner, Paragraph):
                    self._paragraph(inner, place, list_style=style)
                else:
                    self.add(inner, place)

    def _page_break(self, place: _Place) -> None:
        if not place.in_cell and place.made:
            self._break_pending = True
            self._space_pending = 0.0

    def _keep_together(self, children: Iterable[object], place: _Place) -> None:
        start = len(place.made)
        for child in children:
            self.add(child, place)
        if place.in_cell:
            return
        for block in place.made[start:-1]:
            if isinstance(block, WordParagraph):
                block.paragraph_format.keep_with_next = True
            else:
                _keep_with_next(block)

    # -- tables -------------------------------------------------------------------------------

    def _table(self, source: Table, place: _Place) -> None:
        data = getattr(source, "_cellvalues", None) or []
        rows = len(data)
        columns = max((len(row) for row in data), default=0)
        if not rows or not columns:
            return
        widths = _column_widths(source, columns, place.width)
        if place.blank is not None:
            # A cell that starts with a table: the table replaces the empty first paragraph
            # (Word wants a paragraph after it, which python-docx adds).
            place.blank._p.getparent().remove(place.blank._p)
            place.blank = None
        elif not place.in_cell and self._break_pending:
            self._new_paragraph(place, "Normal")
        else:
            self._gap_before_table(place)
        table = place.container.add_table(rows, columns)
        table._tbl.tblPr.style = self.styles["Table Grid"].style_id
        table.autofit = False
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _set_cell_margins(table)
        table_width = table._tbl.tblPr.find(qn("w:tblW"))
        if table_width is not None:
            table_width.set(qn("w:type"), "dxa")
            table_width.set(qn("w:w"), str(round(sum(widths) * 20)))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Pt(width)
        grid = [row.cells for row in table.rows]
        for row_cells in grid:
            for cell, width in zip(row_cells, widths, strict=True):
                cell.width = Pt(width)
        header_rows = min(_header_row_count(source), rows)
        covered: set[tuple[int, int]] = set()
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for _command, (sc, sr), (ec, er) in getattr(source, "_spanCmds", []):
            sc, ec, sr, er = source.normCellRange(sc, ec, sr, er)
            if (sc, sr) == (ec, er) or (sr, sc) in covered:
                continue
            grid[sr][sc].merge(grid[er][ec])
            spans[(sr, sc)] = (er, ec)
            covered.update(
                (r, c) for r in range(sr, er + 1) for c in range(sc, ec + 1) if (r, c) != (sr, sc)
            )
        fills = _cell_fills(source)
        for r, row_values in enumerate(data):
            for c, value in enumerate(row_values):
                if (r, c) in covered:
                    continue
                cell = grid[r][c]
                _end_row, end_column = spans.get((r, c), (r, c))
                fill = fills.get((r, c))
                if fill is not None:
                    _shade(cell, fill)
                whole_width = c == 0 and end_column == columns - 1 and columns > 1
                blank = cell.paragraphs[0]
                cell_place = _Place(
                    cell,
                    max(sum(widths[c : end_column + 1]) - CELL_PADDING, 36.0),
                    in_cell=True,
                    # A heading spanning the whole table (a register entry's) keeps its own
                    # weights; the usual header cells are bold, as in the PDF.
                    header_row=r < header_rows and not whole_width,
                    blank=blank,
                )
                blank._p.style = self.styles[TABLE_TEXT].style_id
                self.add(value, cell_place)
        for index, row in enumerate(table.rows):
            if index < header_rows or _row_is_short(row):
                _mark_row(row, header=index < header_rows)
        place.made.append(table)

    def _gap_before_table(self, place: _Place) -> None:
        """A table has no space above of its own: the spacer before it goes below the paragraph
        before it. Two tables in a row get a thin paragraph between them, as Word would
        otherwise join them into one."""
        space, self._space_pending = self._space_pending, 0.0
        last = place.made[-1] if place.made else None
        if isinstance(last, WordTable):
            gap = self._new_paragraph(place, TABLE_TEXT if place.in_cell else "Normal")
            formatting = gap.paragraph_format
            formatting.space_before = formatting.space_after = Pt(0)
            formatting.line_spacing = Pt(max(space, 4.0))
            formatting.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        elif isinstance(last, WordParagraph) and space > 0 and not place.in_cell:
            formatting = last.paragraph_format
            current = formatting.space_after
            after = current.pt if current is not None else self.styles["Normal"].after
            formatting.space_after = Pt(min(after + space, MOST_SPACE_BEFORE))

    # -- pictures and the rest ----------------------------------------------------------------

    def _picture(self, make: Callable[[], tuple[bytes, float] | None], place: _Place) -> None:
        try:
            made = make()
        except Exception:  # a chart that cannot be drawn must not cost the whole document
            logger.warning("A chart could not be put in the Word document", exc_info=True)
            return
        if made is None:
            return
        png, width = made
        paragraph = self._new_paragraph(place, TABLE_TEXT if place.in_cell else "Normal")
        paragraph.add_run().add_picture(io.BytesIO(png), width=Pt(min(width, place.width)))
        if not place.in_cell:
            self._space_before(paragraph, 0, "Normal")

    def _image(self, source: Image, place: _Place) -> None:
        def make() -> tuple[bytes, float]:
            filename = source.filename
            if isinstance(filename, str):
                with open(filename, "rb") as handle:
                    return handle.read(), source.drawWidth
            filename.seek(0)
            return filename.read(), source.drawWidth

        self._picture(make, place)

    def _unknown(self, flowable: object, place: _Place) -> None:
        """A flowable of a kind this module does not know: its words if it has any, else a
        picture of it as the PDF would draw it, else nothing; never a failed document."""
        try:
            words = _text_of(flowable)
        except Exception:
            words = ""
        if words.strip():
            self._plain_text(words, place)
        elif isinstance(flowable, Flowable):
            self._picture(lambda: _flowable_png(flowable, place.width), place)

    # -- the end ------------------------------------------------------------------------------

    def end(self) -> None:
        self._break_pending = False
        self._space_pending = 0.0
        marker = self._new_paragraph(self.body, "Normal")
        marker.paragraph_format.space_before = Pt(18)
        marker.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = marker.add_run(END_MARKER)
        run.bold = True
        run.font.size = Pt(SMALL_PT)
        if self._fields_to_update:
            _update_fields_on_opening(self.document)
