"""Urgency and deadlines: per urgency, the windows to acknowledge, inspect and resolve a case
(calendar hours for acute cases' first two, working days otherwise)."""

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

# The last fifth of a window is "at risk" (also in the trigger cases_next_deadline).
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


class Stage(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    INSPECT = "inspect"
    RESOLVE = "resolve"


# The stage a case in each status is working towards; absent: nothing is due (on hold
# pauses the clocks; resolved, closed and rejected are done). The database derives
# cases.next_stage / next_deadline_at / next_at_risk_at by the same rules (trigger
# cases_next_deadline, migration 0002); tests/test_next_deadline.py keeps them equal.
STAGE_OF_STATUS: dict[str, Stage] = {
    "unrouted": Stage.ACKNOWLEDGE,
    "new": Stage.ACKNOWLEDGE,
    "acknowledged": Stage.INSPECT,
    "inspection_planned": Stage.INSPECT,
    "inspected": Stage.RESOLVE,
    "repair_planned": Stage.RESOLVE,
    "referred": Stage.RESOLVE,
}
_STAGES = tuple(Stage)


def due_of(deadlines: Deadlines, stage: Stage) -> datetime:
    due: datetime = getattr(deadlines, f"{stage}_by")
    return due


def next_deadline(status: str, deadlines: Deadlines) -> tuple[Stage, datetime] | None:
    stage = STAGE_OF_STATUS.get(status)
    return None if stage is None else (stage, due_of(deadlines, stage))


def resume_after_hold(deadlines: Deadlines, status: str, paused: timedelta) -> Deadlines:
    """Leaving on_hold for status: the deadlines still ahead move later by the paused time."""
    current = STAGE_OF_STATUS.get(status)
    if current is None or paused <= timedelta(0):
        return deadlines
    first_open = _STAGES.index(current)
    moved = {
        f"{stage}_by": due_of(deadlines, stage) + (paused if index >= first_open else timedelta(0))
        for index, stage in enumerate(_STAGES)
    }
    return Deadlines(**moved)


def escalate_to_acute(deadlines: Deadlines, now: datetime) -> Deadlines:
    """An inspector finds the situation acute: the acute windows run from now, never later."""
    acute = deadlines_for(Urgency.ACUTE, now)
    return Deadlines(
        acknowledge_by=min(deadlines.acknowledge_by, acute.acknowledge_by),
        inspect_by=min(deadlines.inspect_by, acute.inspect_by),
        resolve_by=min(deadlines.resolve_by, acute.resolve_by),
    )
