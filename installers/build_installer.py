"""Builds the frozen program from build.spec, checks that it runs, and compiles the installer.

Run: uv run python installers/build_installer.py [--out build-output] [--no-installer]

The same steps run on Windows (the real installer, see .github/workflows/windows.yml) and in the
Linux test suite (tests/bundle/), where the installer is compiled around the Linux bundle only
to prove that the NSIS script compiles. Each step prints what it did and how long it took;
the first failure stops the run with exit status 1 and the tail of the tool's output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NSIS_SCRIPT = ROOT / "installers" / "windows" / "rrn-desktop.nsi"
BUNDLE_NAME = "rrn-desktop"
WINDOWS_NSIS = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "NSIS"


class BuildError(Exception):
    """A step failed; the message says which and shows the end of its output."""


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    result: str


def project_version() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(pyproject["project"]["version"])


def program_in(bundle: Path) -> Path:
    return bundle / (f"{BUNDLE_NAME}.exe" if sys.platform == "win32" else BUNDLE_NAME)


def _run(name: str, command: Sequence[str | Path], **options: object) -> tuple[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        **options,  # type: ignore[arg-type]
    )
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    if done.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-25:])
        raise BuildError(f"{name} failed with exit status {done.returncode}:\n{tail}")
    return output, seconds


def build_bundle(out: Path) -> tuple[Path, Step]:
    """PyInstaller's one-folder bundle from build.spec, in OUT/dist/rrn-desktop."""
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm",
        "--distpath", out / "dist", "--workpath", out / "work", ROOT / "build.spec",
    ]  # fmt: skip
    _, seconds = _run("PyInstaller", command, cwd=ROOT)
    bundle = out / "dist" / BUNDLE_NAME
    if not program_in(bundle).is_file():
        raise BuildError(f"PyInstaller finished but {program_in(bundle)} is missing.")
    size = folder_size(bundle)
    return bundle, Step("bundle built", seconds, f"{bundle} ({size / 1_000_000:.0f} MB)")


def folder_size(folder: Path) -> int:
    """Bytes on disk; a symbolic link (PyInstaller makes some on Linux) costs nothing."""
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files)


def frozen_environment() -> dict[str, str]:
    # No screen on CI: Qt draws offscreen, as in the tests.
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run_frozen(program: Path, data_dir: Path, *args: str | Path) -> tuple[str, float]:
    """Runs the frozen program on DATA_DIR; its output, or BuildError if it fails."""
    command = [program, "--data-dir", data_dir, *args]
    name = "rrn-desktop " + " ".join(str(arg) for arg in args)
    return _run(name, command, env=frozen_environment(), timeout=600)


def smoke_test(bundle: Path, work: Path) -> list[Step]:
    """The four commands a clean machine must be able to run from the bundle alone."""
    program = program_in(bundle)
    data = work / "smoke-data"
    shutil.rmtree(data, ignore_errors=True)
    steps = []

    output, seconds = run_frozen(program, data, "--version")
    # A windowed Windows program has no console to print to unless started from one.
    if output and project_version() not in output:
        raise BuildError(f"--version printed {output.strip()!r}, not version {project_version()}")
    steps.append(Step("--version", seconds, output.strip() or "(no console)"))

    _, seconds = run_frozen(program, data, "--quit-after-start")
    if not (data / "rrn-desktop.sqlite3").is_file():
        raise BuildError("--quit-after-start on an empty folder did not create the database.")
    steps.append(Step("--quit-after-start (empty folder)", seconds, "database created"))

    _, seconds = run_frozen(program, data, "demo")
    steps.append(Step("demo", seconds, "demo data added"))

    pack = work / "smoke-pack.pdf"
    _, seconds = run_frozen(program, data, "report", "pack", "--out", pack)
    if not pack.is_file() or not pack.read_bytes().startswith(b"%PDF"):
        raise BuildError(f"report pack did not write a PDF at {pack}.")
    steps.append(Step("report pack", seconds, f"{pack.stat().st_size // 1000} KB PDF"))
    return steps


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    on_windows = WINDOWS_NSIS / "makensis.exe"
    return str(on_windows) if on_windows.is_file() else None


def compile_installer(bundle: Path, out: Path, makensis: str) -> tuple[Path, Step]:
    """The NSIS installer around BUNDLE, as OUT/RRN-Self-Audit-VERSION-setup.exe."""
    version = project_version()
    installer = out / f"RRN-Self-Audit-{version}-setup.exe"
    installer.unlink(missing_ok=True)
    command = [
        makensis, "-V2", f"-DVERSION={version}", f"-DDIST_DIR={bundle.resolve()}",
        f"-DOUT_FILE={installer.resolve()}", NSIS_SCRIPT,
    ]  # fmt: skip
    _, seconds = _run("makensis", command)
    if not installer.is_file():
        raise BuildError(f"makensis finished but {installer} is missing.")
    size = installer.stat().st_size / 1_000_000
    return installer, Step("installer compiled", seconds, f"{installer} ({size:.0f} MB)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build-output")
    parser.add_argument("--no-installer", action="store_true", help="stop after the checks")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        bundle, built = build_bundle(out)
        _print(built)
        for step in smoke_test(bundle, out):
            _print(step)
        if not args.no_installer:
            makensis = find_makensis()
            if makensis is None:
                raise BuildError("makensis was not found: install NSIS (apt-get install nsis).")
            _, compiled = compile_installer(bundle, out, makensis)
            _print(compiled)
    except BuildError as error:
        print(f"build_installer: {error}", file=sys.stderr)
        return 1
    return 0


def _print(step: Step) -> None:
    print(f"ok  {step.name:38} {step.seconds:7.1f} s   {step.result}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
