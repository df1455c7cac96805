"""Start-up time of `rrn-desktop --quit-after-start` against a bare PySide6 window.

Run: uv run python benchmarks/startup.py [--runs N]
Both are started as fresh processes (offscreen), so the figures include Python and Qt start-up.
The app is measured until its opening window is painted ("first window"); on the demo data
folder (the everyday case), until the start screen shows the data (drawn from plain queries
before the ORM loads) and until the main window has taken its place, every screen ready for
input; and on a new, empty folder (the database made new) until the main window shows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)
window.show()
app.processEvents()
window.repaint()
"""


def measuring_environment() -> dict[str, str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # An installed app runs from compiled bytecode; measure that, not compiling on every start.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def time_runs(command: list[str], runs: int, before_each: object = None) -> list[float]:
    environment = measuring_environment()
    subprocess.run(command, check=True, env=environment, capture_output=True)  # warm-up
    seconds = []
    for _ in range(runs):
        if callable(before_each):
            before_each()
        started = time.perf_counter()
        subprocess.run(command, check=True, env=environment, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    app = [sys.executable, "-m", "rrn_desktop"]
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        subprocess.run(
            [*app, "--data-dir", str(demo), "demo"],
            check=True,
            capture_output=True,
            env=measuring_environment(),
        )
        fresh = Path(folder) / "fresh"

        def clear_fresh() -> None:
            import shutil

            shutil.rmtree(fresh, ignore_errors=True)

        results = {
            "bare PySide6 window": time_runs([sys.executable, "-c", BARE_WINDOW], runs),
            "rrn-desktop, first window": time_runs(
                [*app, "--data-dir", str(demo), "--quit-after-first-paint"], runs
            ),
            "rrn-desktop, demo data": time_runs(
                [*app, "--data-dir", str(demo), "--quit-after-first-screen"], runs
            ),
            "  whole window ready": time_runs(
                [*app, "--data-dir", str(demo), "--quit-after-start"], runs
            ),
            "rrn-desktop, first start": time_runs(
                [*app, "--data-dir", str(fresh), "--quit-after-start"], runs, clear_fresh
            ),
        }
    bare = statistics.median(results["bare PySide6 window"])
    print(f"{'case':28} {'median s':>9} {'min s':>7} {'x bare':>7}   ({runs} runs each)")
    for name, seconds in results.items():
        median = statistics.median(seconds)
        print(f"{name:28} {median:9.3f} {min(seconds):7.3f} {median / bare:7.2f}")


if __name__ == "__main__":
    main()
