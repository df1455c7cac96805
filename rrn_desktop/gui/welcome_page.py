"""What a new user sees first: what the app is for, and the two ways to begin."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.widgets import heading, wrapped


class WelcomePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add_service_button = QPushButton("&Add your first service…", self)
        self.demo_button = QPushButton("Explore with &demo data", self)
        column = QWidget(self)
        # A readable line length, centred, rather than text and buttons across a wide window.
        follow_text_size(
            column, lambda: column.setMaximumWidth(column.fontMetrics().averageCharWidth() * 90)
        )
        outer = QHBoxLayout(self)
        outer.addStretch()
        outer.addWidget(column, stretch=3)
        outer.addStretch()
        layout = QVBoxLayout(column)
        layout.addStretch()
        layout.addWidget(heading("Welcome to RRN Self-Audit", self))
        layout.addWidget(
            wrapped(
                "Check and improve how your organisation reduces restraint and restrictive "
                "practice: benchmark your training against the Restraint Reduction Network "
                "Training Standards, keep the evidence together, and print reports for "
                "inspectors, commissioners and your board. Everything stays on this computer.",
                self,
            )
        )
        layout.addWidget(
            wrapped(
                "Start by adding a service: a care home, school, ward or training team. "
                "Or explore a fictional organisation first; its data is clearly marked as demo.",
                self,
            )
        )
        layout.addWidget(self.add_service_button)
        layout.addWidget(self.demo_button)
        layout.addStretch()
