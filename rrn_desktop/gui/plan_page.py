"""The restraint reduction plan: every action by strategy, as a filtered list, and by due date,
with the pledge alongside."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core import plan
from rrn_desktop.core.plan import ActionInfo, count_actions
from rrn_desktop.core.services import list_services
from rrn_desktop.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.action_editor import ActionEditor
from rrn_desktop.gui.action_model import ID_ROLE, ActionFilter, ActionModel, status_text
from rrn_desktop.gui.plan_dialogs import (
    ActionStatusDialog,
    NewActionDialog,
    NoteDialog,
    ReadingDialog,
)
from rrn_desktop.gui.pledge_panel import PledgePanel
from rrn_desktop.gui.record_model import record_table
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.widgets import choice_combo, chosen_day, from_qdate, heading, wrapped
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import (
    ACTION_SOURCE_LABELS,
    ACTION_STATUS_LABELS,
    STRATEGY_LABELS,
)

STATUS_FILTERS = {
    "all": "All",
    "open": "Open (planned or in progress)",
    "overdue": "Overdue",
    **{status.value: label for status, label in ACTION_STATUS_LABELS.items()},
}


def _tree(name: str, parent: QWidget) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setColumnCount(3)
    tree.setHeaderLabels(["Action", "Due", "Status"])
    tree.setAccessibleName(name)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(False)
    return tree


class PlanPage(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.title = heading("Restraint reduction plan", self)
        self.counts = wrapped("", self)
        self.counts.setAccessibleName("Action counts")
        self.new_button = QPushButton("&New action…", self)
        self.new_button.clicked.connect(lambda: self.new_action())

        self.by_strategy = _tree("Actions by strategy", self)
        self.timeline = _tree("Actions by due date", self)
        self.model = ActionModel(self)
        self.filter = ActionFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = record_table(self.filter, "All actions", self)
        header = self.table.horizontalHeader()
        # Long words get a set width (the rest is elided, and shown in full in the editor).
        widths = ((0, 30), (1, 11), (2, 11), (3, 11), (6, 11))
        for column, _characters in widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)

        def set_widths() -> None:
            unit = self.fontMetrics().averageCharWidth()
            for column, characters in widths:
                self.table.setColumnWidth(column, unit * characters)

        follow_text_size(self.table, set_widths)
        self.status_filter = choice_combo(STATUS_FILTERS, "Show actions", self)
        self.owner_filter = QLineEdit(self)
        self.owner_filter.setPlaceholderText("Owner")
        self.owner_filter.setAccessibleName("Filter by owner")
        self.owner_filter.setClearButtonEnabled(True)
        self.service_filter = QComboBox(self)
        self.service_filter.setAccessibleName("Filter by service")
        self.source_filter = choice_combo(
            {None: "From anywhere", **ACTION_SOURCE_LABELS}, "Filter by where it came from", self
        )
        for combo in (self.status_filter, self.service_filter, self.source_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.owner_filter.textChanged.connect(self._apply_filters)
        filters = QGridLayout()
        filters.addWidget(QLabel("S&how:", self, buddy=self.status_filter), 0, 0)
        filters.addWidget(self.status_filter, 0, 1)
        filters.addWidget(self.owner_filter, 0, 2)
        filters.addWidget(self.service_filter, 1, 1)
        filters.addWidget(self.source_filter, 1, 2)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(2, 1)
        all_tab = QWidget(self)
        all_layout = QVBoxLayout(all_tab)
        all_layout.addLayout(filters)
        all_layout.addWidget(self.table)

        self.pledge = PledgePanel(db, self)
        self.pledge.changed.connect(self.changed)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.by_strategy, "By &strategy")
        self.tabs.addTab(all_tab, "&All actions")
        self.tabs.addTab(self.timeline, "T&imeline")
        self.tabs.addTab(self.pledge, "&Pledge")

        self.editor = ActionEditor(db, self)
        self.editor.saved.connect(self._action_saved)
        self.editor.move_requested.connect(self.move_forward)
        self.editor.status_requested.connect(self.change_status)
        self.editor.note_requested.connect(self.log_progress)
        self.editor.reading_requested.connect(self.record_reading)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)

        self.by_strategy.currentItemChanged.connect(lambda item, _old: self._tree_chosen(item))
        self.timeline.currentItemChanged.connect(lambda item, _old: self._tree_chosen(item))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _old: self._show(current.data(ID_ROLE))
        )
        forward = QShortcut(QKeySequence("Ctrl+Return"), self)
        forward.activated.connect(self.move_forward)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        def share_width() -> None:
            unit = self.fontMetrics().averageCharWidth()
            splitter.setSizes([unit * 70, unit * 56])

        follow_text_size(splitter, share_width)
        top = QHBoxLayout()
        top.addWidget(self.title, stretch=1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(splitter, stretch=1)

    # --- showing ------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        self.editor.flush()
        current = self.editor.action.id if self.editor.action else None
        wanted = select_id if select_id is not None else current
        today = dt.date.today()
        actions = plan.list_actions(self._db)
        counts = count_actions(actions, today)
        overdue = f"{counts.overdue} OVERDUE" if counts.overdue else "none overdue"
        self.counts.setText(
            f"{counts.open} open ({overdue}), {counts.done} done. Press Ctrl+Enter to move the "
            "chosen action one step on (planned, in progress, done)."
        )
        self.counts.setStyleSheet("color: #b00020;" if counts.overdue else "")
        self._fill_services()
        self.model.set_records(actions, today)
        self._fill_trees(actions, today)
        self.pledge.refresh()
        self.select(wanted)

    def _fill_services(self) -> None:
        chosen = self.service_filter.currentData() if self.service_filter.count() else "all"
        self.service_filter.blockSignals(True)
        self.service_filter.clear()
        self.service_filter.addItem("Every service", "all")
        self.service_filter.addItem("Whole organisation only", None)
        for service in list_services(self._db):
            self.service_filter.addItem(service.name, service.id)
        index = self.service_filter.findData(chosen)
        self.service_filter.setCurrentIndex(max(index, 0))
        self.service_filter.blockSignals(False)

    def _fill_trees(self, actions: list[ActionInfo], today: dt.date) -> None:
        for tree in (self.by_strategy, self.timeline):
            tree.blockSignals(True)
            tree.clear()
        for strategy, label in STRATEGY_LABELS.items():
            mine = [a for a in actions if a.strategy is strategy]
            group = QTreeWidgetItem(self.by_strategy, [f"{label} ({len(mine)})", "", ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for action in mine:
                self._leaf(group, action, today)
        months: dict[str, QTreeWidgetItem] = {}
        for action in actions:  # already soonest due first
            key = f"{action.due_on:%B %Y}" if action.due_on else "No due date"
            if key not in months:
                months[key] = QTreeWidgetItem(self.timeline, [key, "", ""])
                months[key].setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._leaf(months[key], action, today)
        for tree in (self.by_strategy, self.timeline):
            tree.expandAll()
            tree.blockSignals(False)

    @staticmethod
    def _leaf(group: QTreeWidgetItem, action: ActionInfo, today: dt.date) -> None:
        due = f"{action.due_on:%d %b %Y}" if action.due_on else ""
        leaf = QTreeWidgetItem(group, [action.title, due, status_text(action, today)])
        leaf.setData(0, ID_ROLE, action.id)
        leaf.setToolTip(0, action.source_detail)

    def _apply_filters(self) -> None:
        self.filter.set_filters(
            status=self.status_filter.currentData(),
            owner=self.owner_filter.text().strip(),
            service_id=self.service_filter.currentData(),
            source=self.source_filter.currentData(),
        )

    def select(self, action_id: int | None) -> None:
        if action_id is None or self.model.row_of(action_id) is None:
            self.editor.show_action(None)
            return
        for tree in (self.by_strategy, self.timeline):
            tree.blockSignals(True)
            for group in range(tree.topLevelItemCount()):
                parent = tree.topLevelItem(group)
                for index in range(parent.childCount()):
                    if parent.child(index).data(0, ID_ROLE) == action_id:
                        tree.setCurrentItem(parent.child(index))
            tree.blockSignals(False)
        source_row = self.model.row_of(action_id)
        index = self.filter.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(index)
            self.table.selectionModel().blockSignals(False)
            self.table.scrollTo(index)
        self._show(action_id)

    def _tree_chosen(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and item.data(0, ID_ROLE) is not None:
            self._show(item.data(0, ID_ROLE))

    def _show(self, action_id: int | None) -> None:
        shown = self.editor.action
        if action_id is None or (shown is not None and shown.id == action_id):
            return
        self.editor.show_action(plan.get_action(self._db, action_id))

    def _action_saved(self, action_id: int) -> None:
        self.refresh(select_id=action_id)
        self.changed.emit()

    # --- actions ------------------------------------------------------------------------------

    def new_action(self, *, restriction_id: int | None = None, title: str = "") -> None:
        self.editor.flush()
        dialog = NewActionDialog(list_services(self._db), self, title)

        def submit() -> None:
            action = plan.create_action(
                self._db,
                dialog.title.text(),
                dialog.strategy.currentData(),
                dt.date.today(),
                service_id=dialog.service.currentData(),
                restriction_id=restriction_id,
                owner_name=dialog.owner_name.text(),
                owner_role=dialog.owner_role.text(),
                due_on=from_qdate(dialog.due_on.date()),
            )
            self.refresh(select_id=action.id)
            self.changed.emit()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _run(self, operation: object, *args: object) -> None:
        action = self.editor.action
        if action is None:
            return
        self.editor.flush()
        try:
            operation(self._db, action.id, *args)  # type: ignore[operator]
        except UserFacingError as error:
            dialogs.show_error(self, "Not changed", error.message)
            return
        self.editor.show_action(None)
        self.refresh(select_id=action.id)
        self.changed.emit()

    def move_forward(self) -> None:
        self._run(plan.move_forward, dt.date.today())

    def _dialog(self, dialog_class: type, submit_with: object) -> None:
        action = self.editor.action
        if action is None:
            return
        self.editor.flush()
        dialog = dialog_class(action, self)

        def submit() -> None:
            submit_with(dialog, action.id)  # type: ignore[operator]
            self.editor.show_action(None)
            self.refresh(select_id=action.id)
            self.changed.emit()

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def change_status(self) -> None:
        self._dialog(
            ActionStatusDialog,
            lambda d, action_id: plan.set_status(
                self._db, action_id, d.chosen_status(), chosen_day(d.on), d.note.toPlainText()
            ),
        )

    def log_progress(self) -> None:
        self._dialog(
            NoteDialog,
            lambda d, action_id: plan.add_note(
                self._db, action_id, chosen_day(d.on), d.text.toPlainText()
            ),
        )

    def record_reading(self) -> None:
        self._dialog(
            ReadingDialog,
            lambda d, action_id: plan.add_reading(
                self._db, action_id, d.chosen_value(), chosen_day(d.on), d.note.text()
            ),
        )

    def flush(self) -> None:
        self.editor.flush()
        self.pledge.flush()
