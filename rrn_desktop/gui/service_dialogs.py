"""Adding a service, and saying whose recording law a service works under."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from rrn_desktop.base.vocabulary import JURISDICTION_LABELS, SECTOR_LABELS, Jurisdiction, Sector
from rrn_desktop.content.loader import rule_pack_for
from rrn_desktop.core.service_info import ServiceInfo
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.widgets import choice_combo, select_data, wrapped


def _nation_combo(parent: QWidget) -> QComboBox:
    return choice_combo(JURISDICTION_LABELS, "Nation whose law applies", parent)


def rules_in_words(jurisdiction: Jurisdiction, sector: Sector) -> str:
    rules = rule_pack_for(jurisdiction, sector)
    if rules is None:
        return (
            f"No recording rules come with the app for {SECTOR_LABELS[sector].lower()} in "
            f"{JURISDICTION_LABELS[jurisdiction]} yet: incident records are kept, but not "
            "checked against the law."
        )
    return f"Incident records are checked against: {rules.title}."


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
        self.nation = _nation_combo(self)
        self.form.addRow("Service &name:", self.name)
        self.form.addRow("&Sector:", self.sector)
        self.form.addRow("Na&tion (whose law applies):", self.nation)
        self.finish_layout()

    def chosen_sector(self) -> Sector:
        return Sector(self.sector.currentData())

    def chosen_jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(self.nation.currentData())


class RecordingLawDialog(FormDialog):
    """Which nation's recording law a service works under, and what that means for its records."""

    def __init__(self, service: ServiceInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Recording law for {service.name}", "&Save", parent)
        self._sector = service.sector
        self.nation = _nation_combo(self)
        select_data(self.nation, service.jurisdiction)
        self.effect = wrapped(rules_in_words(service.jurisdiction, service.sector), self)
        self.nation.currentIndexChanged.connect(
            lambda _index: self.effect.setText(
                rules_in_words(self.chosen_jurisdiction(), self._sector)
            )
        )
        self.form.addRow("Na&tion (whose law applies):", self.nation)
        self.form.addRow(self.effect)
        self.finish_layout()

    def chosen_jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(self.nation.currentData())
