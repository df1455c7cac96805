"""A manager records an incident, the support that followed and the learning review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt

from rrn_desktop.base.vocabulary import Involvement, Sector
from rrn_desktop.core import incidents, plan
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.incident_dialogs import (
    IncidentDialog,
    LearningPointDialog,
    PersonDialog,
    PersonSupportDialog,
    ReviewDialog,
    WelfareDialog,
)
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service, type_text
from tests.gui.test_benchmark_journey import back_to

SERVICE = "Hillside Ŵ School"


def _dialog(qtbot, window, kind):
    dialog = window.findChild(kind)
    assert dialog is not None, f"no {kind.__name__} open"
    back_to(qtbot, dialog)
    return dialog


def _ok(qtbot, window, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problem.text()
    back_to(qtbot, window)


def _open_incidents(window):
    select_service(window, SERVICE)
    page = window.service_page
    page.tabs.setCurrentWidget(page.incidents)
    return page.incidents


def test_record_support_review_and_turn_learning_into_an_action(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        create_service(db, SERVICE, Sector.EDUCATION)
    window = open_window(data_dir)
    panel = _open_incidents(window)
    assert "No incidents recorded" in panel.summary.text()

    # Record the incident: the reference is suggested; nothing is saved without a kind.
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, IncidentDialog)
    assert dialog.reference.text() == f"INC-{dt.date.today().year}-001"
    when = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    dialog.occurred_at.setDateTime(QDateTime(when))
    type_text(dialog.place, "Corridor <by> the hall & stairs ŵ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "at least one kind" in dialog.problem.text()
    dialog.check_kind("physical-standing-hold")
    parents = next(q for q in dialog.questions if q.field.id == "parents_told_on")
    parents.set(when.date().isoformat())
    _ok(qtbot, window, dialog)
    view = panel.view
    assert view.incident.reference == f"INC-{dt.date.today().year}-001"
    assert "Corridor <by> the hall & stairs ŵ" in view.record.toPlainText()
    assert "Due by" in panel.model.index(0, 2).data()

    # Two members of staff were there.
    for name, involvement in (("Sam Patel", Involvement.INVOLVED), ("Jo Witness", None)):
        qtbot.mouseClick(view.add_person_button, Qt.MouseButton.LeftButton)
        person = _dialog(qtbot, window, PersonDialog)
        qtbot.keyClicks(person.name, name)
        qtbot.keyClicks(person.role, "Teaching assistant")
        if involvement is None:
            person.involvement.setCurrentIndex(person.involvement.findData(Involvement.WITNESS))
        _ok(qtbot, window, person)
    assert view.people.count() == 2

    # Support is hidden until asked for; then support for the person and a welfare check.
    view.tabs.setCurrentIndex(1)
    assert not view.support_shown()
    qtbot.mouseClick(view.show_support_button, Qt.MouseButton.LeftButton)
    assert view.support_shown()
    qtbot.mouseClick(view.person_support_button, Qt.MouseButton.LeftButton)
    support = _dialog(qtbot, window, PersonSupportDialog)
    qtbot.keyClicks(support.offered_by_role, "Key worker")
    type_text(support.own_account, "I felt scared & cross 😟")
    _ok(qtbot, window, support)
    view.people.setCurrentRow(0)
    qtbot.mouseClick(view.welfare_button, Qt.MouseButton.LeftButton)
    welfare = _dialog(qtbot, window, WelfareDialog)
    qtbot.keyClicks(welfare.offered_on.line, f"{when:%d/%m/%Y}")
    _ok(qtbot, window, welfare)
    assert "I felt scared & cross 😟" in view.support.toPlainText()
    assert "I felt scared" not in view.review.toPlainText()

    # The review: someone involved cannot lead it.
    view.tabs.setCurrentIndex(2)
    qtbot.mouseClick(view.review_button, Qt.MouseButton.LeftButton)
    review = _dialog(qtbot, window, ReviewDialog)
    qtbot.keyClicks(review.lead_name, "Sam Patel")
    review.not_involved.setChecked(True)
    qtbot.mouseClick(review.ok_button, Qt.MouseButton.LeftButton)
    assert "Sam Patel was involved in this incident, so cannot lead" in review.problem.text()
    review.lead_name.clear()
    qtbot.keyClicks(review.lead_name, "Ann Lee")
    qtbot.keyClicks(review.texts["could_be_different"], "Offer the quiet room sooner.")
    _ok(qtbot, window, review)
    assert "Ann Lee" in view.review.toPlainText()

    # A learning point becomes an action with one step, and is found in the plan.
    qtbot.mouseClick(view.add_point_button, Qt.MouseButton.LeftButton)
    point = _dialog(qtbot, window, LearningPointDialog)
    qtbot.keyClicks(point.text, "Agree a quiet space with the pupil and tell all staff")
    point.theme.setCurrentIndex(point.theme.findData("environment_sensory"))
    _ok(qtbot, window, point)
    view.points.setCurrentRow(0)
    qtbot.mouseClick(view.to_action_button, Qt.MouseButton.LeftButton)
    assert "on the plan" in view.points.item(0).text()
    qtbot.mouseClick(view.open_action_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.plan_page
    action = window.plan_page.editor.action
    assert action.title == "Agree a quiet space with the pupil and tell all staff"
    assert f"INC-{dt.date.today().year}-001" in action.source_detail
    assert not answers.errors


def test_change_and_remove_a_learning_point_keeps_its_action(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        service = create_service(db, SERVICE, Sector.EDUCATION)
        when = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=2)
        record = incidents.record_incident(
            db, service.id, "INC-1", when, ["physical-standing-hold"]
        )
        incidents.save_review(db, record.id, when.date(), "Ann Lee", lead_not_involved=True)
        point_id = incidents.add_learning_point(db, record.id, "Quiet room").review.points[0].id
        incidents.point_to_action(db, point_id, dt.date.today())
    window = open_window(data_dir)
    view = _open_incidents(window).view
    view.tabs.setCurrentIndex(2)
    view.points.setCurrentRow(0)

    qtbot.mouseClick(view.edit_point_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, LearningPointDialog)
    assert dialog.text.toPlainText() == "Quiet room"
    dialog.text.setPlainText("Offer the quiet room sooner")
    dialog.theme.setCurrentIndex(dialog.theme.findData("environment_sensory"))
    _ok(qtbot, window, dialog)
    point = view.incident.review.points[0]
    assert (point.text, point.theme) == ("Offer the quiet room sooner", "environment_sensory")
    assert view.points.item(0).text().startswith("Offer the quiet room sooner")

    # Removing asks first; the action made from the point stays on the plan.
    answers.confirm = False
    qtbot.mouseClick(view.remove_point_button, Qt.MouseButton.LeftButton)
    assert view.points.count() == 1
    answers.confirm = True
    qtbot.mouseClick(view.remove_point_button, Qt.MouseButton.LeftButton)
    assert answers.questions == ["Remove learning point?"] * 2
    assert view.points.count() == 0
    assert not view.remove_point_button.isEnabled()
    assert [a.title for a in plan.list_actions(window._db)] == ["Quiet room"]
    assert not answers.errors


def test_a_review_missing_after_72_hours_is_on_the_start_screen_until_held(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    long_ago = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=4)
    with open_database(data_dir) as db:
        service = create_service(db, SERVICE, Sector.EDUCATION)
        incident = incidents.record_incident(
            db, service.id, "INC-TEST-001", long_ago, ["physical-seated-hold"]
        )
    window = open_window(data_dir)
    window.services.setCurrentRow(0)
    attention = window.overview.attention
    texts = [attention.item(row).text() for row in range(attention.count())]
    flagged = [t for t in texts if "INC-TEST-001" in t]
    assert flagged and "MISSING" in flagged[0]
    assert "learning review missing" in window.services.item(2).text()

    # Enter on the flag opens the incident; holding the review clears it.
    row = texts.index(flagged[0])
    attention.setCurrentRow(row)
    attention.itemActivated.emit(attention.item(row))
    panel = window.service_page.incidents
    assert window.service_page.on_incidents_tab()
    assert panel.view.incident.id == incident.id
    assert "MISSING" in panel.view.review.toPlainText()
    panel.view.tabs.setCurrentIndex(2)
    qtbot.mouseClick(panel.view.review_button, Qt.MouseButton.LeftButton)
    review = _dialog(qtbot, window, ReviewDialog)
    qtbot.keyClicks(review.lead_name, "Ann Lee")
    review.not_involved.setChecked(True)
    _ok(qtbot, window, review)
    window.services.setCurrentRow(0)
    texts = [attention.item(row).text() for row in range(attention.count())]
    assert not any("INC-TEST-001" in t for t in texts)
    assert "missing" not in window.services.item(2).text()


def test_initials_setting_and_deleting_records_past_retention(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    from rrn_desktop.gui.incident_dialogs import IncidentSettingsDialog

    with open_database(data_dir) as db:
        service = create_service(db, SERVICE, Sector.EDUCATION)
        for reference, years in (("INC-OLD", 4), ("INC-NEW", 1)):
            incidents.record_incident(
                db,
                service.id,
                reference,
                dt.datetime.now() - dt.timedelta(days=365 * years),
                ["physical-escort"],
            )
    window = open_window(data_dir)
    panel = _open_incidents(window)

    # Initials are off until the setting allows them.
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, IncidentDialog)
    assert not dialog.initials.isVisibleTo(dialog)
    dialog.reject()
    back_to(qtbot, window)
    qtbot.mouseClick(panel.settings_button, Qt.MouseButton.LeftButton)
    settings = _dialog(qtbot, window, IncidentSettingsDialog)
    settings.initials.setChecked(True)
    _ok(qtbot, window, settings)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window, IncidentDialog)
    assert dialog.initials.isVisibleTo(dialog)
    dialog.reject()
    back_to(qtbot, window)

    # Records past the three years are deleted only after confirming; a count is kept.
    answers.confirm = False
    qtbot.mouseClick(panel.retention_button, Qt.MouseButton.LeftButton)
    assert answers.questions[-1] == "Delete records past retention?"
    assert panel.model.rowCount() == 2
    answers.confirm = True
    qtbot.mouseClick(panel.retention_button, Qt.MouseButton.LeftButton)
    assert [panel.model.record(0).reference] == ["INC-NEW"]
    assert panel.model.rowCount() == 1
    qtbot.mouseClick(panel.settings_button, Qt.MouseButton.LeftButton)
    settings = _dialog(qtbot, window, IncidentSettingsDialog)
    assert "1 incident record from before" in settings.history.text()
