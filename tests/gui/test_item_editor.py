"""The item editor: nothing typed is lost, and removing an action asks first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from rrn_desktop.base.vocabulary import ActionStatus, Purpose, Sector
from rrn_desktop.core import benchmarks, plan
from rrn_desktop.core.services import create_service
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import type_text


def _benchmark(data_dir: Path) -> int:
    with open_database(data_dir) as db:
        service = create_service(db, "Ward", Sector.HEALTH)
        return benchmarks.start_benchmark(
            db, service.id, dt.date(2026, 1, 1), Purpose.SELF_AUDIT, []
        ).id


def test_text_typed_just_before_closing_is_saved(qtbot, open_window, data_dir: Path) -> None:
    benchmark_id = _benchmark(data_dir)
    window = open_window(data_dir)
    window.open_benchmark(benchmark_id)
    editor = window.benchmark_page.editor
    editor.notes.setFocus()
    type_text(editor.notes, "Typed at the last second: ŵ & <ok>")
    window.close()  # well inside the autosave pause
    window._db.close()
    with open_database(data_dir) as db:
        saved = benchmarks.get_benchmark(db, benchmark_id).response("1.1.1")
    assert saved.notes == "Typed at the last second: ŵ & <ok>"


def test_unflagging_asks_before_dropping_the_action_on_the_plan(
    qtbot, open_window, answers, data_dir: Path
) -> None:
    benchmark_id = _benchmark(data_dir)
    window = open_window(data_dir)
    window.open_benchmark(benchmark_id)
    editor = window.benchmark_page.editor
    editor.needs_action.setFocus()
    qtbot.keyClick(editor.needs_action, Qt.Key.Key_Space)
    qtbot.keyClicks(editor.action_text, "Book refresher training")

    answers.confirm = False
    qtbot.keyClick(editor.needs_action, Qt.Key.Key_Space)
    assert answers.questions == ["Drop the action?"]
    assert editor.needs_action.isChecked()
    assert editor.action_text.text() == "Book refresher training"
    kept = benchmarks.get_benchmark(window._db, benchmark_id).response("1.1.1")
    assert (kept.needs_action, kept.action_text) == (True, "Book refresher training")

    answers.confirm = True
    qtbot.keyClick(editor.needs_action, Qt.Key.Key_Space)
    assert not editor.needs_action.isChecked()
    assert editor.action_text.text() == ""
    response = benchmarks.get_benchmark(window._db, benchmark_id).response("1.1.1")
    assert not response.needs_action
    [action] = plan.list_actions(window._db)
    assert (action.title, action.status) == ("Book refresher training", ActionStatus.DROPPED)
