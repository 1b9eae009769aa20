"""Dutch working days under the Algemene termijnenwet.

Saturdays, Sundays and the recognised public holidays are not working days.
Easter is computed, so no year tables need maintaining.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """27 April, or 26 April when the 27th falls on a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The holidays the Algemene termijnenwet recognises in a year."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),  # Nieuwjaarsdag
            easter + timedelta(days=1),  # Tweede paasdag
            kings_day(year),  # Koningsdag
            date(year, 5, 5),  # Bevrijdingsdag
            easter + timedelta(days=39),  # Hemelvaartsdag
            easter + timedelta(days=50),  # Tweede pinksterdag
            date(year, 12, 25),  # Eerste kerstdag
            date(year, 12, 26),  # Tweede kerstdag
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


# Every report of a day asks the same few questions (2, 5, 15, 30 or 60 working days on).
@lru_cache(maxsize=1024)
def add_working_days(start: date, count: int) -> date:
    """The count-th working day after start (start itself never counts)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_deadline(moment: datetime, count: int) -> datetime:
    """Midnight in Amsterdam at the end of the count-th working day after moment's day.

    A crack reported on Friday evening with two working days is due on
    Wednesday 00:00: Monday and Tuesday are the two working days.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local_day = moment.astimezone(AMSTERDAM).date()
    last_day = add_working_days(local_day, count)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
