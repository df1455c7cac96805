"""The fault tests' figures, shown at the end of every run (with or without -s). The fault tests
are marked slow: a quick local run leaves them out with -m "not slow"; CI runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import summary_lines


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def report_figures(request: pytest.FixtureRequest):
    """Call with one line of figures; it is printed in the run's summary."""
    return summary_lines(request.config, "fault tests").append
