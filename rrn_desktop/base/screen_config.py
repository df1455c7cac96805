"""Qt's offscreen platform with a screen of a chosen size: pictures and tests of the windows as
they fit a real laptop, with no display at all."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

# The Windows taskbar along the bottom of the screen, which windows may not cover.
TASKBAR_HEIGHT = 40


def offscreen_platform(width: int, height: int) -> str:
    """The QT_QPA_PLATFORM value for a width x height screen less its taskbar, at the normal
    96 dots per inch."""
    screen = {
        "name": f"{width}x{height} less a taskbar",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height - TASKBAR_HEIGHT,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    path = Path(tempfile.gettempdir()) / f"rrn-desktop-screen-{width}x{height}.json"
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={path}"
