"""Choosing and adding self-assessments in the window: Data → Add a self-assessment… asks
before an upgrade, and New benchmark starts one on the instrument chosen with the keyboard."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import tomli_w
from PySide6.QtCore import Qt

from rrn_desktop.base.vocabulary import Purpose
from rrn_desktop.content.loader import shipped_path
from rrn_desktop.core.benchmarks import get_benchmark, latest_benchmark, start_benchmark
from rrn_desktop.core.dates import long_date
from rrn_desktop.core.instrument_catalogue import instruments
from rrn_desktop.core.services import find_service
from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog
from rrn_desktop.gui.overview_page import FIGURES
from rrn_desktop.storage.database import open_database
from tests.gui.conftest import select_service

WILLOW = "Willow House care home (demo)"


def _upgrade_file(folder: Path) -> Path:
    data = tomllib.loads(shipped_path("six-core-strategies").read_text(encoding="utf-8"))
    data["version"] = "1.1 ŵ"
    data["sections"][0]["items"][0]["text"] = "Leaders own the plan <and> its dates & aims"
    path = folder / "six core 1.1.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_an_instrument_is_added_then_chosen_for_a_new_benchmark(
    qtbot, open_window, answers, demo_dir: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)
    answers.open_path = _upgrade_file(tmp_path)
    answers.confirm = False
    window.add_instrument_action.trigger()
    assert answers.questions == ["Upgrade the self-assessment?"]
    assert instruments(window._db)[1].about.version == "1.0"  # declined: nothing changed
    answers.confirm = True
    window.add_instrument_action.trigger()
    assert instruments(window._db)[1].about.version == "1.1 ŵ"
    window.add_instrument_action.trigger()  # the same file again
    assert answers.errors and "is already added" in answers.errors[-1]

    select_service(window, WILLOW)
    window.new_benchmark_action.trigger()
    dialog = window.findChild(NewBenchmarkDialog)
    assert dialog.instrument.currentText() == "Training Standards benchmark"
    dialog.instrument.setFocus()
    qtbot.keyClick(dialog.instrument, Qt.Key.Key_Down)
    assert dialog.chosen_instrument() == "six-core-strategies"
    assert dialog.about.text().startswith("Version 1.1 ŵ: 39 items in 6 sections.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    shown = window.benchmark_page.benchmark
    assert shown is not None
    made = get_benchmark(window._db, shown.id)
    assert (made.pack_id, made.pack_version) == ("six-core-strategies", "1.1 ŵ")
    first = made.pack().sections[0].items[0]
    assert first.text == "Leaders own the plan <and> its dates & aims"


def test_the_start_screen_shows_the_latest_benchmark_on_each_instrument(
    open_window, demo_dir: Path
) -> None:
    with open_database(demo_dir) as db:
        willow = find_service(db, WILLOW)
        trained_on = latest_benchmark(db, willow.id).held_on
        start_benchmark(
            db,
            willow.id,
            dt.date(2026, 11, 2),
            Purpose.SELF_AUDIT,
            [],
            pack_id="six-core-strategies",
        )
    window = open_window(demo_dir)
    window.services.setCurrentRow(0)  # the organisation's overview
    table = window.overview.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[1:3] == [
        "Training Standards\nbenchmark: latest",
        "Six Core Strategies organisational\nself-assessment: latest",
    ]
    assert headers[3] == FIGURES[0]
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    willow_row = [table.item(rows[WILLOW], c).text() for c in (1, 2)]
    assert willow_row == [long_date(trained_on), "2 November 2026"]
    heron = "Heron Ward (demo)"
    assert table.item(rows[heron], 2).text() == "None yet"
