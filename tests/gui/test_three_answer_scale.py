"""A self-assessment with its own three-answer scale (Yes / Partly / No), added from a file and
rated through the window with the keyboard: its answers, scores and colours are in the
benchmark report, the inspection pack, the spreadsheet and a bundle imported into a second
data folder that never had the pack."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from rrn_desktop.core import instrument_catalogue as catalogue
from rrn_desktop.core.benchmarks import get_benchmark, list_benchmarks
from rrn_desktop.core.bundle import apply_import, export_bundle, plan_import, read_bundle
from rrn_desktop.core.palette import RAG_COLOURS, answer_colour
from rrn_desktop.core.services import find_service
from rrn_desktop.gui.benchmark_dialogs import NewBenchmarkDialog
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.reports.pack_report import OTHER_PART_TITLE, write_pack_report
from rrn_desktop.reports.xlsx_export import export_xlsx
from rrn_desktop.storage.database import open_database
from tests.conftest import copy_template
from tests.gui.conftest import select_service
from tests.reports.helpers import read_pdf

WILLOW = "Willow House care home (demo)"
TITLE = "Group quality check ŵ"
PACK = f'''
id = "group-check"
title = "{TITLE}"
version = "1"
source = "Brambleford Care Partnership's own check (fictional demo)."
wording_note = "Our own words."
scoring_note = "Yes counts 2, Partly 1, No 0."
rag_note = "A planning cue."

[[rating_scale]]
key = "yes"
label = "Yes"
points = 2
shortcut = "1"
description = "It happens, and we can show it."

[[rating_scale]]
key = "partly"
label = "Partly"
points = 1
shortcut = "2"
description = "Sometimes, or in some places."

[[rating_scale]]
key = "no"
label = "No"
points = 0
shortcut = "3"
description = "Not yet."

[[rag]]
colour = "green"
label = "Green"
min_percent = 80
meaning = "Largely in place."

[[rag]]
colour = "amber"
label = "Amber"
min_percent = 50
meaning = "Partly in place."

[[rag]]
colour = "red"
label = "Red"
min_percent = 0
meaning = "A priority."

[[sections]]
id = "people"
title = "People & plans"
summary = "How people are known and planned with."

[[sections.items]]
code = "GC-P-01"
text = "Each person has a plan <written> with them."

[[sections.items]]
code = "GC-P-02"
text = "Plans are reviewed after every incident."

[[sections]]
id = "data"
title = "Using the figures"
summary = "How the figures are used."

[[sections.items]]
code = "GC-D-01"
text = "Figures are read every month."
'''


def test_a_three_answer_scale_from_rating_to_every_output(
    qtbot, open_window, answers, demo_dir: Path, empty_template: Path, tmp_path: Path
) -> None:
    window = open_window(demo_dir)
    answers.open_path = tmp_path / "group check.toml"
    answers.open_path.write_text(PACK, encoding="utf-8")
    window.add_instrument_action.trigger()
    assert not answers.errors

    select_service(window, WILLOW)
    window.new_benchmark_action.trigger()
    dialog = window.findChild(NewBenchmarkDialog)
    dialog.instrument.setFocus()
    qtbot.keyClick(dialog.instrument, Qt.Key.Key_End)
    assert dialog.chosen_instrument() == "group-check"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    page = window.benchmark_page
    editor = page.editor
    assert [b.text() for b in editor.rating_buttons.values()] == [
        "Yes [1]",
        "Partly [2]",
        "No [3]",
        "Not yet rated [0]",
    ]
    assert page.hint.text().startswith(
        "Tip: in the list, press 1 Yes, 2 Partly, 3 No or 0 Not yet rated;"
    )
    page.tree.setFocus()
    page.select_code("GC-P-01")
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):  # each moves on to the next item
        qtbot.keyClick(page.tree, key)
    benchmark = get_benchmark(window._db, page.benchmark.id)
    assert benchmark.ratings() == {"GC-P-01": "yes", "GC-P-02": "partly", "GC-D-01": "no"}
    pack = benchmark.pack()
    assert answer_colour(pack, "yes") == RAG_COLOURS["green"]
    assert answer_colour(pack, "partly") == RAG_COLOURS["amber"]
    assert answer_colour(pack, "no") == RAG_COLOURS["red"]
    db = window._db

    report = read_pdf(write_benchmark_report(db, benchmark.id, tmp_path / "b.pdf").path).flat
    assert "3 of 3 items rated: 1 yes, 1 partly, 1 no." in report
    # People & plans: (2 + 1) of 4 points is 75%, amber; Using the figures: 0%, red.
    assert "People & plans 2 of 2 75% Amber (50% to under 80%)" in report
    assert "Using the figures 1 of 1 0% Red (below 50%)" in report
    assert "Items no or partly" in report

    pack_text = read_pdf(write_pack_report(db, tmp_path / "p.pdf").path).flat
    part_5 = pack_text[pack_text.rindex(OTHER_PART_TITLE) :]
    assert f"{TITLE} How it is scored" in part_5 and "1 yes, 1 partly, 1 no" in part_5

    book = load_workbook(export_xlsx(db, tmp_path / "x.xlsx").path)
    rows = list(book["Benchmark items"].iter_rows(values_only=True))
    header = rows[0]
    ours = [dict(zip(header, row, strict=True)) for row in rows[1:] if "GC-" in str(row)]
    assert {(row["Self-assessment"], row["Version"]) for row in ours} == {(TITLE, "1")}
    assert {row["Item code"]: row["Rating"] for row in ours} == {
        "GC-P-01": "Yes",
        "GC-P-02": "Partly",
        "GC-D-01": "No",
    }

    willow = find_service(db, WILLOW)
    bundle = export_bundle(db, tmp_path / "willow.rrnbundle", service_id=willow.id).path
    catalogue._PARSED.clear()
    with open_database(copy_template(empty_template, tmp_path / "other")) as other:
        apply_import(other, plan_import(other, read_bundle(bundle)))
        there = next(
            b
            for b in list_benchmarks(other, find_service(other, WILLOW).id)
            if b.pack_id == "group-check"
        )
        assert there.ratings() == benchmark.ratings()
        text = read_pdf(write_benchmark_report(other, there.id, tmp_path / "o.pdf").path).flat
        assert f"{TITLE} report" in text and "1 yes, 1 partly, 1 no" in text
