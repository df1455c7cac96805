"""Walking round the service with the checklist: "is this in place here, for everyone?"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import (
    CHECKLIST_ANSWER_LABELS,
    RESTRAINT_TYPE_LABELS,
    ChecklistAnswer,
    Sector,
)
from rrn_desktop.content.checklist_models import ChecklistItem
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core import restrictions
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.reflow import ReflowSplitter
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.widgets import child_items, heading, wrapped
from rrn_desktop.storage.database import Database

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ANSWER_KEYS = {
    Qt.Key.Key_Y: ChecklistAnswer.YES,
    Qt.Key.Key_N: ChecklistAnswer.NO,
    Qt.Key.Key_S: ChecklistAnswer.NOT_SURE,
}
NOT_ANSWERED = "Not answered"


class ChecklistTree(QTreeWidget):
    answer_key = Signal(object)  # ChecklistAnswer

    def keyPressEvent(self, event: QKeyEvent) -> None:
        answer = ANSWER_KEYS.get(Qt.Key(event.key()))
        if answer is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.answer_key.emit(answer)
            return
        super().keyPressEvent(event)


class ChecklistWalk(QDialog):
    """Answers are saved as they are given; a yes or not sure puts it on the register."""

    def __init__(
        self,
        db: Database,
        service: ServiceInfo,
        remove_entry: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._service, self._remove_entry = db, service, remove_entry
        self._children = service.sector is Sector.CHILDRENS_SERVICES
        self.setWindowTitle(f"Blanket restrictions checklist: {service.name}")
        pack = shipped_checklist()
        self._items = {
            item.code: item
            for _category, item in pack.items()
            if self._children or not item.childrens_services_only
        }
        self.tree = ChecklistTree(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Restriction", "In place here?"])
        self.tree.setAccessibleName("Checklist")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        answers = restrictions.checklist_answers(db, service.id)
        for category in pack.categories:
            group = QTreeWidgetItem(self.tree, [category.title, ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setToolTip(0, category.summary)
            for item in category.items:
                if item.code in self._items:
                    row = QTreeWidgetItem(group, [item.title, self._label(answers.get(item.code))])
                    row.setData(0, CODE_ROLE, item.code)
        self.tree.expandAll()
        self.progress = wrapped("", self)
        self.progress.setAccessibleName("Checklist progress")
        self._count_answers()
        self.tree.currentItemChanged.connect(lambda current, _old: self._show(current))
        self.tree.answer_key.connect(self._answer_and_advance)

        self.title = heading("", self, level=2)
        self.prompt = wrapped("", self)
        self.example = wrapped("", self)
        self.kind = wrapped("", self)
        self.children_prompt = wrapped("", self)
        self.answer_group = QButtonGroup(self)
        self.answer_buttons: dict[ChecklistAnswer, QRadioButton] = {}
        answer_row = QHBoxLayout()
        for key, answer in zip("YNS", ChecklistAnswer, strict=True):
            button = QRadioButton(f"{CHECKLIST_ANSWER_LABELS[answer]} [{key}]", self)
            self.answer_group.addButton(button)
            self.answer_buttons[answer] = button
            answer_row.addWidget(button)
            button.clicked.connect(lambda _checked=False, a=answer: self._answer(a))
        answer_row.addStretch()
        right = QWidget(self)
        details = QVBoxLayout(right)
        for widget in (self.title, self.prompt, self.example, self.kind, self.children_prompt):
            details.addWidget(widget)
        details.addLayout(answer_row)
        details.addStretch()

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, stretch=1)
        left_layout.addWidget(self.progress)
        splitter = ReflowSplitter("checklist-splitter", left, right, parent=self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(pack.guidance, self))
        layout.addWidget(
            wrapped(
                "For each one ask: is this in place here, for everyone or a whole group, "
                "without an individual assessment? Press Y for yes, N for no, S for not sure; "
                "a yes or not sure puts it on the register. Answers are saved as you go.",
                self,
            )
        )
        layout.addWidget(splitter, stretch=1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(980, 640))
        first = self.tree.topLevelItem(0)
        questions = child_items(first) if first is not None else []
        if questions:
            self.tree.setCurrentItem(questions[0])
        self.tree.setFocus()

    def _count_answers(self) -> None:
        rows = [
            row
            for group in child_items(self.tree.invisibleRootItem())
            for row in child_items(group)
        ]
        answered = sum(1 for row in rows if row.text(1) != NOT_ANSWERED)
        found = sum(1 for row in rows if row.text(1) == "Yes")
        unsure = sum(1 for row in rows if row.text(1) == "Not sure")
        checking = f"; {unsure} not sure, on the register to check" if unsure else ""
        self.progress.setText(
            f"{answered} of {len(rows)} answered; {found} found and put on the register{checking}."
        )

    @staticmethod
    def _label(answer: ChecklistAnswer | None) -> str:
        return CHECKLIST_ANSWER_LABELS[answer] if answer else NOT_ANSWERED

    def _current_item(self) -> ChecklistItem | None:
        current = self.tree.currentItem()
        code = current.data(0, CODE_ROLE) if current else None
        return self._items.get(code) if code else None

    def _show(self, row: QTreeWidgetItem | None) -> None:
        item = self._current_item()
        for widget in (self.title, self.prompt, self.example, self.kind, self.children_prompt):
            widget.setVisible(item is not None)
        if item is None or row is None:
            return
        self.title.setText(item.title)
        self.prompt.setText(item.prompt)
        self.example.setText(f"For example: {item.example}")
        self.kind.setText(f"Type of restraint: {RESTRAINT_TYPE_LABELS[item.restraint_type]}")
        self.children_prompt.setText(
            f"In a children's service, also check: {item.children_prompt}"
            if self._children and item.children_prompt
            else ""
        )
        self.children_prompt.setVisible(bool(self.children_prompt.text()))
        shown = row.text(1)
        self.answer_group.setExclusive(False)
        for answer, button in self.answer_buttons.items():
            button.setChecked(CHECKLIST_ANSWER_LABELS[answer] == shown)
        self.answer_group.setExclusive(True)

    def _answer(self, answer: ChecklistAnswer) -> bool:
        item = self._current_item()
        if item is None:
            return False
        linked = restrictions.linked_entry_id(self._db, self._service.id, item.code)
        saved = attempt(
            self,
            "Answer not saved",
            lambda: restrictions.answer_checklist(
                self._db, self._service.id, item.code, answer, dt.date.today()
            ),
        )
        if not saved.ok:
            return False
        if (
            answer is ChecklistAnswer.NO
            and linked is not None
            and dialogs.ask_confirmation(
                self,
                "Remove it from the register?",
                f"'{item.title}' is on the register from an earlier answer. Remove that entry "
                "now? You can undo this.",
                "&Remove entry",
            )
        ):
            self._remove_entry(linked)
        current = self.tree.currentItem()
        assert current is not None  # the row answered, as _current_item found
        current.setText(1, self._label(answer))
        self._show(current)
        self._count_answers()
        return True

    def _answer_and_advance(self, answer: ChecklistAnswer) -> None:
        if self._answer(answer):
            current = self.tree.currentItem()
            assert current is not None  # only a chosen row can be answered
            following = self.tree.itemBelow(current)
            while following is not None and following.data(0, CODE_ROLE) is None:
                following = self.tree.itemBelow(following)
            if following is not None:
                self.tree.setCurrentItem(following)
