"""Each report the Reports menu names, ready to preview, save or print: a file name to suggest
and how to write it.

The report writers load on first use, keeping reportlab out of start-up time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rrn_desktop.core.benchmarks import get_benchmark
from rrn_desktop.core.incidents import get_incident
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.gui.report_actions import Report, safe_file_name
from rrn_desktop.gui.report_runner import Progress
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database


def _dated(name: str) -> str:
    return safe_file_name(f"{name} {dt.date.today():%Y-%m-%d}")


def benchmark_report(db: Database, benchmark_id: int) -> Report:
    benchmark = get_benchmark(db, benchmark_id)

    def write(out: Path, progress: Progress) -> ReportResult:
        from rrn_desktop.reports.benchmark_report import write_benchmark_report

        return write_benchmark_report(db, benchmark_id, out, progress=progress)

    name = f"Benchmark {benchmark.service.name} {benchmark.held_on:%Y-%m-%d}"
    return Report(safe_file_name(name), write)


def register_report(db: Database, service: ServiceInfo) -> Report:
    def write(out: Path, progress: Progress) -> ReportResult:
        from rrn_desktop.reports.restrictions_report import write_restrictions_report

        return write_restrictions_report(db, out, service_id=service.id, progress=progress)

    return Report(_dated(f"Blanket restrictions {service.name}"), write)


def plan_report(db: Database) -> Report:
    def write(out: Path, progress: Progress) -> ReportResult:
        from rrn_desktop.reports.plan_report import write_plan_report

        return write_plan_report(db, out, progress=progress)

    return Report(_dated("Restraint reduction plan"), write)


def incident_figures_report(db: Database, service: ServiceInfo) -> Report:
    def write(out: Path, progress: Progress) -> ReportResult:
        from rrn_desktop.reports.incidents_report import write_incidents_report

        return write_incidents_report(db, out, service_id=service.id, progress=progress)

    return Report(_dated(f"Incident figures {service.name}"), write)


def incident_report(db: Database, incident_id: int, include_support: bool) -> Report:
    """One incident's record; its support records only when asked for (they are personal)."""
    reference = get_incident(db, incident_id).reference

    def write(out: Path, progress: Progress) -> ReportResult:
        from rrn_desktop.reports.incident_report import write_incident_report

        return write_incident_report(
            db, incident_id, out, include_support=include_support, progress=progress
        )

    return Report(safe_file_name(f"Incident {reference}"), write)
