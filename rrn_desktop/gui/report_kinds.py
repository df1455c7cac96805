"""A report from the catalogue, ready to preview, save or print: a file name to suggest and how
to write it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from rrn_desktop.core.benchmarks import get_benchmark
from rrn_desktop.core.incidents import get_incident
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.gui.report_actions import Report, safe_file_name
from rrn_desktop.gui.report_runner import Progress
from rrn_desktop.reports.catalogue import ReportKind, ReportRequest, Subject, report_kind
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database


def _file_name(
    db: Database, kind: ReportKind, request: ReportRequest, service: ServiceInfo | None
) -> str:
    """A benchmark by its service and date, an incident by its reference, anything else by the
    service it is of (if one) and today's date."""
    if kind.subject is Subject.BENCHMARK and request.benchmark_id is not None:
        benchmark = get_benchmark(db, request.benchmark_id)
        return f"{kind.file_name} {benchmark.service.name} {benchmark.held_on:%Y-%m-%d}"
    if kind.subject is Subject.INCIDENT and request.incident_id is not None:
        return f"{kind.file_name} {get_incident(db, request.incident_id).reference}"
    of = f" {service.name}" if service is not None else ""
    return f"{kind.file_name}{of} {dt.date.today():%Y-%m-%d}"


def report_of(
    db: Database, key: str, request: ReportRequest, service: ServiceInfo | None = None
) -> Report:
    """The catalogue's report ``key`` for what ``request`` names; ``service`` names the file."""
    kind = report_kind(key)
    if service is not None:
        request = replace(request, service_id=service.id)

    def write(out: Path, progress: Progress) -> ReportResult:
        return kind.write(db, request, out, progress)

    return Report(safe_file_name(_file_name(db, kind, request, service)), write)
