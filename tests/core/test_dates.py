"""Dates typed the ways people in the UK write them, and plain words for the ones that are not."""

from __future__ import annotations

import datetime as dt

import pytest

from rrn_desktop.core.dates import (
    brief_date,
    brief_moment,
    brief_month,
    clock_time,
    day_month,
    day_month_time,
    long_date,
    long_moment,
    month_year,
    parse_day,
    short_date,
)
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


# --- dates written out: one way on every screen and on paper ---------------------------------


def test_dates_and_times_are_written_one_way_without_a_leading_zero() -> None:
    morning = dt.datetime(2025, 3, 5, 9, 5)
    assert brief_date(morning.date()) == "5 Mar 2025"
    assert long_date(morning.date()) == "5 March 2025"
    assert brief_moment(morning) == "5 Mar 2025 09:05"
    assert long_moment(morning) == "5 March 2025 at 09:05"
    assert day_month(morning.date()) == "5 Mar"
    assert day_month_time(morning) == "5 Mar 09:05"
    assert month_year(morning.date()) == "March 2025"
    assert brief_month(morning.date()) == "Mar 2025"


def test_the_time_is_on_the_24_hour_clock_and_the_day_keeps_two_figures_when_it_has_them() -> None:
    evening = dt.datetime(2026, 12, 31, 23, 59)
    assert brief_moment(evening) == "31 Dec 2026 23:59"
    assert long_moment(evening) == "31 December 2026 at 23:59"
    assert clock_time(evening) == "23:59"


def test_september_is_shortened_to_three_letters_like_every_other_month() -> None:
    assert brief_date(dt.date(2026, 9, 1)) == "1 Sep 2026"


def test_a_missing_date_is_blank_in_a_column_and_said_in_a_sentence() -> None:
    assert brief_date(None) == ""
    assert long_date(None) == "no date"
