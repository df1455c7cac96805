"""The fault tests' figures, shown at the end of every run (with or without -s)."""

from __future__ import annotations

import pytest

from tests.conftest import summary_lines


@pytest.fixture
def report_figures(request: pytest.FixtureRequest):
    """Call with one line of figures; it is printed in the run's summary."""
    return summary_lines(request.config, "fault tests").append
