"""The fault tests' figures, shown at the end of every run (with or without -s)."""

from __future__ import annotations

import pytest

FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture
def report_figures(request: pytest.FixtureRequest):
    """Call with one line of figures; it is printed in the run's summary."""
    lines = request.config.stash.setdefault(FIGURES, [])
    return lines.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config):
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("fault tests")
        for line in lines:
            terminalreporter.write_line(line)
