"""The restraint reduction plan: every action by strategy, as a filtered list, and by due date,
with the pledge alongside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import ACTION_SOURCE_LABELS, ACTION_STATUS_LABELS, STRATEGY_LABELS
from rrn_desktop.core import plan
from rrn_desktop.core.dates import brief_date, month_year
from rrn_desktop.core.plan import ActionInfo, ActionSummary, count_actions
from rrn_desktop.core.service_size import month_rate
from rrn_desktop.core.services import list_services
from rrn_desktop.gui.action_editor import ActionEditor
from rrn_desktop.gui.action_model import (
    DUE_COLUMN,
    ID_ROLE,
    STATUS_COLUMN,
    ActionFilter,
    ActionModel,
    status_text,
    widest_texts,
)
from rrn_desktop.gui.date_field import chosen_day
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.full_text import show_full_text_on_hover
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.plan_dialogs import (
    ActionStatusDialog,
    NewActionDialog,
    NoteDialog,
    ReadingDialog,
)
from rrn_desktop.gui.pledge_panel import PledgePanel
from rrn_desktop.gui.record_model import record_table
from rrn_desktop.gui.reflow import ReflowSplitter, VerticalScrollArea, size_by_shown_page
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import colours_changed, warning_style
from rrn_desktop.gui.widgets import buddy_label, choice_combo, heading, wrapped
from rrn_desktop.storage.database import Database

STATUS_FILTERS = {
    "all": "All",
    "open": "Open (planned or in progress)",
    "overdue": "Overdue",
    **{status.value: label for status, label in ACTION_STATUS_LABELS.items()},
}
# A month group on the timeline knows its place: months in order, then the undated.
MONTH_ROLE = Qt.ItemDataRole.UserRole + 3
UNDATED = 12 * 10_000
NO_DUE_DATE = "No due date"


def _month(action: ActionSummary) -> tuple[int, str]:
    """The timeline's group for an action: its place among the groups, and its heading."""
    due = action.due_on
    return (UNDATED, NO_DUE_DATE) if due is None else (due.year * 12 + due.month, month_year(due))


def _tree(name: str, parent: QWidget) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setColumnCount(3)
    tree.setHeaderLabels(["Action", "Due", "Status"])
    tree.setAccessibleName(name)
    show_full_text_on_hover(tree)
    # Every row is one line: Qt need not measure thousands of them to lay the tree out.
    tree.setUniformRowHeights(True)
    header = tree.header()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    return tree


def _fit_to_texts(view: QAbstractItemView, header: QHeaderView, columns: dict[int, int]) -> None:
    """Give each column (the table's number) room for the widest text it can hold, at the
    current text size, without reading thousands of rows to find it."""
    metrics = view.fontMetrics()
    margin = 2 * metrics.averageCharWidth()
    for column, model_column in columns.items():
        widest = max(metrics.horizontalAdvance(text) for text in widest_texts(model_column))
        header.resizeSection(column, max(widest + margin, header.sectionSizeHint(column)))


