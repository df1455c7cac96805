"""Adding a service, and saying whose recording law a service works under."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from rrn_desktop.base.vocabulary import JURISDICTION_LABELS, SECTOR_LABELS, Jurisdiction, Sector
from rrn_desktop.content.loader import rule_pack_for
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.service_info import ServiceInfo
from rrn_desktop.core.service_size import LARGEST, measure_for
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


class ServiceSizeDialog(FormDialog):
    """A service's size in each of the last 12 months, so its incidents can be read as rates."""

    def __init__(
        self,
        service: ServiceInfo,
        sizes: dict[dt.date, int],
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Size of {service.name}", "&Save sizes", parent)
        measure = measure_for(service.sector)
        self.form.addRow(
            wrapped(
                f"Give the number of {measure.what} in each month, and the incident figures "
                f"show incidents {measure.rate_words}, so a fuller month compares fairly. "
                "Leave a month at 'Not recorded' if you do not know it.",
                self,
            )
        )
        this_month = today.replace(day=1)
        self.months: dict[dt.date, QSpinBox] = {}
        for back in range(11, -1, -1):
            month = add_months(this_month, -back)
            box = QSpinBox(self)
            box.setRange(0, LARGEST)
            box.setGroupSeparatorShown(True)
            box.setSpecialValueText("Not recorded")
            box.setAccessibleName(f"{measure.what.capitalize()} in {month:%B %Y}")
            box.setValue(sizes.get(month, 0))
            self.months[month] = box
            self.form.addRow(f"{month:%B %Y}:", box)
        self.finish_layout()

    def values(self) -> dict[dt.date, int | None]:
        """Each month's size; None for one not recorded."""
        return {month: box.value() or None for month, box in self.months.items()}
