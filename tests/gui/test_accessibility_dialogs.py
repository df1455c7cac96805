"""Every dialog the main tour does not reach, opened as the user opens it, at normal and double
text size.

Each one is checked as the main screens are (see test_accessibility_walk): every control it
shows has a name a screen reader can say and is reached with Tab, no text is cut off, and no
Alt letter leads to two of its controls. Each is closed unsaved.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import RestrictionStatus
from rrn_desktop.core import benchmarks, incidents, plan, restrictions
from rrn_desktop.core.services import ServiceInfo, list_services
from rrn_desktop.gui.benchmark_dialogs import ReopenDialog, SignOffDialog
from rrn_desktop.gui.checklist_walk import ChecklistWalk
from rrn_desktop.gui.history_dialog import RecordHistoryDialog
from rrn_desktop.gui.incident_dialogs import (
    LearningPointDialog,
    PersonDialog,
    PersonSupportDialog,
    SaveIncidentDialog,
    WelfareDialog,
)
from rrn_desktop.gui.incident_dialogs import ReviewDialog as IncidentReviewDialog
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.plan_dialogs import ActionStatusDialog, NoteDialog, ReadingDialog
from rrn_desktop.gui.pledge_panel import StaffPledgeDialog, StaffPledgeReviewDialog
from rrn_desktop.gui.report_preview import ReportPreview
from rrn_desktop.gui.restriction_dialogs import ReviewDialog as RestrictionReviewDialog
from rrn_desktop.gui.restriction_dialogs import StatusDialog
from rrn_desktop.gui.screenshots import text_size
from rrn_desktop.gui.service_page import ID_ROLE
from rrn_desktop.storage.database import Database
from tests.gui.test_accessibility_walk import FIT_TEXT_SIZES, Inspector, Step, inspect_dialogs

EXPECTED_DIALOGS = 19


@pytest.mark.parametrize("percent", FIT_TEXT_SIZES)
def test_every_other_dialog_is_named_reachable_and_unclipped(
    qtbot, window_on, answers, demo_dir: Path, percent: int
) -> None:
    window, db = window_on(demo_dir)
    inspector = Inspector(percent)
    with text_size(percent):
        for steps in (benchmark_steps, register_steps, incident_steps, plan_steps, preview_steps):
            inspect_dialogs(qtbot, inspector, steps(window, db))

    assert len(inspector.screens) == EXPECTED_DIALOGS, inspector.screens
    assert not inspector.problems, f"{len(inspector.problems)} problems:\n" + "\n".join(
        inspector.problems
    )
    assert not answers.errors


def service_named(db: Database, start: str) -> ServiceInfo:
    return next(s for s in list_services(db) if s.name.startswith(start))


def open_benchmark_from_list(window: MainWindow, benchmark_id: int) -> None:
    """Choose the benchmark in the service's list and press Open, as the user does."""
    page = window.service_page
    page.tabs.setCurrentWidget(page.benchmarks_tab)
    for row in range(page.table.rowCount()):
        if page.table.item(row, 0).data(ID_ROLE) == benchmark_id:
            page.table.selectRow(row)
            break
    else:
        raise AssertionError(f"benchmark {benchmark_id} is not listed")
    page.open_button.click()
    assert window.benchmark_page.benchmark is not None
    assert window.benchmark_page.benchmark.id == benchmark_id


def benchmark_steps(window: MainWindow, db: Database) -> Iterator[Step]:
    # Sign off a benchmark still open (Oakfield's), then reopen a signed-off one (Willow's).
    oakfield = service_named(db, "Oakfield")
    open_one = next(b for b in benchmarks.list_benchmarks(db, oakfield.id) if not b.signed_off)
    window.show_service(oakfield.id)
    open_benchmark_from_list(window, open_one.id)
    assert window.sign_off_action.isEnabled()
    yield "sign off a benchmark", SignOffDialog, window.sign_off_action.trigger
    window.back_to_service()

    willow = service_named(db, "Willow House")
    signed = next(b for b in benchmarks.list_benchmarks(db, willow.id) if b.signed_off)
    window.show_service(willow.id)
    open_benchmark_from_list(window, signed.id)
    assert window.reopen_action.isEnabled()
    yield "reopen a benchmark", ReopenDialog, window.reopen_action.trigger
    window.back_to_service()


