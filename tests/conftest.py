"""Shared fixtures: offscreen Qt, and data folders copied from templates built once per run."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rrn_desktop.base.screen_config import offscreen_platform

# Set before anything imports Qt, so the suite runs without a display (CI has none), on the
# screen most users have: a 1366x768 laptop, less the 40 pixels of the Windows taskbar.
os.environ["QT_QPA_PLATFORM"] = offscreen_platform(1366, 768)
os.environ.pop("RRN_DESKTOP_DATA_DIR", None)
# Window sizes that the program remembers go to a folder of the run's own, not the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="rrn-desktop-tests-config-")

from rrn_desktop.demo.organisation import load_demo
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.shared import open_shared_database
from tests.shared_server import SharedServer, shared_server  # noqa: F401 (a fixture)

atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)

SUMMARIES = pytest.StashKey[dict[str, list[str]]]()


def summary_lines(config: pytest.Config, section: str) -> list[str]:
    """Lines printed under SECTION at the end of every run (with or without -s): figures
    that the CI log must show."""
    return config.stash.setdefault(SUMMARIES, {}).setdefault(section, [])


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under pytest-xdist each worker has its own stash: hand its lines to the main process.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["summaries"] = session.config.stash.get(SUMMARIES, {})


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """pytest-xdist's: a worker finished; its summary lines join the main process's."""
    for section, lines in getattr(node, "workeroutput", {}).get("summaries", {}).items():
        summary_lines(node.config, section).extend(lines)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run the tests marked slow, as CI does (CI=true does the same)",
    )


def _leaves_out_slow(config: pytest.Config) -> bool:
    """A plain `uv run pytest` on a developer's machine leaves the slow tests out; CI, --slow, a
    -m expression or tests named on the command line run what they ask for."""
    return not (
        os.environ.get("CI")
        or config.getoption("--slow")
        or config.getoption("markexpr")
        or config.args_source != pytest.Config.ArgsSource.TESTPATHS
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    if _leaves_out_slow(config):
        return "slow tests left out (faults, frozen program, big bundles): --slow runs them"
    return None


@pytest.hookimpl(trylast=True)  # after the folders' conftests have marked their tests slow
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _leaves_out_slow(config):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config):
    for section, lines in config.stash.get(SUMMARIES, {}).items():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty-template")
    open_database(folder).close()
    (folder / "rrn-desktop.lock").unlink(missing_ok=True)
    return folder


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-template")
    with open_database(folder) as db:
        load_demo(db)
    (folder / "rrn-desktop.lock").unlink(missing_ok=True)
    return folder


def copy_template(template: Path, target: Path) -> Path:
    """A copy of a template folder (never the template itself: nothing may open it)."""
    # A test that opened the shared template (even read-only) leaves SQLite's -wal and -shm
    # beside it, and every later copy then differs from what the tests think they start from.
    left = sorted(p.name for p in template.iterdir() if p.name.endswith(("-wal", "-shm")))
    assert not left, f"a test opened the template {template} and left {left}"
    shutil.copytree(template, target)
    return target


@pytest.fixture
def data_dir(tmp_path: Path, empty_template: Path) -> Path:
    """A data folder holding a freshly migrated, empty database."""
    return copy_template(empty_template, tmp_path / "data")


@pytest.fixture
def demo_dir(tmp_path: Path, demo_template: Path) -> Path:
    """A data folder holding the fictional demo organisation."""
    return copy_template(demo_template, tmp_path / "demo-data")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The storage and core tests written against a Database run on both kinds: a data
    folder's SQLite file and a shared PostgreSQL database (tests.shared_server)."""
    uses_data = {"db", "demo_db"} & set(metafunc.fixturenames)
    if not uses_data or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if Path(metafunc.definition.path).parent.name in BOTH_KINDS:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


BOTH_KINDS = {"core", "storage"}


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


def _opened(backend: str, folder: Path, template: str, request: pytest.FixtureRequest) -> Database:
    if backend == "sqlite":
        return open_database(folder)
    server: SharedServer = request.getfixturevalue("shared_server")
    return server.database_from(template, folder)


def reopen(db: Database) -> Database:
    """The same data opened again, as the next start of the app would (after ``db.close()``)."""
    if db.shared:
        url = db.engine.url.render_as_string(hide_password=False)
        return open_shared_database(url, db.data_dir.parent.parent)
    return open_database(db.data_dir)


@pytest.fixture
def db(backend: str, data_dir: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    with _opened(backend, data_dir, "empty", request) as database:
        yield database


@pytest.fixture
def demo_db(backend: str, demo_dir: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    with _opened(backend, demo_dir, "demo", request) as database:
        yield database
