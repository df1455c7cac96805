"""How fast the printed reports are laid out, on an organisation much larger than the demo.

Run: uv run python benchmarks/report_speed.py [--pairs N] [--runs N] [--pack-only]
Makes a fictional organisation in a temporary folder through the core API: N pairs of services
(a care home and a children's home, each pair with the demo's two years of incidents, register
and plan, and three benchmarks of the care home and one of the children's home). Then it builds
the inspection pack and each module's report from the same data, and prints the seconds each
took (the best of --runs), its pages and the seconds per 100 pages. Building the data takes most
of the time; the default (4 pairs) runs in about a minute.

Run: uv run python benchmarks/report_speed.py --pack-floor [--runs N] [--profile N]
Instead, the demo organisation's inspection pack against a floor: plain reportlab laying out the
same paragraphs and tables with no house style (SimpleDocTemplate, plain Paragraphs in the same
fonts and sizes, plain Tables with a grid, charts left as blank space of their size). The demo
data is made once; after a warm-up run of each, the pack and the floor are timed in turn in this
one process (the best of --runs, default 5). Targets: the pack under 3 times the floor, and
under 1 second. --profile N adds the N busiest functions of one more pack run, by cumulative
and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import functools
import io
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from rrn_desktop.base.vocabulary import Purpose, Rating, Sector
from rrn_desktop.content.loader import training_standards
from rrn_desktop.core import benchmarks
from rrn_desktop.core.benchmarks import ParticipantInfo, latest_benchmark
from rrn_desktop.core.services import ServiceInfo, create_service, rename_organisation
from rrn_desktop.demo.incidents import load_demo_incidents
from rrn_desktop.demo.organisation import load_demo
from rrn_desktop.demo.plan import load_demo_plan
from rrn_desktop.demo.restrictions import load_demo_restrictions
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import pack_report
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.reports.plan_report import write_plan_report
from rrn_desktop.reports.restrictions_report import write_restrictions_report
from rrn_desktop.storage.database import Database, open_database

T = TypeVar("T")

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


def _timed(run: Callable[[], T], runs: int) -> tuple[float, T]:
    """The best of ``runs`` timings of ``run``, and what its last run returned."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


# ---------------------------------------------------------------------------------------------
# The floor: the pack's own paragraphs and tables, laid out by plain reportlab
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Text:
    markup: str  # as the pack's paragraph holds it, already escaped
    font: str
    size: float
    leading: float
    space_before: float
    space_after: float


@dataclasses.dataclass(frozen=True)
class _Gap:
    width: float
    height: float


@dataclasses.dataclass(frozen=True)
class _Break:
    pass


@dataclasses.dataclass(frozen=True)
class _Grid:
    rows: list[list[str | list[_Part]]]
    widths: list[float | None]
    repeat_rows: int


_Part = _Text | _Gap | _Break | _Grid


def _parts(flowables: Sequence[Flowable]) -> list[_Part]:
    """The content of a story not yet laid out, with the house style's behaviour left out: kept
    together groups are opened up, conditional page breaks dropped, every kind of paragraph
    becomes its text and type size, and anything drawn (a chart) a gap of its size."""
    found: list[_Part] = []
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            found += _parts(flowable._content)
        elif isinstance(flowable, PageBreak):
            found.append(_Break())
        elif isinstance(flowable, CondPageBreak):
            continue
        elif isinstance(flowable, Paragraph):
            style = flowable.style
            found.append(
                _Text(
                    flowable.text,
                    style.fontName,
                    style.fontSize,
                    style.leading,
                    style.spaceBefore,
                    style.spaceAfter,
                )
            )
        elif isinstance(flowable, Spacer):
            found.append(_Gap(flowable.width, flowable.height))
        elif isinstance(flowable, Table):
            rows = [[_cell_parts(cell) for cell in row] for row in flowable._cellvalues]
            found.append(_Grid(rows, list(flowable._argW), flowable.repeatRows))
        else:
            width, height = flowable.wrap(hs.CONTENT_WIDTH, hs.FRAME_HEIGHT)
            found.append(_Gap(width, height))
    return found


def _cell_parts(cell: object) -> str | list[_Part]:
    if isinstance(cell, (list, tuple)):
        return _parts(cell)
    if isinstance(cell, Flowable):
        return _parts([cell])
    return "" if cell is None else str(cell)


def _plain_flowables(parts: Sequence[_Part], made: dict[_Text, ParagraphStyle]) -> list[Flowable]:
    """The parts as reportlab's own Paragraph, Spacer, PageBreak and Table with a plain grid;
    ``made`` keeps one ParagraphStyle for each font, size and spacing."""
    flowables: list[Flowable] = []
    for part in parts:
        if isinstance(part, _Text):
            key = dataclasses.replace(part, markup="")
            style = made.get(key)
            if style is None:
                style = made[key] = ParagraphStyle(
                    f"floor-{len(made)}",
                    fontName=part.font,
                    fontSize=part.size,
                    leading=part.leading,
                    spaceBefore=part.space_before,
                    spaceAfter=part.space_after,
                )
            flowables.append(Paragraph(part.markup, style))
        elif isinstance(part, _Gap):
            flowables.append(Spacer(part.width, part.height))
        elif isinstance(part, _Break):
            flowables.append(PageBreak())
        else:
            rows = [
                [cell if isinstance(cell, str) else _plain_flowables(cell, made) for cell in row]
                for row in part.rows
            ]
            flowables.append(
                Table(
                    rows,
                    colWidths=part.widths,
                    repeatRows=part.repeat_rows,
                    style=[
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ],
                )
            )
    return flowables


