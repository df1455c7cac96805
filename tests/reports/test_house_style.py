"""The shared house style: safe text, RAG in words, tables that split sensibly, page furniture."""

from __future__ import annotations

import io
import math

from pypdf import PdfReader
from reportlab.platypus import PageBreak

from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.fonts import EMOJI, REPLACEMENT_CHARACTER, register_fonts


def test_safe_escapes_markup_and_keeps_line_breaks() -> None:
    assert hs.safe("<b>Tom & Jerry</b>\n<script>") == (
        "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br/>&lt;script&gt;"
    )
    assert hs.safe("a\r\nb\rc") == "a<br/>b<br/>c"
    assert hs.safe(None) == ""


def test_plain_keeps_welsh_symbols_and_emoji_but_marks_what_no_font_has() -> None:
    assert hs.plain("Dŵr ŷ Gŵyl ≥ → £5") == "Dŵr ŷ Gŵyl ≥ → £5"
    assert hs.plain("bell\x07 nul\x00 esc\x1b") == "bell nul esc"
    assert hs.plain("ok 😀 🐶") == "ok 😀 🐶"
    # A mathematical bold A: in neither the text font nor the emoji font.
    assert hs.plain("ok \U0001d400") == f"ok {REPLACEMENT_CHARACTER}"


def test_safe_sets_emoji_in_the_emoji_font_and_the_rest_in_the_house_font() -> None:
    assert hs.safe("Tŵr 😀🙂 & <b>") == (f'Tŵr <font face="{EMOJI}">😀🙂</font> &amp; &lt;b&gt;')


def test_rag_tints_differ(pack: ContentPack) -> None:
    green, _amber, red = pack.rag
    assert hs.rag_fill(green) != hs.rag_fill(red)


def test_fonts_register_once_and_every_style_is_readable() -> None:
    register_fonts()
    register_fonts()
    for style in vars(hs.styles()).values():
        assert style.fontSize >= 9
        assert style.fontName.startswith("RRNSans")


def test_a_short_row_moves_to_the_next_page_whole() -> None:
    table = hs.data_table(["A", "B"], [("one", "two three four " * 10)], [0.5, 0.5])
    table.wrap(hs.CONTENT_WIDTH, hs.FRAME_HEIGHT)
    # Only 30 points left on the page: the row is not cut in two, the table moves on.
    assert table.split(hs.CONTENT_WIDTH, 30) == []


def test_a_row_taller_than_a_page_is_split_inside() -> None:
    table = hs.data_table(["A", "B"], [("one", "word " * 8000)], [0.2, 0.8])
    table.wrap(hs.CONTENT_WIDTH, hs.FRAME_HEIGHT)
    pieces = table.split(hs.CONTENT_WIDTH, hs.FRAME_HEIGHT)
    assert len(pieces) == 2
    # Both halves can split again, so a row several pages long still flows.
    assert all(piece.splitInRow == hs.MIN_ROW_PIECE for piece in pieces)


def _lines(name: str, count: int) -> str:
    return "\n".join(f"{name} line {number}" for number in range(1, count + 1))


def _page_lines(data: bytes) -> list[list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return [(page.extract_text() or "").splitlines() for page in reader.pages]


def _printed_lines(data: bytes) -> list[str]:
    return [line for page in _page_lines(data) for line in page]


def test_a_row_a_little_taller_than_a_page_prints_in_full() -> None:
    # With its header row the row is a few lines taller than a page: splitting it at the foot
    # of the page would leave too little for the next, which reportlab refuses, so the report
    # used to stop with a LayoutError. It is split a few lines higher instead, and the rest
    # of it goes on on the next page (not a few more lines squeezed in below, on this one),
    # under its label marked as continued.
    lines = _lines("note", 59)
    for table, label in (
        (hs.data_table(["Note"], [(lines,)], [1.0]), None),
        (hs.key_value_table([("Note", lines)]), "Note (continued)"),
        (hs.record_table(hs.para("Heading"), [("Note", lines)]), "Note (continued)"),
        (hs.HouseTable([[hs.text(lines)]], colWidths=[hs.CONTENT_WIDTH]), None),  # splitInRow 0
    ):
        built = hs.build_pdf([table], title="T", header="H")
        first, second = _page_lines(built.data)
        notes = [line for line in first + second if line.startswith("note line")]
        assert notes == [f"note line {number}" for number in range(1, 60)]
        on_first = sum(line.startswith("note line") for line in first)
        assert 40 < on_first < 59
        if label is not None:
            assert label not in first and second.count(label) == 1


def test_a_lower_limit_for_moving_a_row_whole_holds_on_every_page_of_the_table() -> None:
    # Rows over a third of a page are split at the foot of a page, not moved whole: on the
    # second page too, once the table has been split once.
    table = hs.key_value_table([(name, _lines(name, 45)) for name in ("a", "b", "c")])
    table.tallest = hs.FRAME_HEIGHT / 3
    pages = _page_lines(hs.build_pdf([table], title="T", header="H").data)
    assert len(pages) == 3
    assert "b line 1" in pages[0] and "c line 1" in pages[1]


def test_a_table_inside_a_cell_splits_with_the_cell() -> None:
    """An action's readings are a table inside the action's card. When the card's row runs
    over a page, the inner table is split too, even when its first row would fit a page."""
    st = hs.styles()
    width = 0.7 * hs.CONTENT_WIDTH - 8
    readings = hs.HouseTable(
        [
            [[hs.para("Date", st.small_bold)], [hs.para("Note", st.small_bold)]],
            [[hs.para("1 Jan", st.small)], [hs.text(_lines("first", 56), st.small)]],
            [[hs.para("2 Jan", st.small)], [hs.text(_lines("second", 20), st.small)]],
        ],
        colWidths=[0.25 * width, 0.75 * width],
        repeatRows=1,
        splitByRow=1,
        splitInRow=hs.MIN_ROW_PIECE,
    )
    card = hs.record_table(hs.para("Reduce restraint"), [("Readings", [readings])])
    printed = _printed_lines(hs.build_pdf([card], title="T", header="H").data)
    for name, count in (("first", 56), ("second", 20)):
        for number in range(1, count + 1):
            assert printed.count(f"{name} line {number}") == 1


def test_build_pdf_numbers_pages_and_marks_the_end() -> None:
    story = [hs.heading("First"), hs.text("Hello & <welcome>"), PageBreak(), hs.text("Two")]
    built = hs.build_pdf(story, title="Test report", header="Service · Test report")

    reader = PdfReader(io.BytesIO(built.data))
    assert built.page_count == len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert "Page 1 of 2" in first and "report continues" in first
    assert "End of report" not in first
    assert "Page 2 of 2" in second and "End of report" in second
    assert "Hello & <welcome>" in first
    # The running header is on every page but the cover.
    assert "Service · Test report" in second and "Service · Test report" not in first


def test_text_is_never_smaller_than_9_points_and_fonts_are_embedded() -> None:
    story = [hs.heading("Title"), hs.text("Body"), hs.data_table(["H"], [("cell",)], [1.0])]
    reader = PdfReader(io.BytesIO(hs.build_pdf(story, title="T", header="H").data))
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
        fonts = page["/Resources"]["/Font"].values()
        assert all("DejaVuSans" in font.get_object()["/BaseFont"] for font in fonts)
    assert sizes and min(sizes) >= 9 - 0.01
