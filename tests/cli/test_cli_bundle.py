"""Moving data between laptops from the command line: export bundle, then import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rrn_desktop.storage.database import open_database
from tests.cli.test_cli import run
from tests.cli.test_cli_data import main  # noqa: F401 - the command run in this process
from tests.core.test_bundle import WILLOW, counts, rewrite


@pytest.fixture
def command(main):  # noqa: F811 - the fixture imported above, under a name of its own
    return main


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("bundle-cli")
    home = shutil.copytree(demo_template, folder / "home")
    out = folder / "willow.rrnbundle"
    result = run(
        "--data-dir", str(home), "export", "bundle", "--out", str(out), "--service", WILLOW
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {out}: 1 service, ")
    assert result.stdout.rstrip().endswith("records, 3 evidence files.")
    return out


def test_import_shows_what_it_adds_then_imports_and_a_second_time_changes_nothing(
    exported: Path, data_dir: Path
) -> None:
    first = run("--data-dir", str(data_dir), "import", str(exported), "--yes")
    assert first.returncode == 0, first.stderr
    assert f"willow.rrnbundle: {WILLOW}, from Brambleford Care Partnership" in first.stdout
    assert "Added: 1 service, 3 benchmarks, " in first.stdout
    assert "Imported " in first.stdout
    with open_database(data_dir) as db:
        after = counts(db)
    assert after["service"] == 1 and after["evidence_file"] == 3

    second = run("--data-dir", str(data_dir), "import", str(exported), "--yes")
    assert second.returncode == 0, second.stderr
    assert "Skipped (this laptop's copy is the same or newer)" in second.stdout
    assert "Nothing to import" in second.stdout
    with open_database(data_dir) as db:
        assert counts(db) == after


def test_a_tampered_bundle_is_one_plain_line_and_changes_nothing(
    exported: Path, data_dir: Path, tmp_path: Path
) -> None:
    def tamper(members: dict[str, bytes]) -> None:
        members["records.json"] = members["records.json"].replace(b"Willow", b"Wallow", 1)

    bad = rewrite(exported, tmp_path / "bad.rrnbundle", tamper)
    result = run("--data-dir", str(data_dir), "import", str(bad), "--yes")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("rrn-desktop: bad.rrnbundle cannot be imported: its records do")
    assert lines[0].endswith("Nothing was changed.")
    assert "Traceback" not in result.stderr
    with open_database(data_dir) as db:
        assert counts(db)["service"] == 0


def test_import_asks_first_and_no_imports_nothing(
    command, exported: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:

    with open_database(data_dir) as db:
        before = counts(db)
    # No one to ask (a script without --yes): refused.
    assert command(["--data-dir", str(data_dir), "import", str(exported)]) == 1
    assert "--yes" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _question: "n")
    assert command(["--data-dir", str(data_dir), "import", str(exported)]) == 0
    assert "Nothing was imported." in capsys.readouterr().out
    with open_database(data_dir) as db:
        assert counts(db) == before

    monkeypatch.setattr("builtins.input", lambda _question: "y")
    assert command(["--data-dir", str(data_dir), "import", str(exported)]) == 0
    assert "Added: 1 service" in capsys.readouterr().out
    with open_database(data_dir) as db:
        assert counts(db)["service"] == 1


def test_export_bundle_explains_an_unknown_service_and_a_missing_folder(
    command, demo_dir: Path, tmp_path: Path, capsys
) -> None:

    out = tmp_path / "x.rrnbundle"
    assert (
        command(
            [
                "--data-dir",
                str(demo_dir),
                "export",
                "bundle",
                "--out",
                str(out),
                "--service",
                "Nowhere",
            ]
        )
        == 1
    )
    assert "No service is called 'Nowhere'" in capsys.readouterr().err
    missing = tmp_path / "no-such-folder" / "x.rrnbundle"
    assert command(["--data-dir", str(demo_dir), "export", "bundle", "--out", str(missing)]) == 1
    error = capsys.readouterr().err
    assert "The bundle could not be saved because the folder" in error
    assert not out.exists()
