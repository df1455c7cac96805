"""Killing the app (SIGKILL) while it writes: the file stays sound and keeps every confirmed edit.

A writer process (tests/faults/writer.py) makes real edits through the core API and prints a
line after each one is saved; it is killed at random moments, many times over on one data
folder, and after every kill the folder is checked (tests/faults/killing.py). The longer run
is `uv run python benchmarks/kill_test.py --kills 300`.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.core.services import list_services
from rrn_desktop.storage.database import MIGRATIONS_DIR, open_database
from tests.faults.killing import REPO, Expectations, check_folder, run_kills, writer_command

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"),
    reason="This platform has no SIGKILL (Windows), so a process cannot be killed outright.",
)

KILLS = 40
SEED = 20261124


def test_killed_writers_never_lose_a_confirmed_edit(
    data_dir: Path, tmp_path: Path, report_figures: Callable[[str], None]
) -> None:
    figures = run_kills(data_dir, KILLS, SEED, log=tmp_path / "writers.log")
    summary = f"kill test (seed {SEED}): {figures.detail()}"
    (tmp_path / "kill-figures.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    report_figures(summary)
    assert figures.problems == [], "\n".join(figures.problems[:20])
    assert figures.kills == KILLS and figures.lost == 0 and figures.integrity == "ok"
    # Enough happened for the figures to mean something (even on a slow, busy machine).
    assert figures.confirmed >= KILLS
    # The last killed writer's lock does not stop the app opening the folder.
    with open_database(data_dir) as db:
        assert [service.name for service in list_services(db)] == ["Kill-test home"]


def test_the_check_notices_a_lost_edit(data_dir: Path) -> None:
    """The check can fail: an edit confirmed but not in the file is reported as lost."""
    expected = Expectations()
    expected.add(
        [
            {"cell": ["organisation", {"id": 1}, "name"], "value": "Renamed"},
            {"row": ["action_note", {"text": "A note"}]},
            {"file": ["0123.pdf", "0" * 64]},
        ]
    )
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        problems = check_folder(data_dir, expected, [], connection)
    finally:
        connection.close()
    assert len(problems) == 3 and all(p.startswith("lost: ") for p in problems)


# --- killed while the data folder is being created or updated ---------------------------------


def _make_0004_folder(folder: Path) -> None:
    """A data folder as the previous version left it (schema 0004), with one service in it."""
    folder.mkdir(parents=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(f"sqlite:///{folder / DATABASE_NAME}")
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.exec_driver_sql(
                "INSERT INTO organisation (id, name, created_at) "
                "VALUES (1, 'Org', '2024-01-01 00:00:00')"
            )
            connection.exec_driver_sql(
                "INSERT INTO service (id, organisation_id, name, sector, created_at) "
                "VALUES (1, 1, 'Tŷ Gwyn', 'health', '2024-01-01 00:00:00')"
            )
    finally:
        engine.dispose()


def _statements_to_open(folder: Path) -> int:
    result = subprocess.run(
        writer_command(folder, 0, "--count-statements"),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])["statements"]


@pytest.mark.parametrize("start", ["new folder", "update from 0004"])
def test_a_kill_while_the_folder_is_created_or_updated_leaves_it_usable(
    tmp_path: Path, start: str
) -> None:
    template = tmp_path / "template"
    if start == "new folder":
        template.mkdir()
    else:
        _make_0004_folder(template)
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    total = _statements_to_open(probe)
    services = 0 if start == "new folder" else 1
    # Kill just before statement k, for a few k spread over the whole migration.
    for k in sorted({2, total // 50, total // 8, total // 3, (2 * total) // 3, total - 2}):
        folder = tmp_path / f"killed-at-{k}"
        shutil.copytree(template, folder)
        killed = subprocess.run(
            writer_command(folder, 0, "--die-at-statement", str(k)),
            cwd=REPO,
            capture_output=True,
            check=False,
        )
        assert killed.returncode == -signal.SIGKILL
        with open_database(folder) as db:
            assert len(list_services(db)) == services, f"killed before statement {k}"
        connection = sqlite3.connect(folder / DATABASE_NAME)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            connection.close()
