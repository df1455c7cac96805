"""What a new user sees first: the first-start step (the organisation's name, theirs, and the
first service, saved in one go), with the demo data one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import SECTOR_LABELS, Sector
from rrn_desktop.core.first_start import known_names, save_first_start
from rrn_desktop.gui.reflow import VerticalScrollArea
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import colours_changed, warning_style
from rrn_desktop.gui.widgets import buddy_label, choice_combo, heading, wrapped
from rrn_desktop.storage.database import Database

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WelcomePage(QWidget):
    started = Signal(int)  # the id of the first service, once everything is saved

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        holder = QWidget()
        column = QWidget(holder)
        # A readable line length, centred, rather than text and fields across a wide window.
        follow_text_size(
            column, lambda: column.setMaximumWidth(column.fontMetrics().averageCharWidth() * 90)
        )
        # Its own scroll area: large text on a laptop scrolls the step rather than squeezing
        # its wrapped lines into less height than they need.
        self.area = VerticalScrollArea(holder, self)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.area)
        outer = QHBoxLayout(holder)
        outer.addStretch()
        outer.addWidget(column, stretch=3)
        outer.addStretch()
        layout = QVBoxLayout(column)
        layout.addStretch()
        layout.addWidget(heading("Welcome to RRN Self-Audit", column))
        layout.addWidget(
            wrapped(
                "Check and improve how your organisation reduces restraint and restrictive "
                "practice. Everything stays on this computer. To begin, tell the app who you "
                "are and add your first service: a care home, school, ward or training team.",
                column,
            )
        )

        self.fields = QWidget(column)
        fields = QVBoxLayout(self.fields)
        fields.setContentsMargins(0, 0, 0, 0)
        self.organisation_name = QLineEdit(self.fields)
        self.your_name = QLineEdit(self.fields)
        self.service_name = QLineEdit(self.fields)
        self.service_name.setPlaceholderText("For example: Willow House care home")
        self.sector = choice_combo(SECTOR_LABELS, "Sector", self.fields)
        # Alt letters taken by neither the menus (F E B R V D H) nor the services pane (A S).
        for label, field, hint in (
            (
                "&Organisation's name:",
                self.organisation_name,
                "Shown on the cover of every report, such as the inspection pack.",
            ),
            (
                "&Your name:",
                self.your_name,
                "Kept with each change you make, so the record of changes shows who made it.",
            ),
            ("First service's &name:", self.service_name, ""),
            ("Se&ctor:", self.sector, ""),
        ):
            fields.addWidget(buddy_label(label, field, self.fields))
            fields.addWidget(field)
            if hint:
                field.setAccessibleDescription(hint)
                fields.addWidget(wrapped(hint, self.fields))
        layout.addWidget(self.fields)

        self.problem = wrapped("", column)
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        self._recolour()
        colours_changed().connect(self._recolour)
        layout.addWidget(self.problem)
        self.start_button = QPushButton("&Get started", column)
        self.start_button.clicked.connect(self.start)
        layout.addWidget(self.start_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(
            wrapped(
                "You can change all of this later: the names from the File menu "
                "(Organisation name and Your name), and add more services with Add service.",
                column,
            )
        )
        layout.addWidget(
            wrapped(
                "Or look round first with a fictional organisation; its data is clearly "
                "marked as demo.",
                column,
            )
        )
        self.demo_button = QPushButton("Explore with de&mo data", column)
        layout.addWidget(self.demo_button, alignment=Qt.AlignmentFlag.AlignLeft)
        # Enter presses the button the keyboard is on, as in a dialog.
        for button in (self.start_button, self.demo_button):
            button.setAutoDefault(True)
        layout.addStretch()

    def _recolour(self) -> None:
        self.problem.setStyleSheet(warning_style())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if event.spontaneous():  # the window restored, not the page newly shown
            return
        known = known_names(self._db)
        self.organisation_name.setText(known.organisation)
        self.your_name.setText(known.user)
        # The keyboard starts where the typing starts.
        self.organisation_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in any field starts, as OK does in a form dialog.
        focus = QApplication.focusWidget()
        if event.key() in _ENTER_KEYS and focus is not None and self.fields.isAncestorOf(focus):
            self.start()
            return
        super().keyPressEvent(event)

    def start(self) -> None:
        """Save the three names in one go, or say in plain words why they cannot be."""
        try:
            service = save_first_start(
                self._db,
                self.organisation_name.text(),
                self.your_name.text(),
                self.service_name.text(),
                Sector(self.sector.currentData()),
            )
        except UserFacingError as error:
            self.problem.setText(error.message)
            self.problem.show()
            # In sight even when large text has scrolled it below the window's edge.
            self.area.ensureWidgetVisible(self.problem)
            return
        self.problem.hide()
        self.service_name.clear()
        self.started.emit(service.id)
