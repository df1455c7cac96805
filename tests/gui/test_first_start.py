"""A new user's first start: the organisation's name, theirs and the first service, typed on the
first screen and saved in one go, through to the inspection pack's cover."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import history
from rrn_desktop.core.services import (
    DEFAULT_ORGANISATION_NAME,
    list_services,
    organisation_name,
    rename_organisation,
)
from rrn_desktop.core.user import set_user_name, user_name
from rrn_desktop.demo.organisation import DEMO_ORGANISATION
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.screenshots import text_size, tour
from rrn_desktop.reports.pack_report import write_pack_report
from rrn_desktop.storage.database import Database, open_database
from tests.gui.conftest import type_text
from tests.gui.test_accessibility_walk import FIT_TEXT_SIZES, Inspector, mnemonics
from tests.reports.helpers import read_pdf

ORGANISATION = "Gofal Ŵyn Cyf"
PERSON = "Siân Roberts"
SERVICE = "Tŷ Gwyn children's home"


def _opened(qtbot, window_on, folder: Path) -> tuple[MainWindow, Database]:
    """The window and its data, the window active as a newly opened one is."""
    window, db = window_on(folder)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, db


def _type_here(qtbot, text: str) -> None:
    """Type into whichever field the keyboard is in, then Tab on to the next."""
    field = QApplication.focusWidget()
    type_text(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_first_start_names_everything_and_the_pack_cover_shows_the_organisation(
    qtbot, window_on, data_dir: Path, tmp_path: Path
) -> None:
    window, db = _opened(qtbot, window_on, data_dir)
    page = window.welcome
    assert window.pages.currentWidget() is page
    assert (page.organisation_name.text(), page.your_name.text()) == ("", "")
    assert QApplication.focusWidget() is page.organisation_name

    _type_here(qtbot, ORGANISATION)
    assert QApplication.focusWidget() is page.your_name
    _type_here(qtbot, PERSON)
    _type_here(qtbot, SERVICE)
    assert QApplication.focusWidget() is page.sector
    qtbot.keyClicks(page.sector, "C")  # Children's services, found by its first letter
    qtbot.keyClick(page.sector, Qt.Key.Key_Return)

    assert window.pages.currentWidget() is window.service_page
    assert window.service_page.title.text() == SERVICE
    assert window.service_page.sector.text() == "Sector: Children's services"
    assert window.organisation.text() == ORGANISATION
    window.close()
    db.close()

    out = tmp_path / "pack.pdf"
    with open_database(data_dir) as reopened:
        assert organisation_name(reopened) == ORGANISATION
        assert user_name(reopened) == PERSON
        [service] = list_services(reopened)
        assert (service.name, service.sector) == (SERVICE, Sector.CHILDRENS_SERVICES)
        latest = history.recent_changes(reopened, limit=2)
        assert [entry.by_label for entry in latest] == [PERSON, PERSON]
        write_pack_report(reopened, out)
    cover = read_pdf(out).pages[0]
    assert ORGANISATION in cover
    assert DEFAULT_ORGANISATION_NAME not in cover


def test_an_empty_organisation_name_is_explained_and_nothing_is_saved(
    qtbot, window_on, data_dir: Path
) -> None:
    window, db = _opened(qtbot, window_on, data_dir)
    page = window.welcome
    qtbot.keyClick(page.organisation_name, Qt.Key.Key_Tab)
    _type_here(qtbot, PERSON)
    _type_here(qtbot, SERVICE)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)

    assert window.pages.currentWidget() is page
    assert page.problem.isVisible()
    assert page.problem.text() == "The organisation's name cannot be left empty."
    assert organisation_name(db) == DEFAULT_ORGANISATION_NAME
    assert user_name(db) == ""
    assert list_services(db) == []
    assert window.services.count() == 0


def test_the_problem_is_in_sight_in_a_low_window_at_double_text_size(
    qtbot, window_on, data_dir: Path
) -> None:
    window, _db = _opened(qtbot, window_on, data_dir)
    page = window.welcome
    with text_size(200):
        window.showNormal()
        window.resize(window.width(), 450)
        qtbot.waitUntil(lambda: page.area.verticalScrollBar().maximum() > 0)
        qtbot.keyClick(page.organisation_name, Qt.Key.Key_Return)
        qtbot.waitUntil(page.problem.isVisible)
        viewport = page.area.viewport()
        top_left = page.problem.mapTo(viewport, page.problem.rect().topLeft())
        bottom_right = page.problem.mapTo(viewport, page.problem.rect().bottomRight())
        assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)
    assert page.problem.text().startswith("The organisation's name cannot be left empty.")


def test_names_already_set_are_filled_in(qtbot, window_on, data_dir: Path) -> None:
    with open_database(data_dir) as db:
        rename_organisation(db, ORGANISATION)
        set_user_name(db, PERSON)
    window, db = _opened(qtbot, window_on, data_dir)
    page = window.welcome
    assert (page.organisation_name.text(), page.your_name.text()) == (ORGANISATION, PERSON)
    assert QApplication.focusWidget() is page.organisation_name

    type_text(page.service_name, SERVICE)
    qtbot.keyClick(page.service_name, Qt.Key.Key_Enter)
    assert window.service_page.title.text() == SERVICE
    assert window.service_page.sector.text() == "Sector: Adult social care"


@pytest.mark.slow  # loads the whole demo through the window: about 8 s
def test_the_demo_data_is_still_one_key_away(qtbot, open_window, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.services.count() > 0)  # Alt presses the button visibly
    names = [window.services.item(row).text() for row in range(window.services.count())]
    assert "Willow House care home (demo) (1 review overdue)" in names
    assert window.organisation.text() == DEMO_ORGANISATION


@pytest.mark.parametrize("percent", FIT_TEXT_SIZES)
def test_the_first_start_is_named_reachable_and_fits_the_laptop(
    qtbot, window_on, data_dir: Path, percent: int
) -> None:
    window, db = window_on(data_dir)
    inspector = Inspector(percent)
    with text_size(percent):
        tour(window, db, inspector)
        letters = mnemonics(window)
    assert inspector.screens == [f"welcome at {percent} %"]
    assert not inspector.problems, "\n".join(inspector.problems)
    assert {letter: users for letter, users in letters.items() if len(users) > 1} == {}
    assert set(letters) >= {"o", "y", "n", "c", "g", "m"}
