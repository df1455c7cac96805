"""No report, export or backup ever lands on the data folder's own files: the data file, the
lock, a stored evidence file, a backup, the small JSON files beside the data or the log. Each
is refused in plain words and the data stays as it was; so is a name too long for the disk."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME
from rrn_desktop.base.saving import SaveError, save_atomically
from rrn_desktop.cli import main
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.storage.backups import back_up
from rrn_desktop.storage.database import open_database

COMMANDS = [
    ["report", "benchmark"],
    ["report", "restrictions"],
    ["report", "plan"],
    ["report", "incidents"],
    ["report", "pack"],
    ["export", "xlsx"],
    ["export", "tna"],
    ["export", "figures"],
    ["export", "groups"],
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
    with pytest.raises(SaveError, match="is RRN Self-Audit's own data file"):
        save_atomically(b"%PDF-1.7", demo_dir / DATABASE_NAME)
    assert _state(demo_dir) == before


def test_another_database_is_never_overwritten_but_a_new_file_beside_it_is_written(
    tmp_path: Path,
) -> None:
    other = tmp_path / "someone-elses.db"
    sqlite3.connect(other).close()
    other.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(SaveError, match="is a database file"):
        save_atomically(b"%PDF-1.7", other)
    assert save_atomically(b"%PDF-1.7", tmp_path / "report.pdf").read_bytes() == b"%PDF-1.7"


@pytest.fixture
def kept_beside(demo_dir: Path) -> dict[str, Path]:
    """The data folder's other own files: its backups, its small JSON files and its log."""
    with open_database(demo_dir) as db:
        backup = back_up(db).path
    before_migration = demo_dir / BACKUP_DIR / "before-migration-0005-20261201-101010.sqlite3"
    shutil.copyfile(demo_dir / DATABASE_NAME, before_migration)
    signing = demo_dir / "bundle-signing.json"
    signing.write_text('{"key": "made by the test"}', encoding="utf-8")
    stamp = demo_dir / "last-check.json"
    stamp.write_text('{"checked": "2026-12-01"}', encoding="utf-8")
    log = demo_dir / "logs" / "rrn-desktop.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("2026-12-01 INFO started\n", encoding="utf-8")
    return {
        "a backup": backup,
        "a copy made before an update": before_migration,
        "the signing key": signing,
        "the last check's stamp": stamp,
        "a JSON file not yet there": demo_dir / "settings.json",
        "the log": log,
    }


def test_outputs_aimed_at_backups_json_files_and_the_log_are_refused(
    demo_dir: Path, kept_beside: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(demo_dir)
    kept = {path: path.read_bytes() for path in kept_beside.values() if path.exists()}
    for name, target in kept_beside.items():
        for command in COMMANDS:
            code = main(["--data-dir", str(demo_dir), *command, "--out", str(target)])
            said = capsys.readouterr().err
            assert code == 1, (command, name)
            assert "would destroy it" in said, (command, name, said)
            assert "unexpected" not in said and "Traceback" not in said
    assert _state(demo_dir) == before
    log = kept_beside["the log"]
    # The log goes on growing (each command adds its line), but is never replaced.
    assert log.read_bytes().startswith(kept.pop(log))
    # The app writes its own stamp after a check, but never a report over it.
    stamp = kept_beside["the last check's stamp"]
    kept.pop(stamp)
    assert isinstance(json.loads(stamp.read_bytes()), dict)
    assert {path: path.read_bytes() for path in kept} == kept
    assert not (demo_dir / "settings.json").exists()


def test_a_new_backup_still_goes_into_the_backups_folder(demo_dir: Path) -> None:
    with open_database(demo_dir) as db:
        first = back_up(db).path
        assert main(["--data-dir", str(demo_dir), "backup"]) == 1  # the data is open here
    assert main(["--data-dir", str(demo_dir), "backup", "--out", str(first.parent)]) == 0
    assert len(list((demo_dir / BACKUP_DIR).glob("rrn-backup-*.zip"))) == 2


def test_an_output_name_too_long_for_the_disk_is_explained_plainly(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(demo_dir)
    too_long = "x" * 300
    for out in (tmp_path / f"{too_long}.pdf", tmp_path / too_long / "report.pdf"):
        for command in COMMANDS:
            code = main(["--data-dir", str(demo_dir), *command, "--out", str(out)])
            said = capsys.readouterr().err
            assert code == 1, (command, out)
            assert "the name is too long for the disk. Choose a shorter name" in said, said
            assert "unexpected" not in said and "Traceback" not in said
    assert _state(demo_dir) == before
    assert [path.name for path in tmp_path.iterdir()] == ["demo-data"]
