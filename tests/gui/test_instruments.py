"""Choosing and adding self-assessments in the window: Data → Add a self-assessment… asks
before an upgrade, and New benchmark starts one on the instrument chosen with the keyboard."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from PySide6.QtCore import Qt

from rrn_desktop.content.loader import shipped_path
from rrn_desktop.core.benchmarks import get_benchmark
from rrn_desktop.core.instrument_catalogue import instruments
from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog
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