class PlanPage(QWidget):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._loaded = False
        self._quiet = False  # choosing a row in code, not by the user
        self._actions: dict[int, ActionSummary] = {}
        self._leaves: dict[QTreeWidget, dict[int, QTreeWidgetItem]] = {}
        self.title = heading("Restraint reduction plan", self)
        self.counts = wrapped("", self)
        self.counts.setAccessibleName("Action counts")
        colours_changed().connect(self._show_counts)
        self.new_button = QPushButton("&New action…", self)
        self.new_button.clicked.connect(lambda: self.new_action())

        self.by_strategy = _tree("Actions by strategy", self)
        self.timeline = _tree("Actions by due date", self)
        # A tree is filled when it is first shown after a change, not before.
        self._stale = {self.by_strategy, self.timeline}
        self.model = ActionModel(self)
        self.filter = ActionFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = record_table(self.filter, "All actions", self)
        header = self.table.horizontalHeader()
        # Long words get a set width (the rest is elided, and shown in full in the editor);
        # the due date and status get room for the longest they can be. No column is sized by
        # reading its rows: there can be thousands.
        widths = ((0, 30), (1, 11), (2, 11), (3, 11), (6, 11))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        def set_widths() -> None:
            unit = self.fontMetrics().averageCharWidth()
            for column, characters in widths:
                self.table.setColumnWidth(column, unit * characters)
            _fit_to_texts(
                self.table, header, {DUE_COLUMN: DUE_COLUMN, STATUS_COLUMN: STATUS_COLUMN}
            )
            for tree in (self.by_strategy, self.timeline):
                _fit_to_texts(tree, tree.header(), {1: DUE_COLUMN, 2: STATUS_COLUMN})

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
        filters.addWidget(buddy_label("Sho&w:", self.status_filter, self), 0, 0)
        filters.addWidget(self.status_filter, 0, 1)
        filters.addWidget(self.owner_filter, 0, 2)
        filters.addWidget(self.service_filter, 1, 1)
        filters.addWidget(self.source_filter, 1, 2)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(2, 1)
        self.all_actions_tab = all_tab = QWidget(self)
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
        size_by_shown_page(self.tabs)
        self.tabs.currentChanged.connect(lambda _index: self._fill_shown_tree())

        self.editor = ActionEditor(db, self)
        self.editor.saved.connect(self._action_saved)
        self.editor.move_requested.connect(self.move_forward)
        self.editor.status_requested.connect(self.change_status)
        self.editor.note_requested.connect(self.log_progress)
        self.editor.reading_requested.connect(self.record_reading)
        scroll = VerticalScrollArea(self.editor, self)

        self.by_strategy.currentItemChanged.connect(lambda item, _old: self._tree_chosen(item))
        self.timeline.currentItemChanged.connect(lambda item, _old: self._tree_chosen(item))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _old: self._row_chosen(current.data(ID_ROLE))
        )
        forward = QShortcut(QKeySequence("Ctrl+Return"), self)
        forward.activated.connect(self.move_forward)

        # The list of actions has many columns: it gets the larger share.
        splitter = ReflowSplitter("plan-splitter", self.tabs, scroll, parent=self, shares=(3, 2))
        top = QHBoxLayout()
        top.addWidget(self.title, stretch=1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(splitter, stretch=1)

    # --- showing ------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Read the plan again. Only when an action differs from what is shown (or the day has
        changed) are the lists filled again: coming back to an unchanged plan is quick."""
        self.editor.flush()
        current = self.editor.action.id if self.editor.action else None
        wanted = select_id if select_id is not None else current
        today = dt.date.today()
        actions = plan.list_action_summaries(self._db)
        self._fill_services()
        if not self._loaded or today != self.model.today or actions != self.model.records():
            self._loaded = True
            self._actions = {action.id: action for action in actions}
            with self._choosing():
                self.model.set_records(actions, today)
            self._stale = {self.by_strategy, self.timeline}
            self._fill_shown_tree()
        self._show_counts()
        self.pledge.refresh()
        self.select(wanted)

    def _show_counts(self) -> None:
        counts = count_actions(self.model.records(), self.model.today)
        overdue = f"{counts.overdue} OVERDUE" if counts.overdue else "none overdue"
        self.counts.setText(
            f"{counts.open} open ({overdue}), {counts.done} done. Press Ctrl+Enter to move the "
            "chosen action one step on (planned, in progress, done)."
        )
        self.counts.setStyleSheet(warning_style() if counts.overdue else "")

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

    @contextmanager
    def _choosing(self) -> Iterator[None]:
        """Rows and leaves chosen (or moved) in code: the editor is not to follow."""
        quiet, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = quiet

    def _fill_shown_tree(self) -> None:
        tree = self.tabs.currentWidget()
        if isinstance(tree, QTreeWidget) and tree in self._stale:
            self._fill_tree(tree)

    def _fill_tree(self, tree: QTreeWidget) -> None:
        """Every action under its strategy, or its month: the items are made before they join
        the tree, so the tree is told once rather than thousands of times."""
        actions, today = self.model.records(), self.model.today
        leaves: dict[int, QTreeWidgetItem] = {}
        groups: dict[object, list[QTreeWidgetItem]] = {}
        headings: dict[object, str] = {}
        if tree is self.by_strategy:
            for strategy, label in STRATEGY_LABELS.items():
                groups[strategy], headings[strategy] = [], label
            for action in actions:  # already soonest due first
                groups[action.strategy].append(self._leaf(leaves, action, today))
            for group_key, children in groups.items():
                headings[group_key] = f"{headings[group_key]} ({len(children)})"
        else:
            for action in actions:
                month, label = _month(action)
                if month not in groups:
                    groups[month], headings[month] = [], label
                groups[month].append(self._leaf(leaves, action, today))
        tops = []
        for key, children in groups.items():
            group = QTreeWidgetItem([headings[key], "", ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if tree is self.timeline:
                group.setData(0, MONTH_ROLE, key)
            group.addChildren(children)
            tops.append(group)
        with self._choosing():
            tree.clear()
            tree.addTopLevelItems(tops)
            tree.expandAll()
            self._leaves[tree] = leaves
            self._stale.discard(tree)
            shown = self.editor.action
            if shown is not None and shown.id in leaves:
                tree.setCurrentItem(leaves[shown.id])

    @staticmethod
    def _leaf_texts(action: ActionSummary, today: dt.date) -> list[str]:
        due = f"{brief_date(action.due_on)}" if action.due_on else ""
        return [action.title, due, status_text(action, today)]

    @staticmethod
    def _leaf(
        leaves: dict[int, QTreeWidgetItem], action: ActionSummary, today: dt.date
    ) -> QTreeWidgetItem:
        leaf = QTreeWidgetItem(PlanPage._leaf_texts(action, today))
        leaf.setData(0, ID_ROLE, action.id)
        leaf.setToolTip(0, action.source_detail)
        leaves[action.id] = leaf
        return leaf

    @staticmethod
    def _write_leaf(leaf: QTreeWidgetItem, action: ActionSummary, today: dt.date) -> None:
        for column, text in enumerate(PlanPage._leaf_texts(action, today)):
            leaf.setText(column, text)
        leaf.setToolTip(0, action.source_detail)

    def _put(self, action: ActionSummary) -> None:
        """One action added or changed: its row and leaves alone are changed, or moved where
        its strategy and due date now put them, and the counts worked out again."""
        if isinstance(action, ActionInfo):
            action = action.summary()
        old = self._actions.get(action.id)
        self._actions[action.id] = action
        with self._choosing():
            self.model.put(action)
            for tree in (self.by_strategy, self.timeline):
                if tree not in self._stale:
                    self._place_leaf(tree, old, action)
        self._show_counts()
        self.select(action.id)

    def _place_leaf(
        self, tree: QTreeWidget, old: ActionSummary | None, action: ActionSummary
    ) -> None:
        leaves = self._leaves[tree]
        leaf = leaves.get(action.id)
        if leaf is None:
            leaf = self._leaf(leaves, action, self.model.today)
        else:
            self._write_leaf(leaf, action, self.model.today)
            if (
                old is not None
                and old.plan_order == action.plan_order
                and old.strategy is action.strategy
            ):
                return
        left = leaf.parent()
        if left is not None:
            left.removeChild(leaf)
        if tree is self.by_strategy:
            strategy_group = tree.topLevelItem(list(STRATEGY_LABELS).index(action.strategy))
            assert strategy_group is not None  # the tree has a group for every strategy
            group = strategy_group
        else:
            group = self._month_group(action)
        # The leaves under a group are soonest due first: find this one's place among them.
        low, high = 0, group.childCount()
        while low < high:
            middle = (low + high) // 2
            neighbour = group.child(middle)
            assert neighbour is not None  # middle is below childCount()
            if self._actions[neighbour.data(0, ID_ROLE)].plan_order < action.plan_order:
                low = middle + 1
            else:
                high = middle
        group.insertChild(low, leaf)
        group.setExpanded(True)
        if tree is self.by_strategy:
            labels = list(STRATEGY_LABELS.values())
            for changed in (group, left):
                if changed is not None:
                    label = labels[tree.indexOfTopLevelItem(changed)]
                    changed.setText(0, f"{label} ({changed.childCount()})")
        elif left is not None and left.childCount() == 0:
            tree.takeTopLevelItem(tree.indexOfTopLevelItem(left))

    def _month_group(self, action: ActionSummary) -> QTreeWidgetItem:
        key, label = _month(action)
        at = 0
        while at < self.timeline.topLevelItemCount():
            found = self.timeline.topLevelItem(at)
            assert found is not None  # at is below topLevelItemCount()
            if found.data(0, MONTH_ROLE) == key:
                return found
            if found.data(0, MONTH_ROLE) > key:
                break
            at += 1
        group = QTreeWidgetItem([label, "", ""])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        group.setData(0, MONTH_ROLE, key)
        self.timeline.insertTopLevelItem(at, group)
        return group

    def _apply_filters(self) -> None:
        self.filter.set_filters(
            status=self.status_filter.currentData(),
            owner=self.owner_filter.text().strip(),
            service_id=self.service_filter.currentData(),
            source=self.source_filter.currentData(),
        )

    def select(self, action_id: int | None) -> None:
        if action_id is None or action_id not in self._actions:
            self.editor.show_action(None)
            return
        with self._choosing():
            for tree in (self.by_strategy, self.timeline):
                leaf = self._leaves.get(tree, {}).get(action_id)
                if leaf is not None and tree not in self._stale:
                    tree.setCurrentItem(leaf)
            source_row = self.model.row_of(action_id)
            assert source_row is not None  # every action in self._actions is in the model
            index = self.filter.mapFromSource(self.model.index(source_row, 0))
            if index.isValid():
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
            else:  # filtered out of the list: no other row is to look chosen
                self.table.selectionModel().clear()
        self._show(action_id)

    def _tree_chosen(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and item.data(0, ID_ROLE) is not None:
            self._row_chosen(item.data(0, ID_ROLE))

    def _row_chosen(self, action_id: int | None) -> None:
        if not self._quiet:
            self._show(action_id)

    def _show(self, action_id: int | None) -> None:
        shown = self.editor.action
        if action_id is None or (shown is not None and shown.id == action_id):
            return
        self.editor.show_action(plan.get_action(self._db, action_id))

    def _action_saved(self, action_id: int) -> None:
        action = self.editor.action
        if action is not None and action.id == action_id:
            self._put(action)
        else:
            self.refresh(select_id=action_id)
        self.changed.emit()

    def _changed(self, action: ActionInfo) -> None:
        """An action added or changed here: shown whole in the editor, and in the lists."""
        self.editor.show_action(action)
        self._put(action)
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
                due_on=dialog.due_on.day(),
            )
            self._changed(action)

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _run(self, operation: object, *args: object) -> None:
        action = self.editor.action
        if action is None:
            return
        self.editor.flush()
        done = attempt(
            self,
            "Not changed",
            lambda: operation(self._db, action.id, *args),  # type: ignore[operator]
        )
        if not done.ok:
            return
        self._changed(done.value)

    def move_forward(self) -> None:
        self._run(plan.move_forward, dt.date.today())

    def _dialog(
        self, dialog_class: Callable[[ActionInfo, QWidget], FormDialog], submit_with: object
    ) -> None:
        action = self.editor.action
        if action is None:
            return
        self.editor.flush()
        dialog = dialog_class(action, self)

        def submit() -> None:
            self._changed(submit_with(dialog, action.id))  # type: ignore[operator]

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
        def reading_dialog(action: ActionInfo, parent: QWidget) -> ReadingDialog:
            service = action.service
            if service is None:
                return ReadingDialog(action, parent)
            return ReadingDialog(
                action,
                parent,
                lambda day: month_rate(self._db, service, day, dt.datetime.now()),
            )

        self._dialog(
            reading_dialog,
            lambda d, action_id: plan.add_reading(
                self._db, action_id, d.chosen_value(), chosen_day(d.on), d.note.text()
            ),
        )

    def flush(self) -> None:
        self.editor.flush()
        self.pledge.flush()
