"""POST /api/v1/reports and the tenant's view, against a real PostgreSQL."""

from datetime import UTC, datetime

import pytest

from service.changes.pipeline import Pipeline
from service.domain.calendar import AMSTERDAM
from service.domain.sla import Urgency, deadlines_for
from service.reports.intake import submit_report
from service.reports.schemas import AddressIn, ReporterIn, ReportIn
from tests import factories
from tests.factories import report_body


async def count(conn, table: str) -> int:
    return await conn.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 - test constant


@pytest.fixture
async def lefier(conn):
    corporation_id = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, corporation_id, "9711AB", 12)
    await factories.home(conn, corporation_id, "9711AB", 14, house_letter="A", addition="2")
    await factories.home(conn, corporation_id, "9712CD", 3, bag_id="0014010011067299")
    return corporation_id


async def test_report_for_a_registered_home_is_routed_with_deadlines(client, conn, lefier):
    response = await client.post("/api/v1/reports", json=report_body())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reference"].startswith(f"SCH-{datetime.now(UTC).year}-")
    assert len(body["reference"].rsplit("-", 1)[1]) == 6
    assert body["status"] == "new"
    assert body["corporation"] == {"code": "lefier", "name": "Lefier"}
    assert body["urgency"] == "normal"
    assert body["advice"] is None
    assert body["tracking_url"] == (
        f"https://schade.example.nl/t/{body['reference']}?token={body['tracking_token']}"
    )
    assert len(body["tracking_token"]) >= 22  # at least 128 bits in base64

    case = await conn.fetchrow("SELECT * FROM cases WHERE reference = $1", body["reference"])
    assert case["corporation_id"] == lefier
    assert case["street"] == "Herestraat"
    expected = deadlines_for(Urgency.NORMAL, case["reported_at"])
    assert case["acknowledge_by"] == expected.acknowledge_by
    assert case["resolve_by"] == expected.resolve_by
    assert datetime.fromisoformat(body["deadlines"]["inspect_by"]) == expected.inspect_by
    # The token is stored only as a hash.
    assert body["tracking_token"].encode() not in bytes(case["tracking_token_hash"])

    events = await conn.fetch(
        "SELECT seq, kind, to_status, data FROM case_events WHERE case_id = $1 ORDER BY seq",
        case["id"],
    )
    assert [(e["seq"], e["kind"], e["to_status"]) for e in events] == [
        (1, "reported", None),
        (2, "routed", "new"),
    ]
    assert events[1]["data"]["reason"] == "address"
    assert case["last_event_seq"] == 2


async def test_letter_and_addition_are_matched_after_normalising(client, lefier):
    body = report_body(
        address={"postcode": "9711ab", "house_number": 14, "house_letter": "a", "addition": "2"}
    )
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 201
    assert response.json()["corporation"]["code"] == "lefier"


async def test_bag_id_match_wins(client, conn, lefier):
    body = report_body(address={"bag_id": "0014010011067299"})
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    case = await conn.fetchrow(
        "SELECT postcode, house_number, id FROM cases WHERE reference = $1", reference
    )
    assert (case["postcode"], case["house_number"]) == ("9712CD", 3)
    reason = await conn.fetchval(
        "SELECT data->>'reason' FROM case_events WHERE case_id = $1 AND kind = 'routed'", case["id"]
    )
    assert reason == "bag_id"


async def test_unknown_address_is_unrouted_with_ranked_suggestions(client, conn, lefier):
    other = await factories.corporation(conn, "acantus", "Acantus")
    third = await factories.corporation(conn, "nijestee", "Nijestee")
    for number in range(1, 4):  # Acantus: 3 homes in the same 4-digit area, none in 9711AB
        await factories.home(conn, other, "9711XY", number)
    await factories.home(conn, third, "9800AA", 1)  # another area: not suggested
    body = report_body(address={"postcode": "9711 AB", "house_number": 99})
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "unrouted"
    assert created["corporation"] is None
    event = await conn.fetchrow(
        """
        SELECT e.data FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE c.reference = $1 AND e.kind = 'unrouted'
        """,
        created["reference"],
    )
    suggestions = event["data"]["suggestions"]
    # Lefier owns 2 homes in 9711AB itself; Acantus 3 in the area but none in the postcode.
    assert [s["corporation_code"] for s in suggestions] == ["lefier", "acantus"]
    assert suggestions[0]["homes_in_postcode"] == 2
    assert event["data"]["reason"] == "no_match"


async def test_acute_report_gets_112_advice_and_hour_deadlines(client, conn, lefier):
    body = report_body(category="unsafe_situation", acute=True)
    body["reporter"]["language"] = "en"
    response = await client.post("/api/v1/reports", json=body)
    created = response.json()
    assert created["urgency"] == "acute"
    assert "112" in created["advice"]
    assert "Call 112" in created["advice"]
    reported_at = await conn.fetchval(
        "SELECT reported_at FROM cases WHERE reference = $1", created["reference"]
    )
    acknowledge_by = datetime.fromisoformat(created["deadlines"]["acknowledge_by"])
    assert (acknowledge_by - reported_at).total_seconds() == 4 * 3600


