"""The kill test, run long: kill a writer (SIGKILL) at random moments many times on one data
folder, and check after every kill that the file passes integrity_check and holds every edit
that was confirmed.

Run: uv run python benchmarks/kill_test.py [--kills 300] [--seed N] [--keep FOLDER]
Prints, at the end: kills: N, confirmed edits: M, lost: 0, integrity: ok
The suite runs the same thing with 40 kills (tests/faults/test_kill.py).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rrn_desktop.storage.database import open_database  # noqa: E402
from tests.faults.killing import KillFigures, run_kills  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="use (and keep) this data folder")
    args = parser.parse_args()
    if not hasattr(signal, "SIGKILL"):
        print("This platform has no SIGKILL (Windows): the kill test cannot run here.")
        return 2
    work = Path(tempfile.mkdtemp(prefix="rrn-kill-test-"))
    data_dir = args.keep or work / "data"
    open_database(data_dir).close()  # created and migrated before the first kill

    def progress(figures: KillFigures) -> None:
        if figures.kills % 25 == 0 or figures.kills == args.kills:
            print(f"  {figures.line()} ({figures.seconds:.0f} s)", flush=True)

    figures = run_kills(
        data_dir, args.kills, args.seed, log=work / "writers.log", progress=progress
    )
    print(figures.detail())
    for problem in figures.problems[:50]:
        print(f"  {problem}")
    print(figures.line())
    if figures.problems:
        print(f"Writers' messages and the data folder are kept in {work}")
        return 1
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
