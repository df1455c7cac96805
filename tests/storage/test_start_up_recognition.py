"""Start-up opens only a data file it recognises: a missing one is made new, anything else that
is not RRN Self-Audit's sound data is refused in plain words and left byte for byte as it was.
`check`, start-up and every command use the same judgement and the same words."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.cli import main
from rrn_desktop.core.services import list_services
from rrn_desktop.storage import database
from rrn_desktop.storage.backups import back_up, create_backup
from rrn_desktop.storage.check_stamp import STAMP_NAME
from rrn_desktop.storage.database import CREATING_NAME, open_database
from rrn_desktop.storage.errors import DamagedDatabaseError, UnrecognisedDataError
from rrn_desktop.storage.file_check import EarlyCheck, read_only_uri
from rrn_desktop.storage.restore import restore_backup
from tests.storage.test_backups import sha256


def another_programs_database(path: Path) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    connection.execute("INSERT INTO recipes (title) VALUES ('Bara brith')")
    connection.commit()
    connection.close()


def without_its_version_row(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM alembic_version")
    connection.commit()
    connection.close()


def flip_an_index(path: Path) -> None:
    """Damage that only the full check sees: the rows are whole, an index's keys are not."""
    connection = sqlite3.connect(path)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    [root] = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE type='index' AND tbl_name='service' "
        "AND rootpage > 0 ORDER BY name LIMIT 1"
    ).fetchone()
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        page = bytearray(handle.read(page_size))
        # An index leaf's cells (its keys) are packed at the end of the page.
        for offset in range(page_size - 120, page_size - 8, 7):
            page[offset] ^= 0x55
        handle.seek((root - 1) * page_size)
        handle.write(page)


def pragma(path: Path, name: str) -> list[str]:
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return [row[0] for row in connection.execute(f"PRAGMA {name}")]
    finally:
        connection.close()


UNRECOGNISED = {
    "empty": (lambda path: path.write_bytes(b""), "is empty (0 bytes)"),
    "another program's": (another_programs_database, "belongs to another program"),
    "text": (lambda path: path.write_text("My notes\n" * 50), "is not a database"),
    "no version row": (without_its_version_row, "has lost its data version"),
}


@pytest.mark.parametrize("kind", UNRECOGNISED)
@pytest.mark.parametrize("early", [False, True], ids=["opened", "checked early"])
def test_a_data_file_it_cannot_recognise_is_refused_and_left_untouched(
    kind: str, early: bool, demo_dir: Path
) -> None:
    spoil, words = UNRECOGNISED[kind]
    path = demo_dir / DATABASE_NAME
    spoil(path)
    before = sha256(path)
    with pytest.raises(UnrecognisedDataError) as refused:
        open_database(demo_dir, EarlyCheck(demo_dir) if early else None)
    assert refused.value.message.startswith(f"The data file {path} {words}")
    assert refused.value.message.endswith("It has not been changed.")
    assert "alembic" not in refused.value.message.lower()
    assert sha256(path) == before
    assert not (demo_dir / f"{DATABASE_NAME}-wal").exists()
    assert not (demo_dir / f"{DATABASE_NAME}-journal").exists()


@pytest.mark.parametrize("kind", ["empty", "another program's"])
def test_a_restore_keeps_an_unrecognised_file_aside_with_its_bytes(
    kind: str, demo_dir: Path
) -> None:
    with open_database(demo_dir) as db:
        backup = back_up(db).path
        services = {service.name for service in list_services(db)}
    path = demo_dir / DATABASE_NAME
    UNRECOGNISED[kind][0](path)
    original = path.read_bytes()
    result = restore_backup(demo_dir, backup)
    assert result.previous_was_damaged
    assert result.previous is not None and result.previous.read_bytes() == original
    with open_database(demo_dir) as db:
        assert {service.name for service in list_services(db)} == services


def test_damage_only_the_full_check_sees_is_caught_when_the_file_has_changed(
    demo_dir: Path,
) -> None:
    path = demo_dir / DATABASE_NAME
    open_database(demo_dir).close()  # found sound, and remembered as such
    assert (demo_dir / STAMP_NAME).exists()
    flip_an_index(path)
    assert pragma(path, "quick_check") == ["ok"]
    assert pragma(path, "integrity_check") != ["ok"]
    before = sha256(path)
    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(demo_dir, EarlyCheck(demo_dir))
    assert refused.value.message.startswith(f"The data file {path} is damaged: a check of its")
    assert sha256(path) == before


