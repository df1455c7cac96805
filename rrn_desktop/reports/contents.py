"""A contents page whose page numbers are the pages the sections really start on.

Each entry is an anchor on a section's heading (:class:`~house_style.Heading`). The numbers are
printed when the PDF is saved, once every page has been laid out (the house style's numbered
canvas waits for that anyway, for "Page X of Y"), so the document is laid out only once and a
number can never disagree with the page. The same anchors become the PDF's bookmarks, and each
line of the contents links to its page.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, TableStyle

from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.fonts import BOLD, REGULAR

__all__ = ["Contents", "first_heading"]

_INDENT = 6 * mm  # for each level below the top
_NUMBER_WIDTH = 0.06  # of the text width
_DOT_SPACE = 2.5  # between the dots of a leader, in points
_LEADER_GAP = 4  # between a title and its leader


class _Entry(Paragraph):  # type: ignore[misc]  # reportlab has no type stubs
    """A contents line's title, with a leader of dots from its end to the edge of its cell
    that leads the eye to the page number. The dots are drawn, not written into the title, so
    a Word copy of the contents has the title alone."""

    def draw(self) -> None:
        super().draw()
        lines = self.blPara.lines
        if not lines:
            return
        last = lines[-1]
        extra = getattr(last, "extraSpace", None)
        if extra is None:
            extra = last[0]  # a line of plain words: (space left over, words)
        style = self.style
        end = self.width - style.rightIndent - extra
        baseline = self.height - style.fontSize - (len(lines) - 1) * style.leading
        step = stringWidth(".", REGULAR, style.fontSize) + _DOT_SPACE
        count = int((self.width - end - _LEADER_GAP) / step)
        if count < 2:
            return
        leader = self.canv.beginText(self.width - count * step + _DOT_SPACE, baseline)
        leader.setFont(REGULAR, style.fontSize)
        leader.setCharSpace(_DOT_SPACE)
        leader.setFillColor(hs.MUTED)
        leader.textOut("." * count)
        self.canv.drawText(leader)


def first_heading(flowables: Iterable[Flowable]) -> hs.Heading | None:
    """The first heading in the flowables, looking inside those kept together."""
    for flowable in flowables:
        if isinstance(flowable, hs.Heading):
            return flowable
        if isinstance(flowable, KeepTogether):
            found = first_heading(flowable._content)
            if found is not None:
                return found
    return None


class Contents:
    """The entries of a contents page, in the order their sections are printed."""

    def __init__(self) -> None:
        self.entries: list[hs.Anchor] = []

    def _anchor(self, title: str, level: int) -> hs.Anchor:
        anchor = hs.Anchor(f"contents-{len(self.entries) + 1}", title, level)
        self.entries.append(anchor)
        return anchor

    def section(self, title: str, *, heading_level: int = 1, level: int = 0) -> list[Flowable]:
        """A heading starting a new page, listed in the contents at ``level`` (0 at the top)."""
        anchor = self._anchor(title, level)
        return hs.section_start(title, new_page=True, level=heading_level, anchor=anchor)

    def mark(self, flowables: list[Flowable], *, level: int = 1) -> list[Flowable]:
        """The flowables, with their first heading listed in the contents in its own words."""
        found = first_heading(flowables)
        if found is not None:
            found.anchor = self._anchor(found.getPlainText(), level)
        return flowables

    def page(self) -> list[Flowable]:
        """The contents: a line for each entry, with a leader to the number of the page it
        starts on; the parts in bold, what is under them indented."""
        st = hs.styles()
        rows: list[list[Flowable]] = []
        commands: list[hs.StyleCommand] = [
            # A number sits level with the last line of a title that runs onto two.
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for row, anchor in enumerate(self.entries):
            parent = st.body if anchor.level == 0 else st.small
            font = BOLD if anchor.level == 0 else parent.fontName
            title = ParagraphStyle(
                f"ContentsLevel{anchor.level}",
                parent=parent,
                fontName=font,
                leftIndent=anchor.level * _INDENT,
                spaceAfter=0,
            )
            number = ParagraphStyle(f"ContentsPage{anchor.level}", parent=title, leftIndent=0)
            rows.append([_Entry(hs.safe(anchor.title), title), hs.page_number(anchor.key, number)])
            if anchor.level == 0 and row:
                commands.append(("TOPPADDING", (0, row), (-1, row), 8))
        width = hs.CONTENT_WIDTH
        table = hs.HouseTable(
            rows,
            colWidths=[(1 - _NUMBER_WIDTH) * width, _NUMBER_WIDTH * width],
            splitByRow=1,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(commands))
        return [table]
