"""Speed on a large fictional organisation: start-up, each screen, filtering and saving an edit.

Run: uv run python benchmarks/large_data.py [--services 50] [--years 5] [--keep DIR]
The data is built once (with --keep, in DIR, and reused by later runs), then:
  1. start-up, the median of fresh processes against a bare PySide6 window: to the opening
     window (--quit-after-first-paint, target under 1.5x), to the start screen drawn before the
     ORM loads (--quit-after-first-screen, target under 3x) and to the whole window
     (--quit-after-start);
  2. in one offscreen process, each step a user takes, timed with the events it causes
     processed (target: each under 100 ms, the median of several repeats);
  3. peak memory of that process and of the start-up processes.
Figures on a busy machine are pessimistic: run it with nothing else going on to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import BARE_WINDOW, measuring_environment, time_runs

STARTUP_RUNS = 5
REPEATS = 5
STARTUP_TARGET = 1.5  # times a bare window
FIRST_SCREEN_TARGET = 3.0  # the start screen with the data, drawn before the ORM loads
STEP_TARGET_MS = 100.0
REGISTER_FILTER = "lock"
OWNER_FILTER = "Morgan"


# --- the data ----------------------------------------------------------------------------------


def build(folder: Path, services: int, years: int) -> None:
    from rrn_desktop.core.services import list_services
    from rrn_desktop.demo.large import load_large_demo
    from rrn_desktop.storage.database import open_database

    with open_database(folder) as db:
        if list_services(db):
            print(f"Reusing the data in {folder} (delete it to build it again).")
            return
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % 10 == 0 or done == total:
                print(f"  {done} of {total} services ({time.perf_counter() - started:.0f} s)")

        summary = load_large_demo(db, services, years, progress=progress)
    print(
        f"Built in {time.perf_counter() - started:.1f} s: {summary.services} services, "
        f"{summary.years} years, {summary.benchmarks} benchmarks, {summary.restrictions} "
        f"register entries, {summary.actions} actions, {summary.incidents} incidents."
    )


# --- 1. start-up -------------------------------------------------------------------------------


def startup(folder: Path) -> dict[str, float]:
    app = [sys.executable, "-m", "rrn_desktop", "--data-dir", str(folder)]
    runs = {
        "bare": time_runs([sys.executable, "-c", BARE_WINDOW], STARTUP_RUNS),
        "first paint": time_runs([*app, "--quit-after-first-paint"], STARTUP_RUNS),
        "first screen": time_runs([*app, "--quit-after-first-screen"], STARTUP_RUNS),
        "start": time_runs([*app, "--quit-after-start"], STARTUP_RUNS),
    }
    return {name: statistics.median(seconds) for name, seconds in runs.items()}


# --- 2. the walk through the screens (in a process of its own) ----------------------------------


def walk(folder: Path) -> dict[str, list[float]]:
    """Every figure in milliseconds; run in a fresh process so its peak memory is its own."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from rrn_desktop.core import benchmarks
    from rrn_desktop.gui import dialogs
    from rrn_desktop.gui.main_window import FIRST_SERVICE_ROW, MainWindow
    from rrn_desktop.gui.starting import application
    from rrn_desktop.storage.database import open_database

    problems: list[str] = []
    # A dialog would wait for a click that never comes: refuse them all, and say so at the end.
    dialogs.show_error = lambda _parent, _title, text: problems.append(text)
    dialogs.show_information = lambda _parent, _title, _text: None
    dialogs.ask_confirmation = lambda *_args: False
    dialogs.ask_text = lambda *_args: None

    results: dict[str, list[float]] = {}
    application()

    def timed(name: str, step: Callable[[], object]) -> None:
        started = time.perf_counter()
        step()
        QApplication.processEvents()
        results.setdefault(name, []).append((time.perf_counter() - started) * 1000)

    db = open_database(folder)
    started = time.perf_counter()
    window = MainWindow(db)
    window.show()
    QTest.qWaitForWindowExposed(window)
    QApplication.processEvents()
    results["main window opened (overview)"] = [(time.perf_counter() - started) * 1000]

    services = window.services
    rows = list(range(FIRST_SERVICE_ROW, services.count()))
    # Services spread through the list, so each switch is to one not shown before.
    chosen = [rows[(index * len(rows)) // (REPEATS + 1)] for index in range(REPEATS + 1)]
    page = window.service_page

    for number in range(REPEATS):
        services.setCurrentRow(chosen[number])
        QApplication.processEvents()
        timed("overview (from a service)", lambda: services.setCurrentRow(0))
        timed(
            "service page (from the overview)", lambda n=number: services.setCurrentRow(chosen[n])
        )
        timed("switch service", lambda n=number: services.setCurrentRow(chosen[n + 1]))
        for index, name in enumerate(("benchmarks", "register", "incidents")):
            timed(f"service tab: {name}", lambda i=index: page.tabs.setCurrentIndex(i))
        page.tabs.setCurrentIndex(0)
        timed(
            "open latest benchmark", lambda: page.open_benchmark.emit(page.selected_benchmark_id())
        )
        timed("back to service", window.back_to_service)
        timed("plan page (from a service)", lambda: services.setCurrentRow(1))
        for index, name in enumerate(("by strategy", "all actions", "timeline", "pledge")):
            timed(f"plan tab: {name}", lambda i=index: window.plan_page.tabs.setCurrentIndex(i))
        window.plan_page.tabs.setCurrentIndex(0)

    # Filtering the register: typed a key at a time, each key timed.
    panel = page.restrictions
    for number in range(REPEATS):
        services.setCurrentRow(chosen[number])
        page.tabs.setCurrentWidget(panel)
        QApplication.processEvents()
        for character in REGISTER_FILTER:
            timed("register filter, a key", lambda c=character: QTest.keyClicks(panel.filter, c))
        timed("register filter, cleared", panel.filter.clear)

    # Filtering the action list by owner, and by service.
    plan_page = window.plan_page
    services.setCurrentRow(1)
    plan_page.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    for number in range(REPEATS):
        for character in OWNER_FILTER:
            timed(
                "action list filter, a key",
                lambda c=character: QTest.keyClicks(plan_page.owner_filter, c),
            )
        timed("action list filter, cleared", plan_page.owner_filter.clear)
        timed(
            "action list, one service chosen",
            lambda n=number: plan_page.service_filter.setCurrentIndex(2 + n),
        )
        timed("action list, every service", lambda: plan_page.service_filter.setCurrentIndex(0))

    # Saving edits: an action's title, a register entry's text, a benchmark rating.
    editor = plan_page.editor
    plan_page.table.setCurrentIndex(plan_page.filter.index(0, 0))
    QApplication.processEvents()
    original = editor.title.text()
    for number in range(REPEATS):
        title = original if number % 2 else f"{original} (checked)"

        def save_title(text: str = title) -> None:
            editor.title.setText(text)
            editor.flush()

        timed("save an action's title", save_title)
    editor.title.setText(original)
    editor.flush()

    services.setCurrentRow(chosen[0])
    page.tabs.setCurrentWidget(panel)
    QApplication.processEvents()
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    QApplication.processEvents()
    entry_editor = panel.editor
    field = entry_editor.texts["alternatives"]
    before = field.toPlainText()
    for number in range(REPEATS):

        def save_entry(text: str = f"{before} Checked again ({number + 1}).") -> None:
            field.setPlainText(text)
            entry_editor.flush()

        timed("save a register entry's text", save_entry)
    field.setPlainText(before)
    entry_editor.flush()

    unsigned = None
    for row in rows:  # a service still finishing its latest benchmark
        services.setCurrentRow(row)
        QApplication.processEvents()
        latest = benchmarks.get_benchmark(db, page.selected_benchmark_id())
        if not latest.signed_off:
            unsigned = latest
            break
    if unsigned is not None:
        window.open_benchmark(unsigned.id)
        QApplication.processEvents()
        tree = window.benchmark_page.tree
        tree.setFocus()
        for number in range(REPEATS):
            key = Qt.Key.Key_1 if number % 2 else Qt.Key.Key_2
            timed("save a benchmark rating (key press)", lambda k=key: QTest.keyClick(tree, k))

    window.close()
    db.close()
    if problems:
        raise SystemExit("The walk was refused: " + " / ".join(problems))
    return results


# --- the report --------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(
    start: dict[str, float], steps: dict[str, list[float]], memory: dict[str, float]
) -> None:
    bare = start["bare"]
    print(f"\n1. Start-up (median of {STARTUP_RUNS} fresh processes, offscreen)")
    print(f"  {'case':40} {'median s':>9} {'x bare':>7} {'target':>8}")
    print(f"  {'bare PySide6 window':40} {bare:9.3f} {1:7.2f}")
    for name, label, target in (
        ("first paint", "--quit-after-first-paint", STARTUP_TARGET),
        ("first screen", "--quit-after-first-screen", FIRST_SCREEN_TARGET),
        ("start", "--quit-after-start", None),
    ):
        ratio = start[name] / bare
        if target is None:
            print(f"  {label:40} {start[name]:9.3f} {ratio:7.2f}")
            continue
        verdict = _verdict(ratio < target)
        print(f"  {label:40} {start[name]:9.3f} {ratio:7.2f} {f'< {target:g}x':>8}  {verdict}")
    print(f"\n2. Steps in one process (ms; median of the repeats; target under {STEP_TARGET_MS:g})")
    print(f"  {'step':40} {'median':>8} {'max':>8} {'n':>3}")
    for name, times in steps.items():
        median = statistics.median(times)
        verdict = _verdict(median < STEP_TARGET_MS)
        print(f"  {name:40} {median:8.1f} {max(times):8.1f} {len(times):3}  {verdict}")
    print("\n3. Peak memory (resident set, MB)")
    print(f"  {'the walk through the screens (one process)':48} {memory['walk']:8.1f}")
    print(f"  {'largest start-up process':48} {memory['startup']:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the data in this folder")
    parser.add_argument("--walk", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.walk:
        steps = walk(args.walk)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
        print(json.dumps({"steps": steps, "peak_mb": peak}))
        return
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary) / "large"
        build(folder, args.services, args.years)
        start = startup(folder)
        startup_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        child = subprocess.run(
            [sys.executable, __file__, "--walk", str(folder)],
            env=measuring_environment(),
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            sys.exit(f"The walk through the screens failed:\n{child.stderr}")
        walked = json.loads(child.stdout.strip().splitlines()[-1])
    report(start, walked["steps"], {"walk": walked["peak_mb"], "startup": startup_peak})


if __name__ == "__main__":
    main()
