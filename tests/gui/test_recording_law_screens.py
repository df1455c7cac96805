"""The recording law on screen: the start screen names services whose records fall short, the
incident shows what the law still asks, and a service's nation can be changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from rrn_desktop.base.vocabulary import Jurisdiction, Strategy
from rrn_desktop.base.wording import plural
from rrn_desktop.core import plan
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.periods import Period
from rrn_desktop.core.service_size import set_sizes, sizes_of
from rrn_desktop.core.services import list_services
from rrn_desktop.gui.overview_page import LINE_ROLE
from rrn_desktop.gui.plan_dialogs import ReadingDialog
from rrn_desktop.gui.service_dialogs import (
    NewServiceDialog,
    RecordingLawDialog,
    ServiceSizeDialog,
)
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service, type_text

KESTREL = "Kestrel Lodge children's home (demo)"
OAKFIELD = "Oakfield Academy (demo)"


def test_the_start_screen_leads_to_what_the_law_still_asks(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    attention = window.overview.attention
    lines = [attention.item(row) for row in range(attention.count())]
    duty = next(item for item in lines if "the law asks for" in item.text())
    assert duty.text().startswith(KESTREL)
    assert "Children's homes in England" in duty.text()
    assert duty.data(LINE_ROLE).incident_id is not None

    attention.setCurrentItem(duty)
    attention.itemActivated.emit(duty)
    view = window.service_page.incidents.view
    assert view.incident is not None and view.incident.id == duty.data(LINE_ROLE).incident_id
    shown = view.record.toPlainText()
    assert "What the law asks: Children's homes in England: recording restraint" in shown
    assert "Missing: " in shown
    assert "The signature of the person making the record: On the signed record" in shown


def test_a_services_nation_is_chosen_and_kept(qtbot, open_window, answers, demo_dir: Path) -> None:
    window = open_window(demo_dir)
    select_service(window, OAKFIELD)
    assert window.recording_law_action.isEnabled()
    window.recording_law_action.trigger()
    dialog = window.findChild(RecordingLawDialog)
    assert "No recording rules" not in dialog.effect.text()
    assert "Schools in England" in dialog.effect.text()
    dialog.nation.setCurrentIndex(dialog.nation.findData(Jurisdiction.SCOTLAND))
    assert dialog.effect.text() == (
        "Incident records are checked against: Schools in Scotland: recording restraint and "
        "seclusion."
    )
    dialog.nation.setCurrentIndex(dialog.nation.findData(Jurisdiction.WALES))
    assert "No recording rules come with the app for education in Wales" in dialog.effect.text()
    dialog.nation.setCurrentIndex(dialog.nation.findData(Jurisdiction.SCOTLAND))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.service_page.service is not None
    assert window.service_page.service.jurisdiction is Jurisdiction.SCOTLAND

    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        oakfield = next(s for s in list_services(db) if s.name == OAKFIELD)
    assert oakfield.jurisdiction is Jurisdiction.SCOTLAND


def test_a_new_service_is_added_in_the_nation_chosen(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    window = open_window(data_dir)
    qtbot.mouseClick(window.add_service_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewServiceDialog)
    type_text(dialog.name, "Ysgol y Môr ŵ")
    dialog.nation.setCurrentIndex(dialog.nation.findData(Jurisdiction.WALES))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.service_page.service is not None
    assert window.service_page.service.jurisdiction is Jurisdiction.WALES


def test_a_services_size_gives_its_rate(qtbot, open_window, answers, demo_dir: Path) -> None:
    window = open_window(demo_dir)
    select_service(window, KESTREL)
    panel = window.service_page.incidents
    qtbot.mouseClick(panel.size_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ServiceSizeDialog)
    boxes = list(dialog.months.values())
    assert len(boxes) == 12 and boxes[0].text() == "Not recorded"
    assert boxes[-1].accessibleName().startswith("Pupils or places in ")
    for box in boxes:
        box.setValue(8)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    # Worked out here: the incidents of the figures' period in the 12 months given a size.
    today = dt.date.today()
    period = Period.last_12_months(today)
    sized = set(dialog.months)
    service = panel.service
    assert service is not None
    counted = sum(
        1
        for incident in list_incidents(window._db, service.id)
        if period.holds_time(incident.occurred_at)
        and incident.occurred_at.date().replace(day=1) in sized
    )
    expected = counted * 100 / (8 * 12)
    assert f" {expected:.1f} incidents per 100 pupils or places." in panel.summary.text()
    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        kestrel = next(s for s in list_services(db) if s.name == KESTREL)
        assert sizes_of(db, kestrel.id) == dict.fromkeys(sized, 8)


def test_a_plan_reading_is_filled_in_from_the_incident_records(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    with open_database(demo_dir) as db:
        kestrel = next(s for s in list_services(db) if s.name == KESTREL)
        action = plan.create_action(
            db,
            "Reduce restraint by a third ŵ",
            Strategy.DATA,
            dt.date.today(),
            service_id=kestrel.id,
            outcome_measure="Restraint rate",
        )
        this_month = dt.date.today().replace(day=1)
        set_sizes(db, kestrel.id, {this_month: 8})
        counted = sum(
            1
            for incident in list_incidents(db, kestrel.id)
            if incident.occurred_at.date().replace(day=1) == this_month
        )
    window = open_window(demo_dir)
    window.show_action(action.id)
    window.plan_page.record_reading()
    dialog = window.findChild(ReadingDialog)
    fill = next(b for b in dialog.findChildren(QPushButton) if "incident records" in b.text())
    qtbot.mouseClick(fill, Qt.MouseButton.LeftButton)
    assert dialog.value.text() == f"{counted * 100 / 8:.1f}"
    assert f"{plural(counted, 'incident')}, 8 pupils or places" in dialog.note.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    saved = plan.get_action(window._db, action.id)
    assert [r.value for r in saved.readings] == [pytest.approx(round(counted * 100 / 8, 1))]

    # A month with no size says so in the dialog, and fills nothing in.
    window.plan_page.record_reading()
    again = window.findChildren(ReadingDialog)[-1]
    again.on.set_day(add_months(this_month, -3))
    fill = next(b for b in again.findChildren(QPushButton) if "incident records" in b.text())
    qtbot.mouseClick(fill, Qt.MouseButton.LeftButton)
    assert "has no size recorded" in again.problem.text() and again.value.text() == ""
    again.reject()
