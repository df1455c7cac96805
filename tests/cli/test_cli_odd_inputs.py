"""Odd things typed on the command line: an empty --data-dir, a folder that is not there, a log
that cannot be written, and dates centuries apart. Each gets a plain answer and changes nothing."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest

from rrn_desktop.base.logs import logger
from rrn_desktop.base.paths import DATA_DIR_VARIABLE, default_data_dir
from rrn_desktop.cli import main
from rrn_desktop.core.periods import Period
from rrn_desktop.core.validation import InputError


@pytest.fixture(autouse=True)
def own_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's real data folder, moved into the test's own: nothing may appear there."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    assert home in default_data_dir().parents
    return home


@pytest.fixture(autouse=True)
def log_closed_after() -> None:
    """Each run of main points the log at its own folder; none stays open after the test."""
    yield
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    both = captured.out + captured.err
    assert "Traceback" not in both and "Logging error" not in both and "unexpected" not in both
    return captured.err


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_data_dir_is_refused_not_taken_for_the_real_one(
    empty: str, own_user_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["check"], ["demo"], ["backup"]):
        assert main(["--data-dir", empty, *command]) == 1
        assert _said(capsys) == (
            "rrn-desktop: --data-dir is empty: name the folder that holds the data. "
            "Nothing was changed.\n"
        )
    assert not own_user_folder.exists()


def test_an_empty_data_folder_variable_is_refused_too(
    own_user_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(DATA_DIR_VARIABLE, " ")
    assert main(["demo"]) == 1
    assert f"{DATA_DIR_VARIABLE} is empty: name the folder" in _said(capsys)
    assert not own_user_folder.exists()


def test_check_of_a_missing_folder_leaves_it_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "not made yet"
    main(["--data-dir", str(missing), "check"])
    _said(capsys)
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_check_starts_no_logs_folder_but_other_commands_do(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    assert not (demo_dir / "logs").exists()
    assert main(["--data-dir", str(demo_dir), "report", "plan", "--out", "/nowhere/plan.pdf"]) == 1
    assert "started: report" in (demo_dir / "logs" / "rrn-desktop.log").read_text()
    _said(capsys)


def test_a_log_that_cannot_be_written_prints_no_traceback(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The log is full and due to be set aside, but the name it goes to is taken by a folder:
    logging's own handler would print its traceback on the terminal."""
    logs = demo_dir / "logs"
    logs.mkdir()
    (logs / "rrn-desktop.log").write_bytes(b"x" * 1_100_000)
    (logs / "rrn-desktop.log.1").mkdir()
    (logs / "rrn-desktop.log.1" / "in the way").touch()
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    assert "Result: no problems found." in capsys.readouterr().out
    assert main(["--data-dir", str(demo_dir), "report", "plan", "--out", "/nowhere/p.pdf"]) == 1
    assert "could not be saved because the folder /nowhere does not exist" in _said(capsys)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_check_of_a_read_only_folder_prints_no_traceback(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_dir.chmod(0o555)
    try:
        main(["--data-dir", str(demo_dir), "check"])
        logger.log(logging.ERROR, "a later line, still with nowhere to go")
    finally:
        demo_dir.chmod(0o755)
    _said(capsys)
    assert not (demo_dir / "logs").exists()


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        (
            ["--from", "0001-01-01", "--to", "9999-12-31"],
            "31 December 9999 is too late: a report covers dates up to 31 December",
        ),
        (
            ["--from", "0001-01-01"],
            "1 January 1 is too early: a report covers dates from 1 January 2000 onwards.",
        ),
        (["--to", "0001-01-01"], "1 January 1 is too early"),
        (
            ["--from", "2010-01-01", "--to", "2020-01-01"],
            "The period from 1 January 2010 to 1 January 2020 is longer than 10 years, the "
            "most a report covers. Choose a shorter period.",
        ),
    ],
)
def test_a_huge_date_range_is_refused_at_once(
    dates: list[str], said: str, demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["report", "pack"], ["report", "incidents"], ["export", "xlsx"]):
        out = tmp_path / "out.file"
        assert main(["--data-dir", str(demo_dir), *command, *dates, "--out", str(out)]) == 1
        assert said in _said(capsys)
        assert not out.exists()


def test_ten_years_within_the_range_are_counted() -> None:
    today = dt.date(2026, 12, 5)
    longest = Period.chosen(dt.date(2017, 1, 1), dt.date(2026, 12, 31), today)
    assert (longest.start, longest.end) == (dt.date(2017, 1, 1), dt.date(2026, 12, 31))
    assert Period.chosen(dt.date(2000, 1, 1), dt.date(2009, 12, 31), today).start.year == 2000
    assert Period.chosen(None, dt.date(2027, 12, 31), today).end == dt.date(2027, 12, 31)
    with pytest.raises(InputError, match="longer than 10 years"):
        Period.chosen(dt.date(2016, 12, 31), dt.date(2026, 12, 31), today)
    with pytest.raises(InputError, match="1 January 2028 is too late"):
        Period.chosen(None, dt.date(2028, 1, 1), today)
    with pytest.raises(InputError, match="31 December 1999 is too early"):
        Period.chosen(dt.date(1999, 12, 31), None, today)
