"""How quickly the app answers where a person is waiting for it: refusals, Cancel, start-up backup.

Run: uv run python benchmarks/quick_answers.py [--runs N]
On the demo data (made once in a temporary folder), it prints, as the median of N runs (default
5), in milliseconds:
  1. `report pack`, `report incidents` and `export xlsx` refusing a date range that is too long
     or outside the years a report covers (target: at once, well under a second);
  2. `restore` given a named pipe instead of a backup file, as a fresh process (it must refuse
     it, not wait for ever reading it);
  3. a long report stopped with Cancel: from the click to run_with_progress returning (the
     report checks for Cancel between steps of 10 ms);
  4. the start-up backup: how long daily_backup keeps the window waiting (it hands the backup
     to a thread, so this is a few milliseconds) against how long the backup itself takes.
The test suite checks what these do, not how fast: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REFUSED_RANGES = {
    "10000 years": ["--from", "0001-01-01", "--to", "9999-12-31"],
    "year 1": ["--from", "0001-01-01"],
    "over 10 years": ["--from", "2010-01-01", "--to", "2020-01-01"],
}
COMMANDS = (["report", "pack"], ["report", "incidents"], ["export", "xlsx"])


def _median_ms(step: Callable[[], object], runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000


def refusals(demo: Path, runs: int) -> None:
    from rrn_desktop.cli import main

    print("Refusing a date range (in this process):")
    out = demo.parent / "never.file"
    for command in COMMANDS:
        for name, dates in REFUSED_RANGES.items():

            def refuse(command: list[str] = command, dates: list[str] = dates) -> None:
                with contextlib.redirect_stderr(io.StringIO()):
                    code = main(["--data-dir", str(demo), *command, *dates, "--out", str(out)])
                assert code == 1 and not out.exists(), f"{command} {dates} was not refused"

            print(f"  {' '.join(command):18} {name:14} {_median_ms(refuse, runs):8.1f} ms")


def pipe_restore(demo: Path, runs: int) -> None:
    pipe = demo.parent / "backup.zip"
    os.mkfifo(pipe)
    command = [sys.executable, "-m", "rrn_desktop", "--data-dir", str(demo), "restore", str(pipe)]

    def refuse() -> None:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "it is a pipe" in done.stderr, done.stderr

    print(f"Restore from a pipe, refused (fresh process): {_median_ms(refuse, runs):8.1f} ms")
    pipe.unlink()


def cancel(runs: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

    from rrn_desktop.gui.report_runner import run_with_progress

    parent = QWidget()
    parent.show()
    figures = []
    clicked: list[float] = []
    for _ in range(runs):
        clicked.clear()

        def slow_report(progress: Callable[[float], None]) -> None:
            for step in range(200):
                progress(step / 200)
                time.sleep(0.01)

        def press_cancel() -> None:
            bar = parent.findChild(QProgressDialog)
            assert bar is not None and bar.isVisible()
            clicked.append(time.perf_counter())
            bar.findChild(QPushButton).click()

        QTimer.singleShot(600, press_cancel)
        assert run_with_progress(parent, "Writing…", slow_report) is None
        figures.append((time.perf_counter() - clicked[0]) * 1000)
    parent.close()
    print(
        f"Cancel to stopped (a report of 200 steps of 10 ms): {statistics.median(figures):8.1f} ms"
    )


def start_up_backup(demo_template: Path, work: Path, runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from rrn_desktop.gui.app import daily_backup
    from rrn_desktop.gui.main_window import MainWindow
    from rrn_desktop.storage.database import open_database

    returned, finished = [], []
    for run in range(runs):
        folder = shutil.copytree(demo_template, work / f"backup-run-{run}")
        db = open_database(folder)  # a fresh copy: no backup yet, so one is due
        window = MainWindow(db)
        window.show()
        QApplication.processEvents()
        started = time.perf_counter()
        job = daily_backup(window, db)
        returned.append((time.perf_counter() - started) * 1000)
        while job.thread.is_alive():
            QApplication.processEvents()
            time.sleep(0.001)
        finished.append((time.perf_counter() - started) * 1000)
        window.close()
        db.close()
    print(
        f"Start-up backup: window kept waiting {statistics.median(returned):8.1f} ms, "
        f"the backup written in {statistics.median(finished):8.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    from rrn_desktop.demo.organisation import load_demo
    from rrn_desktop.gui.starting import application
    from rrn_desktop.storage.database import open_database

    application()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        template = work / "template"
        with open_database(template) as db:
            load_demo(db)
        (template / "rrn-desktop.lock").unlink(missing_ok=True)
        demo = shutil.copytree(template, work / "demo")
        refusals(demo, runs)
        pipe_restore(demo, runs)
        cancel(runs)
        start_up_backup(template, work, runs)


if __name__ == "__main__":
    main()
