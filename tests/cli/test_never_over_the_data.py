"""No report, export or backup ever lands on the data folder's own files: the data file, the
lock, or a stored evidence file. Each is refused in plain words and the data stays as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rrn_desktop.cli import main
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.reports.output import ReportSaveError, save_atomically
from rrn_desktop.storage.database import DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME, open_database

COMMANDS = [
    ["report", "benchmark"],
    ["report", "restrictions"],
    ["report", "plan"],
    ["report", "incidents"],
    ["report", "pack"],
    ["export", "xlsx"],
    ["export", "tna"],
    ["export", "bundle"],
    ["backup"],
]


def _state(data: Path) -> tuple[str, dict[str, bytes]]:
    """The data as SQLite dumps it, and every stored evidence file's bytes."""
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    evidence = {p.name: p.read_bytes() for p in sorted((data / EVIDENCE_DIR).iterdir())}
    return dump, evidence


@pytest.fixture
def targets(demo_dir: Path) -> dict[str, Path]:
    stored = sorted((demo_dir / EVIDENCE_DIR).iterdir())
    assert stored, "the demo keeps evidence files"
    return {
        "the data file": demo_dir / DATABASE_NAME,
        "its journal": demo_dir / f"{DATABASE_NAME}-wal",
        "the lock": demo_dir / LOCK_NAME,
        "an evidence file": stored[0],
        "a new file among the evidence": demo_dir / EVIDENCE_DIR / "report.pdf",
    }


def test_every_output_aimed_at_the_datas_own_files_is_refused(
    demo_dir: Path, targets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(demo_dir) as db:
        reference = list_incidents(db)[0].reference
    before = _state(demo_dir)
    commands = [*COMMANDS, ["report", "incident", "--ref", reference]]
    for name, target in targets.items():
        for command in commands:
            code = main(["--data-dir", str(demo_dir), *command, "--out", str(target)])
            said = capsys.readouterr().err
            assert code == 1, (command, name)
            assert "would destroy it" in said, (command, name, said)
            assert "unexpected" not in said and "Traceback" not in said
    assert _state(demo_dir) == before
    assert not (demo_dir / EVIDENCE_DIR / "report.pdf").exists()


def test_a_save_chosen_in_a_dialog_is_refused_the_same_way(demo_dir: Path) -> None:
    """The window's save dialogs hand their path to the same writer."""
    before = _state(demo_dir)
    with pytest.raises(ReportSaveError, match="is RRN Self-Audit's own data file"):
        save_atomically(b"%PDF-1.7", demo_dir / DATABASE_NAME)
    assert _state(demo_dir) == before


def test_another_database_is_never_overwritten_but_a_new_file_beside_it_is_written(
    tmp_path: Path,
) -> None:
    other = tmp_path / "someone-elses.db"
    sqlite3.connect(other).close()
    other.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(ReportSaveError, match="is a database file"):
        save_atomically(b"%PDF-1.7", other)
    assert save_atomically(b"%PDF-1.7", tmp_path / "report.pdf").read_bytes() == b"%PDF-1.7"
