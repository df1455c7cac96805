"""Importing in the window a bundle whose records were also changed here: the person chooses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QPlainTextEdit, QWidget

from rrn_desktop.core.bundle import plan_import, read_bundle
from rrn_desktop.core.bundle_import import Choice
from rrn_desktop.gui.bundle_dialogs import import_bundle_from_file
from rrn_desktop.gui.import_conflicts import ConflictsDialog
from rrn_desktop.gui.screenshots import text_size
from rrn_desktop.storage.database import open_database
from tests.core.test_merge_by_counters import (  # noqa: F401 - fixtures used below
    NOTE_HERE,
    NOTE_THERE,
    both_changed,
    edit,
    edit_note,
    export,
    log_count,
    note_changed,
    shared,
    title,
)
from tests.gui.test_accessibility_walk import FIT_TEXT_SIZES, Inspector

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


def texts_in(widget: QWidget) -> list[str]:
    """The texts a person reads in widget, top to bottom."""
    texts = []
    for child in widget.findChildren(QWidget):
        if isinstance(child, (QLabel, QAbstractButton)):
            texts.append(child.text())
        elif isinstance(child, QPlainTextEdit):
            texts.append(child.toPlainText())
    return texts


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
        assert texts_in(box) == [
            f"Register entry '{HERE}' at Rowan House",
            "Title:",
            f"On this laptop: {HERE}",
            f"In the bundle: {THERE}",
            "Keep this laptop's version",
            "Take the bundle's version",
        ]
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


def test_two_notes_that_differ_near_the_end_are_both_shown_whole(
    qtbot,
    answers,
    monkeypatch: pytest.MonkeyPatch,
    note_changed: tuple[Path, str, Path],  # noqa: F811
) -> None:
    a, _uid, bundle = note_changed

    def read_then_cancel(dialog: ConflictsDialog) -> None:
        [box] = dialog.boxes
        texts = texts_in(box)
        assert texts[1:4] == [
            "Description:",
            f"On this laptop: {NOTE_HERE}",
            f"In the bundle: {NOTE_THERE}",
        ]
        assert not any("…" in text for text in texts)
        dialog.reject()

    shown_dialogs = answer_with(monkeypatch, read_then_cancel)
    assert import_in_window(qtbot, answers, a, bundle) is None
    assert len(shown_dialogs) == 1


def test_the_dialog_fits_the_screen_and_reads_whole_at_every_text_size(
    qtbot,
    shared: tuple[Path, Path, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    """A long note (read in a box of its own, whole) and a short title, at 100 to 200 %: no text
    cut off, nothing off the screen, every control named and reached, one Alt letter each."""
    a, b, uid = shared
    long_note = "Staff unlock the kitchen on request at any time of the day or night. " * 6
    edit(a, uid, HERE)
    edit(b, uid, THERE)
    edit_note(a, uid, long_note + "The GP agreed.")
    edit_note(b, uid, long_note + "The GP disagreed.")
    bundle = export(b, tmp_path / "long.rrnbundle")
    with open_database(a) as db:
        plan = plan_import(db, read_bundle(bundle))
    for percent in FIT_TEXT_SIZES:
        inspector = Inspector(percent)
        with text_size(percent):
            dialog = ConflictsDialog(plan)
            qtbot.addWidget(dialog)
            dialog.show()
            inspector.take(dialog, "changed on both laptops")
            texts = texts_in(dialog)
            dialog.reject()
        assert not inspector.problems, "\n".join(inspector.problems)
        assert long_note.strip() + " The GP agreed." in texts
        assert long_note.strip() + " The GP disagreed." in texts
        assert "…at any time of the day or night. The GP disagreed." in " ".join(texts)
