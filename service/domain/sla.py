"""Urgency and deadlines (DESIGN.md section 7)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from service.domain.calendar import working_days_deadline
from service.domain.categories import Category


class Urgency(StrEnum):
    ACUTE = "acute"
    HIGH = "high"
    NORMAL = "normal"


class DeadlineState(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    BREACHED = "breached"


@dataclass(frozen=True)
class Deadlines:
    acknowledge_by: datetime
    inspect_by: datetime
    resolve_by: datetime


# Each window is (hours, None) for calendar hours or (None, days) for working days.
_WINDOWS: dict[Urgency, tuple[tuple[int | None, int | None], ...]] = {
    Urgency.ACUTE: ((4, None), (24, None), (None, 5)),
    Urgency.HIGH: ((None, 1), (None, 5), (None, 30)),
    Urgency.NORMAL: ((None, 2), (None, 15), (None, 60)),
}

# The last fifth of a window is "at risk".
AT_RISK_FRACTION = 0.2


def urgency_for(category: Category, acute: bool) -> Urgency:
    if acute:
        return Urgency.ACUTE
    if category in (Category.UNSAFE_SITUATION, Category.SUBSIDENCE):
        return Urgency.HIGH
    return Urgency.NORMAL


def _window_end(start: datetime, hours: int | None, days: int | None) -> datetime:
    if hours is not None:
        return start + timedelta(hours=hours)
    assert days is not None
    return working_days_deadline(start, days)


def deadlines_for(urgency: Urgency, reported_at: datetime) -> Deadlines:
    acknowledge, inspect, resolve = (
        _window_end(reported_at, hours, days) for hours, days in _WINDOWS[urgency]
    )
    return Deadlines(acknowledge_by=acknowledge, inspect_by=inspect, resolve_by=resolve)


def deadline_state(start: datetime, due: datetime, now: datetime) -> DeadlineState:
    """On time, at risk (last 20% of the window) or breached (past due)."""
    if now > due:
        return DeadlineState.BREACHED
    if now >= due - (due - start) * AT_RISK_FRACTION:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME
