"""Importing in the window a bundle whose records were also changed here: the person chooses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from rrn_desktop.core.bundle_import import Choice
from rrn_desktop.gui.bundle_dialogs import import_bundle_from_file
from rrn_desktop.gui.import_conflicts import ConflictsDialog
from rrn_desktop.storage.database import open_database
from tests.core.test_merge_by_counters import (  # noqa: F401 - fixtures used below
    both_changed,
    log_count,
    shared,
    title,
)

HERE, THERE = "Kitchen locked from 11pm", "Kitchen locked at night"


def answer_with(
    monkeypatch: pytest.MonkeyPatch, act: Callable[[ConflictsDialog], None]
) -> list[ConflictsDialog]:
    """The choice dialog runs as in the window; ``act`` does what the person would."""
    shown: list[ConflictsDialog] = []

    def run(dialog: ConflictsDialog) -> int:
        shown.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(ConflictsDialog, "exec", run)
    return shown


def import_in_window(qtbot, answers, folder: Path, bundle: Path):
    parent = QWidget()
    qtbot.addWidget(parent)
    answers.open_path = bundle
    answers.confirm = True
    with open_database(folder) as db:
        return import_bundle_from_file(parent, db)


def test_the_preview_shows_what_differs_and_waits_for_a_choice(
    qtbot,
    answers,
    monkeypatch: pytest.MonkeyPatch,
    both_changed: tuple[Path, Path, str, Path],  # noqa: F811
) -> None:
    a, _b, uid, bundle = both_changed

    def take_the_bundles(dialog: ConflictsDialog) -> None:
        [box] = dialog.boxes
        assert box.title() == f"Register entry '{HERE}' at Rowan House"
        assert box.differences.text() == f"Title: {HERE} here, {THERE} in the bundle"
        assert "1 record was changed both on this laptop and in conflict.rrnbundle" in (
            dialog.intro.text()
        )
        assert not dialog.go_on.isEnabled()  # nothing is chosen for the person
        box.buttons[Choice.TAKE_BUNDLE].click()
        assert dialog.go_on.isEnabled()
        dialog.go_on.click()

    shown = answer_with(monkeypatch, take_the_bundles)
    imported = import_in_window(qtbot, answers, a, bundle)
    assert len(shown) == 1 and answers.questions == ["Import a bundle"]
    assert imported is not None and imported.applied
    assert title(a, uid) == THERE


def test_cancelling_the_choice_imports_nothing(
    qtbot,
    answers,
    monkeypatch: pytest.MonkeyPatch,
    both_changed: tuple[Path, Path, str, Path],  # noqa: F811
) -> None:
    a, _b, uid, bundle = both_changed
    logged = log_count(a)
    answer_with(monkeypatch, lambda dialog: dialog.reject())
    assert import_in_window(qtbot, answers, a, bundle) is None
    assert answers.questions == []  # not even asked to import
    assert title(a, uid) == HERE and log_count(a) == logged


def test_keep_this_laptops_for_all_keeps_it_and_the_bundles_goes_into_the_history(
    qtbot,
    answers,
    monkeypatch: pytest.MonkeyPatch,
    both_changed: tuple[Path, Path, str, Path],  # noqa: F811
) -> None:
    from rrn_desktop.core.history import history_for

    a, _b, uid, bundle = both_changed

    def keep_all(dialog: ConflictsDialog) -> None:
        dialog.keep_all.click()
        assert dialog.boxes[0].choice is Choice.KEEP_HERE
        dialog.go_on.click()

    answer_with(monkeypatch, keep_all)
    imported = import_in_window(qtbot, answers, a, bundle)
    assert imported is not None and imported.applied
    assert title(a, uid) == HERE
    with open_database(a) as db:
        [note] = [e for e in history_for(db, uid) if "changed on both laptops" in e.summary]
    assert THERE in note.summary
