"""Writing a report off the GUI thread, with a progress bar and a Cancel button: an operation
(gui/operations) like any other. A cancelled report leaves nothing behind, since files are only
written once they are complete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from rrn_desktop.gui.operations import Progress, run_operation

__all__ = ["Progress", "run_with_progress"]

Result = TypeVar("Result")


def run_with_progress(
    parent: QWidget, label: str, work: Callable[[Progress], Result]
) -> Result | None:
    """Write a report with ``work(progress)``; its result, or None when it was cancelled or
    failed with a message already shown. A report changes no records, so announces nothing."""
    return run_operation(parent, label, work, failure_title="Report not made")
