"""Adding a service."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from rrn_desktop.base.vocabulary import SECTOR_LABELS, Sector
from rrn_desktop.gui.form_dialog import FormDialog


class NewServiceDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a service", "&Add service", parent)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("For example: Willow House care home")
        self.name.setAccessibleName("Service name")
        self.sector = QComboBox(self)
        self.sector.setAccessibleName("Sector")
        for sector, label in SECTOR_LABELS.items():
            self.sector.addItem(label, sector)
        self.form.addRow("Service &name:", self.name)
        self.form.addRow("&Sector:", self.sector)
        self.finish_layout()

    def chosen_sector(self) -> Sector:
        return Sector(self.sector.currentData())
