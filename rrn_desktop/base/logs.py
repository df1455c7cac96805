"""A rotating log file in the data folder: where tracebacks go instead of the user's screen."""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import Literal, TextIO

LOG_DIR = "logs"
LOG_NAME = "rrn-desktop.log"
logger = logging.getLogger("rrn_desktop")
_MAX_WAITING = 100


class _DataFolderLog(logging.handlers.RotatingFileHandler):
    """The log file in DATA_DIR/logs, opened only when there is something to write and the data
    folder is there: logging never makes the data folder (a mistyped --data-dir would otherwise
    become a new, empty one), but a folder the command has just made is logged into."""

    def __init__(self, data_dir: Path, *, make_folder: bool) -> None:
        super().__init__(
            data_dir / LOG_DIR / LOG_NAME,
            maxBytes=1_000_000,
            backupCount=3,
            encoding="utf-8",
            delay=True,
        )
        self.data_dir = data_dir
        self.make_folder = make_folder
        # Lines written before the command made the data folder (the first start): kept until
        # it is there, so the log of a first start begins where that start began.
        self._waiting: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not self.data_dir.is_dir():
            if len(self._waiting) < _MAX_WAITING:
                self._waiting.append(record)
            return
        waiting, self._waiting = self._waiting, []
        for earlier in waiting:
            super().emit(earlier)
        super().emit(record)

    def close(self) -> None:
        # At the program's end (logging.shutdown): a folder made since then gets its lines.
        if self._waiting and self.data_dir.is_dir():
            waiting, self._waiting = self._waiting, []
            for earlier in waiting:
                super().emit(earlier)
        super().close()

    def _open(self) -> io.TextIOWrapper:
        if not self.data_dir.is_dir():
            raise FileNotFoundError(f"no data folder at {self.data_dir}")
        if self.make_folder:
            self.data_dir.joinpath(LOG_DIR).mkdir(exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        # A log that cannot be written (a read-only folder, a name too long) is simply not
        # written: logging's own report of the failure is a traceback on the terminal.
        if self.stream is not None:
            with contextlib.suppress(OSError):
                self.stream.close()
            self.stream = None


def start_logging(data_dir: Path, *, make_folder: bool = True) -> Path:
    """Log to DATA_DIR/logs/rrn-desktop.log from now on, whenever that can be written; returns
    that file. With make_folder False the logs folder is used only if it is already there."""
    handler = _DataFolderLog(data_dir, make_folder=make_folder)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return Path(handler.baseFilename)


def written_log() -> Path | None:
    """The log file if something has been written to it in this run, else None."""
    for handler in logger.handlers:
        if isinstance(handler, _DataFolderLog) and handler.stream is not None:
            return Path(handler.baseFilename)
    return None


def ensure_standard_streams() -> None:
    """Give the program somewhere harmless to print when it started with no stdout or stderr.

    A windowed (frozen) program on Windows starts with none, and a program started with its
    standard streams closed gets None for them too.
    """
    for number, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            setattr(sys, name, _null_stream(number))


def _null_stream(number: int) -> TextIO:
    mode: Literal["r", "w"] = "r" if number == 0 else "w"
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
