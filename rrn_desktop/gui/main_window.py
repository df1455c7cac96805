"""The main window: services on the left; a service's benchmarks or one benchmark on the right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
)

from rrn_desktop import __version__
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.content.loader import rule_packs
from rrn_desktop.core import benchmarks, display_settings, user
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.display_settings import TEXT_SIZES
from rrn_desktop.core.instrument_catalogue import instruments
from rrn_desktop.core.overview import (
    StartScreen,
    attention_by_service,
    service_overview,
    start_screen,
)
from rrn_desktop.core.services import (
    ServiceInfo,
    create_service,
    organisation_name,
    rename_organisation,
    set_jurisdiction,
)
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog, ReopenDialog, SignOffDialog
from rrn_desktop.gui.benchmark_page import BenchmarkPage
from rrn_desktop.gui.compare_dialog import CompareDialog
from rrn_desktop.gui.focus_ring import show_focus_ring
from rrn_desktop.gui.history_dialog import ChangesDialog
from rrn_desktop.gui.operations import Changed, Changes, attempt, change_notices, run_operation
from rrn_desktop.gui.overview_page import OverviewPage
from rrn_desktop.gui.plan_page import PlanPage
from rrn_desktop.gui.reflow import scrolling_page, size_by_shown_page
from rrn_desktop.gui.report_actions import Report, ReportActions
from rrn_desktop.gui.report_choosers import NamedReports, OnScreen
from rrn_desktop.gui.report_kinds import report_of
from rrn_desktop.gui.service_dialogs import NewServiceDialog, RecordingLawDialog
from rrn_desktop.gui.service_page import ServicePage
from rrn_desktop.gui.shared_dialog import SHARED_REQUEST, SharedDatabaseDialog
from rrn_desktop.gui.text_size import applied_text_size, apply_text_size
from rrn_desktop.gui.theme import (
    apply_high_contrast,
    colours_changed,
    high_contrast,
)
from rrn_desktop.gui.welcome_page import WelcomePage
from rrn_desktop.gui.window_frame import (
    FIRST_SERVICE_ROW,
    MENU_TITLES,
    PLAN_ENTRY,
    SERVICE_ROLE,
    ServicesPane,
    beside_the_list,
    label_service,
)
from rrn_desktop.gui.window_memory import remember_window, restore_window
from rrn_desktop.reports.catalogue import ReportRequest, in_menu
from rrn_desktop.storage.database import Database

# Each text size's menu entry, with a mnemonic of its own.
TEXT_SIZE_LABELS = {100: "&100 %", 125: "12&5 %", 150: "15&0 %", 175: "1&75 %", 200: "&200 %"}


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db
        self._services: list[ServiceInfo] = []
        self.setWindowTitle("RRN Self-Audit")
        # The saved text size and colours first, so every screen is built with them.
        apply_text_size(display_settings.text_size(db))
        apply_high_contrast(display_settings.high_contrast(db))
        show_focus_ring()

        self.pane = pane = ServicesPane(self)
        self.services = pane.services
        self.services.currentItemChanged.connect(self._service_chosen)
        self.add_service_button = pane.add_service_button
        self.add_service_button.clicked.connect(self.add_service)
        self.organisation = pane.organisation

        self.welcome = WelcomePage(db, self)
        self.welcome.started.connect(self.show_service)
        self.welcome.demo_button.clicked.connect(self.load_demo_data)
        self._overview_just_refreshed = False
        self.overview = OverviewPage(self)
        self.overview.open_service.connect(self.show_service)
        self.overview.open_action.connect(self.show_action)
        self.overview.open_incident.connect(self.show_incident)
        self.overview.open_restriction.connect(self.show_restriction)
        self.overview.open_pledge.connect(self.show_pledge)
        self.service_page = ServicePage(db, self)
        self.service_page.tabs.currentChanged.connect(lambda _index: self._update_actions())
        self.service_page.restrictions.changed.connect(self._records_changed)
        self.service_page.incidents.changed.connect(self._records_changed)
        self.service_page.incidents.open_action_requested.connect(self.show_action)
        self.service_page.open_benchmark.connect(self.open_benchmark)
        self.service_page.new_button.clicked.connect(self.new_benchmark)
        self.service_page.compare_button.clicked.connect(self.compare)
        self.plan_page = PlanPage(db, self)
        self.plan_page.changed.connect(self._records_changed)
        self.service_page.restrictions.editor.new_action_requested.connect(
            self.new_action_for_restriction
        )
        self.service_page.restrictions.editor.open_action_requested.connect(self.show_action)
        self.benchmark_page = BenchmarkPage(db, self)
        self.benchmark_page.editor.open_action_requested.connect(self.show_action)
        self.benchmark_page.changed.connect(lambda: self.statusBar().showMessage("Saved", 2000))
        self.pages = QStackedWidget(self)
        for page in (
            self.welcome,
            self.overview,
            self.plan_page,
            self.service_page,
            self.benchmark_page,
        ):
            self.pages.addWidget(page)
        size_by_shown_page(self.pages)
        self.pages.currentChanged.connect(lambda _index: self._update_actions())

        # A screen taller than the window (large text on a laptop) scrolls rather than
        # pushing the window off the bottom of the screen.
        beside_the_list(self, pane, scrolling_page(self.pages, self))
        self._make_actions()
        self.statusBar().showMessage(self._where())
        restore_window(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.aboutToQuit.connect(self.flush)
        self.refresh_services()
        # Warnings are coloured as each screen fills: fill again when the scheme changes,
        # whether from View → High contrast or the system switching to dark mode.
        colours_changed().connect(self.refresh_services)
        # Operations (imports, the demo...) say what they changed; the list follows.
        change_notices().changed.connect(self._data_changed)

    # --- menus and toolbar --------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.add_service_action = self._action("&Add service…", self.add_service, "Ctrl+Shift+N")
        self.demo_action = self._action("Load &demo data", self.load_demo_data)
        self.rename_action = self._action("&Organisation name…", self.rename_organisation)
        self.user_name_action = self._action("&Your name…", self.set_user_name)
        self.recording_law_action = self._action(
            "Recording &law for this service…", self.choose_recording_law
        )
        self.changes_action = self._action("Record of &changes…", self.show_changes)
        self.find_action = self._action("&Find…", self.find_in_list, QKeySequence.StandardKey.Find)
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        # Ctrl+N makes whatever the screen shows a list of: see _new_here.
        self.new_action = self._action("&New…", self.new_here, QKeySequence.StandardKey.New)
        self.new_benchmark_action = self._action("&New benchmark…", self.new_benchmark)
        self.back_action = self._action("&Back to service", self.back_to_service, "Alt+Left")
        self.sign_off_action = self._action("&Sign off…", self.sign_off)
        self.reopen_action = self._action("&Reopen…", self.reopen)
        self.compare_action = self._action("&Compare benchmarks…", self.compare)
        self.shared_action = self._action("Connect to a s&hared database…", self.connect_shared)
        # On a shared database others save too: F5 reads everything on screen again.
        self.refresh_action = self._action(
            "&Refresh", self.refresh_from_data, QKeySequence.StandardKey.Refresh
        )
        self.reports = ReportActions(self, self._db)
        self.named_reports = NamedReports(self, self._db, self.reports, self._on_screen)
        # Every report by name, whatever the screen; each asks for what the screen does not say.
        self.named_report_actions = [
            self._action(
                kind.menu or kind.key,
                lambda _checked=False, kind=kind: self._named_report(
                    lambda: self.named_reports.show(kind)
                ),
            )
            for kind in in_menu()
        ]
        # The report of the screen shown; the toolbar names them shorter.
        self.preview_action = self._action(
            "Pre&view this screen's report…", self.preview_report, "Ctrl+Shift+P"
        )
        self.preview_action.setIconText("Preview report")
        self.save_pdf_action = self._action(
            "Save this screen's report as P&DF…", self.save_pdf, "Ctrl+Shift+S"
        )
        self.save_pdf_action.setIconText("Save report as PDF")
        self.save_word_action = self._action(
            "Save this screen's report as &Word…", self.save_word, "Ctrl+Shift+W"
        )
        self.pack_action = self._action(
            "&Inspection pack…", self.reports.inspection_pack, "Ctrl+Shift+I"
        )
        self.spreadsheet_action = self._action(
            "Export a &spreadsheet…", self.reports.export_spreadsheet, "Ctrl+Shift+E"
        )
        self.print_action = self._action(
            "&Print this screen's report…", self.print_report, QKeySequence.StandardKey.Print
        )
        self.print_action.setIconText("Print report")
        # One Undo for the window, acting on whatever is on screen (ratings, register deletions).
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.benchmark_page.undo_stack)
        self.undo_group.addStack(self.service_page.restrictions.undo_stack)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        about_action = self._action("&About RRN Self-Audit", self.about)
        self.guide_action = self._action(
            "User &guide", self.show_guide, QKeySequence.StandardKey.HelpContents
        )
        self.text_size_group = QActionGroup(self)
        self.text_size_actions: dict[int, QAction] = {}
        for percent in TEXT_SIZES:
            action = self._action(
                TEXT_SIZE_LABELS[percent], lambda _checked=False, p=percent: self.set_text_size(p)
            )
            action.setCheckable(True)
            self.text_size_group.addAction(action)
            self.text_size_actions[percent] = action
        self.larger_text_action = self._action("&Larger text", self.larger_text)
        self.larger_text_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.smaller_text_action = self._action("&Smaller text", self.smaller_text, "Ctrl+-")
        self.normal_text_action = self._action(
            "&Normal text size",
            lambda: self.set_text_size(display_settings.NORMAL_TEXT_SIZE),
            "Ctrl+0",
        )
        self.high_contrast_action = self._action("&High contrast", self.set_high_contrast)
        self.high_contrast_action.setCheckable(True)
        self.high_contrast_action.setChecked(high_contrast())

        menus = self.menuBar()
        (
            file_menu,
            edit_menu,
            benchmark_menu,
            self.report_menu,
            view_menu,
            self.data_menu,
            help_menu,
        ) = (menus.addMenu(title) for title in MENU_TITLES)
        file_menu.addActions(
            [
                self.new_action,
                self.add_service_action,
                self.rename_action,
                self.recording_law_action,
                self.user_name_action,
                self.demo_action,
            ]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.shared_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find_action, self.changes_action])
        benchmark_menu.addActions(
            [self.new_benchmark_action, self.back_action, self.compare_action]
        )
        benchmark_menu.addSeparator()
        benchmark_menu.addActions([self.sign_off_action, self.reopen_action])
        self.report_menu.addActions(self.named_report_actions)
        self.report_menu.addActions([self.pack_action, self.spreadsheet_action])
        self.report_menu.addSeparator()
        self.report_menu.addActions(
            [self.preview_action, self.save_pdf_action, self.save_word_action, self.print_action]
        )
        self.text_size_menu = view_menu.addMenu("&Text size")
        self.text_size_menu.addActions(list(self.text_size_actions.values()))
        view_menu.addActions(
            [self.larger_text_action, self.smaller_text_action, self.normal_text_action]
        )
        view_menu.addSeparator()
        view_menu.addAction(self.high_contrast_action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        self.backups_action = self._action("&Backups and restore…", self.show_data_dialog)
        self.data_menu.addAction(self.backups_action)
        self.data_menu.addSeparator()
        self.export_service_bundle_action = self._action(
            "Export this &service as a bundle…", self.export_service_bundle
        )
        self.export_all_bundle_action = self._action(
            "Export &every service as a bundle…", self.export_all_bundles
        )
        self.import_bundle_action = self._action("&Import a bundle…", self.import_bundle)
        self.signing_action = self._action("Bundle si&gning…", self.show_signing_dialog)
        self.add_instrument_action = self._action("&Add a self-assessment…", self.add_instrument)
        self.data_menu.addActions(
            [
                self.export_service_bundle_action,
                self.export_all_bundle_action,
                self.import_bundle_action,
                self.signing_action,
            ]
        )
        self.data_menu.addSeparator()
        self.data_menu.addAction(self.add_instrument_action)
        help_menu.addActions([self.guide_action, about_action])

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions(
            [
                self.back_action,
                self.new_benchmark_action,
                self.sign_off_action,
                self.reopen_action,
                self.preview_action,
                self.save_pdf_action,
                self.print_action,
                self.pack_action,
            ]
        )
        self.addToolBar(toolbar)
        self._update_actions()
        self._update_text_size_actions()

    def _update_actions(self) -> None:
        on_benchmark = self.pages.currentWidget() is self.benchmark_page
        on_register = (
            self.pages.currentWidget() is self.service_page
            and self.service_page.on_restrictions_tab()
        )
        if on_benchmark:
            self.undo_group.setActiveStack(self.benchmark_page.undo_stack)
        elif on_register:
            self.undo_group.setActiveStack(self.service_page.restrictions.undo_stack)
        else:
            # Qt takes None (no stack) to turn undo off; the stubs ask for a stack.
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        has_service = self.service_page.service is not None
        has_report = self._report_kind() is not None
        signed_off = False
        if on_benchmark and self.benchmark_page.benchmark is not None:
            signed_off = self.benchmark_page.benchmark.signed_off
        self.new_benchmark_action.setEnabled(has_service)
        self.new_action.setText(self._new_here()[0])
        self.back_action.setEnabled(on_benchmark)
        self.sign_off_action.setEnabled(on_benchmark and not signed_off)
        self.reopen_action.setEnabled(on_benchmark and signed_off)
        self.compare_action.setEnabled(self.service_page.compare_button.isEnabled())
        for action in (
            self.preview_action,
            self.save_pdf_action,
            self.save_word_action,
            self.print_action,
        ):
            action.setEnabled(has_report)
        for action in (self.pack_action, *self.named_report_actions):
            action.setEnabled(bool(self._services))
        on_service = self.pages.currentWidget() in (self.service_page, self.benchmark_page)
        self.export_service_bundle_action.setEnabled(has_service and on_service)
        self.recording_law_action.setEnabled(has_service and on_service)
        self.export_all_bundle_action.setEnabled(bool(self._services))
        self.spreadsheet_action.setEnabled(bool(self._services))
        self.demo_action.setEnabled(not self._services)

    # --- services -----------------------------------------------------------------------------

    def _start_screen(self) -> StartScreen:
        with self._db.reading() as reader:
            return start_screen(reader, dt.date.today(), dt.datetime.now(), rule_packs())

    def refresh_services(self, select_id: int | str | None = None) -> None:
        """Rebuild the list; select_id picks a service, otherwise the current one stays."""
        screen = self._start_screen()
        self._services = screen.services
        self.organisation.setText(screen.organisation)
        self.overview.show_screen(screen)
        current = self.services.currentItem()
        kept = current.data(SERVICE_ROLE) if current is not None else None
        wanted = select_id if select_id is not None else kept
        if not self._services:
            self.services.blockSignals(True)
            self.services.clear()
            self.services.blockSignals(False)
            self.pages.setCurrentWidget(self.welcome)
            self._update_actions()
            return
        self.pane.fill(screen.rows)
        ids = [None, PLAN_ENTRY] + [service.id for service in self._services]
        row_number = ids.index(wanted) if wanted in ids else 0
        # The overview was refreshed above: choosing it now need not query it all again.
        self._overview_just_refreshed = True
        try:
            if self.services.currentRow() == row_number:
                self._service_chosen(self.services.item(row_number), None)
            else:
                self.services.setCurrentRow(row_number)
        finally:
            self._overview_just_refreshed = False

    def refresh_from_data(self) -> None:
        """What is on screen, read again from the data (others' changes on a shared database);
        anything being typed is saved first."""
        self.flush()
        self.refresh_services()
        self.statusBar().showMessage("Refreshed.", 3000)

    def _label_services(self, attention: dict[int, str]) -> None:
        """Every service in the list with what needs attention in it (none when not given)."""
        services = {service.id: service for service in self._services}
        for index in range(FIRST_SERVICE_ROW, self.services.count()):
            entry = self.services.item(index)
            service = services.get(entry.data(SERVICE_ROLE))
            if service is not None:
                label_service(entry, service, attention.get(service.id, ""))

    def _data_changed(self, changes: Changes) -> None:
        if changes.touch(self._db.data_dir, Changed.SERVICES, Changed.RECORDS):
            self.refresh_services()

    def _records_changed(self) -> None:
        """Keep overdue flags true everywhere without moving the user anywhere.

        Cheap enough for every save and every switch of service: two counts label the whole
        list (a change can reach other services, records past retention say, and days pass),
        and the open service's own overdue reviews are read for it alone. The overview screen
        is not rebuilt here: it is built afresh whenever it is shown."""
        today = dt.date.today()
        service = self.service_page.service
        with self._db.reading() as reader:
            counts = attention_by_service(reader, today)
            row = service_overview(reader, service.id, today) if service is not None else None
        self._label_services({service_id: a.text for service_id, a in counts.items()})
        self.service_page.show_overdue(row)
        self._update_actions()

    def _service_chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        self.flush()
        service_id = current.data(SERVICE_ROLE)
        if service_id is None:
            if not self._overview_just_refreshed:
                screen = self._start_screen()
                self.overview.show_screen(screen)
                self._label_services({row.service.id: row.attention_text for row in screen.rows})
            self.pages.setCurrentWidget(self.overview)
        elif service_id == PLAN_ENTRY:
            self.plan_page.refresh()
            self.pages.setCurrentWidget(self.plan_page)
        else:
            service = next(s for s in self._services if s.id == service_id)
            self.service_page.show_service(service)
            self.pages.setCurrentWidget(self.service_page)
            self._records_changed()
        self._update_actions()

    def _choose(self, wanted: int | str) -> None:
        """Choose an entry of the list as the user would; the list (and the overview with it)
        is rebuilt only when the entry is not in it yet."""
        for row in range(self.services.count()):
            if self.services.item(row).data(SERVICE_ROLE) == wanted:
                if self.services.currentRow() == row:
                    self._service_chosen(self.services.item(row), None)
                else:
                    self.services.setCurrentRow(row)
                return
        self.refresh_services(select_id=wanted)

    def show_service(self, service_id: int) -> None:
        self._choose(service_id)

    def show_plan(self) -> None:
        self._choose(PLAN_ENTRY)

    def show_action(self, action_id: int) -> None:
        """Open the plan at one action (from a benchmark item or a register entry)."""
        self.show_plan()
        self.plan_page.tabs.setCurrentIndex(1)
        self.plan_page.status_filter.setCurrentIndex(0)
        self.plan_page.refresh(select_id=action_id)

    def show_incident(self, service_id: int, incident_id: int) -> None:
        """Open a service's incidents at one incident (from the start screen)."""
        self.show_service(service_id)
        self.service_page.tabs.setCurrentWidget(self.service_page.incidents)
        self.service_page.incidents.refresh(select_id=incident_id)

    def show_restriction(self, service_id: int, entry_id: int) -> None:
        """Open a service's register at one entry (from the start screen)."""
        self.show_service(service_id)
        self.service_page.tabs.setCurrentWidget(self.service_page.restrictions)
        self.service_page.restrictions.refresh(select_id=entry_id)

    def show_pledge(self) -> None:
        self.show_plan()
        self.plan_page.tabs.setCurrentWidget(self.plan_page.pledge)

    def new_action_for_restriction(self, restriction_id: int, title: str) -> None:
        self.show_plan()
        self.plan_page.new_action(restriction_id=restriction_id, title=title)

    def add_service(self) -> None:
        dialog = NewServiceDialog(self)

        def submit() -> None:
            service = create_service(
                self._db, dialog.name.text(), dialog.chosen_sector(), dialog.chosen_jurisdiction()
            )
            self.refresh_services(select_id=service.id)

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def rename_organisation(self) -> None:
        name = dialogs.ask_text(
            self, "Organisation name", "Name shown on every report:", organisation_name(self._db)
        )
        if name is None:
            return
        attempt(self, "Name not changed", lambda: rename_organisation(self._db, name))
        self.refresh_services()

    def choose_recording_law(self) -> None:
        service = self.service_page.service
        if service is None:
            return
        dialog = RecordingLawDialog(service, self)

        def submit() -> None:
            set_jurisdiction(self._db, service.id, dialog.chosen_jurisdiction())
            self.refresh_services(select_id=service.id)

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def set_user_name(self) -> bool:
        name = dialogs.ask_text(
            self, "Your name", "Name recorded with each change you make:", user.user_name(self._db)
        )
        if name is None:
            return False
        saved = attempt(self, "Name not changed", lambda: user.set_user_name(self._db, name))
        return saved.ok and bool(saved.value)

    def show_changes(self) -> None:
        self.flush()
        dialog = ChangesDialog(self._db, self)
        dialog.restored.connect(self.refresh_services)

        def name_requested() -> None:
            if self.set_user_name():
                dialog.refresh()

        dialog.name_requested.connect(name_requested)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def load_demo_data(self) -> None:
        from rrn_desktop.demo.organisation import load_demo

        run_operation(
            self,
            "Loading the demo data…",
            lambda _progress: load_demo(self._db),
            failure_title="Demo data not loaded",
            can_cancel=False,
            changes=Changes.of(self._db.data_dir, Changed.SERVICES, Changed.RECORDS),
        )

    # --- benchmarks ---------------------------------------------------------------------------

    def current_benchmark_id(self) -> int | None:
        if self.pages.currentWidget() is self.benchmark_page and self.benchmark_page.benchmark:
            return self.benchmark_page.benchmark.id
        if self.pages.currentWidget() is self.service_page:
            return self.service_page.selected_benchmark_id()
        return None

    def _new_here(self) -> tuple[str, Callable[[], object]]:
        """What Ctrl+N makes on the screen shown, and how."""
        page = self.pages.currentWidget()
        if page is self.plan_page:
            return "&New action…", self.plan_page.new_button.click
        if page is self.service_page and self.service_page.on_restrictions_tab():
            return "&New register entry…", self.service_page.restrictions.add_button.click
        if page is self.service_page and self.service_page.on_incidents_tab():
            return "&New incident record…", self.service_page.incidents.new_button.click
        if page in (self.service_page, self.benchmark_page):
            return "&New benchmark…", self.new_benchmark
        return "&New service…", self.add_service

    def new_here(self) -> None:
        self._new_here()[1]()

    def new_benchmark(self) -> None:
        service = self.service_page.service
        if service is None:
            return
        dialog = NewBenchmarkDialog(service.name, instruments(self._db), self)

        def submit() -> None:
            benchmark = benchmarks.start_benchmark(
                self._db,
                service.id,
                dialog.chosen_date(),
                dialog.chosen_purpose(),
                dialog.people.participants(),
                pack_id=dialog.chosen_instrument(),
            )
            self.open_benchmark(benchmark.id)

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_benchmark(self, benchmark_id: int) -> None:
        self.benchmark_page.load(benchmark_id)
        self.pages.setCurrentWidget(self.benchmark_page)
        self._update_actions()

    def back_to_service(self) -> None:
        self.flush()
        service = self.service_page.service
        opened = self.benchmark_page.benchmark
        if service is not None:
            self.service_page.show_service(service, select_id=opened.id if opened else None)
            self.pages.setCurrentWidget(self.service_page)
        self._update_actions()

    def sign_off(self) -> None:
        benchmark = self.benchmark_page.benchmark
        if benchmark is None:
            return
        self.flush()
        dialog = SignOffDialog(benchmark, user.user_name(self._db), self)

        def submit() -> None:
            benchmarks.sign_off(
                self._db, benchmark.id, dialog.name.text(), dialog.role.text(), dialog.chosen_date()
            )
            self.benchmark_page.reload()
            self._update_actions()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def reopen(self) -> None:
        benchmark = self.benchmark_page.benchmark
        if benchmark is None:
            return
        dialog = ReopenDialog(self)

        def submit() -> None:
            benchmarks.reopen(
                self._db,
                benchmark.id,
                dialog.name.text(),
                dialog.reason.toPlainText(),
                by_role=dialog.role.text(),
            )
            self.benchmark_page.reload()
            self._update_actions()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def compare(self) -> None:
        service = self.service_page.service
        if service is None:
            return
        history = benchmarks.list_benchmarks(self._db, service.id)
        # Only benchmarks of one self-assessment compare: the one chosen on the service page.
        chosen = self.service_page.selected_benchmark_id()
        pack_id = next((b.pack_id for b in history if b.id == chosen), None)
        history = [b for b in history if pack_id is None or b.pack_id == pack_id]
        if len(history) < 2:
            dialogs.show_information(
                self,
                "Nothing to compare",
                "This service needs two benchmarks of the same self-assessment to compare.",
            )
            return
        dialog = CompareDialog(history, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- reports ------------------------------------------------------------------------------

    def _report_kind(self) -> str | None:
        """The catalogue's key of the report for what is on screen ("plan", "incidents",
        "restrictions", "benchmark"), if any: worked out from the screen alone, so the menus can
        follow it without a query."""
        page = self.pages.currentWidget()
        if page is self.plan_page:
            return "plan"
        on_service_page = page is self.service_page
        has_service = self.service_page.service is not None
        if on_service_page and self.service_page.on_incidents_tab():
            has_rows = bool(self.service_page.incidents.model.rowCount())
            return "incidents" if has_service and has_rows else None
        if on_service_page and self.service_page.on_restrictions_tab():
            has_rows = bool(self.service_page.restrictions.model.rowCount())
            return "restrictions" if has_service and has_rows else None
        return "benchmark" if self.current_benchmark_id() is not None else None

    def _current_report(self) -> Report | None:
        """The report for what is on screen: a file name to suggest, and how to write it."""
        kind = self._report_kind()
        service = self.service_page.service
        if kind == "plan":
            return report_of(self._db, kind, ReportRequest())
        if kind in ("incidents", "restrictions") and service is not None:
            return report_of(self._db, kind, ReportRequest(), service)
        benchmark_id = self.current_benchmark_id()
        if kind != "benchmark" or benchmark_id is None:
            return None
        return report_of(self._db, kind, ReportRequest(benchmark_id=benchmark_id))

    def _on_screen(self) -> OnScreen:
        """The service, benchmark and incident shown, which a report from the menu is for
        unless the user chooses another."""
        page = self.pages.currentWidget()
        if page not in (self.service_page, self.benchmark_page):
            return OnScreen()
        incidents = self.service_page.incidents
        on_incidents = page is self.service_page and self.service_page.on_incidents_tab()
        on_benchmarks = page is self.benchmark_page or not (
            on_incidents or self.service_page.on_restrictions_tab()
        )
        return OnScreen(
            self.service_page.service,
            self.current_benchmark_id() if on_benchmarks else None,
            incidents.view.incident.id if on_incidents and incidents.view.incident else None,
        )

    def _named_report(self, show: Callable[[], object]) -> None:
        self.flush()
        attempt(self, "Report not made", show)

    def _with_report(self, use: Callable[[Report], object]) -> None:
        self.flush()
        report = self._current_report()
        if report is not None:
            use(report)

    def preview_report(self) -> None:
        self._with_report(self.reports.preview)

    def save_pdf(self) -> None:
        self._with_report(lambda report: self.reports.save(report, ".pdf"))

    def save_word(self) -> None:
        self._with_report(lambda report: self.reports.save(report, ".docx"))

    def print_report(self) -> None:
        self._with_report(self.reports.print)

    # --- moving data between laptops ---------------------------------------------------------

    # The bundle code loads on first use, keeping it out of start-up time.

    def export_service_bundle(self) -> None:
        from rrn_desktop.gui.bundle_dialogs import export_bundle_from_window

        service = self.service_page.service
        if service is not None:
            export_bundle_from_window(self, self._db, service.id, service.name)

    def export_all_bundles(self) -> None:
        from rrn_desktop.gui.bundle_dialogs import export_bundle_from_window

        export_bundle_from_window(self, self._db)

    def import_bundle(self) -> None:
        from rrn_desktop.gui.bundle_dialogs import import_bundle_from_file

        import_bundle_from_file(self, self._db)

    def add_instrument(self) -> None:
        from rrn_desktop.gui.instrument_adding import add_instrument_from_file

        add_instrument_from_file(self, self._db)

    def show_signing_dialog(self) -> None:
        from rrn_desktop.gui.signing_dialog import SigningDialog

        dialog = SigningDialog(self._db.data_dir, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- text size ----------------------------------------------------------------------------

    def set_text_size(self, percent: int) -> None:
        """Show every screen's text at percent of normal, and keep the choice with the data."""
        apply_text_size(percent)
        self._update_text_size_actions()
        try:
            display_settings.set_text_size(self._db, percent)
        except UserFacingError as error:
            self.statusBar().showMessage(f"The text size was not saved: {error.message}", 10_000)
            return
        self.statusBar().showMessage(f"Text size: {percent} %", 2000)

    def set_high_contrast(self, on: bool) -> None:
        """White and yellow on black, or the system's own colours; kept with the data."""
        apply_high_contrast(on)
        self.high_contrast_action.setChecked(on)
        try:
            display_settings.set_high_contrast(self._db, on)
        except UserFacingError as error:
            self.statusBar().showMessage(f"The colours were not saved: {error.message}", 10_000)
            return
        self.statusBar().showMessage("High contrast on" if on else "High contrast off", 2000)

    def larger_text(self) -> None:
        self.set_text_size(display_settings.larger(applied_text_size()))

    def smaller_text(self) -> None:
        self.set_text_size(display_settings.smaller(applied_text_size()))

    def _update_text_size_actions(self) -> None:
        percent = applied_text_size()
        self.text_size_actions[percent].setChecked(True)
        self.larger_text_action.setEnabled(percent < TEXT_SIZES[-1])
        self.smaller_text_action.setEnabled(percent > TEXT_SIZES[0])

    # --- the rest -----------------------------------------------------------------------------

    def show_data_dialog(self) -> None:
        from rrn_desktop.gui.data_dialogs import DataDialog

        self.flush()
        dialog = DataDialog(self._db, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def find_in_list(self) -> None:  # not find(): QWidget.find is Qt's
        """Ctrl+F: to the filter of the list on screen (the register, or the plan's actions)."""
        page = self.pages.currentWidget()
        if page is self.service_page and self.service_page.on_restrictions_tab():
            box = self.service_page.restrictions.filter
        elif page is self.plan_page:
            self.plan_page.tabs.setCurrentWidget(self.plan_page.all_actions_tab)
            box = self.plan_page.owner_filter
        else:
            self.statusBar().showMessage(
                "Find works on a service's blanket restrictions register and on the plan's "
                "list of actions.",
                6000,
            )
            return
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()

    def show_guide(self) -> None:
        """F1: the guide, at the part about the screen in front of the user."""
        from rrn_desktop.gui import help_window

        page = self.pages.currentWidget()
        if page is self.benchmark_page:
            topic = help_window.BENCHMARKS
        elif page is self.plan_page:
            topic = help_window.PLAN
        elif page is self.service_page and self.service_page.on_restrictions_tab():
            topic = help_window.RESTRICTIONS
        elif page is self.service_page and self.service_page.on_incidents_tab():
            topic = help_window.INCIDENTS
        elif page is self.service_page:
            topic = help_window.BENCHMARKS
        else:
            topic = help_window.GETTING_STARTED
        help_window.show_help(self, topic)

    def _where(self) -> str:
        if self._db.shared:
            return f"Shared database: {self._db.shared}"
        return f"Data folder: {self._db.data_dir}"

    def connect_shared(self) -> None:
        """Connect to a shared database (or back to this computer's own data): the window
        reopens on it once the connection has been tried and works."""
        self.flush()
        home = self._db.data_dir.parent.parent if self._db.shared else self._db.data_dir
        dialog = SharedDatabaseDialog(home, self._db.shared, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if result and dialog.chosen is not None:
                self.setProperty(SHARED_REQUEST, dialog.chosen)
                self.close()

        dialog.finished.connect(finished)
        dialog.open()

    def about(self) -> None:
        dialogs.show_information(
            self,
            "About RRN Self-Audit",
            f"RRN Self-Audit {__version__}\n\nAn offline tool for benchmarking training "
            "against the Restraint Reduction Network Training Standards and planning "
            "restraint reduction. Content is the app's own summary, not the official text.\n\n"
            f"{self._where()}\nToday: {long_date(dt.date.today())}",
        )

    def flush(self) -> None:
        """Save anything still being typed, wherever it is."""
        self.benchmark_page.flush()
        self.service_page.restrictions.flush()
        self.plan_page.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        remember_window(self)
        super().closeEvent(event)
