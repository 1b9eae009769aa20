"""POST requests: a partner's form goes through the tenant's intake (routing, deadlines,
idempotency, the outbox) and is remembered as the partner's; every fault is the spec's error
array in the format asked for."""

import pytest

from tests import factories
from tests.open311.support import BASE, FORM, partner, request_form, xml_items


@pytest.fixture
async def region(conn):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12, bag_id="0014010011067299")
    return lefier


async def test_a_request_is_filed_through_the_intake(client, conn, region):
    api_key = await partner(conn)
    response = await client.post(f"{BASE}/requests.json", data=request_form(api_key))
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice"}
    assert created["service_request_id"].startswith("SCH-")
    assert "Doorgestuurd naar Lefier" in created["service_notice"]
    case = await conn.fetchrow(
        """
        SELECT c.status, c.corporation_id, c.acknowledge_by, c.resolve_by, c.urgency,
               r.name, r.email, p.name AS partner
        FROM cases c JOIN reporters r ON r.id = c.reporter_id
        JOIN open311_submissions s ON s.case_id = c.id
        JOIN open311_partners p ON p.id = s.partner_id
        WHERE c.reference = $1
        """,
        created["service_request_id"],
    )
    # Routed to the home's corporation, with the intake's deadlines.
    assert (case["status"], case["corporation_id"], case["urgency"]) == ("new", region, "normal")
    assert case["acknowledge_by"] < case["resolve_by"]
    assert (case["name"], case["email"]) == ("Jan Jansen", "jan@example.nl")
    assert case["partner"] == "Gemeente Groningen"
    # The tenant's confirmation (and the corporation's notice) wait in the outbox.
    kinds = await conn.fetch("SELECT kind, recipient FROM outbox ORDER BY kind")
    assert any(row["recipient"] == "jan@example.nl" for row in kinds), kinds


async def test_address_id_and_the_acute_attribute(client, conn, region):
    api_key = await partner(conn)
    form = request_form(
        api_key, address_string=None, address_id="0014010011067299", **{"attribute[acute]": "true"}
    )
    response = await client.post(f"{BASE}/requests.xml", data=form)
    assert response.status_code == 201, response.text
    [created] = xml_items(response.text, "service_requests", "request")
    assert set(created) == {"service_request_id", "service_notice"}
    row = await conn.fetchrow(
        "SELECT acute, urgency, postcode FROM cases WHERE reference = $1",
        created["service_request_id"],
    )
    assert (row["acute"], row["urgency"], row["postcode"]) == (True, "acute", "9711AB")


async def test_an_unknown_home_is_filed_unrouted(client, conn, region):
    api_key = await partner(conn)
    form = request_form(api_key, address_string="Dorpsweg 3b, 9999 ZZ Nergenshuizen")
    response = await client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 201, response.text
    status = await conn.fetchval(
        "SELECT status FROM cases WHERE reference = $1", response.json()[0]["service_request_id"]
    )
    assert status == "unrouted"


