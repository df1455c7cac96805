"""A service's incidents: the last year's figures, the list, and one incident to work on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import RED_FLAG_LABELS, PersonIdentity, RedFlag
from rrn_desktop.core import incidents
from rrn_desktop.core.breakdowns import breakdowns
from rrn_desktop.core.dates import brief_date
from rrn_desktop.core.incident_figures import PeriodFigures, period_figures
from rrn_desktop.core.incident_settings import (
    delete_past_retention,
    incident_settings,
    past_retention,
    removal_history,
    update_incident_settings,
)
from rrn_desktop.core.incidents import IncidentInfo, LearningPointInfo
from rrn_desktop.core.periods import Period
from rrn_desktop.core.service_size import measure_for, rate, rate_text, set_sizes, sizes_of
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.core.wording import capitalised, plural
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.date_field import chosen_day
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.group_figures_dialog import GroupFiguresDialog
from rrn_desktop.gui.incident_chart import IncidentChart
from rrn_desktop.gui.incident_dialogs import (
    IncidentDialog,
    IncidentSettingsDialog,
    LearningPointDialog,
    PersonDialog,
    PersonSupportDialog,
    ReviewDialog,
    SaveIncidentDialog,
    WelfareDialog,
)
from rrn_desktop.gui.incident_model import ID_ROLE, SORT_ROLE, IncidentModel
from rrn_desktop.gui.incident_view import IncidentView
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.record_model import index_to_show, record_table
from rrn_desktop.gui.reflow import ReflowSplitter, button_row
from rrn_desktop.gui.report_runner import run_with_progress
from rrn_desktop.gui.service_dialogs import ServiceSizeDialog
from rrn_desktop.gui.theme import warning_style
from rrn_desktop.gui.widgets import buddy_label, wrapped
from rrn_desktop.reports.catalogue import ReportRequest, report_kind
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.errors import CHANGED_SINCE_OPENED, ChangedElsewhereError


def _red_flags_text(flags: dict[RedFlag, int]) -> str:
    raised = [f"{RED_FLAG_LABELS[flag].lower()} {count}" for flag, count in flags.items() if count]
    return f" Red flags: {', '.join(raised)}." if raised else " No red flags."


class IncidentsPanel(QWidget):
    changed = Signal()
    open_action_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._service: ServiceInfo | None = None
        self._figures: PeriodFigures | None = None
        self.now = dt.datetime.now

        self.summary = wrapped("", self)
        self.summary.setAccessibleName("Incident figures")
        self.chart = IncidentChart(self)
        self.new_button = QPushButton("Record an &incident…", self)
        self.new_button.clicked.connect(self.record_incident)
        self.settings_button = QPushButton("Incident se&ttings…", self)
        self.settings_button.clicked.connect(self.edit_settings)
        self.retention_button = QPushButton("Records &past retention…", self)
        self.retention_button.clicked.connect(self.review_retention)
        self.size_button = QPushButton("Service si&ze…", self)
        self.size_button.clicked.connect(self.record_size)
        self.groups_button = QPushButton("By &group…", self)
        self.groups_button.setToolTip(
            "The last 12 months' incidents by the person's age band and characteristics, "
            "with every figure under 5 hidden"
        )
        self.groups_button.clicked.connect(self.show_groups)

        self.model = IncidentModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = record_table(self.proxy, "Incidents, newest first", self)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.view = IncidentView(db, self)
        self.view.edit_requested.connect(self.edit_incident)
        self.view.delete_requested.connect(self.delete_incident)
        self.view.save_requested.connect(self.save_incident_pdf)
        self.view.add_person_requested.connect(self.add_person)
        self.view.remove_person_requested.connect(self.remove_person)
        self.view.support_requested.connect(self.record_person_support)
        self.view.welfare_requested.connect(self.record_welfare)
        self.view.review_requested.connect(self.record_review)
        self.view.add_point_requested.connect(self.add_point)
        self.view.point_to_action_requested.connect(self.point_to_action)
        self.view.edit_point_requested.connect(self.edit_point)
        self.view.remove_point_requested.connect(self.remove_point)
        self.view.open_action_requested.connect(self.open_action_requested)

        buttons = button_row(
            self.new_button,
            self.settings_button,
            self.retention_button,
            self.size_button,
            self.groups_button,
        )
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.chart)
        left_layout.addLayout(buttons)
        left_layout.addWidget(buddy_label("I&ncidents:", self.table, left))
        left_layout.addWidget(self.table, stretch=1)
        splitter = ReflowSplitter("incidents-splitter", left, self.view, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- showing ------------------------------------------------------------------------------

    @property
    def service(self) -> ServiceInfo | None:
        return self._service

    def show_service(self, service: ServiceInfo, select_id: int | None = None) -> None:
        self._service = service
        self.refresh(select_id)

    def refresh(self, select_id: int | None = None) -> None:
        if self._service is None:
            return
        now = self.now()
        current = self.view.incident.id if self.view.incident else None
        records = incidents.list_incidents(self._db, self._service.id)
        self.model.set_incidents(records, now)
        # The full list already holds the last year's incidents: no second query.
        figures = period_figures(records, Period.last_12_months(now.date()), now)
        self.chart.set_figures(figures.months if records else [])
        self.chart.setVisible(bool(records))
        self._figures = figures
        self._summarise(records, figures, now)
        self.select(select_id if select_id is not None else current)

    def _summarise(
        self, records: list[IncidentInfo], figures: PeriodFigures, now: dt.datetime
    ) -> None:
        if not records:
            self.summary.setText(
                "No incidents recorded for this service. After any restrictive intervention, "
                "record it here, then the support offered and the learning review."
            )
            self.summary.setStyleSheet("")
            return
        total = figures.totals
        missing = sum(1 for r in records if r.review_overdue(now))
        missing_text = (
            f" All records: {plural(missing, 'learning review')} MISSING after 72 hours."
            if missing
            else " All records: no learning reviews missing."
        )
        self.summary.setText(
            f"{capitalised(figures.period.named)}: "
            f"{plural(total.incidents, 'incident')}. Support offered within 72 hours: "
            f"{total.support.text}. Learning reviews within 72 hours: {total.review.text}. "
            f"{plural(total.actions_arising, 'action')} arising.{self._rate_text(figures)}"
            f"{_red_flags_text(total.red_flags)}{missing_text}"
        )
        self.summary.setStyleSheet(warning_style(bold=True) if missing else "")

    def _rate_text(self, figures: PeriodFigures) -> str:
        """The period's rate, over the months whose size is recorded (none: nothing said)."""
        if self._service is None:
            return ""
        sizes = sizes_of(self._db, self._service.id)
        sized = [f for f in figures.months if sizes.get(f.month)]
        if not sized:
            return ""
        measure = measure_for(self._service.sector)
        value = rate(sum(f.incidents for f in sized), sum(sizes[f.month] for f in sized), measure)
        return f" {rate_text(value)} incidents {measure.rate_words}."

    def show_groups(self) -> GroupFiguresDialog | None:
        if self._service is None or self._figures is None:
            return None
        period = self._figures.period.named
        groups = breakdowns(self._figures.incidents)
        dialog = GroupFiguresDialog(self._service.name, period, groups, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def record_size(self) -> None:
        service = self._service
        if service is None:
            return
        dialog = ServiceSizeDialog(service, sizes_of(self._db, service.id), self.now().date(), self)

        def submit() -> None:
            set_sizes(self._db, service.id, dialog.values())
            self.refresh()

        self._run_dialog(dialog, submit)

    def select(self, incident_id: int | None) -> None:
        index = index_to_show(self.model, self.proxy, incident_id)
        if index is None:
            self.view.show_incident(None)
            return
        self.table.setCurrentIndex(index)
        self._show_current(force=True)

    def _show_current(self, *, force: bool = False) -> None:
        index = self.table.currentIndex()
        chosen = index.data(ID_ROLE) if index.isValid() else None
        shown = self.view.incident
        if not force and shown is not None and shown.id == chosen:
            return
        row = self.model.row_of(chosen) if chosen else None
        self.view.show_incident(None if row is None else self.model.record(row))

    def _changed(self, incident_id: int | None) -> None:
        self.refresh(select_id=incident_id)
        self.changed.emit()

    def _run_dialog(self, dialog: FormDialog, submit: Callable[[], None]) -> None:
        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- the record ---------------------------------------------------------------------------

    def record_incident(self) -> None:
        service = self._service
        if service is None:
            return
        reference = incidents.suggest_reference(self._db, dt.date.today())
        dialog = IncidentDialog(service, reference, incident_settings(self._db), self)

        def submit() -> None:
            incident = incidents.record_incident(self._db, service.id, **dialog.values())
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def edit_incident(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        dialog = IncidentDialog(
            incident.service,
            incident.reference,
            incident_settings(self._db),
            self,
            incident=incident,
        )

        opened = incident.row_version

        def submit() -> None:
            nonlocal opened
            try:
                incidents.update_incident(self._db, incident.id, opened=opened, **dialog.values())
            except ChangedElsewhereError as error:
                # Pressing Save again saves what is in the form over their version.
                assert isinstance(error.theirs, IncidentInfo)
                opened = error.theirs.row_version
                raise UserFacingError(
                    f"{CHANGED_SINCE_OPENED} Press Save again to save what is in this form over "
                    "their version, or Cancel to keep theirs."
                ) from error
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def delete_incident(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        if dialogs.ask_confirmation(
            self,
            "Delete incident?",
            f"Delete incident {incident.reference} with its support records and learning "
            "review? This cannot be undone. Actions it led to stay on the plan.",
            "&Delete incident",
        ):
            self._apply(lambda: incidents.delete_incident(self._db, incident.id), None)

    def _apply(self, change: Callable[[], object], select_id: int | None) -> None:
        attempt(self, "Not changed", change)
        self._changed(select_id)

    def save_incident_pdf(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        dialog = SaveIncidentDialog(incident, self)

        def submit() -> None:
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            for_parents = dialog.parents_copy.isChecked()
            name = f"Incident {incident.reference}" + (" for parents" if for_parents else "")
            suggested = Path(documents or Path.home()) / f"{name}.pdf"
            path = dialogs.choose_save_path(
                self, "Save incident as PDF", suggested, "PDF files (*.pdf)"
            )
            if path is None:
                return
            request = ReportRequest(
                incident_id=incident.id,
                include_support=dialog.include_support.isChecked(),
                parents_copy=for_parents,
            )
            result = run_with_progress(
                self,
                f"Writing {path.name}…",
                lambda progress: report_kind("incident").write(self._db, request, path, progress),
            )
            if result is not None:
                dialogs.show_information(self, "Saved", f"Saved {result.summary}.")

        self._run_dialog(dialog, submit)

    # --- people and support -------------------------------------------------------------------

    def add_person(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        dialog = PersonDialog(self)

        def submit() -> None:
            incidents.add_staff(
                self._db,
                incident.id,
                dialog.name.text(),
                dialog.involvement.currentData(),
                role=dialog.role.text(),
            )
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def remove_person(self, staff_id: int) -> None:
        incident = self.view.incident
        if incident is None:
            return
        person = next((s for s in incident.staff if s.id == staff_id), None)
        if person is not None and dialogs.ask_confirmation(
            self,
            "Remove person?",
            f"Remove {person.name} from this incident, with their welfare check?",
            "&Remove",
        ):
            self._apply(
                lambda: incidents.remove_staff(self._db, incident.id, staff_id), incident.id
            )

    def record_welfare(self, staff_id: int) -> None:
        incident = self.view.incident
        person = next((s for s in incident.staff if s.id == staff_id), None) if incident else None
        if incident is None or person is None:
            return
        dialog = WelfareDialog(person, self)

        def submit() -> None:
            incidents.update_staff(
                self._db,
                incident.id,
                staff_id,
                welfare_offered_on=dialog.offered_on.day(),
                welfare_taken_up=dialog.taken_up.currentData(),
                referral=dialog.referral.toPlainText(),
            )
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def record_person_support(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        dialog = PersonSupportDialog(incident, self)

        def submit() -> None:
            incidents.save_person_support(
                self._db, incident.id, chosen_day(dialog.offered_on), **dialog.values()
            )
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    # --- the learning review ------------------------------------------------------------------

    def record_review(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        dialog = ReviewDialog(incident, self)

        def submit() -> None:
            incidents.save_review(
                self._db,
                incident.id,
                chosen_day(dialog.held_on),
                dialog.lead_name.text(),
                lead_not_involved=dialog.not_involved.isChecked(),
                **dialog.values(),
            )
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def add_point(self) -> None:
        incident = self.view.incident
        if incident is None:
            return
        dialog = LearningPointDialog(self)

        def submit() -> None:
            incidents.add_learning_point(
                self._db, incident.id, dialog.text.toPlainText(), dialog.theme.currentData()
            )
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def _learning_point(self, point_id: int) -> LearningPointInfo | None:
        incident = self.view.incident
        points = incident.review.points if incident and incident.review else ()
        return next((point for point in points if point.id == point_id), None)

    def edit_point(self, point_id: int) -> None:
        incident, point = self.view.incident, self._learning_point(point_id)
        if incident is None or point is None:
            return
        dialog = LearningPointDialog(self, point)

        def submit() -> None:
            incidents.update_learning_point(
                self._db, point_id, dialog.text.toPlainText(), dialog.theme.currentData()
            )
            self._changed(incident.id)

        self._run_dialog(dialog, submit)

    def remove_point(self, point_id: int) -> None:
        incident, point = self.view.incident, self._learning_point(point_id)
        if incident is None or point is None:
            return
        kept = " The action made from it stays on the plan." if point.action_id else ""
        if dialogs.ask_confirmation(
            self,
            "Remove learning point?",
            f"Remove the learning point '{point.text}'?{kept}",
            "&Remove",
        ):
            self._apply(lambda: incidents.remove_learning_point(self._db, point_id), incident.id)

    def point_to_action(self, point_id: int) -> None:
        incident = self.view.incident
        if incident is None:
            return
        added = attempt(
            self,
            "Not added to the plan",
            lambda: incidents.point_to_action(self._db, point_id, dt.date.today()),
        )
        if not added.ok:
            return
        self._changed(incident.id)
        self.window().statusBar().showMessage(  # type: ignore[attr-defined]
            f"Added to the plan: {added.value.title}", 8000
        )

    # --- settings and retention ---------------------------------------------------------------

    def edit_settings(self) -> None:
        dialog = IncidentSettingsDialog(
            incident_settings(self._db), removal_history(self._db), self
        )

        def submit() -> None:
            identity = (
                PersonIdentity.INITIALS
                if dialog.initials.isChecked()
                else PersonIdentity.REFERENCE_ONLY
            )
            update_incident_settings(
                self._db, identity=identity, retention_months=dialog.retention.value()
            )
            self.refresh()

        self._run_dialog(dialog, submit)

    def review_retention(self) -> None:
        today = dt.date.today()
        expired = past_retention(self._db, today)
        settings = incident_settings(self._db)
        if not expired:
            dialogs.show_information(
                self,
                "Nothing past retention",
                f"No incident record is older than the retention period "
                f"({settings.retention_text}).",
            )
            return
        listing = "\n".join(
            f"{r.reference}, {r.service_name}, {brief_date(r.occurred_on)}" for r in expired[:30]
        )
        more = f"\n…and {len(expired) - 30} more" if len(expired) > 30 else ""
        if dialogs.ask_confirmation(
            self,
            "Delete records past retention?",
            f"{plural(len(expired), 'incident record')} {'is' if len(expired) == 1 else 'are'} "
            f"older than the retention period ({settings.retention_text}):\n\n{listing}{more}"
            "\n\nDelete them with their support records and reviews? A count of what was "
            "deleted is kept; actions they led to stay on the plan. This cannot be undone.",
            f"&Delete {plural(len(expired), 'record')}",
        ):
            self._apply(
                lambda: delete_past_retention(self._db, [r.id for r in expired], today), None
            )
