"""The plan stays quick on a long plan: a saved action changes its own row and leaves, an
unchanged plan is not filled again, and the list's columns are sized without reading it all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem

from rrn_desktop.base.vocabulary import ActionSource, ActionStatus, Priority, Sector, Strategy
from rrn_desktop.core import display_settings, plan
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.action_model import ID_ROLE, ActionModel
from rrn_desktop.gui.plan_page import PlanPage
from rrn_desktop.gui.text_size import apply_text_size
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.models import Service

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def normal_text_afterwards(qapp) -> Iterator[None]:
    yield
    apply_text_size(display_settings.NORMAL_TEXT_SIZE)


def _fill(folder: Path, count: int) -> None:
    """A plan of count actions across the strategies and the months (some undated)."""
    with open_database(folder) as db:
        service = create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
        with db.transaction() as session:
            home = session.get(Service, service.id)
            for number in range(count):
                session.add(
                    plan.new_action(
                        title=f"Action {number:04}",
                        strategy=list(Strategy)[number % len(Strategy)],
                        on=TODAY,
                        service=home if number % 2 else None,
                        owner_name=f"Owner {number % 7}",
                        due_on=(
                            TODAY + dt.timedelta(days=(number * 37) % 400 - 60)
                            if number % 6
                            else None
                        ),
                    )
                )


def _leaf_shown(leaf: QTreeWidgetItem) -> tuple[str, ...]:
    return (*(leaf.text(c) for c in range(3)), leaf.toolTip(0), str(leaf.data(0, ID_ROLE)))


def _trees(page: PlanPage) -> dict[str, list[tuple[str, list[tuple[str, ...]]]]]:
    """What each tree shows: its groups in order, each with its leaves in order."""
    shown = {}
    for tree in (page.by_strategy, page.timeline):
        page.tabs.setCurrentWidget(tree)
        groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        shown[tree.accessibleName()] = [
            (group.text(0), [_leaf_shown(group.child(n)) for n in range(group.childCount())])
            for group in groups
        ]
    return shown


def _rows(page: PlanPage) -> list[tuple[object, ...]]:
    model = page.model
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def _fresh(db: Database, qtbot) -> PlanPage:
    """The plan as a page opened now would show it."""
    page = PlanPage(db)
    qtbot.addWidget(page)
    page.refresh()
    return page


def _open_plan(window) -> PlanPage:
    window.show_plan()
    page = window.plan_page
    assert window.pages.currentWidget() is page
    return page


def _choose(page: PlanPage, title: str) -> None:
    page.tabs.setCurrentIndex(1)
    row = next(r for r in range(page.filter.rowCount()) if page.filter.index(r, 0).data() == title)
    page.table.setCurrentIndex(page.filter.index(row, 0))
    assert page.editor.action is not None and page.editor.action.title == title


def test_a_saved_action_changes_its_own_row_and_leaves_not_the_whole_plan(
    qtbot, open_window, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(data_dir, 60)
    with open_database(data_dir) as db:
        # Alone in its month, under the second strategy.
        plan.create_action(
            db, "Lone action", list(Strategy)[1], TODAY, due_on=TODAY + dt.timedelta(days=700)
        )
    window = open_window(data_dir)
    page = _open_plan(window)
    _trees(page)  # both trees filled
    groups = [page.by_strategy.topLevelItem(0), page.timeline.topLevelItem(0)]
    filled: list[str] = []
    monkeypatch.setattr(page.model, "set_records", lambda *_args: filled.append("list"))
    monkeypatch.setattr(page, "_fill_tree", lambda tree: filled.append(tree.accessibleName()))
    editor = page.editor
    _choose(page, "Lone action")
    chosen = editor.action.id

    # The busiest month to come (a due date cannot be before the start): the action is to
    # move into the middle of it.
    def due(leaf: QTreeWidgetItem) -> dt.date:
        return page.model.record(page.model.row_of(leaf.data(0, ID_ROLE))).due_on or dt.date.max

    months = [page.timeline.topLevelItem(i) for i in range(page.timeline.topLevelItemCount())]
    busiest = max(
        (m for m in months[:-1] if all(due(m.child(n)) > TODAY for n in range(m.childCount()))),
        key=lambda group: group.childCount(),
    )
    middle = busiest.child(busiest.childCount() // 2)

    def shown_as_afresh() -> None:
        assert page.table.currentIndex().data(ID_ROLE) == chosen
        for tree in (page.by_strategy, page.timeline):
            assert tree.currentItem().data(0, ID_ROLE) == chosen
        fresh = _fresh(window._db, qtbot)
        assert _rows(page) == _rows(fresh)
        assert page.counts.text() == fresh.counts.text()
        assert _trees(page) == _trees(fresh)
        page.tabs.setCurrentIndex(1)

    editor.title.setText("Lone action, checked")
    editor.flush()
    assert page.table.currentIndex().data() == "Lone action, checked"
    assert page.by_strategy.currentItem().text(0) == "Lone action, checked"
    shown_as_afresh()

    # A new due date moves it in the list and into another month; its own month goes.
    editor.due_on.set_day(due(middle))
    editor.flush()
    assert page.timeline.topLevelItemCount() == len(months) - 1
    assert page.timeline.currentItem().parent() is busiest
    shown_as_afresh()

    # A new strategy: into the middle of another group, and both groups' counts change.
    editor.strategy.setCurrentIndex(2)
    editor.flush()
    shown_as_afresh()

    # Moving it on, and a new action: each their own row too.
    page.move_forward()
    QApplication.processEvents()
    assert editor.action.id == chosen
    shown_as_afresh()
    assert filled == []  # nothing filled again
    assert [page.by_strategy.topLevelItem(0), page.timeline.topLevelItem(0)] == groups


def test_an_unchanged_plan_is_not_filled_again_and_a_changed_one_is(
    qtbot, open_window, data_dir: Path
) -> None:
    _fill(data_dir, 30)
    window = open_window(data_dir)
    page = _open_plan(window)
    first_group = page.by_strategy.topLevelItem(0)
    records = page.model.records()
    window.services.setCurrentRow(0)  # the overview, then back
    page = _open_plan(window)
    assert page.by_strategy.topLevelItem(0) is first_group
    assert page.model.records() is records

    # Changed somewhere else (another screen): the plan shows it when it is next opened.
    action = next(a for a in records if a.title == "Action 0003")
    plan.update_action(window._db, action.id, title="Renamed elsewhere")
    window.services.setCurrentRow(0)
    page = _open_plan(window)
    assert "Renamed elsewhere" in [row[0] for row in _rows(page)]
    assert _trees(page) == _trees(_fresh(window._db, qtbot))


def test_the_action_list_is_sized_without_reading_every_row(
    qtbot, open_window, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(data_dir, 500)
    window = open_window(data_dir)
    page = _open_plan(window)
    rows_read: set[int] = set()
    original = ActionModel.data

    def counted(model: ActionModel, index: QModelIndex, role: int = 0) -> object:
        rows_read.add(index.row())
        return original(model, index, role)

    monkeypatch.setattr(ActionModel, "data", counted)
    page.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert 0 < len(rows_read) < 100  # the rows in view, not all 500

    def widths() -> list[int]:
        return [page.table.columnWidth(c) for c in range(7)] + [
            tree.columnWidth(c) for tree in (page.by_strategy, page.timeline) for c in (1, 2)
        ]

    def fits(view: QTreeWidget | object, column: int, text: str) -> bool:
        return view.columnWidth(column) > view.fontMetrics().horizontalAdvance(text)

    normal = widths()
    for percent in (100, 200):
        apply_text_size(percent)
        for view, due, status in ((page.table, 4, 5), (page.by_strategy, 1, 2)):
            assert fits(view, due, "30 Sep 2026")
            assert fits(view, status, "In progress, OVERDUE")
        if percent == 200:
            assert all(large > small for large, small in zip(widths(), normal, strict=True))
    apply_text_size(100)
    assert widths() == normal


def test_a_changed_action_moves_to_its_place_and_a_chosen_row_goes_with_it(qapp) -> None:
    base = plan.ActionSummary(
        id=0,
        service=None,
        title="",
        description="",
        strategy=Strategy.TOOLS,
        owner_name="",
        owner_role="",
        start_on=None,
        due_on=None,
        priority=Priority.MEDIUM,
        status=ActionStatus.PLANNED,
        dropped_reason="",
        outcome_measure="",
        outcome_unit="",
        outcome_baseline=None,
        outcome_target=None,
        source=ActionSource.PLAN,
        source_detail="",
        benchmark_id=None,
        item_code=None,
        restriction_id=None,
    )

    def action(number: int, day: int | None) -> plan.ActionSummary:
        due = None if day is None else TODAY + dt.timedelta(days=day)
        return replace(base, id=number, title=f"Action {number}", due_on=due)

    days = [0, 10, 20, 30, 40, None]
    for moving in range(len(days)):
        for day in (-5, 5, 15, 25, 35, 45, None):
            model = ActionModel()
            model.set_records([action(n, d) for n, d in enumerate(days)], TODAY)
            followed = QPersistentModelIndex(model.index(moving, 0))
            model.put(action(moving, day))
            orders = [a.plan_order for a in model.records()]
            assert orders == sorted(orders)
            assert followed.data(ID_ROLE) == moving
            assert model.rowCount() == len(days)
    model.put(action(99, 12))  # a new one
    assert [a.id for a in model.records()][:3] == [0, 1, 99]
