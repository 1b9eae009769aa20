"""GET requests: the public sees the service, status, dates, corporation and postcode area,
never the reporter, the description or the home; a partner's key sees its own submissions
in full. The spec's filters, and its defaults: the last 90 days, at most 1,000 requests."""

from datetime import timedelta

import pytest

from service.domain.workflow import Status
from tests import factories
from tests.factories import report_body
from tests.open311.support import BASE, DESCRIPTION, partner, request_form, xml_items

STREET = "Oosterhamrikkade"
HOUSE_NUMBER = 4821


@pytest.fixture
async def region(conn):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(
        conn,
        lefier,
        "9711AB",
        HOUSE_NUMBER,
        house_letter="C",
        street=STREET,
        bag_id="0014010011067299",
    )
    await conn.execute("UPDATE addresses SET lat = 53.2301, lon = 6.5812")
    return lefier


async def _tenant_report(client) -> str:
    body = report_body(
        address={"postcode": "9711 AB", "house_number": HOUSE_NUMBER, "house_letter": "C"}
    )
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.text
    return response.json()["reference"]


async def _partner_report(client, api_key: str) -> str:
    form = request_form(api_key, address_string=f"{STREET} {HOUSE_NUMBER}c, 9711 AB Groningen")
    response = await client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 201, response.text
    return response.json()[0]["service_request_id"]


async def _both(client, path: str, **params: str) -> tuple[list[dict], str]:
    as_json = await client.get(f"{BASE}/{path}.json", params=params)
    as_xml = await client.get(f"{BASE}/{path}.xml", params=params)
    assert as_json.status_code == as_xml.status_code == 200, as_json.text
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert as_xml.headers["content-type"] == "text/xml; charset=utf-8"
    return as_json.json(), as_xml.text


async def test_the_public_sees_no_personal_data(client, conn, region):
    await _tenant_report(client)
    await _partner_report(client, await partner(conn))
    found, xml = await _both(client, "requests")
    assert len(found) == 2
    for text in (str(found), xml):
        for personal in ("Jan", "Jansen", "jan@example.nl", DESCRIPTION, STREET, str(HOUSE_NUMBER)):
            assert personal not in text
        assert "9711 AB" not in text
        assert "9711AB" not in text
        assert "0014010011067299" not in text
    for item in found:
        assert item["description"] is item["address"] is item["address_id"] is None
        assert item["media_url"] is None
        assert (item["zipcode"], item["lat"], item["long"]) == ("9711", 53.2301, 6.5812)
        assert item["agency_responsible"] == "Lefier"


async def test_a_partner_sees_its_own_requests_in_full_and_others_as_the_public(
    client, conn, region
):
    own_key = await partner(conn, "Gemeente Groningen")
    other_key = await partner(conn, "Huurdersportaal")
    tenants = await _tenant_report(client)
    own = await _partner_report(client, own_key)
    found, xml = await _both(client, "requests", api_key=own_key)
    by_id = {item["service_request_id"]: item for item in found}
    assert by_id[own]["description"] == DESCRIPTION
    assert by_id[own]["address"] == f"{STREET} {HOUSE_NUMBER}C, 9711 AB Groningen"
    assert by_id[own]["address_id"] == "0014010011067299"
    assert by_id[own]["zipcode"] == "9711 AB"
    assert (by_id[own]["lat"], by_id[own]["long"]) == (53.2301, 6.5812)  # the home itself
    assert by_id[tenants]["description"] is by_id[tenants]["address"] is None
    assert DESCRIPTION in xml
    assert xml.count(DESCRIPTION) == 1
    # Another partner's key sees it as the public does.
    [item, _] = (await _both(client, "requests", api_key=other_key))[0]
    assert DESCRIPTION not in str(item)
    one, xml_one = await _both(client, f"requests/{own}", api_key=own_key)
    assert one == [by_id[own]]
    assert xml_items(xml_one, "service_requests", "request")[0]["description"] == DESCRIPTION
    public_one, _ = await _both(client, f"requests/{own}")
    assert public_one[0]["description"] is None


