"""The calendar item reads back as written: escaped text, long lines folded at 75 octets."""

from datetime import UTC, datetime, timedelta

import icalendar

from service.notifications.ics import visit_event


def test_text_with_commas_semicolons_and_accents_survives_folding() -> None:
    start = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    location = "Ébbingestraat 12-3; achterom, naast de garage — " + "ï" * 60
    written = visit_event(
        uid="case-inspection@example.nl",
        sequence=7,
        stamp=start - timedelta(days=2),
        start=start,
        duration=timedelta(hours=1),
        summary="Inspectie schade (SCH-2026-000001)",
        location=location,
        description="Eerste regel\nTweede regel, met \\ erin",
    )
    assert all(len(line.encode()) <= 75 for line in written.split("\r\n"))
    assert written.endswith("\r\n")
    event = icalendar.Calendar.from_ical(written).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == location
    assert str(event["DESCRIPTION"]) == "Eerste regel\nTweede regel, met \\ erin"
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(hours=1)
    assert int(event["SEQUENCE"]) == 7
    assert str(event["UID"]) == "case-inspection@example.nl"
