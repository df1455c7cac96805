"""Every main screen, met as a keyboard or screen-reader user meets it, at normal and double text.

The tour is the one `rrn-desktop screenshots` takes. On each screen, every visible control
that can be used must have a name a screen reader can say, must be reachable with Tab, and no
text may be cut off by the widget showing it; no Alt letter may be taken from a menu, and none
may lead to two controls of one dialog.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QTabBar,
    QTableView,
    QTextEdit,
    QToolButton,
    QTreeView,
    QWidget,
)

from rrn_desktop.core.services import list_services
from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog
from rrn_desktop.gui.compare_dialog import CompareDialog
from rrn_desktop.gui.data_dialogs import DataDialog
from rrn_desktop.gui.focus_ring import show_focus_ring
from rrn_desktop.gui.help_window import HelpWindow
from rrn_desktop.gui.history_dialog import ChangesDialog
from rrn_desktop.gui.incident_dialogs import IncidentDialog, IncidentSettingsDialog
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.report_actions import PackDialog, SpreadsheetDialog
from rrn_desktop.gui.report_choosers import ReportChooser
from rrn_desktop.gui.report_preview import ReportPreview
from rrn_desktop.gui.restriction_dialogs import AddRestrictionDialog
from rrn_desktop.gui.screenshots import text_size, tour
from rrn_desktop.gui.service_dialogs import NewServiceDialog, RecordingLawDialog
from rrn_desktop.reports.catalogue import report_kind
from rrn_desktop.storage.database import Database

USABLE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
)
# Parts Qt draws inside other controls, which speak and take focus for them.
INNER_PARTS = (QScrollBar, QHeaderView)
INNER_PARENTS = (QAbstractSpinBox, QComboBox, QTabBar)
# A pixel of rounding between a size hint and the size given is not clipping.
SLACK = 1
# The laptop most users have: 1366x768, less the Windows taskbar (tests/laptop_screen.json
# gives Qt a screen of exactly this size).
LAPTOP = QSize(1366, 728)
# What Windows puts around a window's contents, which the offscreen screen does not draw: the
# caption (31 pixels at normal scaling) and a pixel of border each side.
CAPTION_AND_BORDERS = QSize(2, 32)
# Every text size the issue of small screens asked for.
FIT_TEXT_SIZES = [100, 125, 150, 200]


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
    name = widget.objectName()
    parts = [type(widget).__name__]
    if name and not name.startswith("qt_"):
        parts.append(f"#{name}")
    if text:
        parts.append(repr(text[:40]))
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName() and not parent.accessibleName():
        parent = parent.parentWidget()
    if parent is not None:
        parts.append(
            f"in {type(parent).__name__} {parent.objectName() or parent.accessibleName()!r}"
        )
    if isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
        model = widget.model()
        headers = [
            str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
        ]
        parts.append(f"columns {headers[:4]}")
    return " ".join(parts)


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader says: Qt works it out from the text, a buddy label, or the
    accessible name set in code."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return (name or widget.accessibleName()).strip()


def is_inner_part(widget: QWidget) -> bool:
    if isinstance(widget, INNER_PARTS) or widget.objectName().startswith("qt_"):
        return True
    if type(widget).__name__ in ("QTableCornerButton", "QLineEditIconButton"):
        return True
    parent = widget.parentWidget()
    return isinstance(parent, INNER_PARENTS)


def in_a_radio_group(widget: QWidget) -> bool:
    """A radio button whose group Tab reaches: Qt keeps only one button of a group in the Tab
    order (the one chosen), and the arrow keys move between them, as everywhere."""
    if not isinstance(widget, QRadioButton) or not widget.autoExclusive():
        return False
    group = widget.group()
    if group is not None:
        others = group.buttons()
    else:
        parent = widget.parentWidget()
        others = parent.findChildren(QRadioButton) if parent is not None else []
    return any(
        other.isVisible() and other.focusPolicy() & Qt.FocusPolicy.TabFocus for other in others
    )


def in_a_menu(widget: QWidget) -> bool:
    """A toolbar button whose command is also in the window's menus, which Alt and the arrow
    keys reach: toolbars stay out of the Tab order on purpose, as in every desktop program."""
    if not isinstance(widget, QToolButton) or widget.defaultAction() is None:
        return False
    window = widget.window()
    menus = window.menuBar().actions() if isinstance(window, QMainWindow) else []
    pending = [action.menu() for action in menus if action.menu() is not None]
    while pending:
        menu = pending.pop()
        for action in menu.actions():
            if action is widget.defaultAction():
                return True
            if action.menu() is not None:
                pending.append(action.menu())
    return False


def clipped(widget: QWidget) -> bool:
    """Text the widget has no room to show whole."""
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        if widget.wordWrap():
            return widget.heightForWidth(widget.width()) > widget.height() + SLACK
        hint = widget.minimumSizeHint()
        return hint.width() > widget.width() + SLACK or hint.height() > widget.height() + SLACK
    if isinstance(widget, QPushButton | QToolButton) and widget.text():
        hint = widget.sizeHint()
        return hint.width() > widget.width() + SLACK or hint.height() > widget.height() + SLACK
    return False


def mnemonic(text: str) -> str:
    """The letter that goes with Alt to reach a control ("" for none); "&&" is a plain "&"."""
    at = 0
    while (at := text.find("&", at)) != -1 and at + 1 < len(text):
        if text[at + 1] != "&":
            return text[at + 1].lower()
        at += 2
    return ""


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Each Alt letter of the window's visible controls, with the controls that use it."""
    found: dict[str, list[str]] = defaultdict(list)
    for child in window.findChildren(QWidget):
        if not child.isVisible() or not child.isEnabled():
            continue
        texts: list[str] = []
        if isinstance(child, QAbstractButton) or (
            isinstance(child, QLabel) and child.buddy() is not None
        ):
            texts = [child.text()]
        elif isinstance(child, QGroupBox):
            texts = [child.title()]
        elif isinstance(child, QTabBar):
            texts = [
                child.tabText(index)
                for index in range(child.count())
                if child.isTabEnabled(index) and child.isTabVisible(index)
            ]
        for text in texts:
            if letter := mnemonic(text):
                found[letter].append(f"{type(child).__name__} {text!r}")
    return found


