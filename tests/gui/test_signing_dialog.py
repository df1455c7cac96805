"""Bundle signing in the window: the dialog under Data, and imports of bundles altered after
signing, refused or let in only after an extra question, as the laptop's policy says."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.core.bundle_signing import derive_key, fingerprint
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.bundle_dialogs import import_bundle_from_file
from rrn_desktop.gui.screenshots import text_size
from rrn_desktop.gui.signing_dialog import SigningDialog
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.signing_key import KEY_FILE, Policy, load_signing
from tests.core.test_bundle import counts
from tests.core.test_bundle_signing import (
    PASSPHRASE,
    Signed,
    altered_copy,
    signed_willow,
    with_key,
)
from tests.gui.test_accessibility_walk import FIT_TEXT_SIZES, Inspector, inspect_dialogs


def dump(data: Path) -> str:
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Signed:
    return signed_willow(tmp_path_factory.mktemp("signed"), demo_template)


@pytest.fixture
def altered(signed: Signed, tmp_path: Path) -> Path:
    return altered_copy(signed, tmp_path / "altered.rrnbundle")


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch, answers) -> list[tuple[str, str]]:
    """Every question asked, title and text; answered with answers.confirm."""
    questions: list[tuple[str, str]] = []

    def confirm(_parent: QWidget, title: str, text: str, _action: str) -> bool:
        questions.append((title, text))
        return answers.confirm

    monkeypatch.setattr(dialogs, "ask_confirmation", confirm)
    return questions


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch, answers) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_information", lambda _p, _t, text: shown.append(text))
    return shown


def save(qtbot, dialog: SigningDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_the_data_menu_opens_bundle_signing(open_window, demo_dir: Path) -> None:
    window = open_window(demo_dir)
    assert window.signing_action in window.data_menu.actions()
    assert window.signing_action.text() == "Bundle si&gning…"
    window.signing_action.trigger()
    [dialog] = [d for d in window.findChildren(SigningDialog) if d.isVisible()]
    assert dialog.state.text().startswith("No bundle signing key is set on this laptop.")
    dialog.reject()


def test_the_passphrase_typed_twice_sets_the_key_and_the_policy(
    qtbot, answers, asked, told, tmp_path: Path
) -> None:
    dialog = SigningDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    save(qtbot, dialog)  # nothing typed, no key yet
    assert dialog.problem.text() == (
        "Type your organisation's passphrase twice to set the key. Nothing was changed."
    )
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.repeated, PASSPHRASE + "!")
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert dialog.problem.text() == "The two passphrases are not the same. Nothing was changed."
    assert not (tmp_path / KEY_FILE).exists()

    qtbot.keyClick(dialog.repeated, Qt.Key.Key_Backspace)
    dialog.policy_buttons[Policy.WARN].click()
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert load_signing(tmp_path).policy is Policy.WARN  # type: ignore[union-attr]
    [said] = told
    assert f"A bundle signing key is set: fingerprint {fingerprint(derive_key(PASSPHRASE))}." in (
        said
    )
    assert "Policy: warn." in said

    # Opened again: the key's fingerprint and the policy shown; the policy alone can change.
    again = SigningDialog(tmp_path)
    qtbot.addWidget(again)
    again.show()
    assert fingerprint(derive_key(PASSPHRASE)) in again.state.text()
    assert again.policy_buttons[Policy.WARN].isChecked() and again.clear_button.isEnabled()
    again.policy_buttons[Policy.REFUSE].click()
    save(qtbot, again)
    assert load_signing(tmp_path).policy is Policy.REFUSE  # type: ignore[union-attr]


def test_clear_asks_first_then_removes_the_key(
    qtbot,
    answers,
    asked,
    told,
    signed: Signed,
    tmp_path: Path,
) -> None:
    with_key(tmp_path, signed.key)
    dialog = SigningDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    answers.confirm = False
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert [title for title, _text in asked] == ["Clear the key"]
    assert (tmp_path / KEY_FILE).exists()

    answers.confirm = True
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / KEY_FILE).exists()
    assert dialog.state.text().startswith("No bundle signing key is set on this laptop.")
    assert not dialog.clear_button.isEnabled()


def test_an_altered_bundle_is_refused_in_the_window_under_refuse(
    qtbot,
    answers,
    asked,
    signed: Signed,
    altered: Path,
    data_dir: Path,
) -> None:
    here = with_key(data_dir, signed.key, Policy.REFUSE)
    before = dump(here)
    parent = QWidget()
    qtbot.addWidget(parent)
    answers.open_path = altered
    with open_database(here) as db:
        assert import_bundle_from_file(parent, db) is None
    assert answers.errors == [
        "altered.rrnbundle cannot be imported: it has been changed since it was signed with "
        "your organisation's key, so it cannot be trusted. Nothing was changed."
    ]
    assert asked == [] and dump(here) == before


def test_under_warn_an_altered_bundle_is_imported_only_after_the_extra_question(
    qtbot,
    answers,
    asked,
    signed: Signed,
    altered: Path,
    data_dir: Path,
) -> None:
    here = with_key(data_dir, signed.key, Policy.WARN)
    before = dump(here)
    parent = QWidget()
    qtbot.addWidget(parent)
    answers.open_path = altered
    answers.confirm = False
    with open_database(here) as db:
        assert import_bundle_from_file(parent, db) is None
    [(title, text)] = asked
    assert title == "Bundle not signed by your organisation"
    assert text.startswith(
        "Warning: this bundle has been changed since it was signed with your organisation's key"
    )
    assert dump(here) == before

    asked.clear()
    answers.confirm = True
    with open_database(here) as db:
        imported = import_bundle_from_file(parent, db)
        assert imported is not None and counts(db)["service"] == 1
    assert [title for title, _text in asked] == [
        "Bundle not signed by your organisation",
        "Import a bundle",
    ]
    assert asked[1][1].startswith("Warning: this bundle has been changed since it was signed")


def test_a_correctly_signed_bundle_is_asked_about_once_saying_it_is_signed(
    qtbot,
    answers,
    asked,
    signed: Signed,
    data_dir: Path,
) -> None:
    here = with_key(data_dir, signed.key, Policy.REFUSE)
    parent = QWidget()
    qtbot.addWidget(parent)
    answers.open_path = signed.bundle
    with open_database(here) as db:
        assert import_bundle_from_file(parent, db) is not None
    [(title, text)] = asked
    assert title == "Import a bundle"
    assert text.startswith(f"Signed by your organisation's key ({fingerprint(signed.key)})")


@pytest.mark.parametrize("percent", FIT_TEXT_SIZES)
def test_the_dialog_is_named_reachable_and_unclipped_at_every_text_size(
    qtbot, window_on, answers, signed: Signed, demo_dir: Path, percent: int
) -> None:
    window, _db = window_on(demo_dir)
    inspector = Inspector(percent)
    with text_size(percent):
        steps = [("bundle signing, no key", SigningDialog, window.signing_action.trigger)]
        inspect_dialogs(qtbot, inspector, steps)
        with_key(demo_dir, signed.key)
        steps = [("bundle signing, a key set", SigningDialog, window.signing_action.trigger)]
        inspect_dialogs(qtbot, inspector, steps)
    assert len(inspector.screens) == 2
    assert not inspector.problems, "\n".join(inspector.problems)
