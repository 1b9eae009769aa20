"""The day an inspection visit or a repair took place, as staff record it afterwards.

Findings are often typed days after the visit: the deadlines count the day of the visit, not
the day of typing. A day is an Amsterdam calendar day, from the report's day to today.
"""

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from service.domain.calendar import AMSTERDAM


def local_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def default_visit_day(planned_at: datetime | None, now: datetime) -> date:
    """The planned visit's day once it has come; otherwise today (visited before the plan)."""
    today = local_day(now)
    if planned_at is not None and local_day(planned_at) <= today:
        return local_day(planned_at)
    return today


class DayRefused(StrEnum):
    IN_FUTURE = "in_future"
    BEFORE_REPORT = "before_report"


def refusal(day: date, reported_at: datetime, now: datetime) -> DayRefused | None:
    """Why a visit or repair cannot have been on day, or None when it can."""
    if day > local_day(now):
        return DayRefused.IN_FUTURE
    if day < local_day(reported_at):
        return DayRefused.BEFORE_REPORT
    return None


def done_at(day: date, planned_at: datetime | None, now: datetime) -> datetime:
    """The moment the deadlines count work on day as done.

    The planned moment when the work was planned that day; otherwise the end of the day
    (deadlines in working days end at midnight, so the day is what counts), but never later
    than now, when it was recorded.
    """
    if planned_at is not None and local_day(planned_at) == day:
        return min(planned_at, now)
    end_of_day = datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM) - timedelta(
        seconds=1
    )
    return min(end_of_day, now)
