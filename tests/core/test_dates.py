"""Dates typed the ways people in the UK write them, and plain words for the ones that are not."""

from __future__ import annotations

import datetime as dt

import pytest

from rrn_desktop.core.dates import parse_day, short_date
from rrn_desktop.core.validation import InputError

NEW_YEARS_EVE = dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    "typed",
    [
        "31/12/2026",
        " 31 / 12 / 2026 ",
        "31-12-2026",
        "31.12.2026",
        "31 Dec 2026",
        "31 december 2026",
        "31st December, 2026",
        "31 DEC. 2026",
    ],
)
def test_a_date_written_any_usual_way_is_read_day_first(typed: str) -> None:
    assert parse_day(typed) == NEW_YEARS_EVE


def test_single_figures_and_a_leap_day_are_dates() -> None:
    assert parse_day("1/2/2026") == dt.date(2026, 2, 1)
    assert parse_day("3 Sept 2026") == dt.date(2026, 9, 3)
    assert parse_day("29/02/2028") == dt.date(2028, 2, 29)


def test_nothing_typed_is_no_date() -> None:
    assert parse_day("") is None
    assert parse_day("   ") is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "There is no 31 February."),
        ("31/4/2026", "There is no 31 April."),
        ("29/02/2026", "There is no 29 February in 2026: it is not a leap year."),
        (
            "12/31/2026",
            "There is no month 31. Type the date as day/month/year, for example 31/12/2026.",
        ),
        ("31/12/26", "Type the year in full, for example 31/12/2026."),
        ("31/12/0026", "Type the year in full, for example 31/12/2026."),
        (
            "32/1/2026",
            "No month has a day 32. Type the date as day/month/year, for example 31/12/2026.",
        ),
        (
            "31 Decmber 2026",
            "Type the month as a number or a name, for example 31/12/2026 or 31 Dec 2026.",
        ),
        ("31/12-2026", "Type the date as day/month/year, for example 31/12/2026."),
        ("No date1/13/2026", "Type the date as day/month/year, for example 31/12/2026."),
        ("tomorrow", "Type the date as day/month/year, for example 31/12/2026."),
    ],
)
def test_what_is_not_a_date_is_refused_in_plain_words(typed: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_day(typed)
    assert refused.value.message == message


def test_a_date_is_shown_as_it_is_typed() -> None:
    assert short_date(dt.date(2026, 2, 1)) == "01/02/2026"
    assert short_date(None) == ""
