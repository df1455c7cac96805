"""Demo data goes in whole or not at all: a demo stopped part-way, even killed, leaves the data as
it was, and the demo can simply be run again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.cli import main
from rrn_desktop.core.services import list_services
from rrn_desktop.demo import organisation as demo
from rrn_desktop.demo.organisation import load_demo_folder
from rrn_desktop.storage import backups
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.file_check import read_only_uri
from rrn_desktop.storage.restore_journal import RESTORE_STAGING_DIR


def _counts(data_dir: Path) -> dict[str, int]:
    connection = sqlite3.connect(read_only_uri(data_dir / DATABASE_NAME), uri=True)
    try:
        return backups.table_counts(connection)
    finally:
        connection.close()


def _dump(data_dir: Path) -> str:
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def _holds_nothing_half_made(data_dir: Path, empty_template: Path) -> None:
    with open_database(data_dir) as db:  # clears away what a stopped demo built
        assert list_services(db) == []
    assert not (data_dir / RESTORE_STAGING_DIR).exists()
    assert list((data_dir / EVIDENCE_DIR).iterdir()) == []
    assert _counts(data_dir) == _counts(empty_template)


@pytest.mark.slow
def test_a_demo_killed_part_way_leaves_nothing_and_runs_again(
    tmp_path: Path, empty_template: Path, demo_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new laptop"
    running = subprocess.Popen(
        [sys.executable, "-m", "rrn_desktop", "--data-dir", str(folder), "demo"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Killed once the demo is being written: its records are going into the file's log.
    log = folder / RESTORE_STAGING_DIR / f"{DATABASE_NAME}-wal"
    # The wait ends either way: the demo grows its log, or it finishes (and the test fails).
    while not (log.exists() and log.stat().st_size > 200_000):
        assert running.poll() is None, "the demo finished before it could be stopped"
        time.sleep(0.01)
    os.kill(running.pid, signal.SIGKILL)
    running.wait()

    _holds_nothing_half_made(folder, empty_template)
    assert main(["--data-dir", str(folder), "demo"]) == 0
    assert capsys.readouterr().out == f"Demo data added to {folder}.\n"
    assert _counts(folder) == _counts(demo_template)
    assert len(list((folder / EVIDENCE_DIR).iterdir())) == 3


@pytest.mark.slow
def test_a_demo_that_fails_part_way_changes_nothing(
    data_dir: Path, empty_template: Path, demo_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _dump(data_dir)

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(demo, "load_demo_incidents", fail)  # the last step
        with pytest.raises(OSError, match="No space left"):
            load_demo_folder(data_dir)
    assert _dump(data_dir) == before
    _holds_nothing_half_made(data_dir, empty_template)

    load_demo_folder(data_dir)
    assert _counts(data_dir) == _counts(demo_template)


def test_a_folder_that_holds_services_is_left_alone(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _dump(demo_dir)
    assert main(["--data-dir", str(demo_dir), "demo"]) == 1
    assert "already holds services, so demo data was not added" in capsys.readouterr().err
    assert _dump(demo_dir) == before
    assert not (demo_dir / RESTORE_STAGING_DIR).exists()
