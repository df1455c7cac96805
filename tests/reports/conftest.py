"""Fixtures for report tests: a service in a fresh data folder (`db`, copied from the run's
empty template in tests/conftest.py), made through the core API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from rrn_desktop.base.vocabulary import Purpose, Sector
from rrn_desktop.content.loader import training_standards
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.benchmarks import start_benchmark
from rrn_desktop.core.services import ServiceInfo, create_service
from rrn_desktop.storage.database import Database
from tests.reports.helpers import PEOPLE


@pytest.fixture
def pack() -> ContentPack:
    return training_standards()


@pytest.fixture
def service(db: Database) -> ServiceInfo:
    return create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)


@pytest.fixture
def new_benchmark(db: Database, service: ServiceInfo) -> Callable[..., int]:
    """Start a benchmark of the service; returns its id."""

    def make(held_on: dt.date = dt.date(2025, 3, 12), purpose: Purpose = Purpose.SELF_AUDIT) -> int:
        return start_benchmark(db, service.id, held_on, purpose, PEOPLE).id

    return make
