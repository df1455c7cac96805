"""Bundles made to do harm: a program dressed as a document, names with line breaks, pipes and
devices instead of files, JSON nested or numbered past any limit. Each is made harmless or
refused plainly, and a refusal changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from rrn_desktop.cli import main
from rrn_desktop.core.bundle import BundleError, apply_import, plan_import, read_bundle
from rrn_desktop.core.file_types import opening_risk
from rrn_desktop.core.services import list_services
from rrn_desktop.reports.pack_report import write_pack_report
from rrn_desktop.reports.plan_report import write_plan_report
from rrn_desktop.reports.restrictions_report import write_restrictions_report
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.models import EvidenceFile, Restriction
from tests.core.test_bundle import TODAY, WILLOW, export_service, rewrite

Members = dict[str, bytes]

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)
SHORTCUT = b"\x4c\x00\x00\x00\x01\x14\x02\x00" + bytes(200)
NUMBER = b'"NUMBER"'
HTA = b'<!-- a note -->\n<script language="VBScript">CreateObject("WScript.Shell").Run "calc"'


@pytest.fixture(scope="module")
def willow(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    home = shutil.copytree(demo_template, folder / "home")
    return export_service(home, folder / "willow.rrnbundle")


def forged(
    records_edit: Callable[[dict[str, list[dict[str, object]]]], None] | None = None,
    evidence: tuple[str, bytes] | None = None,
    number: str = "0",
) -> Callable[[Members], None]:
    """A change as a careful forger would make it: the records edited, the first evidence file
    renamed to ``<hex><suffix>`` with new contents, and every checksum and count made to fit.
    ``number`` is written where an edit put NUMBER, digit for digit (json.dumps itself refuses
    numbers of more than 4,300 digits)."""

    def change(members: Members) -> None:
        records = json.loads(members["records.json"])
        manifest = json.loads(members["manifest.json"])
        if records_edit is not None:
            records_edit(records)
        if evidence is not None:
            suffix, contents = evidence
            record = records["evidence_file"][0]
            old = record["stored_name"]
            new = old[:32] + suffix
            del members[f"evidence/{old}"]
            members[f"evidence/{new}"] = contents
            digest = hashlib.sha256(contents).hexdigest()
            record.update(
                stored_name=new,
                original_name="Training plan 2025.pdf",
                sha256=digest,
                size_bytes=len(contents),
            )
            for entry in manifest["evidence"]:
                if entry["name"] == old:
                    entry.update(name=new, sha256=digest, size_bytes=len(contents))
        members["records.json"] = json.dumps(records).encode().replace(NUMBER, number.encode())
        manifest["records_sha256"] = hashlib.sha256(members["records.json"]).hexdigest()
        manifest["counts"] = {table: len(rows) for table, rows in records.items()}
        names = {r["uid"]: r["name"] for r in records["service"]}
        for service in manifest["scope"]["services"]:
            service["name"] = names[service["uid"]]
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


# --- evidence is only ever data ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "contents", "really"),
    [
        (".hta", HTA, "is really an HTML application"),
        (".exe", PROGRAM, "is really a Windows program"),
        (".lnk", SHORTCUT, "is really a Windows shortcut"),
        (".pdf", PROGRAM, "is really a Windows program"),
    ],
)
def test_a_program_in_a_bundle_is_never_stored_under_a_name_that_runs_it(
    willow: Path, data_dir: Path, tmp_path: Path, suffix: str, contents: bytes, really: str
) -> None:
    bad = rewrite(willow, tmp_path / "bad.rrnbundle", forged(evidence=(suffix, contents)))
    with open_database(data_dir) as db:
        plan = plan_import(db, read_bundle(bad))
        said = plan.describe()
        apply_import(db, plan)
        with db.transaction() as session:
            stored = session.scalars(
                select(EvidenceFile).where(EvidenceFile.original_name == "Training plan 2025.pdf")
            ).one()
            name = stored.stored_name
        kept = db.evidence_dir / name
    assert f"The evidence file 'Training plan 2025.pdf' {really}" in said
    assert "kept under a name no program opens" in said
    assert kept.read_bytes() == contents  # the evidence itself is kept as it was
    assert name.endswith(f"{suffix}-blocked") and not name.endswith(suffix)
    risk = opening_risk(kept)
    assert risk is not None
    assert risk.warning("Training plan 2025.pdf").startswith(
        f"The file 'Training plan 2025.pdf' {really}"
    )


def test_ordinary_evidence_in_a_bundle_keeps_its_own_extension(
    willow: Path, data_dir: Path
) -> None:
    with open_database(data_dir) as db:
        plan = plan_import(db, read_bundle(willow))
        apply_import(db, plan)
        with db.transaction() as session:
            names = session.scalars(select(EvidenceFile.stored_name)).all()
        assert all(opening_risk(db.evidence_dir / name) is None for name in names)
    assert len(names) == 3 and all(name.endswith(".txt") for name in names)
    assert "no program opens" not in plan.describe()


# --- text that reaches reports -------------------------------------------------------------------


def _break_the_service_name(records: dict[str, list[dict[str, object]]]) -> None:
    records["service"][0]["name"] = "W" + "\nW" * 99  # 199 characters, under the 200 limit


def _hide_controls(records: dict[str, list[dict[str, object]]]) -> None:
    restriction = records["restriction"][0]
    restriction["title"] = "Kitchen\r\n\tlocked\x00 at\u202e night\x1b"
    restriction["description"] = "First line\r\nSecond\x0b line\u2028third\x07\twith a tab"


def test_a_service_named_with_99_line_breaks_imports_as_one_line_and_every_report_builds(
    willow: Path, data_dir: Path, tmp_path: Path
) -> None:
    name = "W" + "\nW" * 99
    assert len(name) == 199
    bad = rewrite(willow, tmp_path / "breaks.rrnbundle", forged(_break_the_service_name))
    with open_database(data_dir) as db:
        plan = plan_import(db, read_bundle(bad))
        apply_import(db, plan)
        [service] = list_services(db)
        outputs = [
            write_restrictions_report(db, tmp_path / "register.pdf", today=TODAY),
            write_plan_report(db, tmp_path / "plan.pdf", today=TODAY),
            write_pack_report(db, tmp_path / "pack.pdf", service_id=service.id, today=TODAY),
        ]
    assert service.name == " ".join(["W"] * 100)
    assert "Line breaks or hidden control characters were taken out of 1 piece" in plan.describe()
    for result in outputs:
        assert result.page_count and result.path.read_bytes().startswith(b"%PDF")


def test_one_line_fields_lose_breaks_and_controls_and_free_text_keeps_its_lines(
    willow: Path, data_dir: Path, tmp_path: Path
) -> None:
    bad = rewrite(willow, tmp_path / "controls.rrnbundle", forged(_hide_controls))
    bundle = read_bundle(bad)
    uid = bundle.records["restriction"][0].uid
    with open_database(data_dir) as db:
        apply_import(db, plan_import(db, bundle))
        with db.transaction() as session:
            row = session.scalars(select(Restriction).where(Restriction.uid == uid)).one()
            title, description = row.title, row.description
    assert title == "Kitchen locked at night"
    assert description == "First line\nSecond line\nthird\twith a tab"
    assert "2 pieces of text" in bundle.notes[0]


# --- inputs that are not bundles at all ----------------------------------------------------------


def _returns_at_once(call: Callable[[], object], fifo: Path | None = None) -> object:
    """The call's result (or its error), failing the test if it is still waiting after 10 s."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as error:  # the refusal is the result being tested
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive() and fifo is not None:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the stuck reader go
    assert not worker.is_alive(), "it hung waiting on the input"
    return outcome[0]


