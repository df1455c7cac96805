"""The data commands as a person or a script uses them: backup, restore and check."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME
from rrn_desktop.storage.database import SCHEMA_HEAD
from tests.cli.test_cli import run
from tests.conftest import copy_template
from tests.storage.test_backups import (
    damage_in_the_middle,
    evidence_hashes,
    fill_the_disk,
    folder_hashes,
    rewrite_backup,
    sha256,
    table_counts,
)


def restored(backup: Path, folder: Path) -> Path:
    """A data folder made by restoring the backup with the command."""
    result = run("--data-dir", str(folder), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> tuple[Path, Path]:
    """The demo (as the `demo` command makes it), and its backup made by the command."""
    folder = tmp_path_factory.mktemp("data-cli")
    data = copy_template(demo_template, folder / "demo")
    out = folder / "b"
    result = run("--data-dir", str(data), "backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Backed up to {out} (")
    assert "with 3 evidence files" in result.stdout
    return data, out


def test_backup_then_restore_on_a_fresh_folder_gives_the_same_records_and_files(
    demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    data, backup = demo_backup
    fresh = tmp_path / "fresh"
    result = run("--data-dir", str(fresh), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Restored the backup made on ")
    original = table_counts(data / DATABASE_NAME)
    assert table_counts(fresh / DATABASE_NAME) == original
    assert original["service"] == 5 and original["incident"] > 20  # every table, not only empty
    assert evidence_hashes(fresh) == evidence_hashes(data)
    assert len(evidence_hashes(fresh)) == 3
    check = run("--data-dir", str(fresh), "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Evidence files: 3 recorded, 3 present and matching" in check.stdout


def test_a_second_restore_keeps_the_data_it_replaces_as_a_backup(
    demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    _data, backup = demo_backup
    fresh = restored(backup, tmp_path / "fresh")
    again = run("--data-dir", str(fresh), "restore", str(backup))
    assert again.returncode == 0, again.stderr
    [kept] = (fresh / BACKUP_DIR).glob("rrn-backup-*-before-restore.zip")
    assert f"backed up first to {kept}" in " ".join(again.stdout.split())


def test_check_reports_a_database_damaged_in_the_middle_and_changes_nothing(
    demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    _data, backup = demo_backup
    folder = restored(backup, tmp_path / "damaged")
    healthy = run("--data-dir", str(folder), "check")
    assert healthy.returncode == 0, healthy.stderr
    for expected in (f"Database: ok, data version {SCHEMA_HEAD}", "Records:", "Free disk space:"):
        assert expected in healthy.stdout
    assert "  service" in healthy.stdout and "Newest backup: none" in healthy.stdout

    path = folder / DATABASE_NAME
    damage_in_the_middle(path)
    before = sha256(path)
    result = run("--data-dir", str(folder), "check")
    assert result.returncode == 1
    assert "Database: DAMAGED" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("rrn-desktop: 1 problem found. The data file ")
    assert "is damaged" in result.stderr and "Traceback" not in result.stderr
    assert sha256(path) == before


def test_check_finds_a_missing_and_a_changed_evidence_file(
    demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    _data, backup = demo_backup
    folder = restored(backup, tmp_path / "data")
    first, second, _third = sorted((folder / "evidence").iterdir())
    first.unlink()
    second.write_text("changed")
    result = run("--data-dir", str(folder), "check")
    assert result.returncode == 1
    assert "Evidence files: 3 recorded, 1 present and matching" in result.stdout
    assert f"1 evidence file missing from {folder / 'evidence'}: {first.name}" in result.stdout
    assert f"1 evidence file changed since attached: {second.name}" in result.stdout


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("random file", "cannot be restored: it is not an RRN Self-Audit backup (not a zip file)"),
        ("wrong hash", "does not match the hash recorded when the backup was made"),
        ("newer", "holds data from a newer version of RRN Self-Audit (data version 9999"),
    ],
)
def test_restore_refuses_a_bad_file_plainly_and_leaves_the_data_untouched(
    kind: str, reason: str, demo_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    _data, backup = demo_backup
    folder = restored(backup, tmp_path / "data")
    bad = tmp_path / "bad.zip"
    if kind == "random file":
        bad.write_bytes(os.urandom(20_000))
    elif kind == "wrong hash":
        rewrite_backup(backup, bad, change_member=(DATABASE_NAME, b"SQLite format 3\0junk"))
    else:
        rewrite_backup(backup, bad, schema_revision="9999_from_the_future")
    before = folder_hashes(folder)
    result = run("--data-dir", str(folder), "restore", str(bad))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("rrn-desktop: bad.zip cannot be restored: ")
    assert reason in line and line.endswith("Nothing was changed.")
    assert folder_hashes(folder) == before
    assert not (folder / BACKUP_DIR).exists()


@pytest.fixture
def main() -> Iterator[Callable[[list[str]], int]]:
    """The command run in this process (so it can be monkeypatched); its log file let go after."""
    from rrn_desktop.base.logs import logger
    from rrn_desktop.cli import main as run_in_process

    level = logger.level
    yield run_in_process
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


def test_a_full_disk_while_backing_up_is_one_plain_line_and_leaves_no_file(
    main, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    fill_the_disk(monkeypatch)
    stick = tmp_path / "stick"
    stick.mkdir()
    code = main(["--data-dir", str(demo_dir), "backup", "--out", str(stick)])
    assert code == 1
    error = capsys.readouterr().err
    assert error.startswith(f"rrn-desktop: There is not enough free space in {stick} for the")
    assert "nothing was left half-written" in error
    assert list(stick.iterdir()) == []


def test_backup_without_out_goes_to_the_backups_folder(main, demo_dir: Path, capsys) -> None:
    assert main(["--data-dir", str(demo_dir), "backup"]) == 0
    [made] = (demo_dir / BACKUP_DIR).glob("rrn-backup-*.zip")
    assert str(made) in capsys.readouterr().out
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    assert f"Newest backup: {made.name} (0 minutes ago); 1 backup in" in capsys.readouterr().out


def test_help_for_the_data_and_bundle_commands() -> None:
    for command in (["backup"], ["restore"], ["check"], ["import"], ["export", "bundle"]):
        result = run(*command, "--help")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: rrn-desktop {' '.join(command)}")
    assert "--yes" in run("import", "--help").stdout
    assert "--service" in run("export", "bundle", "--help").stdout
