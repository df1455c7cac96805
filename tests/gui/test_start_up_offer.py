"""The window's offer when the data file cannot be used (empty, another program's, damaged), at
start-up and when damage is met later: plain words, the file unchanged, the newest good backup
restorable, or a new data folder elsewhere."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.core.services import list_services
from rrn_desktop.gui import app as app_module
from rrn_desktop.gui.app import ELSEWHERE, QUIT, RESTORE, open_or_recover, run_app
from rrn_desktop.gui.data_dialogs import RESTORE_REQUEST
from rrn_desktop.reports.pack_report import write_pack_report
from rrn_desktop.storage.backups import back_up
from rrn_desktop.storage.database import open_database
from tests.storage.test_backups import sha256
from tests.storage.test_start_up_recognition import (
    another_programs_database,
    flip_an_index,
    pragma,
)


class Offer:
    """The replaced offer dialog: what it was asked, and what it answers."""

    def __init__(self) -> None:
        self.choice = QUIT
        self.folder: Path | None = None
        self.asked: list[tuple[str, str, bool]] = []


@pytest.fixture
def offer(answers, monkeypatch: pytest.MonkeyPatch) -> Offer:
    given = Offer()

    def ask(title: str, text: str, *, can_restore: bool) -> str:
        given.asked.append((title, text, can_restore))
        return given.choice

    monkeypatch.setattr(app_module, "ask_about_the_data_file", ask)
    monkeypatch.setattr(app_module, "choose_new_data_folder", lambda: given.folder)
    return given


def services_in(folder: Path) -> set[str]:
    with open_database(folder) as db:
        return {service.name for service in list_services(db)}


def with_a_backup(folder: Path) -> Path:
    with open_database(folder) as db:
        return back_up(db, now=dt.datetime(2026, 3, 2, 9)).path


SPOILED = {
    "empty": (lambda path: path.write_bytes(b""), "The data file is empty"),
    "another program's": (another_programs_database, "The data file belongs to another program"),
}


@pytest.mark.parametrize("kind", SPOILED)
def test_an_unrecognised_data_file_is_left_untouched_and_the_backup_restorable(
    kind: str, qtbot, answers, offer: Offer, demo_dir: Path
) -> None:
    with_a_backup(demo_dir)
    services = services_in(demo_dir)
    spoil, title = SPOILED[kind]
    path = demo_dir / DATABASE_NAME
    spoil(path)
    original = path.read_bytes()

    assert run_app(demo_dir) == 1  # Quit
    [(asked_title, text, can_restore)] = offer.asked
    assert asked_title == title
    assert text.startswith(f"The data file {path} {title.removeprefix('The data file ')}")
    assert "It has not been changed." in text
    assert "The newest good backup was made on 2 March 2026 at 09:00." in text
    assert can_restore
    assert path.read_bytes() == original
    assert answers.errors == []

    offer.choice = RESTORE
    db = open_or_recover(demo_dir, quit_after_start=False)
    assert db is not None
    try:
        assert {service.name for service in list_services(db)} == services
    finally:
        db.close()
    [kept] = demo_dir.glob("rrn-desktop.damaged-*.sqlite3")
    assert kept.read_bytes() == original


def test_damage_only_the_full_check_sees_is_caught_at_start_up(
    qtbot, answers, offer: Offer, demo_dir: Path
) -> None:
    with_a_backup(demo_dir)
    path = demo_dir / DATABASE_NAME
    flip_an_index(path)
    assert pragma(path, "quick_check") == ["ok"]
    assert pragma(path, "integrity_check") != ["ok"]
    before = sha256(path)
    assert run_app(demo_dir) == 1
    [(title, text, can_restore)] = offer.asked
    assert title == "The data file is damaged"
    assert "The newest good backup was made on 2 March 2026 at 09:00." in text
    assert can_restore
    assert sha256(path) == before


def test_a_new_data_folder_elsewhere_opens_instead(
    qtbot, answers, offer: Offer, demo_dir: Path, tmp_path: Path
) -> None:
    path = demo_dir / DATABASE_NAME
    path.write_bytes(b"")
    offer.choice = ELSEWHERE
    offer.folder = tmp_path / "fresh start"
    db = open_or_recover(demo_dir, quit_after_start=False)
    assert db is not None
    try:
        assert db.data_dir == offer.folder.resolve()
        assert list_services(db) == []
    finally:
        db.close()
    [(_title, text, can_restore)] = offer.asked
    assert "There is no backup in" in text and not can_restore
    # Said in the window's words, not as a command to type.
    assert "copy the newest one into that folder" in text and "rrn-desktop restore" not in text
    assert path.read_bytes() == b""


def test_damage_met_by_a_report_brings_the_same_offer(
    qtbot, open_window, offer: Offer, demo_dir: Path, tmp_path: Path
) -> None:
    backup = with_a_backup(demo_dir)
    connection = sqlite3.connect(demo_dir / DATABASE_NAME)
    connection.execute("UPDATE restriction SET status = 'WOBBLY'")
    connection.commit()
    connection.close()
    with open_database(demo_dir) as db, pytest.raises(Exception) as met:
        write_pack_report(db, tmp_path / "pack.pdf")  # as the window's Pack menu does
    window = open_window(demo_dir)

    offer.choice = RESTORE
    assert app_module.offer_after_damage(window, demo_dir, met.value)
    [(title, text, can_restore)] = offer.asked
    assert title == "The data file is damaged"
    assert text.startswith(f"The data file {demo_dir / DATABASE_NAME} is damaged: a record")
    assert "It has not been changed." in text and can_restore
    assert window.property(RESTORE_REQUEST) == str(backup)
    assert not window.isVisible()


def test_an_error_that_is_not_damage_is_left_to_the_unexpected_handler(
    qtbot, open_window, offer: Offer, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    assert not app_module.offer_after_damage(window, demo_dir, KeyError("a bug of ours"))
    assert offer.asked == []
    assert window.isVisible()