async def test_lat_and_long_are_left_out_without_coordinates(client, conn, region):
    await conn.execute("UPDATE addresses SET lat = NULL, lon = NULL")
    await _tenant_report(client)
    found, xml = await _both(client, "requests")
    assert "lat" not in found[0]
    assert "long" not in found[0]
    assert "<lat>" not in xml
    assert "<zipcode>9711</zipcode>" in xml


async def test_filters(client, conn, region):
    crack = await _tenant_report(client)
    closed = await _tenant_report(client)
    await factories.set_case_columns(conn, closed, status=Status.CLOSED.value, category="other")
    await conn.execute("UPDATE cases SET closed_at = now() WHERE reference = $1", closed)
    old = await _tenant_report(client)
    reported = await conn.fetchval("SELECT reported_at FROM cases WHERE reference = $1", old)
    await factories.set_case_columns(conn, old, reported_at=reported - timedelta(days=120))

    async def ids(**params: str) -> list[str]:
        found, xml = await _both(client, "requests", **params)
        in_xml = [
            item["service_request_id"] for item in xml_items(xml, "service_requests", "request")
        ]
        assert in_xml == [item["service_request_id"] for item in found]
        return sorted(in_xml)

    # The last 90 days by default.
    assert await ids() == sorted([crack, closed])
    assert await ids(status="closed") == [closed]
    assert await ids(status="open") == [crack]
    assert await ids(status="open,closed") == sorted([crack, closed])
    assert await ids(service_code="other") == [closed]
    assert await ids(service_code="crack,other") == sorted([crack, closed])
    start = (reported - timedelta(days=121)).isoformat()
    end = (reported - timedelta(days=100)).isoformat()
    assert await ids(start_date=start, end_date=end) == [old]
    assert await ids(end_date=end) == [old]
    # service_request_id overrides the other filters.
    assert await ids(service_request_id=f"{old},{crack}", status="closed") == sorted([old, crack])
    assert await ids(service_request_id="SCH-0000-000000") == []


async def test_at_most_1000_requests_the_newest_first(client, conn, region):
    source = await _tenant_report(client)
    await factories.bulk_copies(conn, source, 1100)
    found, xml = await _both(client, "requests")
    assert len(found) == 1000
    assert found[0]["service_request_id"] == source
    times = [item["requested_datetime"] for item in found]
    assert times == sorted(times, reverse=True)
    assert xml.count("<request>") == 1000


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("requests", {"start_date": "2026-01-01"}, 400, "start_date"),
        ("requests", {"end_date": "yesterday"}, 400, "end_date"),
        (
            "requests",
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            400,
            "90 days",
        ),
        (
            "requests",
            {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            400,
            "before",
        ),
        ("requests", {"status": "pending"}, 400, "status"),
        ("requests", {"service_code": "pothole"}, 400, "service_code"),
        ("requests", {"api_key": "o311_wrong"}, 403, "api_key"),
        ("requests/SCH-2026-999999", {}, 404, "SCH-2026-999999"),
        ("services/pothole", {}, 404, "pothole"),
        ("tokens/12345", {}, 404, "token"),
        ("potholes", {}, 404, "potholes"),
    ],
)
async def test_get_errors_in_both_formats(client, conn, region, path, params, status, words):
    as_json = await client.get(f"{BASE}/{path}.json", params=params)
    as_xml = await client.get(f"{BASE}/{path}.xml", params=params)
    assert as_json.status_code == as_xml.status_code == status, as_json.text
    [error] = as_json.json()
    assert error["code"] == status
    assert words in error["description"]
    [xml_error] = xml_items(as_xml.text, "errors", "error")
    assert (int(xml_error["code"]), xml_error["description"]) == (status, error["description"])


async def test_a_document_without_a_format_is_not_found(client, conn, region):
    response = await client.get(f"{BASE}/discovery")
    assert response.status_code == 404
    assert ".json or .xml" in response.json()[0]["description"]
