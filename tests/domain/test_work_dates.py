from datetime import UTC, date, datetime

import pytest

from service.domain.calendar import AMSTERDAM
from service.domain.work_dates import DayRefused, default_visit_day, done_at, refusal

NOW = datetime(2026, 11, 30, 14, 5, tzinfo=AMSTERDAM)
REPORTED = datetime(2026, 11, 12, 9, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("planned_at", "day"),
    [
        # The issue: findings typed on 30-11 for the visit planned on 27-11 count on 27-11.
        (datetime(2026, 11, 27, 10, 0, tzinfo=AMSTERDAM), date(2026, 11, 27)),
        # Planned later today, typed already: today.
        (datetime(2026, 11, 30, 16, 0, tzinfo=AMSTERDAM), date(2026, 11, 30)),
        # Planned for 03-12 but typed on 30-11: visited early, so today, never the plan.
        (datetime(2026, 12, 3, 10, 0, tzinfo=AMSTERDAM), date(2026, 11, 30)),
        (None, date(2026, 11, 30)),
    ],
)
def test_the_visit_day_defaults_to_the_plan_once_it_has_come(
    planned_at: datetime | None, day: date
) -> None:
    assert default_visit_day(planned_at, NOW) == day


def test_the_day_is_amsterdams() -> None:
    # 23:30 UTC on 30 November is 1 December in Amsterdam.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert default_visit_day(None, late) == date(2026, 12, 1)
    assert refusal(date(2026, 12, 1), REPORTED, late) is None


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (date(2026, 12, 1), DayRefused.IN_FUTURE),
        (date(2026, 11, 11), DayRefused.BEFORE_REPORT),
        (date(2026, 11, 12), None),  # the day of the report itself
        (date(2026, 11, 30), None),  # today
    ],
)
def test_a_day_lies_between_the_report_and_today(day: date, refused: DayRefused | None) -> None:
    assert refusal(day, REPORTED, NOW) == refused


def test_work_on_its_planned_day_was_done_at_the_planned_moment() -> None:
    planned = datetime(2026, 11, 27, 10, 0, tzinfo=AMSTERDAM)
    assert done_at(date(2026, 11, 27), planned, NOW) == planned


def test_work_on_another_day_counts_at_the_end_of_that_day() -> None:
    planned = datetime(2026, 11, 27, 10, 0, tzinfo=AMSTERDAM)
    assert done_at(date(2026, 11, 26), planned, NOW) == datetime(
        2026, 11, 26, 23, 59, 59, tzinfo=AMSTERDAM
    )
    # A deadline in working days ends at midnight: the day's work meets it.
    assert done_at(date(2026, 11, 26), None, NOW) < datetime(2026, 11, 27, tzinfo=AMSTERDAM)


def test_work_today_counts_no_later_than_now() -> None:
    assert done_at(date(2026, 11, 30), None, NOW) == NOW
    planned_later_today = datetime(2026, 11, 30, 16, 0, tzinfo=AMSTERDAM)
    assert done_at(date(2026, 11, 30), planned_later_today, NOW) == NOW