def mnemonic_clashes(window: QWidget) -> list[str]:
    """A menu's letter must open the menu, so no control on screen may use it; in a dialog
    every letter leads to one control. (Two controls of a busy screen may share one: pressing
    it again moves on to the next.)"""
    menus = (
        {mnemonic(action.text()): action.text() for action in window.menuBar().actions()}
        if isinstance(window, QMainWindow)
        else {}
    )
    clashes = []
    for letter, users in sorted(mnemonics(window).items()):
        if letter in menus:
            clashes.append(
                f"Alt+{letter.upper()} opens the {menus[letter]!r} menu and is also on "
                + ", ".join(users)
            )
        elif isinstance(window, QDialog) and len(users) > 1:
            clashes.append(
                f"Alt+{letter.upper()} leads to more than one control: " + ", ".join(users)
            )
    return clashes


def shows_focus(widget: QWidget) -> bool:
    """True if the control looks different once the keyboard's focus is on it (as after Tab:
    styles draw the focus frame only once the keyboard has moved focus in that window)."""
    before = QApplication.focusWidget()
    widget.clearFocus()
    QApplication.processEvents()
    unfocused = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    QApplication.processEvents()
    focused = widget.grab().toImage()
    widget.clearFocus()
    if before is not None and before is not widget:
        before.setFocus()
    return focused != unfocused


def screen_room() -> QSize:
    """The most a window's contents may take of the screen: all of it less the taskbar, less
    the window's caption and borders."""
    return QGuiApplication.primaryScreen().availableGeometry().size() - CAPTION_AND_BORDERS


def scrolled_into_view(widget: QWidget, window: QWidget) -> bool:
    """True if the widget sits inside a scroll area of the window, which scrolling reaches."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()  # type: ignore[union-attr]
        ):
            return True
        parent = parent.parentWidget()
    return False


def misfits(window: QWidget) -> list[str]:
    """How a window fails to fit the screen: larger than it (or unable to shrink to it), a
    control outside it, or a dialog's buttons that only scrolling reaches."""
    room = screen_room()
    found = []
    size, least = window.size(), window.minimumSizeHint().expandedTo(window.minimumSize())
    if size.width() > room.width() or size.height() > room.height():
        found.append(f"opens at {size.width()}x{size.height()}, more than the screen's room")
    if least.width() > room.width() or least.height() > room.height():
        found.append(f"cannot be made smaller than {least.width()}x{least.height()}")
    seen = QRect(window.mapToGlobal(window.rect().topLeft()), size.boundedTo(room))
    for child in window.findChildren(QWidget):
        if not child.isVisible() or is_inner_part(child) or child.isWindow():
            continue
        if not isinstance(child, (*USABLE, QLabel, QDialogButtonBox)):
            continue
        box = QRect(child.mapToGlobal(child.rect().topLeft()), child.size())
        in_scroll = scrolled_into_view(child, window)
        if isinstance(child, QDialogButtonBox) and in_scroll:
            found.append(f"its buttons can only be reached by scrolling: {describe(child)}")
        elif not in_scroll and not seen.contains(box):
            found.append(f"off the screen: {describe(child)}")
    return found


