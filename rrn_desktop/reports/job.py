"""The steps every report shares: check where it goes, lay out the pages (or write a Word
document, when the file name ends in .docx), save it safely, and tell the caller how far it has
got."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable

from rrn_desktop.base.saving import check_writable, save_atomically
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.docx_export import story_to_docx
from rrn_desktop.reports.output import ReportResult


class ReportJob:
    """Start one before gathering the data (so a bad path fails fast), finish it with the story.

    Progress runs 0 → 0.2 while the report gathers its data and builds its story, 0.2 → 0.9
    while pages are laid out (or the Word document is written), and reaches 1 once the file is
    saved. An ``out`` ending in .docx gives a Word document of the same story.
    """

    def __init__(self, out: Path, progress: Callable[[float], None] | None) -> None:
        self.out = Path(out)
        self._progress = progress
        self._started = time.perf_counter()
        # Set afresh by every report, so one report's choice never carries over to the next.
        hs.keep_every_character.set(self.writes_word)
        self.step(0.0)
        check_writable(self.out)

    @property
    def writes_word(self) -> bool:
        """True when the report is to be a Word document (the file name ends in .docx)."""
        return self.out.suffix.lower() == ".docx"

    def step(self, fraction: float) -> None:
        if self._progress is not None:
            self._progress(max(0.0, min(1.0, fraction)))

    def finish(
        self,
        story: list[Flowable],
        *,
        title: str,
        header: str,
        footer_note: str,
        author: str,
        subject: str,
    ) -> ReportResult:
        self.step(0.2)

        def converting(fraction: float) -> None:
            self.step(0.2 + 0.7 * fraction)

        words = {
            "title": title,
            "header": header,
            "footer_note": footer_note,
            "author": author,
            "subject": subject,
        }
        page_count: int | None
        try:
            if self.writes_word:
                data = story_to_docx(story, progress=converting, **words)
                page_count = None  # Word lays out its own pages
            else:
                built = hs.build_pdf(story, progress=converting, **words)
                data, page_count = built.data, built.page_count
        finally:
            hs.keep_every_character.set(False)  # back to the PDF default once laid out
        save_atomically(data, self.out)
        result = ReportResult(
            path=self.out,
            page_count=page_count,
            seconds=time.perf_counter() - self._started,
        )
        self.step(1.0)
        return result
