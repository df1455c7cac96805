"""`rrn-desktop screenshots`: every main screen as a PNG, at normal and double text size,
with no display, and the data left exactly as it was."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from PySide6.QtGui import QImage

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.core.services import list_services
from rrn_desktop.storage.database import open_database
from tests.cli.test_cli import run

SCREENS = [
    "overview",
    "plan-by-strategy",
    "plan-all-actions",
    "plan-timeline",
    "plan-pledge",
    "service-benchmarks",
    "benchmark",
    "restrictions",
    "checklist",
    "incidents",
    "add-service",
    "new-benchmark",
    "record-incident",
    "incidents-by-group",
    "inspection-pack",
    "connect-shared",
]
# A window filling a 1366x768 laptop screen above its taskbar, less its caption and borders;
# a dialog never larger than that.
WINDOW = (1364, 696)
DIALOGS = {
    "checklist",
    "add-service",
    "new-benchmark",
    "record-incident",
    "incidents-by-group",
    "inspection-pack",
    "connect-shared",
}


def run_without_display(*args: str) -> subprocess.CompletedProcess[str]:
    return run(*args, without_display=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def colours(image: QImage) -> int:
    """Distinct colours on a grid over the picture: a blank one has one or two."""
    step = 8
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_screenshots_of_every_screen_at_both_sizes(demo_dir: Path, tmp_path: Path) -> None:
    data = demo_dir / DATABASE_NAME
    before = sha256(data)
    out = tmp_path / "shots"
    result = run_without_display("screenshots", "--data-dir", str(demo_dir), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    expected = [
        f"{number:02d}-{screen}@{percent}.png"
        for percent in (100, 200)
        for number, screen in enumerate(SCREENS, start=1)
    ]
    assert sorted(path.name for path in out.iterdir()) == sorted(expected)
    for name in expected:
        assert f"Wrote {out / name}" in result.stdout
        image = QImage(str(out / name))
        assert not image.isNull(), name
        if name.split("-", 1)[1].split("@")[0] in DIALOGS:
            assert image.width() <= WINDOW[0] and image.height() <= WINDOW[1], name
        else:
            assert (image.width(), image.height()) == WINDOW, name
        assert colours(image) > 8, name
    assert f"Saved {len(expected)} screenshots in {out}." in result.stdout
    assert sha256(data) == before


def test_an_empty_data_folder_shows_the_welcome_screen(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "shots"
    result = run_without_display("--data-dir", str(data_dir), "screenshots", "--out", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in out.iterdir())
    assert names == [
        "01-welcome@100.png",
        "01-welcome@200.png",
        "02-add-service@100.png",
        "02-add-service@200.png",
    ]
    large = QImage(str(out / "01-welcome@200.png"))
    assert (large.width(), large.height()) == WINDOW
    assert colours(large) > 8
    # Like the window's first opening, it may name the organisation "My organisation"; no more.
    with open_database(data_dir) as db:
        assert list_services(db) == []


def test_the_out_folder_must_not_be_a_file(data_dir: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken.png"
    taken.write_text("not a folder")
    result = run_without_display("--data-dir", str(data_dir), "screenshots", "--out", str(taken))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"rrn-desktop: {taken} is a file: give a folder for the screenshots."
    )


def test_a_larger_screen_can_be_chosen_and_a_wrong_one_is_explained(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "large"
    result = run_without_display(
        "--data-dir", str(data_dir), "screenshots", "--out", str(out), "--screen", "2560x1600"
    )
    assert result.returncode == 0, result.stderr
    welcome = QImage(str(out / "01-welcome@100.png"))
    # The screen less its taskbar (40), less the window's caption and borders.
    assert (welcome.width(), welcome.height()) == (2558, 1528)

    wrong = run_without_display(
        "--data-dir", str(data_dir), "screenshots", "--out", str(out), "--screen", "big"
    )
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        "rrn-desktop: --screen big: give the screen as width x height in pixels, for example "
        "1366x768 (at least 640x480)."
    )