def test_a_file_unchanged_since_its_last_good_check_is_not_read_through_again(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(demo_dir).close()
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced)
    open_database(demo_dir).close()
    assert "PRAGMA quick_check" in statements
    assert "PRAGMA integrity_check" not in statements
    # A change the app did not make (another program, a sync tool) means the full check again.
    os.utime(demo_dir / DATABASE_NAME)
    statements.clear()
    open_database(demo_dir).close()
    assert "PRAGMA integrity_check" in statements


def test_the_last_check_stamp_that_cannot_be_written_is_skipped(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def no_room(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", no_room)
    with open_database(demo_dir) as db:
        assert list_services(db)
    assert not (demo_dir / STAMP_NAME).exists()


def test_a_new_data_file_is_made_whole_under_another_name_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    real_build = database._build_new

    def power_cut(path: Path) -> None:
        real_build(path)
        raise KeyboardInterrupt  # stopped before the finished file took its name

    monkeypatch.setattr(database, "_build_new", power_cut)
    with pytest.raises(KeyboardInterrupt):
        open_database(folder)
    assert not (folder / DATABASE_NAME).exists()  # so the next start still sees "new"
    assert (folder / CREATING_NAME).exists()
    monkeypatch.undo()
    with open_database(folder) as db:
        assert list_services(db) == []
    assert not (folder / CREATING_NAME).exists()


def test_check_agrees_with_start_up_in_the_same_words(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_dir / DATABASE_NAME
    another_programs_database(path)
    with pytest.raises(UnrecognisedDataError) as refused:
        open_database(demo_dir)
    assert main(["--data-dir", str(demo_dir), "check"]) == 1
    said = capsys.readouterr()
    assert "Database: not RRN Self-Audit data (it belongs to another program)" in said.out
    assert f"Problem: {refused.value.message}" in said.out


def test_check_of_a_missing_folder_says_so_and_makes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing here"
    assert main(["--data-dir", str(missing), "check"]) == 1
    said = capsys.readouterr()
    assert f"There is no data folder at {missing}" in said.out + said.err
    assert "no problems found" not in said.out
    assert list(tmp_path.iterdir()) == []


def test_check_of_a_file_says_it_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder\n")
    assert main(["--data-dir", str(a_file), "check"]) == 1
    said = capsys.readouterr()
    assert f"{a_file} is a file, not a data folder. Nothing was changed." in said.out
    assert "no problems found" not in said.out
    assert a_file.read_text() == "not a folder\n"


def test_evidence_no_record_points_to_is_reported_and_left_out_of_backups(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = demo_dir / EVIDENCE_DIR / "left-by-a-killed-import.pdf"
    stray.write_bytes(b"%PDF-1.4 half an import")
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    out = capsys.readouterr().out
    assert "Warning: 1 file in" in out and "no record points to" in out
    assert "left-by-a-killed-import.pdf" in out
    info = create_backup(demo_dir / DATABASE_NAME, demo_dir / EVIDENCE_DIR, tmp_path / "b.zip")
    assert info.evidence_files == 3  # the demo's own, not the stray file
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert f"{EVIDENCE_DIR}/{stray.name}" not in archive.namelist()


def test_a_command_that_meets_damage_gives_the_damaged_message_and_the_restore_command(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(demo_dir) as db:
        backup = back_up(db).path
    connection = sqlite3.connect(demo_dir / DATABASE_NAME)
    connection.execute("UPDATE restriction SET status = 'WOBBLY'")
    connection.commit()
    connection.close()
    before = sha256(demo_dir / DATABASE_NAME)
    argv = ["--data-dir", str(demo_dir), "report", "pack", "--out", str(tmp_path / "pack.pdf")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "unexpected" not in err
    assert (
        f"The data file {demo_dir / DATABASE_NAME} is damaged: a record in it holds a value" in err
    )
    assert err.rstrip().endswith(f"Restore the newest backup with: rrn-desktop restore {backup}")
    assert sha256(demo_dir / DATABASE_NAME) == before
    # Found damaged, it is read through again at the next start (and still opens: it is whole).
    assert not (demo_dir / STAMP_NAME).exists()
