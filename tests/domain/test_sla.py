from datetime import datetime, timedelta

import pytest

from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category
from service.domain.sla import (
    Deadlines,
    DeadlineState,
    Stage,
    Urgency,
    deadline_state,
    deadlines_for,
    due_of,
    escalate_to_acute,
    next_deadline,
    resume_after_hold,
    urgency_for,
)


@pytest.mark.parametrize(
    ("category", "acute", "urgency"),
    [
        (Category.CRACK, False, Urgency.NORMAL),
        (Category.OTHER, False, Urgency.NORMAL),
        (Category.SUBSIDENCE, False, Urgency.HIGH),
        (Category.UNSAFE_SITUATION, False, Urgency.HIGH),
        (Category.CRACK, True, Urgency.ACUTE),
        (Category.UNSAFE_SITUATION, True, Urgency.ACUTE),
    ],
)
def test_urgency(category, acute, urgency):
    assert urgency_for(category, acute) is urgency


FRIDAY_EVENING = datetime(2026, 11, 27, 21, 30, tzinfo=AMSTERDAM)


def test_acute_deadlines_are_calendar_hours_then_working_days():
    deadlines = deadlines_for(Urgency.ACUTE, FRIDAY_EVENING)
    assert deadlines.acknowledge_by == FRIDAY_EVENING + timedelta(hours=4)
    assert deadlines.inspect_by == FRIDAY_EVENING + timedelta(hours=24)
    # 5 working days after Friday: Mon..Fri 4 December -> due Saturday 5 December 00:00.
    assert deadlines.resolve_by == datetime(2026, 12, 5, tzinfo=AMSTERDAM)


def test_high_deadlines():
    deadlines = deadlines_for(Urgency.HIGH, FRIDAY_EVENING)
    assert deadlines.acknowledge_by == datetime(2026, 12, 1, tzinfo=AMSTERDAM)  # end of Monday
    assert deadlines.inspect_by == datetime(2026, 12, 5, tzinfo=AMSTERDAM)


def test_normal_deadlines_skip_christmas():
    deadlines = deadlines_for(Urgency.NORMAL, FRIDAY_EVENING)
    assert deadlines.acknowledge_by == datetime(2026, 12, 2, tzinfo=AMSTERDAM)  # Wednesday 00:00
    # 15 working days from Monday 30 Nov: Dec 18 is the 15th -> Saturday 19th 00:00.
    assert deadlines.inspect_by == datetime(2026, 12, 19, tzinfo=AMSTERDAM)
    # 60 working days, skipping 25/26 Dec 2026 (Fri/Sat) and 1 Jan 2027.
    assert deadlines.resolve_by == datetime(2027, 2, 24, tzinfo=AMSTERDAM)


def test_deadline_state_boundaries():
    start = datetime(2026, 1, 5, 9, tzinfo=AMSTERDAM)
    due = start + timedelta(hours=10)
    assert deadline_state(start, due, start) is DeadlineState.ON_TIME
    assert (
        deadline_state(start, due, start + timedelta(hours=7, minutes=59)) is DeadlineState.ON_TIME
    )
    assert deadline_state(start, due, start + timedelta(hours=8)) is DeadlineState.AT_RISK
    assert deadline_state(start, due, due) is DeadlineState.AT_RISK
    assert deadline_state(start, due, due + timedelta(seconds=1)) is DeadlineState.BREACHED


DEADLINES = Deadlines(
    acknowledge_by=datetime(2026, 12, 2, tzinfo=AMSTERDAM),
    inspect_by=datetime(2026, 12, 19, tzinfo=AMSTERDAM),
    resolve_by=datetime(2027, 2, 24, tzinfo=AMSTERDAM),
)


@pytest.mark.parametrize(
    ("status", "moved"),
    [
        ("new", ("acknowledge", "inspect", "resolve")),
        ("acknowledged", ("inspect", "resolve")),
        ("inspection_planned", ("inspect", "resolve")),
        ("repair_planned", ("resolve",)),
        ("referred", ("resolve",)),
    ],
)
def test_resume_after_hold_moves_only_the_deadlines_still_ahead(status, moved):
    paused = timedelta(days=3, hours=2)
    after = resume_after_hold(DEADLINES, status, paused)
    for stage in Stage:
        shift = due_of(after, stage) - due_of(DEADLINES, stage)
        assert shift == (paused if stage in moved else timedelta(0)), stage


def test_escalation_never_makes_a_deadline_later():
    now = datetime(2026, 12, 10, 9, tzinfo=AMSTERDAM)
    after = escalate_to_acute(DEADLINES, now)
    assert after.acknowledge_by == DEADLINES.acknowledge_by  # already earlier than now + 4 h
    assert after.inspect_by == now + timedelta(hours=24)
    assert after.resolve_by == datetime(2026, 12, 18, tzinfo=AMSTERDAM)  # 5 working days


def test_next_deadline_follows_the_status():
    assert next_deadline("new", DEADLINES) == (Stage.ACKNOWLEDGE, DEADLINES.acknowledge_by)
    assert next_deadline("referred", DEADLINES) == (Stage.RESOLVE, DEADLINES.resolve_by)
    for finished in ("on_hold", "resolved", "closed", "rejected"):
        assert next_deadline(finished, DEADLINES) is None
