"""Days and moments as the e-mails write them, in Dutch or English, in Amsterdam time:
"woensdag 2 december 2026", "Wednesday 2 December 2026 at 14:00"."""

from datetime import date, datetime

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


def long_date(day: date | datetime, language: str) -> str:
    """The day in words; a moment counts as its day in Amsterdam."""
    if isinstance(day, datetime):
        day = day.astimezone(AMSTERDAM).date()
    words = "en" if language == "en" else "nl"
    return f"{_DAYS[words][day.weekday()]} {day.day} {_MONTHS[words][day.month - 1]} {day.year}"


def clock_time(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


def long_moment(moment: datetime, language: str) -> str:
    """ "woensdag 2 december 2026 om 14:00 uur" / "Wednesday 2 December 2026 at 14:00"."""
    if language == "en":
        return f"{long_date(moment, language)} at {clock_time(moment)}"
    return f"{long_date(moment, language)} om {clock_time(moment)} uur"
