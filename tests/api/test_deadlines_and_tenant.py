"""On hold pauses the deadline clocks; tenants confirm or reopen within 14 days; findings escalate."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import if_match


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def deadlines(world, reference) -> dict[str, dict]:
    case = await world.case(reference, world.who("admin"))
    return {d["stage"]: d for d in case["deadlines"]}


async def test_on_hold_pauses_and_leaving_moves_open_deadlines_later(world, conn):
    inspector = world.who("inspector")
    reference = (await world.report())["reference"]
    await world.move(reference, inspector, "acknowledged")
    before = await deadlines(world, reference)
    held = await world.move(reference, inspector, "on_hold", reason="Huurder is drie weken weg.")
    assert held["on_hold_previous_status"] == "acknowledged"
    # While on hold no deadline runs: no state, and no next deadline in the queue.
    assert all(d["state"] is None for d in held["deadlines"] if d["completed_at"] is None)
    queue = (await world.client.get("/api/v1/cases", headers=inspector.headers)).json()
    assert queue["items"][-1]["reference"] == reference
    assert queue["items"][-1]["next_deadline"] is None
    assert (
        await conn.fetchval("SELECT next_deadline_at FROM cases WHERE reference = $1", reference)
        is None
    )

    # Pretend the hold began ten days ago.
    await conn.execute(
        "UPDATE cases SET on_hold_since = on_hold_since - interval '10 days' WHERE reference = $1",
        reference,
    )
    back = await world.move(reference, inspector, "acknowledged")
    assert back["status"] == "acknowledged"
    assert back["on_hold_since"] is None
    after = {d["stage"]: d for d in back["deadlines"]}
    # Acknowledging was done before the hold: its deadline stays. Inspect and resolve move.
    assert after["acknowledge"]["due"] == before["acknowledge"]["due"]
    for stage in ("inspect", "resolve"):
        moved = parse(after[stage]["due"]) - parse(before[stage]["due"])
        assert timedelta(days=10) <= moved < timedelta(days=10, minutes=1), stage
    paused = await conn.fetchval(
        "SELECT (e.data->>'paused_seconds')::int FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE c.reference = $1 ORDER BY e.seq DESC LIMIT 1",
        reference,
    )
    assert 10 * 86400 <= paused < 10 * 86400 + 60


async def test_on_hold_from_new_moves_all_three(world, conn):
    inspector = world.who("inspector")
    reference = (await world.report())["reference"]
    before = await deadlines(world, reference)
    await world.move(reference, inspector, "on_hold", reason="Geen toegang.")
    await conn.execute(
        "UPDATE cases SET on_hold_since = on_hold_since - interval '2 days' WHERE reference = $1",
        reference,
    )
    back = await world.move(reference, inspector, "new")
    after = {d["stage"]: d for d in back["deadlines"]}
    for stage in ("acknowledge", "inspect", "resolve"):
        moved = parse(after[stage]["due"]) - parse(before[stage]["due"])
        assert timedelta(days=2) <= moved < timedelta(days=2, minutes=1), stage


async def resolved_case(world, conn, days_ago: float = 0) -> dict:
    created = await world.report()
    reference = created["reference"]
    admin = world.who("admin")
    await world.move(reference, admin, "acknowledged")
    await world.move(reference, admin, "rejected", reason="withdrawn")  # quick way to closed_at
    await world.move(
        reference, world.who("coordinator"), "acknowledged", reason="Toch niet ingetrokken."
    )
    await world.move(reference, admin, "referred", referred_to="IMG", external_reference="IMG-9")
    await world.move(reference, admin, "resolved")
    await conn.execute(
        "UPDATE cases SET resolved_at = now() - make_interval(secs => $2) WHERE reference = $1",
        reference,
        days_ago * 86400,
    )
    return created


@pytest.mark.parametrize(("days_ago", "allowed"), [(0, True), (13.9, True), (14.1, False)])
async def test_tenant_confirms_within_fourteen_days(world, conn, days_ago, allowed):
    created = await resolved_case(world, conn, days_ago)
    response = await world.client.post(
        f"/api/v1/reports/{created['reference']}/confirm",
        headers={"X-Tracking-Token": created["tracking_token"]},
    )
    if allowed:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "closed"
    else:
        assert response.status_code == 409
        assert "14 days" in response.json()["detail"]


@pytest.mark.parametrize(("days_ago", "allowed"), [(1, True), (14.1, False)])
async def test_tenant_reopens_within_fourteen_days(world, conn, days_ago, allowed):
    created = await resolved_case(world, conn, days_ago)
    response = await world.client.post(
        f"/api/v1/reports/{created['reference']}/reopen",
        json={"reason": "De scheur is terug."},
        headers={"X-Tracking-Token": created["tracking_token"]},
    )
    if allowed:
        assert response.status_code == 200, response.text
        view = response.json()
        assert view["status"] == "acknowledged"
        case = await world.case(created["reference"], world.who("admin"))
        assert case["status"] == "acknowledged"
        assert case["closed_at"] is None
    else:
        assert response.status_code == 409


async def test_tenant_cannot_confirm_before_resolved_or_with_a_wrong_token(world):
    created = await world.report()
    url = f"/api/v1/reports/{created['reference']}/confirm"
    early = await world.client.post(url, headers={"X-Tracking-Token": created["tracking_token"]})
    assert early.status_code == 409
    wrong = await world.client.post(url, headers={"X-Tracking-Token": "nope"})
    assert wrong.status_code == 404


async def test_tenant_adds_information_and_reads_tenant_notes(world):
    created = await world.report()
    reference, token = created["reference"], created["tracking_token"]
    added = await world.client.post(
        f"/api/v1/reports/{reference}/messages",
        json={"text": "De scheur is langer geworden."},
        headers={"X-Tracking-Token": token},
    )
    assert added.status_code == 201, added.text
    assert added.json()["timeline"][-1]["text"] == "Uw aanvulling: De scheur is langer geworden."
    inspector = world.who("inspector")
    case = await world.case(reference, inspector)
    for visibility, text in (
        ("internal", "Buurman heeft ook schade."),
        ("tenant", "We bellen u morgen."),
    ):
        response = await world.client.post(
            f"/api/v1/cases/{reference}/notes",
            json={"text": text, "visibility": visibility},
            headers={**inspector.headers, **if_match(case["version"])},
        )
        assert response.status_code == 201
        case = response.json()
    view = (
        await world.client.get(f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token})
    ).json()
    texts = [entry["text"] for entry in view["timeline"]]
    assert "Bericht van de woningcorporatie: We bellen u morgen." in texts
    assert not any("Buurman" in text for text in texts)


async def test_findings_that_say_acute_tighten_the_deadlines(world, conn):
    admin = world.who("admin")
    reference = (await world.report())["reference"]  # a crack: normal urgency
    await world.move(reference, admin, "acknowledged")
    planned = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    case = await world.move(reference, admin, "inspection_planned", planned_at=planned)
    before = {d["stage"]: parse(d["due"]) for d in case["deadlines"]}
    response = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json={
            "items": [
                {"location": "gevel", "kind": "scheur", "damage_class": 4, "crack_width_mm": 18}
            ],
            "acute": True,
            "earthquake_cause": "likely",
            "summary": "Gevel dreigt los te komen.",
        },
        headers={**admin.headers, **if_match(case["version"])},
    )
    assert response.status_code == 201, response.text
    after = response.json()
    assert after["urgency"] == "acute"
    assert after["status"] == "inspected"
    resolve_by = {d["stage"]: parse(d["due"]) for d in after["deadlines"]}["resolve"]
    assert resolve_by < before["resolve"]
    assert resolve_by <= datetime.now(UTC) + timedelta(days=8)  # five working days from now
