"""The issue's story: route, acknowledge, plan, inspect, refer, resolve, confirm; all in the history."""

from datetime import UTC, datetime, timedelta

from tests.factories import if_match
from tests.world import UNKNOWN_HOME


async def test_a_case_from_triage_to_the_tenants_confirmation(world, conn):
    client = world.client
    coordinator, inspector = world.who("coordinator"), world.who("inspector")
    outsider = world.who("inspector", "acantus")
    created = await world.report(UNKNOWN_HOME)
    reference, token = created["reference"], created["tracking_token"]
    assert created["status"] == "unrouted"

    # The coordinator routes it to Lefier and adds the home to Lefier's register.
    case = await world.case(reference, coordinator)
    routed = await client.post(
        f"/api/v1/cases/{reference}/route",
        json={
            "corporation": "lefier",
            "add_to_portfolio": True,
            "street": "Zuiderdiep",
            "city": "Groningen",
        },
        headers={**coordinator.headers, **if_match(case["version"])},
    )
    assert routed.status_code == 200, routed.text
    assert routed.json()["status"] == "new"
    assert routed.json()["corporation"]["code"] == "lefier"
    assert (
        await conn.fetchval(
            "SELECT c.code FROM addresses a JOIN corporations c ON c.id = a.corporation_id "
            "WHERE a.postcode = '9999ZZ'"
        )
        == "lefier"
    )

    # An inspector of Lefier takes it and works it to resolution.
    case = await world.case(reference, inspector)
    taken = await client.put(
        f"/api/v1/cases/{reference}/assignee",
        json={"assignee_id": inspector.id},
        headers={**inspector.headers, **if_match(case["version"])},
    )
    assert taken.status_code == 200, taken.text
    assert taken.json()["assignee"]["id"] == inspector.id
    await world.move(reference, inspector, "acknowledged")
    visit = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    await world.move(reference, inspector, "inspection_planned", planned_at=visit)
    case = await world.case(reference, inspector)
    findings = await client.post(
        f"/api/v1/cases/{reference}/findings",
        json={
            "items": [
                {
                    "location": "woonkamer",
                    "kind": "scheur",
                    "damage_class": 2,
                    "crack_width_mm": 3.5,
                }
            ],
            "acute": False,
            "earthquake_cause": "likely",
        },
        headers={**inspector.headers, **if_match(case["version"])},
    )
    assert findings.status_code == 201, findings.text
    assert findings.json()["status"] == "inspected"
    assert findings.json()["findings"][0]["items"][0]["damage_class"] == 2
    await world.move(
        reference, inspector, "referred", referred_to="IMG", external_reference="IMG-2026-12345"
    )
    resolved = await world.move(reference, inspector, "resolved")
    assert resolved["status"] == "resolved"

    # The tenant confirms the repair.
    confirmed = await client.post(
        f"/api/v1/reports/{reference}/confirm", headers={"X-Tracking-Token": token}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "closed"

    # The history shows every step, with who and when.
    events = (
        await client.get(f"/api/v1/cases/{reference}/events", headers=coordinator.headers)
    ).json()
    steps = [(e["kind"], e["to_status"], e["actor"]) for e in events]
    assert steps == [
        ("reported", None, "tenant"),
        ("unrouted", "unrouted", "system"),
        ("routed", "new", "Coordinator"),
        ("assigned", None, "Inspector lefier (lefier)"),
        ("status_changed", "acknowledged", "Inspector lefier (lefier)"),
        ("status_changed", "inspection_planned", "Inspector lefier (lefier)"),
        ("findings_recorded", None, "Inspector lefier (lefier)"),
        ("status_changed", "inspected", "Inspector lefier (lefier)"),
        ("status_changed", "referred", "Inspector lefier (lefier)"),
        ("status_changed", "resolved", "Inspector lefier (lefier)"),
        ("status_changed", "closed", "tenant"),
    ]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    times = [datetime.fromisoformat(e["at"]) for e in events]
    assert times == sorted(times)
    assert events[8]["data"] == {"referred_to": "IMG", "external_reference": "IMG-2026-12345"}

    # An inspector of another corporation sees none of it.
    for path in ("", "/events", "/similar"):
        hidden = await client.get(f"/api/v1/cases/{reference}{path}", headers=outsider.headers)
        assert hidden.status_code == 404
        assert reference not in hidden.text
    queue = (await client.get("/api/v1/cases", headers=outsider.headers)).json()
    assert all(item["reference"] != reference for item in queue["items"])
