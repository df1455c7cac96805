"""The Qt binding must not leak or drop references: PySide6 6.12.0 dropped one reference to
None per call of a Qt method returning nothing, and on Python 3.11 the app died after some
thousands of them (on a large data folder, within a few minutes of use)."""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(20_000):
    label.setText("x")
print(before - sys.getrefcount(None))
"""


def test_calling_qt_many_times_leaves_none_alone() -> None:
    # In a separate process: with a faulty binding Python aborts outright.
    done = subprocess.run(
        [sys.executable, "-c", CALLS],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == 0
