"""How the pages write numbers, days and deadlines (no database)."""

from datetime import datetime

from service.domain.calendar import AMSTERDAM
from service.web.pages import format_due


def test_a_deadline_in_days_is_shown_as_its_last_day_and_one_in_hours_with_its_time():
    midnight = datetime(2026, 12, 3, 0, 0, tzinfo=AMSTERDAM)
    assert format_due(midnight, "nl") == "wo 02-12-2026"
    assert format_due(midnight, "en") == "Wed 02-12-2026"
    acute = datetime(2026, 12, 2, 14, 30, tzinfo=AMSTERDAM)
    assert format_due(acute, "nl") == "02-12-2026 14:30"
