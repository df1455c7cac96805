"""Incidents by group on screen: the person's code and details typed into the incident form are
kept, and the table of groups shows what core.breakdowns gives, with no figure under 5."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt

from rrn_desktop.core.breakdowns import FEWER_THAN, NOT_SHOWN
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.gui.group_figures_dialog import GroupFiguresDialog
from rrn_desktop.gui.incident_dialogs import IncidentDialog
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service, type_text

WILLOW = "Willow House care home (demo)"


def test_the_persons_details_are_typed_in_and_counted_by_group(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, WILLOW)
    page = window.service_page
    page.tabs.setCurrentWidget(page.incidents)
    panel = page.incidents

    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(IncidentDialog)
    when = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    dialog.occurred_at.setDateTime(QDateTime(when))
    dialog.check_kind("physical-standing-hold")
    type_text(dialog.person_code, "WH-R05 ŵ")
    ethnic = next(q for q in dialog.about_person if q.field.id == "ethnic_group")
    ethnic.set("Another ethnic group")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problem.text()
    shown = panel.view.record.toPlainText()
    assert "The person's code\nWH-R05 ŵ\n" in shown
    assert "Another ethnic group" in shown

    qtbot.mouseClick(panel.groups_button, Qt.MouseButton.LeftButton)
    groups = window.findChild(GroupFiguresDialog)
    rows = groups.shown_rows()
    assert rows, "the demo home records its residents' details"
    assert "No figure under 5 is shown" in groups.note.text()
    # The one new group has a single incident: it is there, but its figure is hidden.
    assert ["", "Another ethnic group", FEWER_THAN] in rows
    for _question, _group, figure in rows:
        assert figure in (FEWER_THAN, NOT_SHOWN) or int(figure) >= 5
    groups.close()

    window.close()
    window._db.close()
    with open_database(demo_dir) as db:
        saved = next(i for i in list_incidents(db) if i.person_code == "WH-R05 ŵ")
        assert saved.person_details == {"ethnic_group": "Another ethnic group"}
