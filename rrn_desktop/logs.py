"""A rotating log file in the data folder: where tracebacks go instead of the user's screen."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TextIO

LOG_NAME = "rrn-desktop.log"
logger = logging.getLogger("rrn_desktop")


def start_logging(data_dir: Path) -> Path | None:
    """Log to DATA_DIR/logs; returns the log file, or None if the folder cannot be written."""
    folder = data_dir / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return folder / LOG_NAME


def ensure_standard_streams() -> None:
    """Give the program somewhere harmless to print when it started with no stdout or stderr.

    A windowed (frozen) program on Windows starts with none, and a program started with its
    standard streams closed gets None for them too.
    """
    for number, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            setattr(sys, name, _null_stream(number))


def _null_stream(number: int) -> TextIO:
    mode = "r" if number == 0 else "w"
    try:
        os.fstat(number)
    except OSError:
        # A closed descriptor would be handed to the next file opened (the log, a report), and
        # anything C code writes to stderr, such as Qt's warnings, would land inside that file.
        null = os.open(os.devnull, os.O_RDWR)
        if null != number:
            os.dup2(null, number)
            os.close(null)
        return open(number, mode, encoding="utf-8", closefd=False)
    return open(os.devnull, mode, encoding="utf-8")
