"""What the main window and its first screen share: the list of services on the left, the
splitter beside the screens, and the names of the menus and toolbar buttons.

The first screen (first_screen.py) is drawn from plain queries before the rest of the program
has loaded, and the main window then takes its place; built from the same parts, the two look
the same, so the change is not seen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.core.overview import ServiceOverview
from rrn_desktop.core.service_info import ServiceInfo
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import warning_colour
from rrn_desktop.gui.widgets import buddy_label

SERVICE_ROLE = Qt.ItemDataRole.UserRole + 1
PLAN_ENTRY = "plan"  # the list's second entry; services follow it
FIRST_SERVICE_ROW = 2
MENU_TITLES = ("&File", "&Edit", "&Benchmark", "&Reports", "&View", "&Data", "&Help")
# The toolbar's buttons, as the main window's actions name them there (a test holds the two
# to each other).
TOOLBAR_TEXTS = (
    "Back to service",
    "New benchmark",
    "Sign off",
    "Reopen",
    "Preview report",
    "Save report as PDF",
    "Print report",
    "Inspection pack",
)


def label_service(entry: QListWidgetItem, service: ServiceInfo, attention: str) -> None:
    """A service in the list: its name, and overdue reviews in words and colour."""
    entry.setText(service.name + (f" ({attention})" if attention else ""))
    if attention:
        entry.setForeground(QBrush(warning_colour()))
    else:
        entry.setData(Qt.ItemDataRole.ForegroundRole, None)


class ServicesPane(QWidget):
    """The organisation's name, the list of services (after the overview and the plan), and
    the button that adds one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = QListWidget(self)
        self.services.setAccessibleName("Services")
        self.services.setWordWrap(True)
        self.add_service_button = QPushButton("&Add service…", self)
        self.organisation = QLabel(self)
        self.organisation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.organisation)
        layout.addWidget(buddy_label("&Services:", self.services, self))
        layout.addWidget(self.services, stretch=1)
        layout.addWidget(self.add_service_button)

    def fill(self, rows: list[ServiceOverview]) -> None:
        """The overview, the plan, and each service with what needs attention in it; no entry
        is chosen, and choosing none is not announced."""
        self.services.blockSignals(True)
        try:
            self.services.clear()
            home = QListWidgetItem("Overview", self.services)
            font = home.font()
            font.setBold(True)
            home.setFont(font)
            home.setToolTip("Every service at a glance, and what needs attention")
            plan_entry = QListWidgetItem("Restraint reduction plan", self.services)
            plan_entry.setFont(font)
            plan_entry.setData(SERVICE_ROLE, PLAN_ENTRY)
            plan_entry.setToolTip("The pledge, and every action wherever it came from")
            for row in rows:
                entry = QListWidgetItem(self.services)
                entry.setToolTip(f"{row.service.name} ({row.service.sector_label})")
                entry.setData(SERVICE_ROLE, row.service.id)
                label_service(entry, row.service, row.attention_text)
        finally:
            self.services.blockSignals(False)


def beside_the_list(window: QMainWindow, pane: ServicesPane, screens: QWidget) -> QSplitter:
    """The list on the left, the screens on the right, as the window's centre."""
    splitter = QSplitter(Qt.Orientation.Horizontal, window)
    splitter.setObjectName("main-splitter")
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(pane)
    splitter.addWidget(screens)
    splitter.setStretchFactor(1, 1)

    def share_width() -> None:
        # The services list gets room for its names, but never more than a fifth of the
        # window: with large text on a laptop the screens need the width more.
        total = max(splitter.width(), 1200)
        left_width = min(window.fontMetrics().averageCharWidth() * 36, total // 5)
        splitter.setSizes([left_width, total - left_width])

    follow_text_size(splitter, share_width)
    window.setCentralWidget(splitter)
    return splitter
