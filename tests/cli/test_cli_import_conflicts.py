"""`import` of a bundle holding records changed on both laptops: listed, and never decided alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.core.history import history_for
from rrn_desktop.storage.database import open_database
from tests.cli.test_cli_data import main  # noqa: F401 - the command run in this process
from tests.core.test_merge_by_counters import (  # noqa: F401 - fixtures used below
    NOTE_HERE,
    NOTE_THERE,
    both_changed,
    note_changed,
    shared,
    title,
)

LISTED = [
    "  1. Register entry 'Kitchen locked from 11pm' at Rowan House",
    "     Title:",
    "       On this laptop: Kitchen locked from 11pm",
    "       In the bundle: Kitchen locked at night",
]


def listed(out: str) -> list[str]:
    """The lines after the heading of the list of records changed on both laptops."""
    lines = out.splitlines()
    start = lines.index("Changed on both laptops since they last exchanged them:") + 1
    return lines[start : start + len(LISTED)]


def test_without_a_choice_the_conflicts_are_listed_and_nothing_is_imported(
    main,  # noqa: F811
    both_changed: tuple[Path, Path, str, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, _b, uid, bundle = both_changed
    assert main(["--data-dir", str(a), "import", str(bundle), "--yes"]) == 1
    out, err = capsys.readouterr()
    assert listed(out) == LISTED
    assert err.strip() == (
        "rrn-desktop: conflict.rrnbundle was not imported: which version to keep has not been "
        "chosen for 1 record changed on both laptops. Nothing was changed; run it again with "
        "--conflicts keep-here or --conflicts take-bundle."
    )
    assert title(a, uid) == "Kitchen locked from 11pm"

    command = ["--data-dir", str(a), "import", str(bundle), "--yes", "--conflicts", "take-bundle"]
    assert main(command) == 0
    assert listed(capsys.readouterr().out) == LISTED
    assert title(a, uid) == "Kitchen locked at night"


def test_at_a_terminal_each_conflict_is_asked_about(
    main,  # noqa: F811
    both_changed: tuple[Path, Path, str, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, _b, uid, bundle = both_changed
    asked: list[str] = []
    replies: Iterator[str] = iter(["maybe", "h", "y"])

    def answer(question: str) -> str:
        asked.append(question)
        return next(replies)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    assert main(["--data-dir", str(a), "import", str(bundle)]) == 0
    assert asked == [
        "1. Keep this laptop's version (h) or take the bundle's version (b)? ",
        "1. Keep this laptop's version (h) or take the bundle's version (b)? ",
        "Import these changes? [y/N] ",
    ]
    assert listed(capsys.readouterr().out) == LISTED
    assert title(a, uid) == "Kitchen locked from 11pm"
    with open_database(a) as db:
        summaries = [entry.summary for entry in history_for(db, uid)]
    assert any("Kitchen locked at night" in text for text in summaries)


def test_two_notes_that_differ_near_the_end_are_listed_whole(
    main,  # noqa: F811
    note_changed: tuple[Path, str, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, _uid, bundle = note_changed
    assert main(["--data-dir", str(a), "import", str(bundle), "--yes"]) == 1
    assert listed(capsys.readouterr().out) == [
        "  1. Register entry 'Kitchen locked' at Rowan House",
        "     Description:",
        f"       On this laptop: {NOTE_HERE}",
        f"       In the bundle: {NOTE_THERE}",
    ]
