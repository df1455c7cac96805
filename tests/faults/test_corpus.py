"""Every case of the fault corpus (tests/faults/corpus.py) through `check`, start-up, `report
pack`, `restore` and `import`: never a traceback, never "something unexpected went wrong", and
after every refusal the data exactly as it was (its SQLite dump and evidence files, or, for a
file the app did not make, its bytes). The counts are printed at the end of the run."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.cli import main
from rrn_desktop.core.bundle import export_bundle
from rrn_desktop.core.bundle_signing import derive_key
from rrn_desktop.demo.organisation import load_demo
from rrn_desktop.storage.backups import back_up
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.file_check import read_only_uri
from rrn_desktop.storage.signing_key import Policy, SigningKey, clear_signing, save_signing
from tests.conftest import summary_lines
from tests.faults.corpus import CASES, Case, Sources

TALLY: Counter[str] = Counter()
# Far longer than a report pack takes on a slow machine; a hang (reading a pipe) never ends.
TIME_LIMIT = 30


@dataclass(frozen=True)
class Run:
    operation: str
    code: int
    said: str


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Sources:
    root = tmp_path_factory.mktemp("corpus")
    folder = shutil.copytree(demo_template, root / "data")
    with open_database(folder) as db:
        backup = back_up(db).path
        shutil.copy(backup, root / "backup.zip")
        export_bundle(db, root / "everything.rrnbundle")
        key = derive_key("Fictional organisation passphrase")
        save_signing(folder, SigningKey(key, Policy.REFUSE))
        export_bundle(db, root / "signed.rrnbundle")
        clear_signing(folder)
    other = root / "other"
    with open_database(other) as db:
        load_demo(db)
    bundles = (root / "everything.rrnbundle", other, root / "signed.rrnbundle", key)
    return Sources(folder, root / "backup.zip", *bundles)


def _release(argv: list[str]) -> None:
    """Open any named pipe in argv for writing, so a reader stuck on it sees its end."""
    for value in argv:
        path = Path(value)
        if path.is_fifo():
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(descriptor)


def run(operation: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> Run:
    """The command line as a person would run it, with what it printed."""
    capsys.readouterr()
    if operation == "start-up":  # the window: on this (the GUI) thread
        code = main(argv)
    else:
        outcome: list[int] = []
        worker = threading.Thread(target=lambda: outcome.append(main(argv)), daemon=True)
        worker.start()
        worker.join(TIME_LIMIT)
        if worker.is_alive():
            _release(argv)
            pytest.fail(f"{operation} {argv} was still running after {TIME_LIMIT} s")
        code = outcome[0]
    out, err = capsys.readouterr()
    return Run(operation, code, out + err)


def _dump(folder: Path) -> str:
    connection = sqlite3.connect(read_only_uri(folder / DATABASE_NAME), uri=True)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def _evidence(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((folder / EVIDENCE_DIR).iterdir())
    }


def sound_state(folder: Path) -> tuple[str, dict[str, str]]:
    """The data as SQLite dumps it, and every evidence file's hash."""
    return _dump(folder), _evidence(folder)


def raw_state(folder: Path) -> dict[str, str]:
    """The bytes of the files the app did not make: the data file and its journal as found."""
    if not folder.is_dir():
        return {folder.name: hashlib.sha256(folder.read_bytes()).hexdigest()}
    # Not the -shm file: SQLite rewrites that index of the journal whenever it opens the data.
    names = (DATABASE_NAME, f"{DATABASE_NAME}-wal")
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in names
        # An empty journal holds nothing; SQLite makes and removes them as it opens and closes.
        if (folder / name).is_file() and (folder / name).stat().st_size > 0
    }


def judge(case: Case, result: Run, before: object, after: object) -> list[str]:
    """What is wrong with one run, in words; tallied either way."""
    TALLY["runs"] += 1
    faults = []
    if "Traceback" in result.said or "Logging error" in result.said:
        TALLY["tracebacks"] += 1
        faults.append("printed a traceback")
    if "something unexpected" in result.said.lower():
        TALLY["unexpected"] += 1
        faults.append('said "something unexpected"')
    if result.code == 0:
        if result.operation in case.must_refuse:
            faults.append("went ahead where it must refuse")
    else:
        if before != after:
            TALLY["changed"] += 1
            faults.append("changed the data while refusing")
        if not result.said.strip():
            faults.append("refused without saying why")
    if faults:
        TALLY["faulty"] += 1
    else:
        TALLY["done safely" if result.code == 0 else "refused cleanly"] += 1
    return [f"{case.name}: {result.operation} {fault}:\n{result.said}" for fault in faults]


def _count(case: Case) -> None:
    TALLY["cases"] += 1
    TALLY[f"{case.kind} cases"] += 1


@pytest.fixture(autouse=True)
def _print_tally(request: pytest.FixtureRequest):
    yield
    lines = summary_lines(request.config, "fault corpus")
    lines[:] = [
        ", ".join(
            f"{TALLY[key]} {key}"
            for key in (
                "cases",
                "runs",
                "refused cleanly",
                "done safely",
                "tracebacks",
                "unexpected",
                "changed",
                "faulty",
            )
        )
        + f" (data {TALLY['data cases']}, inputs {TALLY['input cases']}, "
        f"outputs {TALLY['output cases']})"
    ]


def _fresh(folder: Path, tmp_path: Path) -> Path:
    return shutil.copytree(folder, tmp_path / "data")


def _newest_backup(folder: Path) -> Path:
    return sorted((folder / "backups").glob("rrn-backup-*.zip"))[-1]