def test_a_named_pipe_is_refused_at_once(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "bundle.rrnbundle"
    os.mkfifo(fifo)
    error = _returns_at_once(lambda: read_bundle(fifo), fifo)
    assert isinstance(error, BundleError)
    assert error.message == (
        f"The bundle {fifo} cannot be used: it is a pipe, not a file. Nothing was changed."
    )


def test_an_import_of_a_pipe_or_a_device_returns_at_once_with_a_plain_message(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "bundle.rrnbundle"
    os.mkfifo(fifo)
    for source, reason in ((fifo, "it is a pipe"), (Path("/dev/zero"), "it is a device")):
        code = _returns_at_once(
            lambda source=source: main(["--data-dir", str(data_dir), "import", str(source)]),
            fifo,
        )
        said = capsys.readouterr().err
        assert code == 1
        assert f"{source} cannot be used: {reason}, not a file. Nothing was changed." in said
        assert "unexpected" not in said and "Traceback" not in said


# --- JSON past its limits ------------------------------------------------------------------------


def _deep_manifest(members: Members) -> None:
    manifest = json.loads(members["manifest.json"])
    text = json.dumps(manifest)
    members["manifest.json"] = (text[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}").encode()


def _deep_records(records: dict[str, list[dict[str, object]]]) -> None:
    value: object = []
    for _level in range(100):
        value = [value]
    records["restriction"][0]["title"] = value


def _huge(number: str) -> Callable[[Members], None]:
    def edit(records: dict[str, list[dict[str, object]]]) -> None:
        records["incident"][0]["duration_minutes"] = "NUMBER"

    return forged(edit, number=number)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_deep_manifest, "its manifest.json is nested more than 64 levels deep, so"),
        (forged(_deep_records), "its records.json is nested more than 64 levels deep, so"),
        (_huge(str(2**64)), "its records.json holds a number with more than 18 digits, so"),
        (_huge("9" * 5000), "its records.json holds a number with more than 18 digits, so"),
        (_huge(str(2**63)), "its records.json holds a number with more than 18 digits, so"),
        (_huge("-" + "9" * 19), "its records.json holds a number with more than 18 digits, so"),
    ],
    ids=["deep manifest", "deep records", "2**64", "5000 digits", "2**63", "-(10**19 - 1)"],
)
def test_json_nested_too_deep_or_numbers_too_large_are_refused_plainly(
    willow: Path, data_dir: Path, tmp_path: Path, change: Callable[[Members], None], said: str
) -> None:
    bad = rewrite(willow, tmp_path / "bad.rrnbundle", change)
    with pytest.raises(BundleError) as refused:
        read_bundle(bad)
    assert refused.value.message.startswith(f"bad.rrnbundle cannot be imported: {said}")
    assert refused.value.message.endswith("Nothing was changed.")
    with open_database(data_dir) as db:
        assert list_services(db) == []


def test_the_largest_number_a_record_may_hold_still_imports(
    willow: Path, data_dir: Path, tmp_path: Path
) -> None:
    """18 digits is within the limit and within SQLite's: it is not a number refused for size."""
    bundle = read_bundle(rewrite(willow, tmp_path / "big.rrnbundle", _huge("9" * 18)))
    with open_database(data_dir) as db:
        apply_import(db, plan_import(db, bundle))
        assert [s.name for s in list_services(db)] == [WILLOW]