@dataclass
class Inspector:
    """Shown each screen of the tour; writes down every problem it finds there."""

    percent: int = 100
    problems: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)

    def take(self, widget: QWidget, name: str) -> None:
        widget.window().activateWindow()  # as a window is when it opens: focus is drawn in it
        for _ in range(3):
            QApplication.processEvents()
        where = f"{name} at {self.percent} %"
        self.screens.append(where)
        self.problems.extend(f"{where}: {problem}" for problem in misfits(widget.window()))
        for clash in mnemonic_clashes(widget.window()):
            self.problems.append(f"{where}: {clash}")
        for child in [widget, *widget.findChildren(QWidget)]:
            if not child.isVisible() or is_inner_part(child):
                continue
            if clipped(child):
                self.problems.append(f"{where}: text cut off in {describe(child)}")
            if not isinstance(child, USABLE) or not child.isEnabled():
                continue
            if not spoken_name(child):
                self.problems.append(f"{where}: no name for a screen reader: {describe(child)}")
            if not child.focusPolicy() & Qt.FocusPolicy.TabFocus:
                if not in_a_menu(child) and not in_a_radio_group(child):
                    self.problems.append(f"{where}: cannot be reached with Tab: {describe(child)}")
            elif not shows_focus(child):
                self.problems.append(f"{where}: no visible sign of focus: {describe(child)}")


@pytest.mark.parametrize("percent", FIT_TEXT_SIZES)
def test_every_screen_is_named_reachable_and_unclipped(
    qtbot, window_on, answers, demo_dir: Path, percent: int
) -> None:
    window, db = window_on(demo_dir)
    inspector = Inspector(percent)
    with text_size(percent):
        tour(window, db, inspector)
        inspect_dialogs(qtbot, inspector, main_window_dialogs(window, db))

    assert len(inspector.screens) >= 20
    assert not inspector.problems, f"{len(inspector.problems)} problems:\n" + "\n".join(
        inspector.problems
    )


Step = tuple[str, type[QDialog], Callable[[], object]]


def inspect_dialogs(qtbot, inspector: Inspector, steps: Iterable[Step]) -> None:
    """Take each step (from a generator, so the screen is set up as the user would between
    steps), inspect the one dialog it opens, and close that dialog unsaved."""
    for name, expected, open_it in steps:
        before = set(QApplication.topLevelWidgets())
        open_it()
        for _ in range(3):
            QApplication.processEvents()
        opened = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget not in before and isinstance(widget, QDialog) and widget.isVisible()
        ]
        assert len(opened) == 1, f"{name}: opened {opened}, not one {expected.__name__}"
        dialog = opened[0]
        assert isinstance(dialog, expected), f"{name}: opened {type(dialog).__name__}"
        if isinstance(dialog, ReportPreview):
            # Inspect the pages as they will be read, and let no page be drawn after closing.
            qtbot.waitUntil(lambda d=dialog: d.rendered() == d.page_count, timeout=20000)
        inspector.take(dialog, name)
        dialog.reject()
        dialog.close()
        for _ in range(2):
            QApplication.processEvents()


def main_window_dialogs(window: MainWindow, db: Database) -> Iterator[Step]:
    """The dialogs of the menus and of a service's tabs."""
    service = next(s for s in list_services(db) if s.name.startswith("Willow House"))
    window.show_service(service.id)
    page = window.service_page
    yield "add a service", NewServiceDialog, window.add_service_action.trigger
    yield "recording law", RecordingLawDialog, window.recording_law_action.trigger
    yield "record of changes", ChangesDialog, window.changes_action.trigger
    yield "backups and restore", DataDialog, window.backups_action.trigger
    yield "inspection pack", PackDialog, window.pack_action.trigger
    yield "spreadsheet export", SpreadsheetDialog, window.spreadsheet_action.trigger
    yield (
        "report of one incident",
        ReportChooser,
        lambda: window.named_reports.show(report_kind("incident")),
    )
    yield "user guide", HelpWindow, window.guide_action.trigger
    yield "new benchmark", NewBenchmarkDialog, window.new_benchmark_action.trigger
    yield "compare benchmarks", CompareDialog, window.compare_action.trigger
    yield "add a restriction", AddRestrictionDialog, page.restrictions.add_button.click
    yield "record an incident", IncidentDialog, page.incidents.new_button.click
    yield "incident settings", IncidentSettingsDialog, page.incidents.settings_button.click