def _floor_pdf(parts: Sequence[_Part]) -> int:
    """Lay the parts out with SimpleDocTemplate on the pack's page and margins, in memory;
    the number of pages. (The fonts are the pack's own, registered by its warm-up run.)"""
    document = SimpleDocTemplate(
        io.BytesIO(),
        pagesize=hs.PAGE_SIZE,
        leftMargin=hs.MARGIN_LEFT,
        rightMargin=hs.MARGIN_RIGHT,
        topMargin=hs.MARGIN_TOP,
        bottomMargin=hs.MARGIN_BOTTOM,
    )
    document.build(_plain_flowables(parts, {}))
    return document.page


def _code_version() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return "code of unknown version"
    version = described.stdout.strip()
    if version.endswith("-dirty"):
        return f"commit {version.removesuffix('-dirty')} with uncommitted changes"
    return f"commit {version}"


class _Stages:
    """Stands in for the house style's build_pdf while the pack is written: it times the
    layout apart from the rest, and the first time keeps the story's content for the floor
    (before layout, which splits tables and so changes them)."""

    def __init__(self) -> None:
        self._build_pdf = hs.build_pdf
        self.parts: list[_Part] | None = None
        self.entered = self.left = 0.0

    def __call__(self, story: list[Flowable], **words: Any) -> hs.BuiltPdf:
        if self.parts is None:
            self.parts = _parts(story)
        self.entered = time.perf_counter()
        built = self._build_pdf(story, **words)
        self.left = time.perf_counter()
        return built


def pack_against_floor(runs: int, profile: int) -> None:
    """Print the demo pack's seconds and pages beside the floor's, and the targets met."""
    today = dt.date.today()
    stages = _Stages()
    with (
        tempfile.TemporaryDirectory() as folder,
        open_database(Path(folder) / "data") as db,
        mock.patch.object(hs, "build_pdf", stages),
    ):
        started = time.perf_counter()
        load_demo(db, today)
        print(f"Made the demo data in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        pack = functools.partial(
            pack_report.write_pack_report, db, Path(folder) / "pack.pdf", today=today
        )
        pack()  # the warm-up (fonts loaded, caches filled), which also keeps the content
        if stages.parts is None:
            raise SystemExit("The pack no longer goes through house_style.build_pdf: update me.")
        floor = functools.partial(_floor_pdf, stages.parts)
        floor()
        best_pack = best_floor = float("inf")
        for _ in range(runs):
            # In turn, so a busy spell on a shared machine slows the pack and the floor alike.
            started = time.perf_counter()
            result = pack()
            ended = time.perf_counter()
            if ended - started < best_pack:
                best_pack = ended - started
                split = (
                    stages.entered - started,
                    stages.left - stages.entered,
                    ended - stages.left,
                )
            seconds, floor_pages = _timed(floor, 1)
            best_floor = min(best_floor, seconds)

        ratio = best_pack / best_floor
        print(f"Demo inspection pack, {_code_version()}: best of {runs} after a warm-up")
        print(f"{'':40} {'seconds':>8} {'pages':>6}")
        print(f"{'inspection pack':40} {best_pack:8.2f} {result.page_count or 0:6d}")
        for stage, seconds in zip(
            ("gathering the data, making the story", "laying out, making the PDF", "saving it"),
            split,
            strict=True,
        ):
            print(f"{'  ' + stage:40} {seconds:8.2f}")
        print(f"{'floor (plain reportlab)':40} {best_floor:8.2f} {floor_pages:6d}")
        print(f"pack / floor: {ratio:.2f} (target under 3: {'met' if ratio < 3 else 'not met'})")
        print(f"pack under 1 s: {'met' if best_pack < 1 else 'not met'}")
        if profile:
            _print_profile(pack, profile)


def _print_profile(run: Callable[[], object], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    for order in ("cumulative", "tottime"):
        print(f"\nOne more pack run, profiled: the {top} busiest functions by {order} time")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.strip_dirs().sort_stats(order).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=4, help="pairs of services (default 4)")
    parser.add_argument(
        "--runs",
        type=int,
        help="builds of each report (best kept; default 2, or 5 with --pack-floor)",
    )
    parser.add_argument("--pack-only", action="store_true", help="build only the pack")
    parser.add_argument(
        "--pack-floor",
        action="store_true",
        help="instead, the demo pack against plain reportlab laying out the same content",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="with --pack-floor: profile a pack run"
    )
    options = parser.parse_args()
    if options.runs is not None and options.runs < 1:
        parser.error("--runs must be 1 or more")
    if options.pack_floor:
        pack_against_floor(options.runs or 5, options.profile)
        return
    runs = options.runs or 2

    today = dt.date.today()
    with tempfile.TemporaryDirectory() as folder, open_database(Path(folder) / "data") as db:
        started = time.perf_counter()
        make_organisation(db, options.pairs, today)
        print(
            f"Made {options.pairs * 2} services' data in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        reports: dict[str, Callable[[Path], ReportResult]] = {
            "inspection pack": lambda out: pack_report.write_pack_report(db, out, today=today),
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
            seconds, result = _timed(functools.partial(build, Path(folder) / "report.pdf"), runs)
            pages = result.page_count or 0
            per_100 = 100 * seconds / pages if pages else float("nan")
            print(f"{name:24} {seconds:8.2f} {pages:6d} {per_100:16.2f}")


if __name__ == "__main__":
    main()
