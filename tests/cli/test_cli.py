"""The command line as a script or a person uses it: real processes, real files."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from rrn_desktop import __version__
from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.base.vocabulary import STRATEGY_LABELS
from rrn_desktop.content.loader import training_standards
from rrn_desktop.core.dates import add_months, long_date
from rrn_desktop.storage.database import SCHEMA_HEAD
from tests.conftest import copy_template


def run(
    *args: str, env: dict[str, str] | None = None, without_display: bool = False
) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process, offscreen; without_display hides every display setting,
    as in a terminal with no screen, so the command must choose off-screen drawing itself."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    if without_display:
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "rrn_desktop", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli")
    # The demo as `demo` makes it (test_data_dir_comes_from_the_environment runs the command),
    # copied rather than made again: making it takes seconds.
    data = copy_template(demo_template, folder / "D")
    out = folder / "r.pdf"
    report = run("--data-dir", str(data), "report", "benchmark", "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert "pages" in report.stdout
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    return data, text


def test_demo_report_holds_every_section_standard_item_and_the_comparison(
    demo_report: tuple[Path, str],
) -> None:
    _data, text = demo_report
    pack = training_standards()
    for section in pack.sections:
        assert section.title in text
    for code in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.4.4"):
        assert code in text
    for _section, item in pack.items():
        assert item.code in text
    assert "Page 1 of" in text
    assert "18 November 2025" in text  # the previous benchmark it is compared with
    assert "Willow House care home (demo)" in text


def test_demo_database_is_wal_sound_and_versioned(demo_report: tuple[Path, str]) -> None:
    data, _text = demo_report
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            SCHEMA_HEAD
        )
    finally:
        connection.close()


def test_report_for_a_named_service_without_benchmarks_is_one_plain_line(
    demo_report: tuple[Path, str], tmp_path: Path
) -> None:
    data, _text = demo_report
    result = run(
        "--data-dir",
        str(data),
        "report",
        "benchmark",
        "--out",
        str(tmp_path / "x.pdf"),
        "--service",
        "heron ward (DEMO)",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "rrn-desktop: There is no benchmark yet for that service. Start one in the app, "
        "or run 'rrn-desktop demo' to see an example."
    )
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_service_lists_the_known_ones(
    demo_report: tuple[Path, str], tmp_path: Path
) -> None:
    data, _text = demo_report
    result = run(
        "report",
        "benchmark",
        "--out",
        str(tmp_path / "x.pdf"),
        "--service",
        "Nowhere",
        "--data-dir",
        str(data),
    )
    assert result.returncode == 1
    assert "No service is called 'Nowhere'" in result.stderr
    assert "Willow House care home (demo)" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_usage_mistakes() -> None:
    assert run("--version").stdout.strip() == f"rrn-desktop {__version__}"
    mistake = run("report", "benchmark")
    assert mistake.returncode == 2
    assert "--out" in mistake.stderr


def test_data_dir_comes_from_the_environment_when_not_given(tmp_path: Path) -> None:
    folder = tmp_path / "from-env"
    result = run("backup", env={"RRN_DESKTOP_DATA_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    assert (folder / DATABASE_NAME).exists()
    assert f"Backed up to {folder / 'backups'}" in result.stdout


def test_a_refused_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / DATABASE_NAME).write_bytes(b"garbage" * 1000)
    result = run("--data-dir", str(folder), "demo")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "damaged" in result.stderr


def test_quit_after_start_opens_a_new_folder_and_exits_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    result = run("--data-dir", str(folder), "--quit-after-start")
    assert result.returncode == 0, result.stderr
    assert (folder / DATABASE_NAME).exists()
    assert "Traceback" not in result.stderr


def test_restrictions_report_for_the_demo(demo_report: tuple[Path, str], tmp_path: Path) -> None:
    data, _text = demo_report
    out = tmp_path / "r.pdf"
    result = run("--data-dir", str(data), "report", "restrictions", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    for category in (
        "Contact with the outside world",
        "Daily routine and food",
        "The building and outdoor space",
        "Safety and surveillance",
    ):
        assert category in text
    assert "OVERDUE" in text
    assert "Locked front and exit doors" in text
    # A removed restriction, with the date it was removed.
    removed_on = add_months(dt.date.today(), -5)
    assert "Set bedtimes and lights out" in text
    assert long_date(removed_on) in text
    # The children's home's own fields.
    for field in ("placing authority", "placement plan", "own view"):
        assert field in text.lower()
    assert "Kestrel Lodge children's home (demo)" in text
    assert "Willow House care home (demo)" in text


def test_plan_report_for_the_demo(demo_report: tuple[Path, str], tmp_path: Path) -> None:
    data, _text = demo_report
    out = tmp_path / "p.pdf"
    result = run("--data-dir", str(data), "report", "plan", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    for strategy in STRATEGY_LABELS.values():
        assert strategy in text
    assert "OVERDUE" in text
    assert "Incidents with physical restraint a month: baseline 3 → latest 1" in text
    assert "→ target 1" in text
    assert "Benchmark item 1.1.4, benchmark of 10 November 2026" in text


def test_tna_export_for_the_demo_matches_the_records_and_names_nobody(
    demo_report: tuple[Path, str], tmp_path: Path
) -> None:
    import csv

    from rrn_desktop.base.vocabulary import RESTRAINT_TYPE_LABELS, RestraintType
    from rrn_desktop.core.incidents import list_incidents
    from rrn_desktop.storage.database import open_database

    data, _text = demo_report
    out = tmp_path / "tna.csv"
    result = run("--data-dir", str(data), "export", "tna", "--out", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(raw.splitlines()))
    today = dt.date.today()
    first = add_months(today.replace(day=1), -23)
    assert [row["Month"] for row in rows] == [
        f"{add_months(first, offset):%Y-%m}" for offset in range(24)
    ]
    with open_database(data) as db:
        records = list_incidents(db)
    assert records, "the demo has incidents"
    for row in rows:
        in_month = [r for r in records if f"{r.occurred_at:%Y-%m}" == row["Month"]]
        assert int(row["Incidents"]) == len(in_month)
        for kind in RestraintType:
            expected = sum(kind in r.restraint_types for r in in_month)
            assert int(row[RESTRAINT_TYPE_LABELS[kind]]) == expected
    assert sum(int(row["Incidents"]) for row in rows) > 20
    identifiers = (
        {r.reference for r in records}
        | {part for r in records for s in r.staff for part in (s.name, *s.name.split())}
        | {r.review.lead_name for r in records if r.review}
    )
    identifiers |= {r.person_initials for r in records if r.person_initials}
    assert not [word for word in identifiers if word.casefold() in raw.casefold()]
    assert "INC-" not in raw


def test_incident_reports_for_the_demo(demo_report: tuple[Path, str], tmp_path: Path) -> None:
    from rrn_desktop.core.incidents import list_incidents
    from rrn_desktop.storage.database import open_database

    data, _text = demo_report
    figures = tmp_path / "incidents.pdf"
    result = run("--data-dir", str(data), "report", "incidents", "--out", str(figures))
    assert result.returncode == 0, result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(figures).pages)
    assert "Learning themes" in text
    assert "INC-" not in text
    with open_database(data) as db:
        newest = list_incidents(db)[0]
    one = tmp_path / "one.pdf"
    result = run(
        "--data-dir",
        str(data),
        "report",
        "incident",
        "--ref",
        newest.reference.lower(),
        "--out",
        str(one),
    )
    assert result.returncode == 0, result.stderr
    assert newest.reference in "\n".join(page.extract_text() for page in PdfReader(one).pages)
    missing = run("--data-dir", str(data), "report", "incident", "--ref", "NOPE", "--out", str(one))
    assert missing.returncode == 1
    assert missing.stderr.strip() == "rrn-desktop: No incident has the reference 'NOPE'."


@pytest.mark.slow
def test_demo_with_services_makes_a_large_fictional_organisation(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    result = run("--data-dir", str(folder), "demo", "--services", "2", "--years", "1")
    assert result.returncode == 0, result.stderr
    assert "Added 2 fictional services with 1 year of records" in result.stdout

    from rrn_desktop.core.services import list_services
    from rrn_desktop.storage.database import open_database

    with open_database(folder) as db:
        names = [service.name for service in list_services(db)]
    assert len(names) == 2
    assert all("(demo " in name for name in names)

    refused = run("--data-dir", str(tmp_path / "other"), "demo", "--services", "500")
    assert refused.returncode == 1
    assert "between 1 and 200" in refused.stderr
