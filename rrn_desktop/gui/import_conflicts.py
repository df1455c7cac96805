"""Records changed on both laptops since they last exchanged them: the person importing a bundle
chooses which version of each to keep, one by one or all at once. Nothing is decided for them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core.bundle_import import (
    BUNDLE_LEAD,
    CHOICE_LABELS,
    HERE_LEAD,
    Choice,
    Conflict,
    FieldDifference,
    ImportPlan,
)
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.text_size import applied_text_size, follow_text_size
from rrn_desktop.gui.widgets import heading, wrapped

# How many lines of a long value its box shows before it scrolls.
WHOLE_VALUE_LINES = 5


def _whole_value(text: str, name: str, parent: QWidget) -> QPlainTextEdit:
    """A long value in full, wrapped, to read (and scroll with the keyboard) but not change."""
    box = QPlainTextEdit(text, parent)
    box.setReadOnly(True)
    # A caret to move with the arrow keys, so a keyboard user can select and copy, and sees
    # where the focus is.
    box.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    box.setAccessibleName(name)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    follow_text_size(
        box,
        lambda: box.setFixedHeight(box.fontMetrics().lineSpacing() * WHOLE_VALUE_LINES + 12),
    )
    return box


def _bold(text: str, parent: QWidget) -> QLabel:
    label = wrapped(text, parent)

    def set_font() -> None:
        font = QFont(parent.font())
        font.setBold(True)
        label.setFont(font)

    follow_text_size(label, set_font)
    return label


def _indented(layout: QVBoxLayout, parent: QWidget) -> QVBoxLayout:
    """A column inside layout, set in by two letters' width, for what belongs to the line
    above it."""
    inner = QVBoxLayout()
    inner.setContentsMargins(parent.fontMetrics().horizontalAdvance("MM"), 0, 0, 0)
    layout.addLayout(inner)
    return inner


class _ConflictBox(QFrame):
    """One record: each field that differs with both versions one under the other, and the
    choice between them."""

    def __init__(self, conflict: Conflict, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(conflict.title)
        self.conflict = conflict
        self.heading = heading(conflict.title, self, level=2)
        self.group = QButtonGroup(self)
        self.buttons: dict[Choice, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        for difference in conflict.differences:
            self._add_difference(layout, difference)
        choices = QHBoxLayout()
        # Apart enough that each label is seen to belong to its own round button.
        choices.setSpacing(self.fontMetrics().horizontalAdvance("MMM"))
        for choice, label in CHOICE_LABELS.items():
            # No Alt letter: every record has the same two choices.
            button = QRadioButton(label, self)
            button.setAccessibleName(f"{label} of {conflict.title}")
            self.group.addButton(button)
            self.buttons[choice] = button
            choices.addWidget(button)
        choices.addStretch()
        layout.addLayout(choices)

    def _add_difference(self, layout: QVBoxLayout, difference: FieldDifference) -> None:
        """The field's label, and under it, indented, the two versions one under the other."""
        layout.addSpacing(self.fontMetrics().lineSpacing() // 2)
        layout.addWidget(_bold(f"{difference.label}:", self))
        values = _indented(layout, self)
        if difference.remark:
            values.addWidget(wrapped(difference.remark, self))
        if not difference.long:
            values.addWidget(wrapped(HERE_LEAD + difference.here, self))
            values.addWidget(wrapped(BUNDLE_LEAD + difference.bundle, self))
            return
        if not difference.remark:
            here, bundle = difference.where_they_differ()
            values.addWidget(wrapped("Where they differ:", self))
            excerpts = _indented(values, self)
            excerpts.addWidget(wrapped(HERE_LEAD + here, self))
            excerpts.addWidget(wrapped(BUNDLE_LEAD + bundle, self))
        for lead, value in ((HERE_LEAD, difference.here), (BUNDLE_LEAD, difference.bundle)):
            where = lead.strip().rstrip(":")
            values.addWidget(wrapped(f"{where}, the whole text:", self))
            values.addWidget(_whole_value(value, f"{difference.label} {where.lower()}", self))

    @property
    def choice(self) -> Choice | None:
        return next((c for c, button in self.buttons.items() if button.isChecked()), None)


class ConflictsDialog(QDialog):
    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed on both laptops")
        self.plan = plan
        count = len(plan.conflicts)
        records = "1 record was" if count == 1 else f"{count} records were"
        self.intro = wrapped(
            f"{records} changed both on this laptop and in {plan.bundle.path.name} since the "
            "two laptops last exchanged them. Choose which version to keep for each; the other "
            "version is kept in the record of changes.",
            self,
        )
        self.boxes = [_ConflictBox(conflict, self) for conflict in plan.conflicts]
        listing = QWidget(self)
        boxes_layout = QVBoxLayout(listing)
        for box in self.boxes:
            boxes_layout.addWidget(box)
            box.group.buttonToggled.connect(lambda *_args: self._refresh())
        boxes_layout.addStretch()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(listing)

        # The same choice for every record, on a row of its own: at double text size these
        # long labels beside Continue and Cancel would not fit a laptop's screen.
        self.keep_all = QPushButton(f"&{CHOICE_LABELS[Choice.KEEP_HERE]} for all", self)
        self.take_all = QPushButton(f"&{CHOICE_LABELS[Choice.TAKE_BUNDLE]} for all", self)
        self.keep_all.clicked.connect(lambda: self.choose_all(Choice.KEEP_HERE))
        self.take_all.clicked.connect(lambda: self.choose_all(Choice.TAKE_BUNDLE))
        for_all = QHBoxLayout()
        for button in (self.keep_all, self.take_all):
            for_all.addWidget(button)
        for_all.addStretch()
        self.buttons = QDialogButtonBox(self)
        self.go_on = self.buttons.addButton("&Continue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, stretch=1)
        layout.addLayout(for_all)
        layout.addWidget(self.buttons)
        # Wider and taller as the text grows, as far as the screen allows; the list scrolls.
        grown = applied_text_size()
        fit_to_screen(self, QSize(780 * grown // 100, 600 * grown // 100))
        self._refresh()

    def choose_all(self, choice: Choice) -> None:
        for box in self.boxes:
            box.buttons[choice].setChecked(True)

    def _refresh(self) -> None:
        # Continue only once every record has a choice: none is settled by default.
        self.go_on.setEnabled(all(box.choice is not None for box in self.boxes))

    def accept(self) -> None:
        for box in self.boxes:
            choice = box.choice
            if choice is None:
                return
            self.plan.choose(box.conflict, choice)
        super().accept()


def choose_versions(parent: QWidget, plan: ImportPlan) -> bool:
    """Ask which version of each record changed on both laptops to keep; False if cancelled
    (then nothing is chosen and nothing should be imported)."""
    dialog = ConflictsDialog(plan, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
