"""Writing a changed copy of a shipped pack, to see how a broken one is explained."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w


def changed_copy(source: Path, folder: Path, mutate: Callable[[dict], None]) -> Path:
    """The pack at ``source`` after ``mutate`` has changed its data, written to ``folder``."""
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    mutate(data)
    path = folder / f"broken-{source.name}"
    path.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return path
