"""Days and moments as the e-mails and the tenant's pages write them, in Dutch or English,
in Amsterdam time: "woensdag 2 december 2026", "Wednesday 2 December 2026 at 14:00"."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from service.domain.calendar import AMSTERDAM

_DAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


# The words for a moment never change, and the same few (a case's visits, its deadlines) are
# written on every read of its timeline and page: kept, not worked out again.
_KEPT_WORDS = 4096


@lru_cache(maxsize=_KEPT_WORDS)
def long_date(day: date | datetime, language: str) -> str:
    """The day in words; a moment counts as its day in Amsterdam."""
    if isinstance(day, datetime):
        day = day.astimezone(AMSTERDAM).date()
    words = "en" if language == "en" else "nl"
    return f"{_DAYS[words][day.weekday()]} {day.day} {_MONTHS[words][day.month - 1]} {day.year}"


def clock_time(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


@lru_cache(maxsize=_KEPT_WORDS)
def long_moment(moment: datetime, language: str) -> str:
    """ "woensdag 2 december 2026 om 14:00 uur" / "Wednesday 2 December 2026 at 14:00"."""
    if language == "en":
        return f"{long_date(moment, language)} at {clock_time(moment)}"
    return f"{long_date(moment, language)} om {clock_time(moment)} uur"


def last_day(deadline: datetime) -> date | None:
    """The last whole day of a deadline due at midnight in Amsterdam (a deadline in days);
    None for one due at another moment (in hours, like acute contact), whose time counts."""
    local = deadline.astimezone(AMSTERDAM)
    if local.time() != time(0):
        return None
    return (local - timedelta(days=1)).date()


def deadline_words(deadline: datetime, language: str) -> str:
    """ "woensdag 2 december 2026" for a deadline stored as 3 December 00:00: the end of the
    day before; a deadline at another moment keeps its time."""
    day = last_day(deadline)
    return long_moment(deadline, language) if day is None else long_date(day, language)
