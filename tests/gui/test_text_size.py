"""The text size: kept with the data, applied to every screen at once, and exactly undone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.core import display_settings
from rrn_desktop.gui.text_size import applied_text_size, apply_text_size
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.models import AppSetting
from tests.gui.conftest import select_service


@pytest.fixture(autouse=True)
def normal_text_afterwards(qapp) -> Iterator[None]:
    """The application is shared by every test: leave it at the normal size."""
    yield
    apply_text_size(display_settings.NORMAL_TEXT_SIZE)


def _points(font: QFont) -> float:
    return font.pointSizeF() if font.pointSizeF() > 0 else float(font.pixelSize())


def test_the_text_size_is_kept_with_the_data(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        assert display_settings.text_size(db) == 100
        assert display_settings.set_text_size(db, 150) == 150
    with open_database(data_dir) as db:
        assert display_settings.text_size(db) == 150
        with pytest.raises(UserFacingError, match="must be one of"):
            display_settings.set_text_size(db, 130)
        assert display_settings.text_size(db) == 150


@pytest.mark.parametrize("stored", ["300", "130", "0", "-100", "large", ""])
def test_a_text_size_out_of_range_falls_back_to_normal(data_dir: Path, stored: str) -> None:
    with open_database(data_dir) as db:
        with db.transaction() as session:
            session.add(AppSetting(key=display_settings.TEXT_SIZE_KEY, value=stored))
        assert display_settings.text_size(db) == 100
        display_settings.set_text_size(db, 200)  # the bad value is replaced, not duplicated
        with db.transaction() as session:
            rows = session.scalars(
                select(AppSetting.value).where(AppSetting.key == display_settings.TEXT_SIZE_KEY)
            ).all()
        assert rows == ["200"]


def test_larger_and_smaller_step_through_the_sizes() -> None:
    assert [display_settings.larger(size) for size in display_settings.TEXT_SIZES] == [
        125,
        150,
        175,
        200,
        200,
    ]
    assert [display_settings.smaller(size) for size in display_settings.TEXT_SIZES] == [
        100,
        100,
        125,
        150,
        175,
    ]


def test_double_text_size_doubles_the_application_font(qapp) -> None:
    apply_text_size(100)
    normal = _points(QApplication.font())
    apply_text_size(200)
    assert _points(QApplication.font()) == pytest.approx(2 * normal)
    apply_text_size(150)
    assert _points(QApplication.font()) == pytest.approx(1.5 * normal)
    with pytest.raises(ValueError):
        apply_text_size(90)


def test_open_screens_follow_and_200_then_100_is_exactly_normal(
    qtbot, open_window, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House care home (demo)")
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    register = page.restrictions
    editor = register.editor
    styled = register.summary  # red and bold through a style sheet: overdue reviews
    assert styled.styleSheet()

    def measures() -> dict[str, object]:
        return {
            "application": QFont(QApplication.font()),
            "label": QFont(page.sector.font()),
            "heading": QFont(page.title.font()),
            "styled": QFont(styled.font()),
            "rows": register.table.verticalHeader().defaultSectionSize(),
            "column": register.table.columnWidth(1),  # sized in letters
            "box": editor.texts["rationale"].height(),
        }

    normal = measures()
    normal_points = _points(QApplication.font())
    apply_text_size(200)
    large = measures()
    assert _points(page.sector.font()) == pytest.approx(2 * normal_points)
    assert _points(page.title.font()) == pytest.approx(2 * 1.5 * normal_points)
    assert page.title.font().bold()
    assert _points(styled.font()) == pytest.approx(2 * normal_points)
    assert styled.font().bold()
    assert large["rows"] >= register.table.fontMetrics().height()
    assert large["column"] > normal["column"]
    assert large["box"] > normal["box"]
    apply_text_size(100)
    assert measures() == normal


def test_the_view_menu_sets_saves_and_steps_the_text_size(
    qtbot, open_window, data_dir: Path
) -> None:
    window = open_window(data_dir)
    assert window.text_size_actions[100].isChecked()
    assert not window.smaller_text_action.isEnabled()
    view = next(
        action.menu()
        for action in window.menuBar().actions()
        if action.text() == "&View" and action.menu() is not None
    )
    assert window.text_size_menu.menuAction() in view.actions()
    assert [action.text() for action in window.text_size_menu.actions()] == [
        "&100 %",
        "12&5 %",
        "15&0 %",
        "1&75 %",
        "&200 %",
    ]

    window.text_size_actions[150].trigger()
    assert applied_text_size() == 150
    assert window.text_size_actions[150].isChecked()
    assert display_settings.text_size(window._db) == 150

    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert applied_text_size() == 175
    window.larger_text_action.trigger()
    assert applied_text_size() == 200
    assert not window.larger_text_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert applied_text_size() == 175
    assert window.text_size_actions[175].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert applied_text_size() == 100
    assert display_settings.text_size(window._db) == 100


def test_the_text_size_shortcuts_clash_with_no_other(qtbot, open_window, data_dir: Path) -> None:
    window = open_window(data_dir)
    assert window.larger_text_action.shortcuts() == [
        QKeySequence("Ctrl++"),
        QKeySequence("Ctrl+="),
    ]
    assert window.smaller_text_action.shortcut() == QKeySequence("Ctrl+-")
    assert window.normal_text_action.shortcut() == QKeySequence("Ctrl+0")
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for shortcut in action.shortcuts():
            key = shortcut.toString()
            assert key not in seen, f"{key}: {seen[key]} and {action.text()}"
            seen[key] = action.text()


def test_the_saved_text_size_is_applied_when_the_window_opens(
    qtbot, open_window, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        display_settings.set_text_size(db, 175)
    window = open_window(data_dir)
    assert applied_text_size() == 175
    assert window.text_size_actions[175].isChecked()
    assert _points(window.welcome.start_button.font()) == pytest.approx(
        _points(QApplication.font())
    )
