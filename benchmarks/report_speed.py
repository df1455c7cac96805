"""How fast the printed reports are laid out, on an organisation much larger than the demo.

Run: uv run python benchmarks/report_speed.py [--pairs N] [--runs N] [--pack-only]
Makes a fictional organisation in a temporary folder through the core API: N pairs of services
(a care home and a children's home, each pair with the demo's two years of incidents, register
and plan, and three benchmarks of the care home and one of the children's home). Then it builds
the inspection pack and each module's report from the same data, and prints the seconds each
took (the best of --runs), its pages and the seconds per 100 pages. Building the data takes most
of the time; the default (4 pairs) runs in about a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rrn_desktop.content.loader import training_standards
from rrn_desktop.content.pack_models import Rating
from rrn_desktop.core import benchmarks
from rrn_desktop.core.benchmarks import ParticipantInfo, latest_benchmark
from rrn_desktop.core.demo_incidents import load_demo_incidents
from rrn_desktop.core.demo_plan import load_demo_plan
from rrn_desktop.core.demo_restrictions import load_demo_restrictions
from rrn_desktop.core.services import ServiceInfo, create_service, rename_organisation
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.models import Purpose, Sector

PEOPLE = [
    ParticipantInfo("Speed Test Manager", "Registered manager"),
    ParticipantInfo("Speed Test Adviser", "Adviser with lived experience", True),
]
RATINGS = [Rating.MET, Rating.MET, Rating.PARTLY_MET, Rating.NOT_MET, Rating.NOT_APPLICABLE]


def _benchmark(db: Database, service: ServiceInfo, held_on: dt.date, rng: random.Random) -> None:
    """Every item rated, a note on every third, an action on some of those not met."""
    benchmark = benchmarks.start_benchmark(db, service.id, held_on, Purpose.SELF_AUDIT, PEOPLE)
    for index, (_section, item) in enumerate(training_standards().items()):
        rating = rng.choice(RATINGS)
        benchmarks.set_rating(db, benchmark.id, item.code, rating)
        changes: dict[str, object] = {}
        if index % 3 == 0:
            changes["notes"] = f"Seen in the training file for {held_on.year}; checked by two."
        if rating is Rating.NOT_MET and index % 2 == 0:
            changes.update(
                needs_action=True,
                action_text=f"Write item {item.code} into the training procedure.",
                action_owner="Training lead",
                action_due=held_on + dt.timedelta(days=90),
            )
        if changes:
            benchmarks.update_response(db, benchmark.id, item.code, **changes)


def make_organisation(db: Database, pairs: int, today: dt.date) -> None:
    rng = random.Random(7)
    rename_organisation(db, "Speed Test Care Group (fictional)")
    for number in range(1, pairs + 1):
        home = create_service(db, f"Care home {number:02d}", Sector.ADULT_SOCIAL_CARE)
        children = create_service(db, f"Children's home {number:02d}", Sector.CHILDRENS_SERVICES)
        for years_ago in (2, 1, 0):
            _benchmark(db, home, today - dt.timedelta(days=365 * years_ago + 20), rng)
        _benchmark(db, children, today - dt.timedelta(days=60), rng)
        load_demo_restrictions(db, home, children, today)
        load_demo_plan(db, home, children, today)
        load_demo_incidents(db, home, children, today)


def _timed(build: Callable[[Path], ReportResult], out: Path, runs: int) -> tuple[float, int]:
    best, pages = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        result = build(out)
        best = min(best, time.perf_counter() - started)
        pages = result.page_count or 0
    return best, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=4, help="pairs of services (default 4)")
    parser.add_argument("--runs", type=int, default=2, help="builds of each report (best kept)")
    parser.add_argument("--pack-only", action="store_true", help="build only the pack")
    options = parser.parse_args()

    # Imported here so the timings below do not include loading reportlab.
    from rrn_desktop.reports.benchmark_report import write_benchmark_report
    from rrn_desktop.reports.incidents_report import write_incidents_report
    from rrn_desktop.reports.pack_report import write_pack_report
    from rrn_desktop.reports.plan_report import write_plan_report
    from rrn_desktop.reports.restrictions_report import write_restrictions_report

    today = dt.date.today()
    with tempfile.TemporaryDirectory() as folder, open_database(Path(folder) / "data") as db:
        started = time.perf_counter()
        make_organisation(db, options.pairs, today)
        print(
            f"Made {options.pairs * 2} services' data in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        reports: dict[str, Callable[[Path], ReportResult]] = {
            "inspection pack": lambda out: write_pack_report(db, out, today=today),
        }
        if not options.pack_only:
            reports |= {
                "benchmark (latest)": lambda out: write_benchmark_report(
                    db, latest_benchmark(db).id, out
                ),
                "restrictions register": lambda out: write_restrictions_report(
                    db, out, today=today
                ),
                "reduction plan": lambda out: write_plan_report(db, out, today=today),
                "incident figures": lambda out: write_incidents_report(db, out, today=today),
            }
        print(f"{'report':24} {'seconds':>8} {'pages':>6} {'s per 100 pages':>16}")
        for name, build in reports.items():
            seconds, pages = _timed(build, Path(folder) / "report.pdf", options.runs)
            per_100 = 100 * seconds / pages if pages else float("nan")
            print(f"{name:24} {seconds:8.2f} {pages:6d} {per_100:16.2f}")


if __name__ == "__main__":
    main()
