"""The inspection pack's options: the appendix with every record in full is left out unless the
box is ticked."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pypdf import PdfReader

from rrn_desktop.gui.report_actions import PackDialog
from rrn_desktop.gui.report_preview import ReportPreview

APPENDIX_BOX = "Include the full detail of every record (appendix)"
KESTREL = "Kestrel Lodge children's home (demo)"
T = TypeVar("T")


def _shown(window, kind: type[T]) -> T:
    """The one window of that kind on show (one closed earlier may not be deleted yet)."""
    (shown,) = [child for child in window.findChildren(kind) if child.isVisible()]
    return shown


def _make_pack(window, answers, out: Path, *, appendix: bool) -> int:
    """Ask for Kestrel Lodge's pack, ticking the appendix box or not; save it and say how many
    pages it has."""
    window.pack_action.trigger()
    dialog = _shown(window, PackDialog)
    box = dialog.appendix
    assert box.text().replace("&", "") == APPENDIX_BOX
    assert box.accessibleName() == APPENDIX_BOX
    assert not box.isChecked()  # left out unless asked for
    box.setChecked(appendix)
    dialog.scope.setCurrentIndex(dialog.scope.findText(KESTREL))
    dialog.ok_button.click()
    preview = _shown(window, ReportPreview)
    answers.save_path = out
    preview.pdf_button.click()
    pages = preview.page_count
    preview.close()
    return pages


def test_the_appendix_is_in_the_pack_only_when_its_box_is_ticked(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)

    short = _make_pack(window, answers, tmp_path / "short.pdf", appendix=False)
    in_full = _make_pack(window, answers, tmp_path / "in-full.pdf", appendix=True)

    def text(path: Path) -> str:
        return " ".join(page.extract_text() for page in PdfReader(path).pages)

    assert "Appendix: every record in full" not in text(tmp_path / "short.pdf")
    assert "Appendix: every record in full" in text(tmp_path / "in-full.pdf")
    assert in_full > short
    assert not answers.errors
