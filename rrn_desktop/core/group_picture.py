"""Head office's picture of every service, in bands rather than a league table.

People who work in the field warn that ranking services against one another rewards gaming the
figures and shames services that record honestly. So this picture never orders services by a
score: they are listed by name, each section of the Training Standards is shown as the band its
score falls in, and the group is summed up as how many services are in each band. Incident
figures are rates against each service's size where it is recorded, with the red flags beside.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from rrn_desktop.base.vocabulary import ActionStatus, RedFlag
from rrn_desktop.content.pack_models import ContentPack, RagBand, Section
from rrn_desktop.core.benchmarks import BenchmarkInfo, get_benchmark
from rrn_desktop.core.incident_figures import period_figures
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.instrument_catalogue import DEFAULT_INSTRUMENT, benchmark_pack
from rrn_desktop.core.periods import Period
from rrn_desktop.core.plan import list_action_summaries
from rrn_desktop.core.restrictions import list_restrictions, monthly_active_counts
from rrn_desktop.core.scoring import section_scores
from rrn_desktop.core.service_size import SizeMeasure, measure_for, rate, sizes_of
from rrn_desktop.core.services import ServiceInfo, list_services
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Benchmark, DataArrival

NO_BENCHMARK = "No benchmark yet"
NOT_SCORED = "Not scored yet"


@dataclass(frozen=True)
class ServicePicture:
    service: ServiceInfo
    benchmark_held_on: dt.date | None  # the latest Training Standards benchmark
    bands: dict[str, RagBand | None]  # section id -> the band of its score (None: not scored)
    in_place: int  # blanket restrictions in place today
    in_place_a_year_ago: int | None  # None: the register did not go back that far
    actions_open: int
    actions_overdue: int
    actions_done: int
    incidents: int  # in the period
    monthly_rate: float | None  # average month's rate, where the service's size is recorded
    measure: SizeMeasure
    red_flags: dict[RedFlag, int]
    last_arrived: dt.datetime | None  # the newest bundle of its records brought in here

    @property
    def restriction_trend(self) -> str:
        if self.in_place_a_year_ago is None:
            return "register started this year" if self.in_place else "none on the register"
        change = self.in_place - self.in_place_a_year_ago
        if change == 0:
            return "the same as a year ago"
        return f"{abs(change)} {'fewer' if change < 0 else 'more'} than a year ago"

    @property
    def red_flag_count(self) -> int:
        return sum(self.red_flags.values())


@dataclass(frozen=True)
class GroupPicture:
    period: Period
    today: dt.date
    pack: ContentPack  # the Training Standards, whose sections the bands are of
    services: list[ServicePicture]  # by name: never by score

    @property
    def sections(self) -> list[Section]:
        return list(self.pack.sections)

    def band_counts(self, section_id: str) -> list[tuple[str, int]]:
        """How many services are in each band for one section, best band first, then how many
        have no score: a count per band, never a ranking."""

        def label(picture: ServicePicture) -> str:
            if picture.benchmark_held_on is None:
                return NO_BENCHMARK
            band = picture.bands.get(section_id)
            return band.label if band is not None else NOT_SCORED

        found = Counter(label(picture) for picture in self.services)
        ordered = sorted(self.pack.rag, key=lambda b: b.min_percent, reverse=True)
        return [(band.label, found[band.label]) for band in ordered] + [
            (NOT_SCORED, found[NOT_SCORED]),
            (NO_BENCHMARK, found[NO_BENCHMARK]),
        ]


def _latest_on_standards(db: Database, by: dt.date) -> dict[int, BenchmarkInfo]:
    """Each service's latest Training Standards benchmark held by ``by``: one question for
    which, then only those read whole."""
    with db.transaction() as session:
        rows = session.execute(
            select(Benchmark.service_id, Benchmark.id)
            .where(Benchmark.pack_id == DEFAULT_INSTRUMENT, Benchmark.held_on <= by)
            .order_by(Benchmark.held_on.desc(), Benchmark.id.desc())
        )
        latest: dict[int, int] = {}
        for service_id, benchmark_id in rows:
            latest.setdefault(service_id, benchmark_id)
    return {service_id: get_benchmark(db, found) for service_id, found in latest.items()}


def _last_arrivals(db: Database) -> dict[int, dt.datetime]:
    with db.transaction() as session:
        rows = session.execute(
            select(DataArrival.service_id, func.max(DataArrival.arrived_at)).group_by(
                DataArrival.service_id
            )
        )
        return {service_id: arrived for service_id, arrived in rows}


def _monthly_rate(
    db: Database, service: ServiceInfo, months: dict[dt.date, int], measure: SizeMeasure
) -> float | None:
    sizes = sizes_of(db, service.id)
    rates = [
        found
        for month, count in months.items()
        if (found := rate(count, sizes.get(month), measure)) is not None
    ]
    return sum(rates) / len(rates) if rates else None


def group_picture(
    db: Database, period: Period, today: dt.date, now: dt.datetime | None = None
) -> GroupPicture:
    """Every service this person may see, by name, over ``period`` (restrictions and the plan
    as they stand on ``today``)."""
    now = now or dt.datetime.combine(today, dt.time.max)
    arrivals = _last_arrivals(db)
    latest_benchmarks = _latest_on_standards(db, period.end)
    actions = list_action_summaries(db)
    standards: ContentPack | None = None
    pictures = []
    for service in sorted(list_services(db), key=lambda s: s.name.casefold()):
        latest = latest_benchmarks.get(service.id)
        bands: dict[str, RagBand | None] = {}
        if latest is not None:
            pack = benchmark_pack(latest.pack_id, latest.pack_sha256)
            standards = standards or pack
            bands = {s.section.id: s.band for s in section_scores(pack, latest.ratings())}
        entries = list_restrictions(db, service.id)
        counts = monthly_active_counts(entries, today, months=13)
        figures = period_figures(list_incidents(db, service.id, since=period.since), period, now)
        measure = measure_for(service.sector)
        own = [a for a in actions if a.service is not None and a.service.id == service.id]
        pictures.append(
            ServicePicture(
                service=service,
                benchmark_held_on=latest.held_on if latest else None,
                bands=bands,
                in_place=sum(1 for e in entries if e.in_place),
                in_place_a_year_ago=counts[0].active if len(counts) == 13 else None,
                actions_open=sum(1 for a in own if a.is_open),
                actions_overdue=sum(1 for a in own if a.overdue(today)),
                actions_done=sum(1 for a in own if a.status is ActionStatus.DONE),
                incidents=figures.totals.incidents,
                monthly_rate=_monthly_rate(
                    db, service, {m.month: m.incidents for m in figures.months}, measure
                ),
                measure=measure,
                red_flags=figures.totals.red_flags,
                last_arrived=arrivals.get(service.id),
            )
        )
    if standards is None:
        from rrn_desktop.content.loader import training_standards

        standards = training_standards()
    return GroupPicture(period, today, standards, pictures)