async def test_a_retry_with_the_same_idempotency_key_files_once(client, conn, region):
    api_key = await partner(conn)
    headers = {"Idempotency-Key": "0b6f0f4e-3c1a-4c4e-9d8e-6a5b2c1d0e9f"}
    first = await client.post(f"{BASE}/requests.json", data=request_form(api_key), headers=headers)
    again = await client.post(f"{BASE}/requests.json", data=request_form(api_key), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1
    assert await conn.fetchval("SELECT count(*) FROM open311_submissions") == 1
    other = request_form(api_key, description="Een andere scheur in de gang.")
    refused = await client.post(f"{BASE}/requests.json", data=other, headers=headers)
    assert refused.status_code == 409
    assert refused.json()[0]["code"] == 409
    assert "Idempotency-Key" in refused.json()[0]["description"]


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "o311_wrong"}, 403, "api_key"),
        ({"service_code": "pothole"}, 400, "service_code"),
        ({"service_code": ""}, 400, "service_code"),
        ({"address_string": None}, 400, "address"),
        ({"address_string": "Herestraat 12"}, 400, "address_string"),
        ({"address_string": None, "address_id": "123"}, 400, "address_id"),
        ({"address_string": None, "lat": "53.2194", "long": "6.5665"}, 400, "no registered home"),
        ({"address_string": None, "lat": "53,2194", "long": "6.5665"}, 400, "lat, long"),
        ({"address_string": None, "lat": "95", "long": "6.5665"}, 400, "lat, long"),
        ({"email": "not-an-address"}, 400, "email"),
        ({"email": "", "phone": ""}, 400, "email, phone"),
        ({"first_name": "", "last_name": ""}, 400, "first_name"),
        ({"description": "Scheur"}, 400, "description"),
        ({"description": "x" * 5001}, 400, "description"),
        ({"attribute[acute]": "maybe"}, 400, "attribute[acute]"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
    ],
)
async def test_faults_answer_the_spec_error_array_in_both_formats(
    client, conn, region, changes, status, words
):
    api_key = await partner(conn)
    form = {**request_form(api_key), **changes}
    form = {name: value for name, value in form.items() if value is not None}
    as_json = await client.post(f"{BASE}/requests.json", data=form)
    as_xml = await client.post(f"{BASE}/requests.xml", data=form)
    assert as_json.status_code == as_xml.status_code == status, as_json.text
    errors = as_json.json()
    assert all(error["code"] == status for error in errors)
    assert any(words in error["description"] for error in errors), errors
    assert as_xml.headers["content-type"].startswith("text/xml")
    xml_errors = xml_items(as_xml.text, "errors", "error")
    assert [(int(e["code"]), e["description"]) for e in xml_errors] == [
        (e["code"], e["description"]) for e in errors
    ]
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0


async def test_a_revoked_key_files_nothing(client, conn, region):
    from service.open311.partners import revoke_partner

    api_key = await partner(conn)
    await revoke_partner(conn, "Gemeente Groningen")
    response = await client.post(f"{BASE}/requests.json", data=request_form(api_key))
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403


async def test_a_body_that_is_not_a_form_is_refused(client, conn, region):
    api_key = await partner(conn)
    response = await client.post(
        f"{BASE}/requests.json",
        json=request_form(api_key),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "form-encoded" in response.json()[0]["description"]
    response = await client.post(
        f"{BASE}/requests.xml", content=b"\xff\xfe", headers={"Content-Type": FORM}
    )
    assert response.status_code == 400
    assert xml_items(response.text, "errors", "error")[0]["code"] == "400"


async def test_a_position_stands_for_the_registered_home_nearest_to_it(client, conn, region):
    """lat/long without an address: the registered home within 25 m, routed as if its address
    had been given; further away, the partner is asked for the address."""
    await conn.execute(
        "UPDATE addresses SET lat = 53.21940, lon = 6.56650 WHERE postcode = '9711AB'"
    )
    api_key = await partner(conn)
    form = dict(request_form(api_key))
    del form["address_string"]
    # About 11 m north of the home.
    near = await client.post(
        f"{BASE}/requests.json", data={**form, "lat": "53.21950", "long": "6.5665"}
    )
    assert near.status_code == 201, near.text
    reference = near.json()[0]["service_request_id"]
    case = await conn.fetchrow(
        "SELECT corporation_id, postcode, house_number FROM cases WHERE reference = $1", reference
    )
    assert (case["corporation_id"], case["postcode"], case["house_number"]) == (
        region,
        "9711AB",
        12,
    )

    # About 45 m away: too far to say which home it is.
    far = await client.post(
        f"{BASE}/requests.json", data={**form, "lat": "53.21980", "long": "6.5665"}
    )
    assert far.status_code == 400
    assert "no registered home within 25 m" in far.json()[0]["description"]
