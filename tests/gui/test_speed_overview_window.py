"""Moving between services stays quick: the start screen is built only when it is shown, and
the list of services still flags what is overdue, wherever the change was made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import RestraintType
from rrn_desktop.core import restrictions
from rrn_desktop.core.services import list_services
from tests.gui.conftest import select_service

WILLOW = "Willow House care home (demo)"
HERON = "Heron Ward (demo)"
OAKFIELD = "Oakfield Academy (demo)"


def _labels(window) -> dict[str, str]:
    texts = [window.services.item(row).text() for row in range(window.services.count())]
    return {name: next(t for t in texts if t.startswith(name)) for name in (WILLOW, HERON)}


def _count_overview_builds(window, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    built: list[int] = []
    show = window.overview.show_screen

    def counted(*args: object) -> object:
        built.append(1)
        return show(*args)

    monkeypatch.setattr(window.overview, "show_screen", counted)
    return built


def test_switching_services_leaves_the_overview_until_it_is_shown(
    qtbot, open_window, monkeypatch: pytest.MonkeyPatch, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    built = _count_overview_builds(window, monkeypatch)
    for name in (WILLOW, HERON, OAKFIELD, WILLOW):
        select_service(window, name)
    assert built == []
    assert "OVERDUE" in window.service_page.overdue.text()  # Willow House's overdue review
    window.services.setCurrentRow(0)
    assert built == [1]
    assert window.pages.currentWidget() is window.overview


def test_a_change_in_another_service_is_flagged_at_the_next_switch(
    qtbot, open_window, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, WILLOW)
    assert _labels(window)[HERON] == HERON
    # Made elsewhere (another route, or a day passing): seen when the user next moves.
    heron = next(s for s in list_services(window._db) if s.name == HERON)
    entry = restrictions.add_custom_restriction(
        window._db,
        heron.id,
        "Bedroom checks",
        "other",
        RestraintType.ENVIRONMENTAL,
        dt.date.today() - dt.timedelta(days=90),
    )
    restrictions.update_restriction(
        window._db, entry, next_review_on=dt.date.today() - dt.timedelta(days=1)
    )
    select_service(window, OAKFIELD)
    assert _labels(window)[HERON] == f"{HERON} (1 review overdue)"
    assert not window.service_page.overdue.isVisible()  # Oakfield has nothing overdue


def test_saving_a_later_review_date_clears_the_flag_and_the_banner(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, WILLOW)
    assert _labels(window)[WILLOW] == f"{WILLOW} (1 review overdue)"
    panel = window.service_page.restrictions
    window.service_page.tabs.setCurrentWidget(panel)
    overdue = next(e for e in panel.model._records if e.overdue(dt.date.today()))
    panel.select(overdue.id)
    panel.editor.next_review_on.setFocus()
    panel.editor.next_review_on.set_day(dt.date.today() + dt.timedelta(days=30))
    panel.editor.flush()
    assert not answers.errors
    assert _labels(window)[WILLOW] == WILLOW
    assert not window.service_page.overdue.isVisible()
    # The start screen, built when next shown, agrees.
    window.services.setCurrentRow(0)
    table = window.overview.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == WILLOW)
    assert table.item(row, 3).text() == "None"
