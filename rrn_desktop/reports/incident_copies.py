"""One incident's report, in the copy asked for: the service's own record (support records in
full only when asked for) or, for a school, the copy for the pupil's parents or carers."""

from __future__ import annotations

from pathlib import Path

from rrn_desktop.reports.catalogue import Progress, ReportRequest
from rrn_desktop.reports.incident_report import write_incident_report
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.reports.parents_copy import write_parents_copy
from rrn_desktop.storage.database import Database


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: Progress | None
) -> ReportResult:
    """The catalogue's way in."""
    if request.incident_id is None:
        raise ValueError("an incident report needs the incident's id")
    if request.parents_copy:
        return write_parents_copy(db, request.incident_id, out, progress=progress)
    return write_incident_report(
        db, request.incident_id, out, include_support=request.include_support, progress=progress
    )
