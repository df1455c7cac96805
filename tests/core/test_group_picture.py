"""Head office's picture: services by name (never by score), each section's band worked out as
the benchmark report works it out, and every service counted once in each section's bands."""

from __future__ import annotations

import datetime as dt

from rrn_desktop.core.benchmarks import list_benchmarks
from rrn_desktop.core.group_picture import NO_BENCHMARK, group_picture
from rrn_desktop.core.incidents import list_incidents
from rrn_desktop.core.periods import Period
from rrn_desktop.core.plan import list_actions
from rrn_desktop.core.restrictions import list_restrictions
from rrn_desktop.core.scoring import section_scores
from rrn_desktop.storage.database import Database

TODAY = dt.date.today()


def test_the_picture_lists_by_name_and_bands_each_section(demo_db: Database) -> None:
    period = Period.last_12_months(TODAY)
    picture = group_picture(demo_db, period, TODAY)
    names = [p.service.name for p in picture.services]
    assert names == sorted(names, key=str.casefold) and len(names) == 5
    for section in picture.sections:
        counts = dict(picture.band_counts(section.id))
        assert sum(counts.values()) == len(names)
    assert dict(picture.band_counts("1"))[NO_BENCHMARK] == sum(
        1 for p in picture.services if p.benchmark_held_on is None
    )
    for each in picture.services:
        latest = next(
            (b for b in list_benchmarks(demo_db, each.service.id) if b.pack_id == picture.pack.id),
            None,
        )
        if latest is None:
            assert each.benchmark_held_on is None and not each.bands
            continue
        scores = section_scores(latest.pack(), latest.ratings())
        assert each.bands == {s.section.id: s.band for s in scores}
        entries = list_restrictions(demo_db, each.service.id)
        assert each.in_place == sum(1 for e in entries if e.in_place)
        theirs = [a for a in list_actions(demo_db) if a.service and a.service.id == each.service.id]
        assert each.actions_open == sum(1 for a in theirs if a.is_open)
        began = [
            i for i in list_incidents(demo_db, each.service.id) if period.holds_time(i.occurred_at)
        ]
        assert each.incidents == len(began)
