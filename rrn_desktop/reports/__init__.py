"""Printed reports (PDF), built with reportlab in one shared house style.

No Qt here: the GUI runs these off its own thread and shows the ``progress`` they report.
"""

from rrn_desktop.reports.output import ReportResult

__all__ = ["ReportResult"]
