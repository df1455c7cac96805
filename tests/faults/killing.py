"""Kill a writer (SIGKILL) at random moments, again and again on one data folder, and check
after every kill that the file is sound and holds every edit the writer had confirmed.

Shared by tests/faults/test_kill.py (a short run in the suite) and benchmarks/kill_test.py (a
long run). The writer is tests/faults/writer.py, started as its own process.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME
from rrn_desktop.storage.database import open_database

REPO = Path(__file__).resolve().parents[2]
WRITER = "tests.faults.writer"
STARTUP_KILL_SHARE = 0.15  # this share of kills lands while the writer is still starting up
FIRST_STARTUP_GUESS = 0.6  # seconds from starting to 'ready'; then the last run's is used
KILL_DELAY = (0.003, 0.3)  # seconds after the writer said it was ready
APP_CHECK_EVERY = 5  # every so often the check opens the folder as the app does, not read-only
READY_TIMEOUT = 60.0


class WriterFailed(AssertionError):
    """The writer stopped on its own (it could not open the data folder, or an edit failed)."""


@dataclass
class KillFigures:
    kills: int = 0
    startup_kills: int = 0
    confirmed: int = 0
    lost: int = 0
    integrity: str = "ok"
    lock_left_behind: int = 0  # kills after which the lock file was still there (it may be)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"kills: {self.kills}, confirmed edits: {self.confirmed}, lost: {self.lost}, "
            f"integrity: {self.integrity}"
        )

    def detail(self) -> str:
        return (
            f"{self.line()} ({self.startup_kills} kills during start-up; lock file left behind "
            f"after {self.lock_left_behind} kills and never in the way; {self.seconds:.1f} s)"
        )


def _key(check: dict[str, Any]) -> str:
    return json.dumps(check["cell"], sort_keys=True)


@dataclass
class Expectations:
    """Everything confirmed so far: the latest value of each cell, rows and evidence files."""

    cells: dict[str, tuple[list[Any], Any]] = field(default_factory=dict)
    rows: list[list[Any]] = field(default_factory=list)
    files: list[list[str]] = field(default_factory=list)

    def add(self, checks: list[dict[str, Any]]) -> None:
        for check in checks:
            if "cell" in check:
                self.cells[_key(check)] = (check["cell"], check["value"])
            elif "row" in check:
                self.rows.append(check["row"])
            else:
                self.files.append(check["file"])


def _where(key: dict[str, Any]) -> tuple[str, list[Any]]:
    return " AND ".join(f'"{name}" = ?' for name in key), list(key.values())


def check_folder(
    data_dir: Path,
    expected: Expectations,
    in_flight: list[dict[str, Any]],
    connection: sqlite3.Connection,
) -> list[str]:
    """Problems found: integrity, broken links, and confirmed edits that are not there.

    The one edit that had begun but was not confirmed when the writer died may or may not have
    been saved (it may have committed just before the kill); either is fine. Once it is seen to
    be saved, it is what later checks expect."""
    problems: list[str] = []
    integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity[:5]}")
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        problems.append(f"foreign_key_check: {broken[:5]}")
    maybe = {_key(check): check["value"] for check in in_flight if "cell" in check}
    for key, (cell, value) in expected.cells.items():
        table, where_key, column = cell
        where, parameters = _where(where_key)
        row = connection.execute(
            f'SELECT {column} FROM "{table}" WHERE {where}', parameters
        ).fetchone()
        actual = row[0] if row else None
        if actual == value:
            continue
        if key in maybe and actual == maybe[key]:
            expected.cells[key] = (cell, actual)
            continue
        problems.append(f"lost: {table} {where_key} {column} should be {value!r}, is {actual!r}")
    for table, columns in expected.rows:
        where, parameters = _where(columns)
        if connection.execute(f'SELECT 1 FROM "{table}" WHERE {where}', parameters).fetchone():
            continue
        problems.append(f"lost: no {table} row with {columns}")
    for stored_name, sha256 in expected.files:
        path = data_dir / EVIDENCE_DIR / stored_name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            problems.append(f"lost: evidence file {stored_name} missing or changed")
    return problems


class _Reader(threading.Thread):
    """Reads the writer's lines as they come, so the kill can follow 'ready'."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.lines: list[dict[str, Any]] = []
        self.ready = threading.Event()
        self.ready_at: float | None = None

    def run(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                # A line cut short by the kill can only be the last one, and it was not
                # complete, so it confirmed nothing.
                continue
            self.lines.append(message)
            if message["e"] == "ready":
                self.ready_at = time.monotonic()
                self.ready.set()
        self.ready.set()


def writer_command(data_dir: Path, seed: int, *options: str) -> list[str]:
    return [sys.executable, "-m", WRITER, str(data_dir), str(seed), *options]


@dataclass
class _Run:
    lines: list[dict[str, Any]]
    during_startup: bool
    startup_seconds: float | None


def _run_once(
    data_dir: Path, seed: int, chooser: random.Random, log: Path, startup_guess: float
) -> _Run:
    """Start a writer and kill it at a random moment: while it starts up (imports, opening the
    data folder) or while it edits."""
    with log.open("a", encoding="utf-8") as stderr:
        stderr.write(f"--- writer seed {seed}\n")
        stderr.flush()
        process = subprocess.Popen(
            writer_command(data_dir, seed),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
        )
        started = time.monotonic()
        reader = _Reader(process)
        reader.start()
        if chooser.random() < STARTUP_KILL_SHARE:
            deadline = started + chooser.uniform(0.0, startup_guess)
        else:
            reader.ready.wait(READY_TIMEOUT)
            deadline = time.monotonic() + chooser.uniform(*KILL_DELAY)
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        stopped_by_itself = process.poll() is not None
        if not stopped_by_itself:
            process.send_signal(signal.SIGKILL)
        process.wait()
        reader.join()
        assert process.stdout is not None
        process.stdout.close()
    if stopped_by_itself:
        raise WriterFailed(
            f"The writer (seed {seed}) stopped by itself with code {process.returncode}; see {log}"
        )
    ready = reader.ready_at - started if reader.ready_at is not None else None
    return _Run(reader.lines, ready is None, ready)


def run_kills(
    data_dir: Path,
    kills: int,
    seed: int,
    *,
    log: Path,
    progress: Callable[[KillFigures], None] | None = None,
) -> KillFigures:
    """Kill a writer ``kills`` times on ``data_dir``, checking the folder after every kill."""
    chooser = random.Random(seed)
    figures = KillFigures()
    expected = Expectations()
    lost: set[str] = set()
    seen: set[str] = set()
    started = time.monotonic()
    startup_guess = FIRST_STARTUP_GUESS
    for number in range(kills):
        run = _run_once(data_dir, seed * 100_000 + number, chooser, log, startup_guess)
        lines = run.lines
        figures.kills += 1
        figures.startup_kills += run.during_startup
        if run.startup_seconds is not None:
            startup_guess = run.startup_seconds
        if (data_dir / LOCK_NAME).exists():
            figures.lock_left_behind += 1
        in_flight: list[dict[str, Any]] = []
        for line in lines:
            if line["e"] == "begin":
                in_flight = line["expect"]
            elif line["e"] == "confirmed":
                figures.confirmed += 1
                expected.add(line["expect"])
                in_flight = []
        # Mostly read the folder as it was left (read-only, so the next writer finds the
        # killed one's write-ahead log as it is); every few kills open it as the app does.
        if number % APP_CHECK_EVERY == APP_CHECK_EVERY - 1:
            with open_database(data_dir) as db:
                connection = db.engine.raw_connection()
                try:
                    raw = connection.driver_connection
                    problems = check_folder(data_dir, expected, in_flight, raw)
                finally:
                    connection.close()
        else:
            uri = f"file:{data_dir / DATABASE_NAME}?mode=ro"
            connection = sqlite3.connect(uri, uri=True)
            try:
                problems = check_folder(data_dir, expected, in_flight, connection)
            finally:
                connection.close()
        for problem in problems:
            if problem.startswith("lost: "):
                lost.add(problem)
            else:
                figures.integrity = "FAILED"
            if problem not in seen:
                seen.add(problem)
                figures.problems.append(f"after kill {number + 1}: {problem}")
        figures.lost = len(lost)
        figures.seconds = time.monotonic() - started
        if progress is not None:
            progress(figures)
    return figures
