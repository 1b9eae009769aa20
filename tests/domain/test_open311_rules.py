"""Open311's rules without a database: the services, open and closed, the filters of GET
requests with the spec's defaults, and an address written on one line."""

from datetime import UTC, datetime, timedelta

import pytest

from service.domain.addresses import AddressError, NormalisedAddress, parse_address_line
from service.domain.categories import Category
from service.domain.open311 import (
    FilterError,
    Open311Status,
    PositionError,
    acute_from_attribute,
    open311_status,
    position,
    request_filters,
    search_box,
    services,
)
from service.domain.workflow import Status

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def filters(**given: str | None):
    asked: dict[str, str | None] = dict.fromkeys(
        ("service_request_id", "service_code", "start_date", "end_date", "status")
    )
    asked.update(given)
    return request_filters(now=NOW, **asked)


def test_every_category_is_a_service_with_its_dutch_name():
    assert [(s.code, s.name) for s in services()] == [
        ("crack", "Scheur"),
        ("subsidence", "Verzakking"),
        ("unsafe_situation", "Onveilige situatie"),
        ("other", "Anders"),
    ]
    assert services()[0].description.startswith("Crack: Cracks in walls")


def test_closed_and_rejected_are_closed_everything_else_open():
    closed = {s for s in Status if open311_status(s) is Open311Status.CLOSED}
    assert closed == {Status.CLOSED, Status.REJECTED}


def test_the_acute_attribute():
    assert [acute_from_attribute(v) for v in (None, "", "true", "FALSE", "ja")] == [
        False,
        False,
        True,
        False,
        None,
    ]


def test_the_last_90_days_by_default():
    found = filters()
    assert (found.start, found.end) == (NOW - timedelta(days=90), NOW)
    start_only = filters(start_date="2026-01-01T00:00:00+01:00")
    assert start_only.end - start_only.start == timedelta(days=90)
    end_only = filters(end_date="2026-01-01T00:00:00Z")
    assert end_only.start == datetime(2025, 10, 3, tzinfo=UTC)


def test_ids_override_the_other_filters():
    found = filters(service_request_id="SCH-2026-000001, SCH-2026-000002", status="bogus")
    assert found.references == ("SCH-2026-000001", "SCH-2026-000002")
    assert found.start is None


def test_codes_and_statuses_as_comma_lists():
    found = filters(service_code="crack,other", status="open, closed")
    assert found.categories == (Category.CRACK, Category.OTHER)
    assert found.statuses == (Open311Status.OPEN, Open311Status.CLOSED)


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"start_date": "2026-01-01"}, "W3C"),
        ({"start_date": "2026-01-01T00:00:00"}, "offset"),
        ({"end_date": "morgen"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, "90 days"),
        ({"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "before"),
        ({"service_code": "pothole"}, "pothole"),
        ({"status": "pending"}, "open or closed"),
        ({"service_request_id": ",".join(["SCH-2026-000001"] * 1001)}, "1000"),
    ],
)
def test_filters_that_cannot_be_used(given, words):
    with pytest.raises(FilterError, match=words):
        filters(**given)


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("Herestraat 12a, 9711 AB Groningen", NormalisedAddress("9711AB", 12, "A", None)),
        ("Herestraat 12 A 9711ab", NormalisedAddress("9711AB", 12, "A", None)),
        ("Van Heemskerckstraat 12-2, 9711AB", NormalisedAddress("9711AB", 12, None, "2")),
        ("2e Hambrugstraat 4 bis, 9711 AB Groningen", NormalisedAddress("9711AB", 4, None, "BIS")),
    ],
)
def test_an_address_on_one_line(line, address):
    assert parse_address_line(line) == address


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("Herestraat 12, Groningen", "postcode"),
        ("Herestraat, 9711 AB Groningen", "house number"),
        ("Herestraat 12, 9711 SA Groningen", "SA"),
    ],
)
def test_an_address_line_that_cannot_be_used(line, words):
    with pytest.raises(AddressError, match=words):
        parse_address_line(line, "address_string")


def test_a_position_is_two_decimal_degrees_in_range():
    assert position(" 53.2194", "6.5665 ") == (53.2194, 6.5665)
    for lat, long in (("53,2194", "6.5665"), ("", "6.5665"), ("95", "6"), ("53", "-181")):
        with pytest.raises(PositionError):
            position(lat, long)


def test_the_search_box_is_wider_in_degrees_than_high_in_the_north():
    height, width = search_box(53.2, 6.57, 25)
    assert height == pytest.approx(25 / 111_320)
    # At 53 degrees north a degree of longitude is about 0.6 of one of latitude.
    assert width == pytest.approx(height / 0.599, rel=0.01)