async def test_friday_evening_crack_is_due_wednesday(pool, conn, lefier, settings):
    report = ReportIn(
        category="crack",
        description="Scheur in de gevel.",
        address=AddressIn(postcode="9711AB", house_number=12),
        reporter=ReporterIn(name="Jan", phone="06 1234 5678"),
    )
    friday_evening = datetime(2026, 11, 27, 20, 15, tzinfo=AMSTERDAM)
    submitted = await submit_report(
        pool,
        Pipeline(clock=lambda: friday_evening),
        report,
        idempotency_key=None,
        secret_key=settings.secret_key,
        public_base_url=settings.public_base_url,
    )
    assert submitted.created.deadlines.acknowledge_by == datetime(2026, 12, 2, tzinfo=AMSTERDAM)
    stored = await conn.fetchrow("SELECT acknowledge_by, reported_at FROM cases")
    assert stored["acknowledge_by"] == datetime(2026, 12, 2, tzinfo=AMSTERDAM)
    assert stored["reported_at"] == friday_evening
    assert await conn.fetchval("SELECT phone FROM reporters") == "0612345678"


async def test_tenant_view_with_token(client, lefier):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    response = await client.get(
        f"/api/v1/reports/{created['reference']}",
        headers={"X-Tracking-Token": created["tracking_token"]},
    )
    assert response.status_code == 200
    view = response.json()
    assert view["status"] == "new"
    assert view["corporation_name"] == "Lefier"
    assert [entry["kind"] for entry in view["timeline"]] == ["reported", "routed"]
    assert view["timeline"][1]["text"] == "Uw melding is doorgestuurd naar Lefier."
    assert view["deadlines"] == created["deadlines"] or (
        datetime.fromisoformat(view["deadlines"]["resolve_by"])
        == datetime.fromisoformat(created["deadlines"]["resolve_by"])
    )
    # Nothing personal, no routing internals.
    assert "reporter" not in view
    assert "Jan" not in response.text


async def test_wrong_token_and_unknown_reference_look_the_same(client, lefier):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    wrong = await client.get(
        f"/api/v1/reports/{created['reference']}", headers={"X-Tracking-Token": "not-the-token"}
    )
    missing = await client.get(
        "/api/v1/reports/SCH-2026-999999", headers={"X-Tracking-Token": created["tracking_token"]}
    )
    no_token = await client.get(f"/api/v1/reports/{created['reference']}")
    assert wrong.status_code == missing.status_code == no_token.status_code == 404
    assert wrong.json() == missing.json() == no_token.json()


async def test_address_lookup(client, lefier):
    known = await client.get(
        "/api/v1/addresses",
        params={"postcode": "9711 ab", "house_number": 14, "house_letter": "a", "addition": "2"},
    )
    assert known.status_code == 200
    assert known.json() == {
        "known": True,
        "postcode": "9711 AB",
        "house_number": 14,
        "house_letter": "A",
        "addition": "2",
        "street": "Herestraat",
        "city": "Groningen",
        "corporation": {"code": "lefier", "name": "Lefier"},
    }
    unknown = await client.get(
        "/api/v1/addresses", params={"postcode": "9711AB", "house_number": 1}
    )
    assert unknown.status_code == 200
    assert unknown.json()["known"] is False
    assert unknown.json()["corporation"] is None
    bad = await client.get("/api/v1/addresses", params={"postcode": "0711AB", "house_number": 1})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "postcode"


async def test_reference_data_and_probes(client):
    categories = (await client.get("/api/v1/categories")).json()
    assert [c["code"] for c in categories] == ["crack", "subsidence", "unsafe_situation", "other"]
    assert categories[0]["label_nl"] == "Scheur"
    workflow = (await client.get("/api/v1/workflow")).json()
    by_status = {row["status"]: row for row in workflow}
    assert set(by_status["inspected"]["next"]) == {
        "repair_planned",
        "referred",
        "resolved",
        "rejected",
    }
    assert by_status["referred"]["requires"] == ["referred_to", "external_reference"]
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).json() == {"status": "ready"}
    assert (await client.get("/schema/openapi.json")).status_code == 200


@pytest.mark.parametrize("description", ["x", "Scheur", "a b"])
async def test_a_description_of_a_letter_or_one_word_asks_for_a_few_words(
    client, conn, description
):
    """The same rule as the report form's: a few words, at least 10 characters."""
    response = await client.post("/api/v1/reports", json=report_body(description=description))
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["description"]
    assert "a few words" in response.json()["errors"][0]["message"]
    assert await count(conn, "cases") == 0


async def test_every_wrong_field_is_named_at_once(client, conn):
    body = report_body(
        description="x",
        address={"postcode": "97111 A", "house_number": 12},
        reporter={"name": "Jan", "email": "jan@"},
    )
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"address.postcode", "reporter.email", "description"}