def test_the_checks_catch_an_unnamed_button_an_unreachable_one_and_cut_off_text(qtbot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    unnamed = QToolButton(screen)
    unnamed.setIcon(screen.style().standardIcon(screen.style().StandardPixmap.SP_TrashIcon))
    unnamed.move(0, 0)
    unreachable = QPushButton("Sa&ve", screen)
    unreachable.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    unreachable.move(0, 40)
    cut = QLabel("A sentence far too long for the room its label was given", screen)
    cut.setGeometry(0, 80, 60, 20)
    screen.resize(400, 200)
    screen.show()
    qtbot.waitExposed(screen)

    inspector = Inspector()
    inspector.take(screen, "a test screen")

    assert inspector.problems == [
        "a test screen at 100 %: no name for a screen reader: QToolButton",
        "a test screen at 100 %: cannot be reached with Tab: QPushButton 'Sa&ve'",
        "a test screen at 100 %: text cut off in QLabel 'A sentence far too long for the room its'",
    ]


def test_the_checks_catch_a_letter_taken_from_a_menu_and_one_used_twice_in_a_dialog(
    qtbot,
) -> None:
    show_focus_ring()  # as the app does: Fusion draws no focus on a default button
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&File")
    window.setCentralWidget(QPushButton("&Finish", window))
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QPushButton("&Save", dialog).move(0, 0)
    QPushButton("Sa&ve", dialog).move(0, 40)  # another letter: fine
    QPushButton("&Send", dialog).move(0, 80)
    for shown in (window, dialog):
        shown.show()
        qtbot.waitExposed(shown)

    inspector = Inspector()
    inspector.take(window, "a window")
    inspector.take(dialog, "a dialog")

    assert inspector.problems == [
        "a window at 100 %: Alt+F opens the '&File' menu and is also on QPushButton '&Finish'",
        "a dialog at 100 %: Alt+S leads to more than one control: QPushButton '&Save', "
        "QPushButton '&Send'",
    ]


def test_the_checks_catch_a_control_that_looks_the_same_with_the_focus(qtbot) -> None:
    from PySide6.QtGui import QPainter, QPaintEvent

    class FlatButton(QAbstractButton):
        def paintEvent(self, _event: QPaintEvent) -> None:
            QPainter(self).fillRect(self.rect(), Qt.GlobalColor.gray)

    # A window of its own: the focus ring is drawn on the controls inside windows.
    flat = FlatButton()
    flat.setText("Flat")
    qtbot.addWidget(flat)
    flat.resize(80, 30)
    flat.show()
    qtbot.waitExposed(flat)
    ordinary = QWidget()
    qtbot.addWidget(ordinary)
    QPushButton("Fine", ordinary)
    ordinary.show()
    qtbot.waitExposed(ordinary)

    inspector = Inspector()
    inspector.take(flat, "a flat button")
    inspector.take(ordinary, "a window")

    assert inspector.problems == [
        "a flat button at 100 %: no visible sign of focus: FlatButton 'Flat'"
    ]


def test_the_checks_catch_a_dialog_too_big_a_control_off_it_and_buttons_in_a_scroll(
    qtbot,
) -> None:
    show_focus_ring()
    tall = QDialog()
    qtbot.addWidget(tall)
    tall.setMinimumHeight(900)
    tall.resize(500, 900)
    QPushButton("Below", tall).move(10, 2000)
    scrolled = QDialog()
    qtbot.addWidget(scrolled)
    area = QScrollArea(scrolled)
    inside = QWidget()
    QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, inside)
    area.setWidget(inside)
    scrolled.resize(300, 200)
    for shown in (tall, scrolled):
        shown.show()
        qtbot.waitExposed(shown)

    inspector = Inspector()
    inspector.take(tall, "a tall dialog")
    inspector.take(scrolled, "a scrolling dialog")

    assert inspector.problems == [
        "a tall dialog at 100 %: opens at 500x900, more than the screen's room",
        "a tall dialog at 100 %: cannot be made smaller than 0x900",
        "a tall dialog at 100 %: off the screen: QPushButton 'Below'",
        "a scrolling dialog at 100 %: its buttons can only be reached by scrolling: "
        "QDialogButtonBox in QWidget 'qt_scrollarea_viewport'",
    ]
