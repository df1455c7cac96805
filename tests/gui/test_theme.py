"""Colours: warnings stay readable in light, dark and high-contrast schemes; high contrast is
kept with the data and can be switched off again exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from rrn_desktop.base.vocabulary import RedFlag, RestraintType
from rrn_desktop.core import display_settings
from rrn_desktop.core.deadlines import WithinDeadline
from rrn_desktop.core.incident_figures import MonthFigures
from rrn_desktop.core.restrictions import MonthCount
from rrn_desktop.gui import theme
from rrn_desktop.gui.incident_chart import IncidentChart
from rrn_desktop.gui.trend_chart import TrendChart
from rrn_desktop.storage.database import open_database

AA_NORMAL_TEXT = 4.5
GRAPHICS_MINIMUM = 3.0  # WCAG 1.4.11: parts of a chart against what is next to them


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#1b1b1b"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Text, "#e8eaed"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def palette_restored(qapp):
    before = QPalette(QApplication.palette())
    yield
    theme.apply_high_contrast(False)
    QApplication.setPalette(before)


@pytest.mark.parametrize("scheme", ["light", "dark", "high contrast"])
def test_warnings_are_readable_on_every_scheme(palette_restored, scheme: str) -> None:
    if scheme == "dark":
        QApplication.setPalette(_dark_palette())
    elif scheme == "high contrast":
        theme.apply_high_contrast(True)
    palette = QApplication.palette()
    for background in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        ratio = theme.contrast_ratio(theme.warning_colour(), palette.color(background))
        assert ratio >= AA_NORMAL_TEXT, (scheme, background, ratio)


def _chart(kind: str) -> QWidget:
    """A chart of twelve months, every bar the same height: physical restraint in the incident
    chart (its colour the darkest of the eight)."""
    months = [dt.date(2026, month, 1) for month in range(1, 13)]
    if kind == "register trend":
        chart = TrendChart()
        chart.set_counts([MonthCount(month, 3) for month in months])
        return chart
    chart = IncidentChart()
    chart.set_figures(
        [
            MonthFigures(
                incidents=3,
                by_type={t: 3 * (t is RestraintType.PHYSICAL) for t in RestraintType},
                support=WithinDeadline(3, 3),
                review=WithinDeadline(3, 3),
                actions_arising=0,
                reviews_missing=0,
                red_flags=dict.fromkeys(RedFlag, 0),
                by_mhsds_code={},
                month=month,
            )
            for month in months
        ]
    )
    return chart


def _bars_seen(chart: QWidget, qtbot) -> list[float]:
    """For each bar, the best contrast against the background along a row through it."""
    qtbot.addWidget(chart)
    chart.resize(480, 260)
    chart.show()
    qtbot.waitExposed(chart)
    image = chart.grab().toImage()
    background = image.pixelColor(1, 1)
    row = image.height() - chart.fontMetrics().lineSpacing() - 12  # above the months
    bars: list[float] = []
    best = 0.0
    for x in range(image.width()):
        ratio = theme.contrast_ratio(image.pixelColor(x, row), background)
        if ratio > 1.05:
            best = max(best, ratio)
        elif best:
            bars.append(best)
            best = 0.0
    return bars


@pytest.mark.parametrize("kind", ["register trend", "incidents"])
@pytest.mark.parametrize("scheme", ["light", "dark", "high contrast"])
def test_every_chart_bar_stands_out_from_the_background_on_every_scheme(
    palette_restored, qtbot, scheme: str, kind: str
) -> None:
    if scheme == "dark":
        QApplication.setPalette(_dark_palette())
    elif scheme == "high contrast":
        theme.apply_high_contrast(True)
    bars = _bars_seen(_chart(kind), qtbot)
    assert len(bars) == 12
    assert min(bars) >= GRAPHICS_MINIMUM, bars


def test_high_contrast_text_is_far_above_the_minimum(palette_restored) -> None:
    theme.apply_high_contrast(True)
    palette = QApplication.palette()
    pairs = [
        (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
        (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
        (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
        (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
    ]
    for text, background in pairs:
        assert theme.contrast_ratio(palette.color(text), palette.color(background)) >= 7


def test_switching_high_contrast_off_gives_back_the_colours_there_were(palette_restored) -> None:
    window_before = QApplication.palette().color(QPalette.ColorRole.Window)
    theme.apply_high_contrast(True)
    assert QApplication.palette().color(QPalette.ColorRole.Window) == QColor("#000000")
    theme.apply_high_contrast(False)
    assert QApplication.palette().color(QPalette.ColorRole.Window) == window_before
    assert not theme.high_contrast()


def test_the_high_contrast_choice_is_kept_with_the_data(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        assert display_settings.high_contrast(db) is False
        display_settings.set_high_contrast(db, True)
    with open_database(data_dir) as db:
        assert display_settings.high_contrast(db) is True
        display_settings.set_high_contrast(db, False)
    with open_database(data_dir) as db:
        assert display_settings.high_contrast(db) is False


def test_view_high_contrast_recolours_the_window_and_is_kept(
    open_window, demo_dir: Path, palette_restored
) -> None:
    window = open_window(demo_dir)
    window.high_contrast_action.trigger()
    assert theme.high_contrast()
    assert QApplication.palette().color(QPalette.ColorRole.Window) == QColor("#000000")
    overdue_rows = [
        window.services.item(row)
        for row in range(window.services.count())
        if "overdue" in window.services.item(row).text()
    ]
    assert overdue_rows
    assert all(row.foreground().color() == QColor("#ffff00") for row in overdue_rows)
    assert display_settings.high_contrast(window._db) is True

    window.high_contrast_action.trigger()
    assert not theme.high_contrast()
    assert display_settings.high_contrast(window._db) is False


def test_a_text_box_shows_its_edge_in_high_contrast(palette_restored, qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit

    theme.apply_high_contrast(True)
    box = QLineEdit()
    qtbot.addWidget(box)
    box.resize(200, 30)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    inside = QApplication.palette().color(QPalette.ColorRole.Base)
    for x, y in ((image.width() // 2, 0), (0, image.height() // 2)):
        assert theme.contrast_ratio(image.pixelColor(x, y), inside) >= GRAPHICS_MINIMUM, (x, y)


def test_the_plans_overdue_warnings_follow_high_contrast(palette_restored, qtbot, db) -> None:
    """The overdue action's row, the plan's counts, the action's status line and the pledge's
    renewal notice are all drawn in the warning colour of the scheme in use."""
    from rrn_desktop.base.vocabulary import Strategy
    from rrn_desktop.core import plan
    from rrn_desktop.gui.action_model import DUE_COLUMN, STATUS_COLUMN
    from rrn_desktop.gui.plan_page import PlanPage

    today = dt.date.today()
    action = plan.create_action(
        db,
        "Debrief after every restraint",
        Strategy.DATA,
        today - dt.timedelta(days=60),
        due_on=today - dt.timedelta(days=30),
    )
    plan.make_pledge(db, "Fewer restrictions", today - dt.timedelta(days=3 * 365))
    page = PlanPage(db)
    qtbot.addWidget(page)
    page.refresh(action.id)

    def colours_shown() -> set[str]:
        cells = {
            page.model.data(page.model.index(0, column), Qt.ItemDataRole.ForegroundRole).name()
            for column in (DUE_COLUMN, STATUS_COLUMN)
        }
        sheets = (page.counts, page.editor.state, page.pledge.renewal)
        return cells | {widget.styleSheet().split(";")[0] for widget in sheets}

    theme.apply_high_contrast(True)
    assert colours_shown() == {"#ffff00", "color: #ffff00"}
    theme.apply_high_contrast(False)
    light = theme.warning_colour().name()
    assert light != "#ffff00"
    assert colours_shown() == {light, f"color: {light}"}
