"""Records changed on both laptops since they last exchanged them: the person importing a bundle
chooses which version of each to keep, one by one or all at once. Nothing is decided for them."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core.bundle_import import CHOICE_LABELS, Choice, Conflict, ImportPlan
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.widgets import wrapped


class _ConflictBox(QGroupBox):
    """One record: what differs, and the two versions to choose between."""

    def __init__(self, conflict: Conflict, parent: QWidget) -> None:
        super().__init__(conflict.title, parent)
        self.conflict = conflict
        self.differences = wrapped("\n".join(d.text() for d in conflict.differences), self)
        self.group = QButtonGroup(self)
        self.buttons: dict[Choice, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.differences)
        for choice, label in CHOICE_LABELS.items():
            button = QRadioButton(label, self)
            button.setAccessibleName(f"{label} version of {conflict.title}")
            self.group.addButton(button)
            self.buttons[choice] = button
            layout.addWidget(button)

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

        self.buttons = QDialogButtonBox(self)
        self.keep_all = QPushButton("&Keep this laptop's for all", self)
        self.take_all = QPushButton("&Take the bundle's for all", self)
        self.keep_all.clicked.connect(lambda: self.choose_all(Choice.KEEP_HERE))
        self.take_all.clicked.connect(lambda: self.choose_all(Choice.TAKE_BUNDLE))
        for button in (self.keep_all, self.take_all):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.go_on = self.buttons.addButton("&Continue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, stretch=1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(760, 560))
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
