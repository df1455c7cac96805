"""Our frozen bundle against a bare PySide6 "hello window" bundle built the same way.

Run: uv run python benchmarks/bundle_compare.py [--runs N] [--keep DIR]
Both are one-folder, windowed, no-UPX PyInstaller builds with the same exclusions
(installers/bundle_options.py), built and timed in the same run. It prints each bundle's size
on disk and its frozen start-up time (median of N fresh starts, offscreen), and the ratios
against the targets: under 1.5x the bare bundle's size and under 1.5x its start-up time.
"First window" is our opening window painted; the others run until the main window shows the
data (--quit-after-start).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "installers"))

from build_installer import (
    build_bundle,
    folder_size,
    program_in,
    run_frozen,
)
from startup import BARE_WINDOW, time_runs

TARGET = 1.5
BARE_PROGRAM = "hello.exe" if sys.platform == "win32" else "hello"
INSTALLERS = Path(__file__).resolve().parent.parent / "installers"

BARE_SPEC = """
import sys
sys.path.insert(0, {installers!r})
from bundle_options import EXCLUDES, keep
a = Analysis([{script!r}], excludes=EXCLUDES)
a.datas = keep(a.datas)
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name="hello", console=False, upx=False)
coll = COLLECT(exe, a.binaries, a.datas, name="hello", upx=False)
"""


def build_bare(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    script = out / "hello.py"
    script.write_text(BARE_WINDOW, encoding="utf-8")
    spec = out / "hello.spec"
    spec.write_text(
        BARE_SPEC.format(installers=str(INSTALLERS), script=str(script)), encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", out / "dist",
         "--workpath", out / "work", spec],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return out / "dist" / "hello"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep the bundles")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bundle-compare-"))
    try:
        compare(folder.resolve(), args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def compare(folder: Path, runs: int) -> None:
    print("Building the bare bundle and ours (about a minute)...", flush=True)
    bare = build_bare(folder / "bare")
    ours, _ = build_bundle(folder / "ours")
    program = program_in(ours)
    empty, demo, fresh = folder / "empty", folder / "demo", folder / "fresh"
    for data in (empty, demo, fresh):
        shutil.rmtree(data, ignore_errors=True)
    run_frozen(program, empty, "--quit-after-start")
    run_frozen(program, demo, "demo")

    def clear_fresh() -> None:
        shutil.rmtree(fresh, ignore_errors=True)

    timings = {
        "bare hello window": time_runs([str(bare / BARE_PROGRAM)], runs),
        "ours, first window": time_runs(
            [str(program), "--data-dir", str(demo), "--quit-after-first-paint"], runs
        ),
        "ours, empty data folder": _time_ours(program, empty, runs),
        "ours, demo data": _time_ours(program, demo, runs),
        "ours, first start": _time_ours(program, fresh, runs, clear_fresh),
    }
    bare_size, our_size = folder_size(bare), folder_size(ours)
    print(f"\nSize on disk ({sys.platform})")
    print(f"  bare bundle   {bare_size / 1e6:8.1f} MB")
    print(f"  our bundle    {our_size / 1e6:8.1f} MB   {_against_target(our_size / bare_size)}")
    print(f"\nFrozen start-up, median of {runs} (offscreen)")
    bare_time = statistics.median(timings["bare hello window"])
    for name, seconds in timings.items():
        median = statistics.median(seconds)
        ratio = "" if name.startswith("bare") else _against_target(median / bare_time)
        print(f"  {name:26} {median:6.3f} s   {ratio}")


def _time_ours(program: Path, data: Path, runs: int, before_each: object = None) -> list[float]:
    command = [str(program), "--data-dir", str(data), "--quit-after-start"]
    return time_runs(command, runs, before_each)


def _against_target(ratio: float) -> str:
    verdict = "meets" if ratio < TARGET else "misses"
    return f"{ratio:5.2f}x the bare one ({verdict} the {TARGET}x target)"


if __name__ == "__main__":
    main()
