"""A rotating log file in the data folder: where tracebacks go instead of the user's screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

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
