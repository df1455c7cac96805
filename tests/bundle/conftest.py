"""The frozen program, built once per run from build.spec, and what each step did.

These tests take about a minute and a half: skip them in a quick local run with -m "not bundle"
(or -m "not slow").
The steps and their times are printed at the end of every run, so the CI log shows them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import summary_lines

BUILD_SCRIPT = Path(__file__).resolve().parents[2] / "installers" / "build_installer.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.bundle)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def build() -> ModuleType:
    """installers/build_installer.py, the same steps the Windows build runs."""
    spec = importlib.util.spec_from_file_location("build_installer", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up by name.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def record_step(pytestconfig: pytest.Config):
    """Call with a build_installer.Step; it is printed in the run's summary."""
    lines = summary_lines(pytestconfig, "frozen bundle (build.spec) and installer")

    def record(step) -> None:
        lines.append(f"ok  {step.name:38} {step.seconds:7.1f} s   {step.result}")

    return record


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("frozen")


@pytest.fixture(scope="session")
def bundle(build: ModuleType, work: Path, record_step) -> Path:
    folder, step = build.build_bundle(work)
    record_step(step)
    return folder


@pytest.fixture(scope="session")
def makensis(build: ModuleType) -> str:
    found = build.find_makensis()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("makensis is missing on CI: .ci/run should have installed NSIS.")
        pytest.skip("makensis is not installed here (Debian: apt-get install nsis).")
    return found