def register_steps(window: MainWindow, db: Database) -> Iterator[Step]:
    willow = service_named(db, "Willow House")
    window.show_service(willow.id)
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    panel = page.restrictions
    yield "walk the checklist", ChecklistWalk, panel.walk_button.click

    entry = next(
        e
        for e in restrictions.list_restrictions(db, willow.id)
        if e.status is RestrictionStatus.ACTIVE
    )
    panel.select(entry.id)
    editor = panel.editor
    assert editor.entry is not None and editor.entry.id == entry.id
    yield "record a review of a restriction", RestrictionReviewDialog, editor.review_button.click
    yield "change a restriction's status", StatusDialog, editor.status_button.click
    yield "a register entry's history", RecordHistoryDialog, editor.history_button.click


def incident_steps(window: MainWindow, db: Database) -> Iterator[Step]:
    willow = service_named(db, "Willow House")
    window.show_service(willow.id)
    page = window.service_page
    page.tabs.setCurrentWidget(page.incidents)
    panel = page.incidents
    chosen = next(
        i for i in incidents.list_incidents(db, willow.id) if i.staff and i.review is not None
    )
    panel.select(chosen.id)
    view = panel.view
    assert view.incident is not None and view.incident.id == chosen.id

    view.tabs.setCurrentIndex(0)  # The incident
    yield "save an incident as PDF", SaveIncidentDialog, view.save_button.click
    yield "add someone involved", PersonDialog, view.add_person_button.click

    view.tabs.setCurrentIndex(1)  # Support, shown only when asked for
    view.show_support_button.click()
    assert view.support_shown()
    yield "support for the person", PersonSupportDialog, view.person_support_button.click
    view.people.setCurrentRow(0)
    yield "a welfare check", WelfareDialog, view.welfare_button.click
    view.hide_support_button.click()

    view.tabs.setCurrentIndex(2)  # Learning review
    yield "the learning review", IncidentReviewDialog, view.review_button.click
    assert view.add_point_button.isEnabled()
    yield "add a learning point", LearningPointDialog, view.add_point_button.click
    view.points.setCurrentRow(0)
    yield "change a learning point", LearningPointDialog, view.edit_point_button.click


def plan_steps(window: MainWindow, db: Database) -> Iterator[Step]:
    # An action with an outcome to measure, so a reading can be recorded.
    measured = next(
        a.id for a in plan.list_actions(db) if plan.get_action(db, a.id).outcome_measure
    )
    window.show_action(measured)
    editor = window.plan_page.editor
    assert editor.action is not None and editor.action.id == measured
    yield "change an action's status", ActionStatusDialog, editor.status_button.click
    yield "log progress on an action", NoteDialog, editor.note_button.click
    assert editor.reading_button.isEnabled()
    yield "record a reading", ReadingDialog, editor.reading_button.click

    pledge = window.plan_page.pledge
    window.plan_page.tabs.setCurrentWidget(pledge)
    yield "add a personal pledge", StaffPledgeDialog, pledge.add_staff_button.click
    pledge.staff.setCurrentCell(0, 0)
    yield "review a personal pledge", StaffPledgeReviewDialog, pledge.review_staff_button.click


def preview_steps(window: MainWindow, db: Database) -> Iterator[Step]:
    # Reports > Preview, on Willow House's register of blanket restrictions.
    window.show_service(service_named(db, "Willow House").id)
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    assert window.preview_action.isEnabled()
    yield "preview a report", ReportPreview, window.preview_action.trigger
