"""The large fictional demo: many services and years of records, for measuring speed."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import ActionStatus, Rating, RestrictionStatus, Sector
from rrn_desktop.core import benchmarks, incidents, plan, restrictions
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.services import create_service, list_services
from rrn_desktop.demo.large import LargeDemoSummary, load_large_demo
from rrn_desktop.storage.database import Database, open_database

SERVICES, YEARS = 3, 2
TODAY = dt.date(2026, 5, 14)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LargeDemoSummary]:
    """Built once, then closed: every test reads what a user opening the folder would see."""
    folder = tmp_path_factory.mktemp("large-demo")
    calls: list[tuple[int, int]] = []
    with open_database(folder) as db:
        summary = load_large_demo(
            db, SERVICES, YEARS, today=TODAY, progress=lambda *done: calls.append(done)
        )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    return folder, summary


@pytest.fixture
def reopened(built: tuple[Path, LargeDemoSummary]) -> Iterator[Database]:
    with open_database(built[0]) as db:
        yield db


def test_every_service_is_marked_fictional_and_the_sectors_vary(reopened: Database) -> None:
    services = list_services(reopened)
    assert len(services) == SERVICES
    assert sorted(int(re.search(r"\(demo (\d\d)\)$", s.name)[1]) for s in services) == [1, 2, 3]
    assert {s.sector for s in services} == {
        Sector.ADULT_SOCIAL_CARE,
        Sector.CHILDRENS_SERVICES,
        Sector.EDUCATION,
    }


def test_what_was_saved_is_what_the_summary_says(
    built: tuple[Path, LargeDemoSummary], reopened: Database
) -> None:
    assert built[1] == LargeDemoSummary(
        services=SERVICES,
        years=YEARS,
        benchmarks=SERVICES * YEARS,
        restrictions=len(restrictions.list_restrictions(reopened)),
        actions=len(plan.list_actions(reopened)),
        incidents=len(incidents.list_incidents(reopened)),
    )


def test_one_benchmark_a_year_rating_more_items_met_each_year(reopened: Database) -> None:
    for service in list_services(reopened):
        history = benchmarks.list_benchmarks(reopened, service.id)  # newest first
        assert len(history) == YEARS
        assert add_months(TODAY, -2) <= history[0].held_on < TODAY
        assert 330 <= (history[0].held_on - history[1].held_on).days <= 400
        assert history[1].signed_off
        met = [list(b.ratings().values()).count(Rating.MET) for b in history]
        assert met[0] > met[1]
        assert any(response.notes for response in history[0].responses.values())


def test_a_register_of_found_restrictions_reviewed_and_reduced_over_time(
    reopened: Database,
) -> None:
    for service in list_services(reopened):
        register = restrictions.list_restrictions(reopened, service.id)
        assert 10 <= len(register) <= 25
        answers = restrictions.checklist_answers(reopened, service.id)
        assert len(answers) >= 40  # the whole checklist was walked
        assert sum(len(entry.reviews) for entry in register) >= len(register)
        assert any(entry.status is not RestrictionStatus.ACTIVE for entry in register)
        assert all(entry.identified_on <= TODAY for entry in register)


def test_each_service_has_plan_actions_some_done(reopened: Database) -> None:
    actions = plan.list_actions(reopened)
    for service in list_services(reopened):
        mine = [a for a in actions if a.service is not None and a.service.id == service.id]
        assert len(mine) >= 10
        assert any(a.status is ActionStatus.DONE for a in mine)
        assert any(a.notes for a in mine)


def test_incidents_every_year_fewer_later_known_by_reference_only(reopened: Database) -> None:
    records = incidents.list_incidents(reopened)
    year_ago = dt.datetime.combine(add_months(TODAY, -12), dt.time())
    start = dt.datetime.combine(add_months(TODAY, -12 * YEARS), dt.time())
    for service in list_services(reopened):
        mine = [r for r in records if r.service.id == service.id]
        assert all(start <= r.occurred_at < dt.datetime.combine(TODAY, dt.time()) for r in mine)
        later = sum(1 for r in mine if r.occurred_at >= year_ago)
        earlier = len(mine) - later
        assert 25 <= earlier <= 70
        assert 12 <= later < earlier  # restraint reduction working
        assert sum(1 for r in mine if r.review is not None) > 0.9 * len(mine)
    assert all(re.fullmatch(r"INC-\d{4}-\d{3,}", r.reference) for r in records)
    assert not [ref for ref, n in Counter(r.reference for r in records).items() if n > 1]
    assert not any(r.person_initials for r in records)


def test_a_folder_that_already_holds_services_is_refused(db: Database) -> None:
    create_service(db, "Our real care home", Sector.ADULT_SOCIAL_CARE)
    with pytest.raises(UserFacingError, match="already holds services") as refused:
        load_large_demo(db, 2, 1)
    assert "Choose an empty folder" in refused.value.message
    assert [s.name for s in list_services(db)] == ["Our real care home"]


@pytest.mark.parametrize(
    ("services", "years", "message"),
    [
        (0, 5, "number of services must be between 1 and 200, not 0"),
        (201, 5, "number of services must be between 1 and 200, not 201"),
        (5, 0, "number of years must be between 1 and 10, not 0"),
        (5, 11, "number of years must be between 1 and 10, not 11"),
    ],
)
def test_sizes_out_of_range_are_refused_before_anything_is_added(
    db: Database, services: int, years: int, message: str
) -> None:
    with pytest.raises(UserFacingError, match=message):
        load_large_demo(db, services, years)
    assert list_services(db) == []
