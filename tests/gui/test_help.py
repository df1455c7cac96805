"""The guide inside the app: every section F1 can open exists, and its pictures are there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from rrn_desktop.base.resources import user_guide
from rrn_desktop.gui.help_window import (
    GETTING_STARTED,
    PLAN,
    RESTRICTIONS,
    TOPICS,
    HelpWindow,
    show_help,
)


def test_every_picture_the_guide_shows_is_on_disk() -> None:
    guide = user_guide()
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide.read_text(encoding="utf-8"))
    assert len(pictures) >= 5
    for picture in pictures:
        assert (guide.parent / picture).is_file(), picture


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_opens_at_its_heading(qtbot, topic: str) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    window = show_help(parent, topic)
    qtbot.waitExposed(window)

    assert window.sections.currentItem().text() == topic
    assert window.text.textCursor().block().text() == topic
    # The heading is at the top of the view, unless the guide ends too soon to scroll that far.
    top = window.text.cursorRect().top()
    scroll = window.text.verticalScrollBar()
    if scroll.value() < scroll.maximum():
        assert 0 <= top < 20
    else:
        assert 0 <= top < window.text.viewport().height()


def test_a_second_f1_reuses_the_open_guide(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    first = show_help(parent, TOPICS[0])
    second = show_help(parent, TOPICS[3])
    assert first is second
    assert len(parent.findChildren(HelpWindow)) == 1
    assert second.sections.currentItem().text() == TOPICS[3]


def test_f1_opens_the_guide_at_the_screen_in_front_of_the_user(
    qtbot, open_window, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    willow = next(s.id for s in window._services if s.name.startswith("Willow House"))

    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(HelpWindow)
    assert guide.sections.currentItem().text() == GETTING_STARTED

    window.show_service(willow)
    window.service_page.tabs.setCurrentWidget(window.service_page.restrictions)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert guide.sections.currentItem().text() == RESTRICTIONS

    window.show_plan()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert guide.sections.currentItem().text() == PLAN
    assert len(window.findChildren(HelpWindow)) == 1


def test_the_guide_needs_no_sideways_scrolling(qtbot) -> None:
    """The screenshots are shrunk to the view, and the section names wrap in their list."""
    parent = QWidget()
    qtbot.addWidget(parent)
    window = show_help(parent, TOPICS[1])
    qtbot.waitExposed(window)
    for width in (960, 700):
        window.resize(width, 720)
        QApplication.processEvents()
        assert window.text.horizontalScrollBar().maximum() == 0
        assert window.sections.horizontalScrollBar().maximum() == 0
