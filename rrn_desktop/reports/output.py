"""What a finished report gives back, and how one stopped part-way says so."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.core.wording import plural


@dataclass(frozen=True)
class ReportResult:
    """What a finished report gives back: where it is, how long it is, how long it took."""

    path: Path
    page_count: int | None  # None for a Word document: Word lays out its own pages
    seconds: float

    @property
    def summary(self) -> str:
        """'report.pdf (12 pages)' or 'report.docx (Word document)'."""
        if self.page_count is None:
            return f"{self.path} (Word document)"
        return f"{self.path} ({plural(self.page_count, 'page')})"


class ReportCancelled(UserFacingError):
    """The person stopped the report before it was finished; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; nothing was saved.")
