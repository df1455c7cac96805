"""The program as PyInstaller freezes it: it must run on its own, with nothing from the checkout."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import ModuleType

from pypdf import PdfReader

from rrn_desktop import __version__
from rrn_desktop.base.logs import LOG_NAME
from rrn_desktop.core.services import list_services
from rrn_desktop.storage.database import open_database


def test_the_bundle_carries_its_data_and_leaves_out_the_developer_tools(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "resources" / "packs" / "rrn-training-standards-2019.toml").is_file()
    for font in ("DejaVuSans.ttf", "NotoEmoji-Regular.ttf", "LICENSE-NotoEmoji.txt"):
        assert (internal / "resources" / "fonts" / font).is_file(), font
    assert (internal / "resources" / "icons" / "rrn-desktop.png").is_file()
    assert (internal / "resources" / "help" / "user-guide.md").is_file()
    assert (internal / "resources" / "help" / "guide" / "overview.png").is_file()
    migrations = internal / "rrn_desktop" / "storage" / "migrations" / "versions"
    assert len(list(migrations.glob("0*.py"))) >= 6
    for left_out in ("hypothesis", "_pytest", "pypdf", "PySide6/Qt/translations"):
        assert not (internal / left_out).exists(), left_out


def test_the_frozen_program_runs_its_four_commands(
    build: ModuleType, bundle: Path, work: Path, record_step
) -> None:
    steps = build.smoke_test(bundle, work)
    for step in steps:
        record_step(step)

    assert steps[0].result == f"rrn-desktop {__version__}"
    with open_database(work / "smoke-data") as db:
        names = [service.name for service in list_services(db)]
    assert "Willow House care home (demo)" in names
    pack = PdfReader(work / "smoke-pack.pdf")
    text = "\n".join(page.extract_text() for page in pack.pages[:3])
    assert len(pack.pages) > 20
    assert "Willow House" in text


def test_with_its_standard_streams_closed_it_starts_and_writes_its_log(
    build: ModuleType, bundle: Path, tmp_path: Path
) -> None:
    program = build.program_in(bundle)
    data = tmp_path / "data"
    # As a windowed program on Windows starts: no stdin, stdout or stderr at all.
    closed = ["sh", "-c", 'exec "$0" "$@" <&- >&- 2>&-', program, "--data-dir", data]
    done = subprocess.run(
        [*(str(part) for part in closed), "--quit-after-start"],
        env=build.frozen_environment(),
        check=False,
        timeout=300,
    )

    assert done.returncode == 0
    log = (data / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert f"rrn-desktop {__version__} (installed build) started: the window" in log
    assert "Traceback" not in log
    with open_database(data) as db:
        assert list_services(db) == []


def test_the_installer_compiles_around_the_bundle(
    build: ModuleType, bundle: Path, work: Path, makensis: str, record_step
) -> None:
    installer, step = build.compile_installer(bundle, work, makensis)
    record_step(step)

    assert installer.read_bytes()[:2] == b"MZ"
    # Compressed, but it must hold the whole program: far more than an empty installer.
    assert installer.stat().st_size > 20_000_000
