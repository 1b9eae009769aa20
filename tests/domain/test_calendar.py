from datetime import date, datetime

import pytest

from service.domain.calendar import (
    AMSTERDAM,
    add_working_days,
    easter_sunday,
    is_working_day,
    kings_day,
    public_holidays,
    working_days_deadline,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("holiday", "name"),
    [
        (date(2025, 4, 21), "Easter Monday 2025"),
        (date(2026, 4, 6), "Easter Monday 2026"),
        (date(2027, 3, 29), "Easter Monday 2027"),
        (date(2025, 5, 29), "Ascension Day 2025"),
        (date(2026, 5, 14), "Ascension Day 2026"),
        (date(2027, 5, 6), "Ascension Day 2027"),
        (date(2025, 6, 9), "Whit Monday 2025"),
        (date(2026, 5, 25), "Whit Monday 2026"),
        (date(2027, 5, 17), "Whit Monday 2027"),
        (date(2025, 4, 26), "King's Day 2025, moved from Sunday the 27th"),
        (date(2026, 4, 27), "King's Day 2026"),
        (date(2026, 5, 5), "Liberation Day 2026 (a Tuesday)"),
        (date(2027, 1, 1), "New Year's Day 2027"),
        (date(2026, 12, 25), "Christmas Day 2026"),
        (date(2025, 12, 26), "Boxing Day 2025"),
    ],
)
def test_holidays_are_not_working_days(holiday, name):
    assert holiday in public_holidays(holiday.year), name
    assert not is_working_day(holiday), name


def test_kings_day_moves_to_saturday_only_when_27_april_is_a_sunday():
    assert kings_day(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert kings_day(2026) == date(2026, 4, 27)
    assert date(2025, 4, 27) not in public_holidays(2025)


def test_good_friday_is_a_working_day():
    assert is_working_day(date(2026, 4, 3))


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    assert is_working_day(date(2026, 11, 30))


def test_christmas_across_a_weekend():
    # 2027: Christmas Saturday, Boxing Day Sunday: Monday 27 December works again.
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 27)
    # 2026: Christmas Friday, Boxing Day Saturday; Thursday 24th + 1 is Monday 28th.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # 2025: Christmas Thursday, Boxing Day Friday; Wednesday 24th + 2 is Tuesday 30th.
    assert add_working_days(date(2025, 12, 24), 2) == date(2025, 12, 30)


def test_five_may_is_skipped():
    assert add_working_days(date(2026, 5, 4), 1) == date(2026, 5, 6)


def test_easter_monday_and_kings_day_are_skipped():
    # Thursday 2 April 2026 + 2 working days: Good Friday 3rd, then Easter Monday skipped -> Tue 7th.
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 7)
    # Friday 24 April 2026 + 1: Monday 27th is King's Day -> Tuesday 28th.
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_ascension_and_whit_monday_are_skipped_2027():
    # Wednesday 5 May 2027 (5 May is a holiday itself) + 1: Thursday 6th is Ascension -> Fri 7th.
    assert add_working_days(date(2027, 5, 5), 1) == date(2027, 5, 7)
    # Friday 14 May 2027 + 1: Whit Monday 17th -> Tuesday 18th.
    assert add_working_days(date(2027, 5, 14), 1) == date(2027, 5, 18)


def test_friday_evening_report_is_due_wednesday_midnight():
    reported = datetime(2026, 11, 27, 21, 30, tzinfo=AMSTERDAM)  # Friday evening
    due = working_days_deadline(reported, 2)
    assert due == datetime(2026, 12, 2, 0, 0, tzinfo=AMSTERDAM)  # Wednesday 00:00
    assert due.weekday() == 2


def test_deadline_day_is_the_amsterdam_day_not_the_utc_day():
    # 23:30 UTC on Sunday is already Monday 00:30 in Amsterdam (winter time).
    reported = datetime.fromisoformat("2026-11-29T23:30:00+00:00")
    assert working_days_deadline(reported, 1) == datetime(2026, 12, 2, tzinfo=AMSTERDAM)


def test_deadline_across_a_summer_time_change_is_local_midnight():
    # Friday 23 October 2026 + 2 working days: Tuesday 27th, clocks went back on the 25th.
    due = working_days_deadline(datetime(2026, 10, 23, 10, tzinfo=AMSTERDAM), 2)
    assert due == datetime(2026, 10, 28, 0, 0, tzinfo=AMSTERDAM)
    assert due.utcoffset().total_seconds() == 3600


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        working_days_deadline(datetime(2026, 1, 5, 12), 1)


def test_count_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2026, 1, 5), 0)
