"""Data saved by every earlier version of the app reads the same after updating: the demo data
taken back to each earlier schema and brought forward again has the same ratings, and its
benchmark reports print word for word as before."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rrn_desktop.core.benchmarks import list_benchmarks
from rrn_desktop.core.services import list_services
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.opening import SCHEMA_HEAD
from tests.reports.helpers import read_pdf
from tests.storage.helpers import back_to

# From 0003, the first schema with a plan: the demo's actions cannot be taken further back
# (0003's downgrade drops them), so 0001 and 0002 cannot hold this data at all.
EARLIER = [f"{n:04d}" for n in range(3, int(SCHEMA_HEAD))]


def _reports(db: Database, out: Path) -> dict[str, tuple[dict[str, str], str]]:
    """Each benchmark's ratings and report text, by service and date."""
    found = {}
    for service in list_services(db):
        for benchmark in list_benchmarks(db, service.id):
            path = write_benchmark_report(db, benchmark.id, out / f"{benchmark.id}.pdf").path
            # The moment of printing is the one thing that may differ between two printings.
            text = re.sub(r"\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d", "<now>", read_pdf(path).flat)
            found[f"{service.name} {benchmark.held_on}"] = (dict(benchmark.ratings()), text)
    return found


@pytest.fixture(scope="module")
def as_made(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = shutil.copytree(demo_template, tmp_path_factory.mktemp("head") / "data")
    with open_database(folder) as db:
        return _reports(db, folder)


@pytest.mark.slow
@pytest.mark.parametrize("revision", EARLIER)
def test_data_from_an_earlier_schema_reads_and_prints_the_same(
    revision: str, demo_template: Path, as_made: dict, tmp_path: Path
) -> None:
    folder = shutil.copytree(demo_template, tmp_path / "data")
    back_to(folder, revision)
    with open_database(folder) as db:  # brought forward to the newest schema on opening
        again = _reports(db, tmp_path)
    assert again.keys() == as_made.keys() and again
    for key, (ratings, text) in as_made.items():
        assert again[key][0] == ratings, key
        assert again[key][1] == text, key
