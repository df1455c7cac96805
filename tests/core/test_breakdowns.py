"""Incidents by the person's age band and characteristics: counted against figures worked out
here from generated records, with no figure under 5 in any output (the screen's table is
checked in tests/gui/test_group_figures.py), and repeated use on one person counted by code."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rrn_desktop.base.errors import InputError
from rrn_desktop.base.vocabulary import RedFlag, Sector
from rrn_desktop.content.loader import incident_pack
from rrn_desktop.core import incidents
from rrn_desktop.core.breakdowns import (
    FEWER_THAN,
    NOT_RECORDED,
    NOT_SHOWN,
    Breakdown,
    breakdowns,
    hidden,
)
from rrn_desktop.core.incident_figures import figures_for
from rrn_desktop.core.periods import Period
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.figures_export import export_figures
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.reports.xlsx_export import export_xlsx
from rrn_desktop.storage.database import Database
from tests.conftest import reopen
from tests.reports.helpers import read_pdf

SMALL_NUMBER = 5  # the rule, written here so that the module cannot lower it
TODAY = dt.date(2026, 11, 20)
KIND = ["physical-standing-hold"]
# Some groups common, some rare, so that both sides of the threshold are exercised.
WEIGHTS = [12, 6, 3, 2, 1, 1, 1, 1, 1]

Table = list[tuple[str, str]]  # (group, figure as shown)


def _generated(db: Database, seed: str, count: int) -> tuple[int, dict[str, Counter[str]]]:
    """COUNT incidents in the last year with answers drawn at random, some left unanswered;
    returns the service and, for each question, how many incidents each answer had."""
    rng = random.Random(seed)
    service = create_service(db, f"Service {seed} <ŵ & 🙂>", Sector.ADULT_SOCIAL_CARE)
    counted: dict[str, Counter[str]] = {
        q.label: Counter() for q in incident_pack().person_questions
    }
    for number in range(count):
        details = {}
        for question in incident_pack().person_questions:
            if rng.random() < 0.2:
                counted[question.label][NOT_RECORDED] += 1
                continue
            choice = rng.choices(question.choices, WEIGHTS[: len(question.choices)])[0]
            details[question.id] = choice
            counted[question.label][choice] += 1
        when = dt.datetime.combine(TODAY - dt.timedelta(days=rng.randrange(1, 300)), dt.time(10))
        incidents.record_incident(
            db, service.id, f"G-{number}", when, KIND, now=when, person_details=details
        )
    return service.id, counted


def _check_table(question: str, shown: Table, counts: Counter[str]) -> None:
    """Every group recorded is there once; a figure shown is the true count and never under 5;
    a hidden one is under 5, or the one more hidden so that a single one cannot be worked out."""
    assert [group for group, _ in shown] == [g for g in _order(question, counts)], question
    small = [group for group, count in counts.items() if count < SMALL_NUMBER]
    for group, text in shown:
        if text == FEWER_THAN:
            assert counts[group] < SMALL_NUMBER, (question, group)
        elif text == NOT_SHOWN:
            assert len(small) == 1 and counts[group] >= SMALL_NUMBER, (question, group)
        else:
            assert int(text) == counts[group] >= SMALL_NUMBER, (question, group, text)
    assert sum(text == NOT_SHOWN for _, text in shown) == (len(small) == 1)


def _order(question: str, counts: Counter[str]) -> list[str]:
    asked = next(q for q in incident_pack().person_questions if q.label == question)
    return [c for c in asked.choices if counts[c]] + (
        [NOT_RECORDED] if counts[NOT_RECORDED] else []
    )


@pytest.fixture
def generated(db: Database) -> tuple[Database, int, dict[str, Counter[str]]]:
    service_id, counted = _generated(db, "breakdowns", 60)
    return db, service_id, counted


def test_the_groups_match_a_count_made_here(
    generated: tuple[Database, int, dict[str, Counter[str]]],
) -> None:
    db, service_id, counted = generated
    figures = figures_for(db, service_id, Period.last_12_months(TODAY), dt.datetime(2026, 11, 21))
    groups = breakdowns(figures.incidents)
    assert groups.incidents == 60
    assert [t.question for t in groups.tables] == list(counted)
    for table in groups.tables:
        _check_table(
            table.question, [(g.group, g.text) for g in table.groups], counted[table.question]
        )
    # The rare groups really were hidden: the test would prove nothing if all were common.
    assert any(g.figure is None for t in groups.tables for g in t.groups)
    assert any(g.figure is not None for t in groups.tables for g in t.groups)


def test_every_output_hides_small_numbers(
    generated: tuple[Database, int, dict[str, Counter[str]]], tmp_path: Path
) -> None:
    db, service_id, counted = generated

    out = tmp_path / "groups.csv"
    assert export_figures(db, out, service_id, TODAY, by_group=True) == 60
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Question", "Group", "Incidents"]
    for question, counts in counted.items():
        _check_table(question, [(g, f) for q, g, f in rows[1:] if q == question], counts)
    assert rows[-1][0] == "Note" and "No figure under 5 is shown" in rows[-1][1]

    workbook = load_workbook(
        export_xlsx(db, tmp_path / "all.xlsx", today=TODAY, service_id=service_id).path
    )
    sheet = list(workbook["By group"].iter_rows(min_row=2, values_only=True))
    for question, counts in counted.items():
        shown = [(g, str(f)) for _, q, g, f in sheet if q == question]
        _check_table(question, shown, counts)

    report = write_incidents_report(db, tmp_path / "f.pdf", service_id=service_id, today=TODAY)
    text = read_pdf(report.path).flat
    section = text[text.index("By age band and characteristic") :]
    for question, counts in counted.items():
        expected = " ".join(
            f"{group} {text}" for group, text in _shown_in(breakdowns_for(db, service_id), question)
        )
        assert f"{question} Group Incidents {expected}" in section
        _check_table(question, _shown_in(breakdowns_for(db, service_id), question), counts)
    # No group in the section is followed by a figure under 5.
    groups = {g for counts in counted.values() for g in counts}
    for group in groups:
        assert not re.search(rf"{re.escape(group)} [0-4](?!\d)", section), group


def breakdowns_for(db: Database, service_id: int) -> tuple[Breakdown, ...]:
    figures = figures_for(db, service_id, Period.last_12_months(TODAY), dt.datetime(2026, 11, 21))
    return breakdowns(figures.incidents).tables


def _shown_in(tables: tuple[Breakdown, ...], question: str) -> Table:
    table = next(t for t in tables if t.question == question)
    return [(g.group, g.text) for g in table.groups]


def test_a_single_hidden_figure_takes_the_next_smallest_with_it() -> None:
    shown = hidden([("A", 20), ("B", 3), ("C", 9), ("D", 7)])
    assert [(g.group, g.text) for g in shown] == [
        ("A", "20"),
        ("B", FEWER_THAN),
        ("C", "9"),
        ("D", NOT_SHOWN),
    ]
    two = hidden([("A", 20), ("B", 3), ("C", 1)])
    assert [g.text for g in two] == ["20", FEWER_THAN, FEWER_THAN]


def test_too_few_incidents_or_nothing_recorded_shows_no_table(db: Database) -> None:
    service_id, _ = _generated(db, "few", SMALL_NUMBER - 1)
    few = breakdowns(
        figures_for(db, service_id, Period.last_12_months(TODAY), dt.datetime.now()).incidents
    )
    assert few.too_few and few.tables == () and "too few" in few.note
    bare = create_service(db, "Bare", Sector.HEALTH)
    for number in range(6):
        when = dt.datetime(2026, 6, 1 + number, 9)
        incidents.record_incident(db, bare.id, f"B-{number}", when, KIND, now=when)
    none = breakdowns(
        figures_for(db, bare.id, Period.last_12_months(TODAY), dt.datetime.now()).incidents
    )
    assert none.tables == () and "Nobody's age band" in none.note
    assert breakdowns([]).note == "No incidents in the period."


def test_details_and_code_are_kept_and_checked(db: Database, data_dir: Path) -> None:
    home = create_service(db, "Home", Sector.ADULT_SOCIAL_CARE)
    when = dt.datetime(2026, 6, 1, 9)
    made = incidents.record_incident(
        db,
        home.id,
        "K-1",
        when,
        KIND,
        now=when,
        person_code=" P-07 ",
        person_details={"age_band": "80 and over", "sex": ""},
    )
    with pytest.raises(InputError, match="Age band: choose one of"):
        incidents.update_incident(db, made.id, person_details={"age_band": "ninety"})
    with pytest.raises(InputError, match="not a question asked about the person"):
        incidents.update_incident(db, made.id, person_details={"shoe_size": "9"})
    with pytest.raises(InputError, match="The person's code is too long"):
        incidents.update_incident(db, made.id, person_code="P" * 41)
    db.close()
    with reopen(db) as reopened:
        again = incidents.get_incident(reopened, made.id)
        assert again.person_code == "P-07"
        assert again.person_details == {"age_band": "80 and over"}


def test_repeated_use_is_counted_by_the_persons_code(db: Database) -> None:
    home = create_service(db, "Home", Sector.ADULT_SOCIAL_CARE)
    codes = ["P-1", "p-1 ", "P-1", "P-2", "P-2", "", "", ""]
    for number, code in enumerate(codes):
        when = dt.datetime(2026, 6, 1 + number, 9)
        incidents.record_incident(
            db, home.id, f"R-{number}", when, KIND, now=when, person_code=code
        )
    figures = figures_for(db, home.id, Period.last_12_months(TODAY), dt.datetime.now())
    # P-1 three times (however it was typed); P-2 only twice; no code links nobody.
    assert figures.totals.red_flags[RedFlag.REPEATED] == 3
