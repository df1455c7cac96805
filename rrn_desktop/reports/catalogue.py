"""Every report the app writes, declared once.

The command line's `report` subcommands, the Reports menu and the inspection pack's parts are all
made from this list, so a new report is its own module (with a ``write_report`` function) and one
entry here. The modules load on first use, which keeps reportlab out of start-up time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # kept light: the command line reads this list before anything loads
    from rrn_desktop.core.periods import Period
    from rrn_desktop.reports.output import ReportResult
    from rrn_desktop.storage.database import Database

Progress = Callable[[float], None]


class Subject(Enum):
    """What one copy of a report is of, which decides what a person is asked before it is made."""

    BENCHMARK = "one benchmark"  # the command line takes a service's latest
    SERVICE = "one service or all"  # --service, or every service
    ORGANISATION = "the organisation"  # --service narrows it, the menu never asks
    INCIDENT = "one incident"  # --ref on the command line
    GROUP = "every service"  # side by side, never one alone


@dataclass(frozen=True)
class ReportRequest:
    """What a report is of; each report reads the fields its subject needs."""

    service_id: int | None = None
    benchmark_id: int | None = None
    incident_id: int | None = None
    period: Period | None = None  # None: the report's own default
    include_support: bool = False
    parents_copy: bool = False
    appendix: bool = False


class _Writer(Protocol):
    def __call__(
        self, db: Database, request: ReportRequest, out: Path, progress: Progress | None
    ) -> ReportResult: ...


@dataclass(frozen=True)
class Flag:
    """A choice the command line offers as --option, setting a field of the request."""

    field: str  # a bool field of ReportRequest
    help: str

    @property
    def option(self) -> str:
        return "--" + self.field.replace("_", "-")


@dataclass(frozen=True)
class ReportKind:
    key: str  # the command line's name: rrn-desktop report KEY
    module: str  # the module holding write_report
    help: str  # the command line's description
    file_name: str  # the start of the file name suggested on saving
    subject: Subject
    menu: str | None = None  # the Reports menu's entry, with its Alt letter
    pack_part: str | None = None  # the title of its part in the inspection pack
    period: bool = False  # takes --from and --to
    service_help: str = "one service (default: every service)"
    flags: tuple[Flag, ...] = ()
    flags_exclusive: bool = False  # at most one of the flags at a time

    @property
    def title(self) -> str:
        """The menu entry as a window title: "Benchmark report"."""
        return (self.menu or self.key).replace("&", "").rstrip("…")

    def write(
        self,
        db: Database,
        request: ReportRequest,
        out: Path,
        progress: Progress | None = None,
    ) -> ReportResult:
        module = importlib.import_module(self.module)
        writer: _Writer = module.write_report
        return writer(db, request, out, progress)


REPORTS: tuple[ReportKind, ...] = (
    ReportKind(
        key="benchmark",
        module="rrn_desktop.reports.benchmark_report",
        help="a benchmark: scores by section, what changed, the actions agreed",
        file_name="Benchmark",
        subject=Subject.BENCHMARK,
        menu="&Benchmark report…",
        pack_part="Training against the Standards",
        service_help="service name (default: the latest benchmark of any service)",
    ),
    ReportKind(
        key="restrictions",
        module="rrn_desktop.reports.restrictions_report",
        help="the blanket restrictions register",
        file_name="Blanket restrictions",
        subject=Subject.SERVICE,
        menu="Blanket restrictions &register…",
        pack_part="Blanket restrictions register",
        service_help="service name (default: every service with a register)",
    ),
    ReportKind(
        key="plan",
        module="rrn_desktop.reports.plan_report",
        help="the pledge and the restraint reduction plan",
        file_name="Restraint reduction plan",
        subject=Subject.ORGANISATION,
        menu="Restraint reduction p&lan…",
        pack_part="Restraint reduction plan",
        service_help="one service's actions and the organisation-wide ones",
    ),
    ReportKind(
        key="incidents",
        module="rrn_desktop.reports.incidents_report",
        help="the last 12 months' incident figures and learning themes, anonymised",
        file_name="Incident figures",
        subject=Subject.SERVICE,
        menu="Incident &figures…",
        pack_part="Incident figures and learning",
        period=True,
    ),
    ReportKind(
        key="incident",
        module="rrn_desktop.reports.incident_copies",
        help="one incident: the record, support and the learning review, apart",
        file_name="Incident",
        subject=Subject.INCIDENT,
        menu="&One incident…",
        flags=(
            Flag(
                "include_support", "print the support records in full (left out unless asked for)"
            ),
            Flag(
                "parents_copy",
                "a school's copy for the pupil's parents or carers: no one else's details",
            ),
        ),
        flags_exclusive=True,
    ),
    ReportKind(
        key="group",
        module="rrn_desktop.reports.group_report",
        help="head office's picture of every service: bands by section, restrictions, plan, "
        "incident rates and red flags, side by side and never ranked",
        file_name="Head office picture",
        subject=Subject.GROUP,
        menu="&Head office picture…",
        period=True,
    ),
    ReportKind(
        key="pack",
        module="rrn_desktop.reports.pack_report",
        help="the inspection pack: every module's report in one document, with contents",
        file_name="Inspection pack",
        subject=Subject.SERVICE,
        period=True,
        flags=(
            Flag(
                "appendix",
                "add an appendix with everything recorded about every benchmark item, "
                "restriction and action (left out unless asked for)",
            ),
        ),
    ),
)

# The inspection pack's last part, after the parts above: benchmarks on other instruments.
OTHER_SELF_ASSESSMENTS = "Other self-assessments"


def report_kind(key: str) -> ReportKind:
    return next(kind for kind in REPORTS if kind.key == key)


def in_menu() -> list[ReportKind]:
    return [kind for kind in REPORTS if kind.menu is not None]


def pack_parts() -> list[ReportKind]:
    """The reports the inspection pack holds a part of, in its order."""
    return [kind for kind in REPORTS if kind.pack_part is not None]


def part_titles() -> tuple[str, ...]:
    """ "Part 1: Training against the Standards", … and last the other self-assessments."""
    titles = [kind.pack_part for kind in pack_parts()] + [OTHER_SELF_ASSESSMENTS]
    return tuple(f"Part {number}: {title}" for number, title in enumerate(titles, 1))