def _readable_dump(db_path: Path) -> str | None:
    """Everything SQLite can read of a file, text as raw bytes (so damaged text compares too),
    or None if it cannot read it."""
    try:
        connection = sqlite3.connect(read_only_uri(db_path), uri=True)
        try:
            connection.text_factory = bytes
            tables = [
                name.decode()
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                )
            ]
            rows = [
                repr(sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr))
                for table in tables
            ]
            return "\n".join(rows)
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def _kept(folder: Path, original: dict[str, str], original_dump: str | None) -> bool:
    """The data a restore replaced is still there: the file itself under another name, or
    (when it could be read) the 'before restore' backup of it."""
    here = {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    if set(original.values()) <= here:
        return True
    for backup in (folder / "backups").glob("*before-restore*.zip"):
        copy = folder.parent / "kept.sqlite3"
        copy.write_bytes(zipfile.ZipFile(backup).read(DATABASE_NAME))
        if original_dump is not None and _readable_dump(copy) == original_dump:
            return True
    return False


def _data_case(case: Case, sources: Sources, tmp_path: Path, capsys) -> list[str]:
    folder = _fresh(sources.folder, tmp_path)
    made = case.make(sources, folder)
    target = made if made is not None else folder
    original = raw_state(target)
    original_dump = _readable_dump(target / DATABASE_NAME) if target.is_dir() else None
    found: list[str] = []
    operations = {
        "check": ["--data-dir", str(target), "check"],
        "start-up": ["--data-dir", str(target), "--quit-after-start"],
        "report pack": [
            *("--data-dir", str(target), "report", "pack"),
            *("--out", str(tmp_path / "pack.pdf")),
        ],
        "import": ["--data-dir", str(target), "import", str(sources.bundle), "--yes"],
    }
    for operation, argv in operations.items():
        before = raw_state(target)
        result = run(operation, argv, capsys)
        # SQLite may add its empty side files beside a file it only read; what counts is
        # that every file found there keeps its bytes.
        after = {name: digest for name, digest in raw_state(target).items() if name in before}
        found += judge(case, result, before, after)
    if not case.restorable:
        return found
    backup = str(_newest_backup(folder))
    result = run("restore", ["--data-dir", str(folder), "restore", backup], capsys)
    found += judge(case, result, None, None)
    if result.code != 0:
        return [*found, f"{case.name}: the newest backup could not be restored:\n{result.said}"]
    if not _kept(folder, original, original_dump):
        found.append(f"{case.name}: the restore did not keep the data it replaced")
    result = run("report pack after the restore", operations["report pack"], capsys)
    found += judge(case, result, None, None)
    if result.code != 0:
        found.append(f"{case.name}: after the restore the pack still fails:\n{result.said}")
    return found


def _input_case(case: Case, sources: Sources, tmp_path: Path, capsys) -> list[str]:
    folder = _fresh(sources.other, tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    hostile = case.make(sources, scratch)
    if case.signed:
        save_signing(folder, SigningKey(sources.key, Policy.REFUSE))
    found: list[str] = []
    for operation, argv in {
        "restore": ["--data-dir", str(folder), "restore", str(hostile)],
        "import": ["--data-dir", str(folder), "import", str(hostile), "--yes"],
    }.items():
        before = sound_state(folder)
        result = run(operation, argv, capsys)
        found += judge(case, result, before, sound_state(folder))
        if operation == "import" and case.import_accepted:
            found += _accepted_safely(case, folder, tmp_path, result, capsys)
    return found


def _accepted_safely(case: Case, folder: Path, tmp_path: Path, result: Run, capsys) -> list[str]:
    if result.code != 0:
        return [f"{case.name}: a bundle that should import was refused:\n{result.said}"]
    found = []
    unsafe = [p.name for p in (folder / EVIDENCE_DIR).iterdir() if p.suffix.lower() == ".hta"]
    if unsafe:
        found.append(f"{case.name}: evidence stored under a program's extension: {unsafe}")
    connection = sqlite3.connect(folder / DATABASE_NAME)
    try:
        broken = [n for (n,) in connection.execute("SELECT name FROM service") if "\n" in n]
    finally:
        connection.close()
    if broken:
        found.append(f"{case.name}: a service name kept its line breaks")
    pack = run(
        "report pack after the import",
        ["--data-dir", str(folder), "report", "pack", "--out", str(tmp_path / "pack.pdf")],
        capsys,
    )
    found += judge(case, pack, None, None)
    if pack.code != 0:
        found.append(f"{case.name}: after the import the pack fails:\n{pack.said}")
    return found


def _output_case(case: Case, sources: Sources, tmp_path: Path, capsys) -> list[str]:
    folder = _fresh(sources.folder, tmp_path)
    out = case.make(sources, folder)
    assert out is not None

    def state() -> object:
        try:
            mark: str | None = hashlib.sha256(out.read_bytes()).hexdigest()
        except OSError:  # nothing there, or a name the disk cannot hold
            mark = None
        return sound_state(folder), mark

    before = state()
    argv = ["--data-dir", str(folder), "report", "pack", "--out", str(out)]
    return judge(case, run("report pack", argv, capsys), before, state())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_corpus_case_is_refused_or_made_harmless(
    case: Case, sources: Sources, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _count(case)
    handlers = {"data": _data_case, "input": _input_case, "output": _output_case}
    found = handlers[case.kind](case, sources, tmp_path, capsys)
    assert not found, "\n\n".join(found)
