"""The reports the Reports menu names: each asks only for what the screen does not already say
(which service, which benchmark, which incident), then opens its preview, where it can be
printed or saved as PDF or Word."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QMainWindow

from rrn_desktop.core import benchmarks, incidents
from rrn_desktop.core.dates import brief_moment
from rrn_desktop.core.services import ServiceInfo, list_services
from rrn_desktop.core.validation import InputError
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.incident_dialogs import add_support_choice
from rrn_desktop.gui.report_actions import Report, ReportActions
from rrn_desktop.gui.report_kinds import report_of
from rrn_desktop.gui.widgets import choice_combo, select_data
from rrn_desktop.reports.catalogue import ReportKind, ReportRequest, Subject
from rrn_desktop.storage.database import Database

# A service's records to choose from, latest first: {id: label}.
Records = Callable[[int], dict[int, str]]


@dataclass(frozen=True)
class OnScreen:
    """What the screen shows: a report from the menu is for these unless the user says not."""

    service: ServiceInfo | None = None
    benchmark_id: int | None = None
    incident_id: int | None = None


@dataclass(frozen=True)
class RecordChoice:
    """One of a service's records to choose: how to list them, and their name in words."""

    records: Records
    label: str  # the field's label, with its Alt letter
    plural: str  # for "Willow House has no benchmarks yet."
    wanted: int | None = None  # the id of the one to start on, if it is listed


class ReportChooser(FormDialog):
    """Which service a report is for, and which of its records when it is of one."""

    def __init__(
        self,
        title: str,
        services: list[ServiceInfo],
        service: ServiceInfo | None,
        parent: QMainWindow,
        record: RecordChoice | None = None,
        support_choice: bool = False,
    ) -> None:
        super().__init__(title, "&Preview…", parent)
        self._services = {s.id: s for s in services}
        self._record = record
        self.service = choice_combo({s.id: s.name for s in services}, "Service", self)
        select_data(self.service, service.id if service else None)
        self.form.addRow("Ser&vice:", self.service)
        self.record: QComboBox | None = None
        if record is not None:
            self.record = QComboBox(self)
            self.record.setAccessibleName(record.label.replace("&", "").rstrip(":"))
            self.form.addRow(record.label, self.record)
            self._fill_records(record.wanted)
            self.service.currentIndexChanged.connect(lambda _index: self._fill_records(None))
        self.include_support: QCheckBox | None = (
            add_support_choice(self) if support_choice else None
        )
        self.finish_layout(width=480)

    def has_changes(self) -> bool:
        """Nothing typed here is lost by closing: it is only a choice."""
        return False

    def _fill_records(self, wanted: int | None) -> None:
        assert self.record is not None and self._record is not None
        self.record.clear()
        for record_id, label in self._record.records(self.service.currentData()).items():
            self.record.addItem(label, record_id)
        select_data(self.record, wanted)

    def chosen_service(self) -> ServiceInfo:
        return self._services[self.service.currentData()]

    def chosen_record(self) -> int:
        assert self.record is not None and self._record is not None
        if self.record.currentIndex() < 0:
            raise InputError(f"{self.chosen_service().name} has no {self._record.plural} yet.")
        return self.record.currentData()

    def supports_included(self) -> bool:
        return self.include_support is not None and self.include_support.isChecked()


def _benchmarks(db: Database) -> Records:
    def listed(service_id: int) -> dict[int, str]:
        return {
            b.id: f"{b.title} ({b.status_label})"
            for b in benchmarks.list_benchmarks(db, service_id)
        }

    return listed


def _incidents(db: Database) -> Records:
    def listed(service_id: int) -> dict[int, str]:
        return {
            i.id: f"{i.reference}, {brief_moment(i.occurred_at)}"
            for i in incidents.list_incidents(db, service_id)
        }

    return listed


class NamedReports:
    """The Reports menu's named reports, acting on what on_screen says the screen shows."""

    def __init__(
        self,
        window: QMainWindow,
        db: Database,
        reports: ReportActions,
        on_screen: Callable[[], OnScreen],
    ) -> None:
        self._window = window
        self._db = db
        self._reports = reports
        self._on_screen = on_screen

    def _ask(
        self,
        title: str,
        make: Callable[[ReportChooser], Report],
        record: RecordChoice | None = None,
        support_choice: bool = False,
    ) -> ReportChooser:
        dialog = ReportChooser(
            title,
            list_services(self._db),
            self._on_screen().service,
            self._window,
            record,
            support_choice,
        )

        def submit() -> None:
            report = make(dialog)
            # The preview opens once this dialog has closed.
            dialog.finished.connect(lambda _result: self._reports.preview(report))

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show(self, kind: ReportKind) -> None:
        """The report ``kind`` of what the screen shows, asking only for what it does not."""
        if kind.subject is Subject.BENCHMARK:
            self._benchmark(kind)
        elif kind.subject is Subject.INCIDENT:
            self._incident(kind)
        elif kind.subject is Subject.SERVICE:
            self._for_service(kind)
        else:  # the organisation, or every service side by side
            self._reports.preview(report_of(self._db, kind.key, ReportRequest()))

    def _for_service(self, kind: ReportKind) -> None:
        """A report of one service: the one on screen (or the only one), else the one chosen."""
        service = self._on_screen().service
        services = list_services(self._db)
        if service is None and len(services) == 1:
            service = services[0]
        if service is not None:
            self._reports.preview(report_of(self._db, kind.key, ReportRequest(), service))
            return
        self._ask(
            kind.title,
            lambda dialog: report_of(self._db, kind.key, ReportRequest(), dialog.chosen_service()),
        )

    def _benchmark(self, kind: ReportKind) -> None:
        shown = self._on_screen().benchmark_id
        if shown is not None:
            self._reports.preview(report_of(self._db, kind.key, ReportRequest(benchmark_id=shown)))
            return
        self._ask(
            kind.title,
            lambda dialog: report_of(
                self._db, kind.key, ReportRequest(benchmark_id=dialog.chosen_record())
            ),
            RecordChoice(_benchmarks(self._db), "&Benchmark:", "benchmarks"),
        )

    def _incident(self, kind: ReportKind) -> None:
        """Always asked, since whether its personal support records go in is the user's call."""
        self._ask(
            kind.title,
            lambda dialog: report_of(
                self._db,
                kind.key,
                ReportRequest(
                    incident_id=dialog.chosen_record(),
                    include_support=dialog.supports_included(),
                ),
            ),
            RecordChoice(
                _incidents(self._db),
                "&Incident:",
                "incident records",
                self._on_screen().incident_id,
            ),
            support_choice=True,
        )
