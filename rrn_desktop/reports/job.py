"""The steps every report shares: check where it goes, lay out the pages, save it safely, and
tell the caller how far it has got."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable

from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports.output import ReportResult, check_writable, save_atomically


class ReportJob:
    """Start one before gathering the data (so a bad path fails fast), finish it with the story.

    Progress runs 0 → 0.2 while the report gathers its data and builds its story, 0.2 → 0.9
    while pages are laid out, and reaches 1 once the file is saved.
    """

    def __init__(self, out: Path, progress: Callable[[float], None] | None) -> None:
        self.out = Path(out)
        self._progress = progress
        self._started = time.perf_counter()
        self.step(0.0)
        check_writable(self.out)

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
        built = hs.build_pdf(
            story,
            title=title,
            header=header,
            footer_note=footer_note,
            author=author,
            subject=subject,
            progress=lambda fraction: self.step(0.2 + 0.7 * fraction),
        )
        save_atomically(built.data, self.out)
        result = ReportResult(
            path=self.out,
            page_count=built.page_count,
            seconds=time.perf_counter() - self._started,
        )
        self.step(1.0)
        return result
