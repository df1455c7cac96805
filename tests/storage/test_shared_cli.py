"""IT's side of a shared database, from the command line: set it up, copy a data folder in,
add a person, give them one service; the person then sees only that service."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from rrn_desktop.cli import main
from tests.shared_server import SharedServer

WILLOW = "Willow House care home (demo)"
KESTREL = "Kestrel Lodge children's home (demo)"


def test_setup_load_add_a_person_and_grant_one_service(
    shared_server: SharedServer,
    demo_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = shared_server.new_database()
    owner = shared_server.url(name)
    it = ["--data-dir", str(tmp_path / "it"), "--database", owner]

    assert main([*it, "shared", "setup"]) == 0
    assert main([*it, "shared", "setup"]) == 0
    assert main([*it, "shared", "load", str(demo_dir)]) == 0
    said = capsys.readouterr().out
    assert "The shared database is set up." in said and "already set up: unchanged" in said
    assert "of 5 services and 3 evidence files" in said
    assert main([*it, "shared", "load", str(demo_dir)]) == 1
    assert "already holds records" in capsys.readouterr().err

    person = f"{shared_server.prefix}_cli_person"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password ŵ\n"))
    assert main([*it, "shared", "add-person", person]) == 0
    assert main([*it, "shared", "grant", person, "--service", "No such home"]) == 1
    assert "No service is called 'No such home'" in capsys.readouterr().err
    assert main([*it, "shared", "grant", person, "--service", WILLOW]) == 0
    assert f"{person} now works in {WILLOW}" in capsys.readouterr().out

    theirs = shared_server.url(name, person, "a long password ŵ")
    out = tmp_path / "group.pdf"
    laptop = ["--data-dir", str(tmp_path / "laptop"), "--database", theirs]
    assert main([*laptop, "report", "group", "--out", str(out)]) == 0
    text = " ".join("".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert WILLOW in text and KESTREL not in text

    wrong = shared_server.url(name, person, "not it")
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path / "laptop"),
                "--database",
                wrong,
                "report",
                "plan",
                "--out",
                str(tmp_path / "plan.pdf"),
            ]
        )
        == 1
    )
    assert "did not accept the name and password" in capsys.readouterr().err
    admin = shared_server.engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"DROP ROLE IF EXISTS {person}")
    admin.dispose()
