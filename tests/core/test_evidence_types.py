"""Evidence attached in the app is kept as data: under its own extension only when that is a
document or picture type and its contents agree; and typed text is cleaned as imported text is."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import Sector, Strategy
from rrn_desktop.core import benchmarks, plan
from rrn_desktop.core.file_types import opening_risk, stored_suffix
from rrn_desktop.core.services import create_service, list_services
from rrn_desktop.core.text_cleaning import clean_line, clean_text
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database
from tests.core.test_benchmarks import _start

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)
TODAY = dt.date(2026, 12, 5)


def _benchmark(db: Database) -> int:
    return _start(db).id


def test_a_program_renamed_pdf_is_kept_under_a_name_that_never_runs_and_warned_of(
    db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "Training plan 2025.pdf"
    source.write_bytes(PROGRAM)
    evidence = benchmarks.attach_evidence(db, _benchmark(db), "1.1.1", source)
    assert evidence.original_name == "Training plan 2025.pdf"
    assert evidence.stored_path.name.endswith(".pdf-blocked")
    assert evidence.stored_path.read_bytes() == PROGRAM
    risk = opening_risk(evidence.stored_path)
    assert risk is not None
    assert risk.warning(evidence.original_name) == (
        "The file 'Training plan 2025.pdf' is really a Windows program, not a document or "
        "picture. Opening it could run it."
    )


@pytest.mark.parametrize(
    ("name", "contents", "kept_as", "is_what"),
    [
        ("minutes.docx", b"PK\x03\x04 a Word document", ".docx", None),
        ("photo.JPG", b"\xff\xd8\xff\xe0 a photo", ".jpg", None),
        ("notes.txt", b"Debrief notes", ".txt", None),
        ("setup.exe", PROGRAM, ".exe-blocked", "is really a Windows program"),
        ("invite.hta", b"<html><hta:application>", ".hta-blocked", "is really a web page"),
        ("report.html", b"<!DOCTYPE html><p>x</p>", ".html-blocked", "is really a web page"),
        ("drawing.svg", b"<?xml version='1.0'?><svg/>", ".svg-blocked", "is a web page"),
        ("run.vbs", b"MsgBox 1", ".vbs-blocked", "is a script"),
        ("Policy.pdf.lnk", b"\x4c\x00\x00\x00\x01\x14\x02\x00", ".lnk-blocked", "is really a"),
        ("README", b"plain words", ".blocked", "is a file of a type RRN Self-Audit does not"),
        ("odd.t x t", b"plain words", ".blocked", "is a file of a type RRN Self-Audit does not"),
    ],
)
def test_each_file_is_kept_under_a_safe_extension_or_a_neutral_one(
    db: Database, tmp_path: Path, name: str, contents: bytes, kept_as: str, is_what: str | None
) -> None:
    source = tmp_path / name
    source.write_bytes(contents)
    action = plan.create_action(db, "Share the debrief", Strategy.DEBRIEFING, TODAY)
    [evidence] = plan.attach_action_evidence(db, action.id, source).evidence_files
    assert evidence.stored_path.suffix == kept_as
    assert evidence.stored_path.read_bytes() == contents
    assert evidence.original_name == name
    risk = opening_risk(evidence.stored_path)
    if is_what is None:
        assert risk is None
    else:
        assert risk is not None and risk.is_what(name).startswith(is_what)


def test_evidence_kept_by_an_older_version_under_its_own_extension_is_caught_when_opened(
    tmp_path: Path,
) -> None:
    """The check is on the stored file, not only on attaching."""
    old = tmp_path / ("0" * 32 + ".hta")
    old.write_bytes(b"<!-- comment first -->\n<script>alert(1)</script>")
    risk = opening_risk(old)
    assert risk is not None
    assert risk.warning("Training plan 2025.pdf") == (
        "The file 'Training plan 2025.pdf' is really an HTML application, not a document or "
        "picture. Opening it could run it."
    )


def test_stored_names_are_stable_when_carried_again() -> None:
    """A name kept apart once stays as it is through later bundles."""
    for name in ("x.hta-blocked", "x.blocked", "x.pdf-blocked"):
        assert stored_suffix(name, b"") == name[1:]


def test_a_pipe_is_never_attached(db: Database, tmp_path: Path) -> None:
    fifo = tmp_path / "evidence.pdf"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as refused:
        benchmarks.attach_evidence(db, _benchmark(db), "1.1.1", fifo)
    assert refused.value.message == (
        f"The file {fifo} cannot be used: it is a pipe, not a file. Nothing was attached."
    )
    assert list(db.evidence_dir.iterdir()) == []


# --- text -----------------------------------------------------------------------------------------


def test_one_line_text_loses_breaks_and_controls_but_keeps_its_words() -> None:
    assert clean_line("Willow\r\n\r\nHouse") == "Willow House"
    assert clean_line("\n\tWillow  House\t\n") == "Willow  House"  # spaces typed are kept
    assert clean_line("A\x00B\x1bC\x7fD\x9bE") == "ABCDE"
    assert clean_line("abc\u202edcba\u2066x\u2069") == "abcdcbax"
    assert clean_line("one\u2028two\x85three\x0bfour") == "one two three four"
    assert clean_line("Zoë \u2013 café 😊 \u200d") == "Zoë \u2013 café 😊 \u200d"


def test_free_text_keeps_its_lines_and_tabs_but_loses_other_controls() -> None:
    assert clean_text("a\r\nb\rc\u2028d\u2029e\x85f") == "a\nb\nc\nd\ne\nf"
    assert clean_text("col\tcol\n\x00\x07\x0b\x0c\x1b\x7f\u202e") == "col\tcol\n"


def test_cleaning_twice_changes_nothing_more() -> None:
    messy = "\x00 a\n\n b \u202e\tc\r\n"
    assert clean_line(clean_line(messy)) == clean_line(messy)
    assert clean_text(clean_text(messy)) == clean_text(messy)


def test_a_name_typed_with_line_breaks_is_saved_as_one_line(db: Database) -> None:
    create_service(db, "Ash\nCourt\x00", Sector.ADULT_SOCIAL_CARE)
    assert [service.name for service in list_services(db)] == ["Ash Court"]
    with pytest.raises(InputError) as refused:
        create_service(db, "\n\x1b\n", Sector.ADULT_SOCIAL_CARE)
    assert refused.value.message == "The name cannot be left empty."
