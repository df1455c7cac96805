"""Bundle signing from the command line: `signing set|show|policy|clear`, signed exports, and
imports of bundles signed here, altered after signing, or not signed at all."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.core.bundle_signing import derive_key, fingerprint
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.signing_key import KEY_FILE
from tests.cli.test_cli import run
from tests.cli.test_cli_data import main  # noqa: F401 - the command run in this process
from tests.core.test_bundle import WILLOW, counts, edit_records, rewrite
from tests.core.test_bundle_signing import rewrite_keeping_signature

PASSPHRASE = "Brambleford kettles whistle at dawn"
FINGERPRINT = fingerprint(derive_key(PASSPHRASE))


def signing(data: Path, *args: str, passphrase: str | None = None) -> subprocess.CompletedProcess:
    """`rrn-desktop signing ...` in a fresh process; the passphrase, if any, on standard input
    (as from a script: not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "rrn_desktop", "--data-dir", str(data), "signing", *args],
        input=f"{passphrase}\n" if passphrase is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def dump(data: Path) -> str:
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


@dataclass(frozen=True)
class Bundles:
    signed: Path
    altered: Path
    unsigned: Path


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Bundles:
    """Willow House exported by the command on a laptop with the key set, the same bundle with
    a service renamed and every checksum recomputed (its signature kept), and Willow House from
    a laptop with no key."""
    folder = tmp_path_factory.mktemp("signing-cli")
    home = shutil.copytree(demo_template, folder / "home")
    assert signing(home, "set", passphrase=PASSPHRASE).returncode == 0
    signed = folder / "willow.rrnbundle"
    made = run(
        "--data-dir", str(home), "export", "bundle", "--out", str(signed), "--service", WILLOW
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.rstrip().endswith(
        f"evidence files, signed with your organisation's key ({FINGERPRINT})."
    )

    def rename(records: dict[str, list[dict[str, object]]]) -> None:
        records["service"][0]["name"] = "Willow House (altered)"

    altered = rewrite_keeping_signature(signed, folder / "altered.rrnbundle", edit_records(rename))
    # The same records, written again without the signature: what a laptop with no key makes.
    unsigned = rewrite(signed, folder / "unsigned.rrnbundle", lambda _members: None)
    return Bundles(signed, altered, unsigned)


@pytest.fixture
def keyed(data_dir: Path) -> Path:
    """An empty laptop of the same organisation: the same passphrase set."""
    assert signing(data_dir, "set", passphrase=PASSPHRASE).returncode == 0
    return data_dir


def test_set_show_policy_and_clear(data_dir: Path, tmp_path: Path) -> None:
    shown = signing(data_dir, "show")
    assert shown.returncode == 0
    assert shown.stdout.startswith("No bundle signing key is set on this laptop.\n")

    made = signing(data_dir, "set", passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    assert f"A bundle signing key is set: fingerprint {FINGERPRINT}." in made.stdout
    assert "Policy: refuse. A bundle that is not signed with this key" in made.stdout
    kept = (data_dir / KEY_FILE).read_text(encoding="utf-8")
    assert "kettles" not in kept and PASSPHRASE not in made.stdout + made.stderr
    # Another laptop, the same passphrase: the same fingerprint.
    other = signing(tmp_path / "other", "set", passphrase=PASSPHRASE)
    assert f"fingerprint {FINGERPRINT}." in other.stdout

    warned = signing(data_dir, "policy", "warn")
    assert warned.returncode == 0
    assert "Policy: warn. Such a bundle can still be imported, but only after" in warned.stdout
    assert signing(data_dir, "show").stdout == warned.stdout

    cleared = signing(data_dir, "clear")
    assert cleared.stdout.startswith("The bundle signing key was removed from this laptop.")
    assert not (data_dir / KEY_FILE).exists()
    again = signing(data_dir, "clear")
    assert again.stdout == "No bundle signing key was set. Nothing was changed.\n"

    refused = signing(data_dir, "policy", "refuse")
    assert refused.returncode == 1
    assert refused.stderr == (
        "rrn-desktop: No bundle signing key is set on this laptop, so there is no policy to "
        "choose. Set the passphrase first. Nothing was changed.\n"
    )
    short = signing(data_dir, "set", passphrase="kettles")
    assert short.returncode == 1 and "too short" in short.stderr
    assert not (data_dir / KEY_FILE).exists()


def test_at_a_terminal_the_passphrase_is_asked_twice_and_must_match(
    main,  # noqa: F811 - the fixture imported above
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    typed = iter([PASSPHRASE, PASSPHRASE + "s"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(typed))
    assert main(["--data-dir", str(data_dir), "signing", "set"]) == 1
    assert capsys.readouterr().err == (
        "rrn-desktop: The two passphrases are not the same. Nothing was changed.\n"
    )
    assert not (data_dir / KEY_FILE).exists()

    typed = iter([PASSPHRASE, PASSPHRASE])
    assert main(["--data-dir", str(data_dir), "signing", "set"]) == 0
    assert FINGERPRINT in capsys.readouterr().out


def test_a_correctly_signed_bundle_imports_and_says_so_first(bundles: Bundles, keyed: Path) -> None:
    result = run("--data-dir", str(keyed), "import", str(bundles.signed), "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"Signed by your organisation's key ({FINGERPRINT}) and unchanged since it was signed."
    )
    with open_database(keyed) as db:
        assert counts(db)["service"] == 1


def test_a_signed_bundle_altered_and_rehashed_is_refused_or_needs_accept_unsigned(
    bundles: Bundles, keyed: Path
) -> None:
    before = dump(keyed)
    refused = run("--data-dir", str(keyed), "import", str(bundles.altered), "--yes")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == (
        "rrn-desktop: altered.rrnbundle cannot be imported: it has been changed since it was "
        "signed with your organisation's key, so it cannot be trusted. Nothing was changed.\n"
    )
    assert dump(keyed) == before

    assert signing(keyed, "policy", "warn").returncode == 0
    warned = run("--data-dir", str(keyed), "import", str(bundles.altered), "--yes")
    assert warned.returncode == 1
    assert warned.stdout.splitlines()[0].startswith(
        "Warning: this bundle has been changed since it was signed with your organisation's key"
    )
    assert warned.stdout.splitlines()[1].startswith(f"altered.rrnbundle: {WILLOW}, from ")
    assert warned.stderr == (
        "rrn-desktop: altered.rrnbundle was not imported: nothing shows it comes from your "
        "organisation. Nothing was changed; if you know who made it, run it again with "
        "--accept-unsigned.\n"
    )
    assert dump(keyed) == before

    accepted = run(
        "--data-dir", str(keyed), "import", str(bundles.altered), "--yes", "--accept-unsigned"
    )
    assert accepted.returncode == 0, accepted.stderr
    with open_database(keyed) as db:
        assert counts(db)["service"] == 1
    with sqlite3.connect(keyed / DATABASE_NAME) as connection:
        assert connection.execute("select name from service").fetchall() == [
            ("Willow House (altered)",)
        ]


def test_an_unsigned_bundle_is_refused_under_refuse(bundles: Bundles, keyed: Path) -> None:
    before = dump(keyed)
    result = run("--data-dir", str(keyed), "import", str(bundles.unsigned), "--yes")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "rrn-desktop: unsigned.rrnbundle cannot be imported: it is not signed with your "
        "organisation's key"
    )
    assert dump(keyed) == before


def test_with_no_key_set_the_import_says_in_one_line_that_the_origin_cannot_be_checked(
    bundles: Bundles, data_dir: Path
) -> None:
    result = run("--data-dir", str(data_dir), "import", str(bundles.unsigned), "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Where this bundle came from cannot be checked: no bundle signing key is set on this "
        "laptop."
    )
    assert result.stdout.splitlines()[1].startswith("unsigned.rrnbundle: ")
