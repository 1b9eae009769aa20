"""Every change to a case goes through the change pipeline, and reaches its subscribers once.

A recording subscriber sits in the app (and in the worker's and the demo's pipeline); after
each kind of change it must hold exactly one new CaseChanged, whose events are the ones the
case's history now ends with. A subscriber that fails rolls the whole change back.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.changes.pipeline import Pipeline
from service.demo.seed import seed_demo
from service.domain.events import SYSTEM, TENANT, CaseChanged, EventKind
from service.domain.workflow import Status
from service.worker import close_unanswered_resolutions
from tests.factories import if_match, report_body
from tests.subscribers import Recorder
from tests.web.session import csrf_token, sign_in
from tests.world import OTHER_HOME, UNKNOWN_HOME, Person, World

S = Status
K = EventKind


class Broken(Exception):
    pass


async def failing(connection: asyncpg.Connection, changed: CaseChanged) -> None:
    raise Broken("the outbox is full")


@pytest.fixture
def client(recording_client: AsyncTestClient) -> AsyncTestClient:
    """Every request of this module goes to the app with the recorder (world uses it too)."""
    return recording_client


async def history_is_what_was_published(conn: asyncpg.Connection, changes: list[CaseChanged]):
    """Every case's history is exactly the events published for it, in order, once each."""
    published: dict = defaultdict(list)
    for change in changes:
        published[change.case_id].append(change)
    cases = {row["id"]: row for row in await conn.fetch("SELECT * FROM cases")}
    assert set(published) == set(cases)
    rows: dict = defaultdict(list)
    for row in await conn.fetch("SELECT * FROM case_events ORDER BY case_id, seq"):
        rows[row["case_id"]].append(row)
    for case_id, case_changes in published.items():
        events = [
            (change.first_seq + offset, change.at, event)
            for change in case_changes
            for offset, event in enumerate(change.events)
        ]
        history = rows[case_id]
        assert [seq for seq, _, _ in events] == [row["seq"] for row in history]
        assert [row["seq"] for row in history] == list(range(1, len(history) + 1))
        for (_, at, event), row in zip(events, history, strict=True):
            assert (
                event.kind,
                event.actor.name,
                event.actor.user_id,
                event.from_status,
                event.to_status,
                event.public,
                at,
            ) == (
                row["kind"],
                row["actor"],
                row["actor_user_id"],
                row["from_status"],
                row["to_status"],
                row["public"],
                row["at"],
            )
            assert msgspec.json.decode(msgspec.json.encode(event.data)) == row["data"]
        # One version per change, from 1 (intake) to the version the case has now.
        assert [change.version for change in case_changes] == list(range(1, len(case_changes) + 1))
        case = cases[case_id]
        assert case_changes[-1].version == case["version"]
        assert case_changes[-1].reference == case["reference"]
        assert case_changes[-1].corporation_id == case["corporation_id"]


def only(recorder: Recorder, *kinds: EventKind) -> CaseChanged:
    """The one change since the last look, with events of these kinds."""
    fresh = recorder.new()
    assert len(fresh) == 1, fresh
    assert [event.kind for event in fresh[0].events] == list(kinds)
    return fresh[0]


async def api_change(
    world: World, person: Person, reference: str, method: str, path: str, body: dict
) -> dict:
    case = await world.case(reference, world.who("admin"))
    response = await world.client.request(
        method,
        f"/api/v1/cases/{reference}{path}",
        json=body,
        headers={**person.headers, **if_match(case["version"])},
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_every_kind_of_change_reaches_the_subscriber_once(world, conn, recorder, pool):
    inspector, manager = world.who("inspector"), world.who("manager")
    coordinator = world.who("coordinator")
    soon = (datetime.now(UTC) + timedelta(days=3)).isoformat()

    # Intake, routed and unrouted.
    created = await world.report()
    reference, token = created["reference"], created["tracking_token"]
    change = only(recorder, K.REPORTED, K.ROUTED)
    assert (change.created, change.version, change.reference) == (True, 1, reference)
    assert [event.actor for event in change.events] == [TENANT, SYSTEM]
    assert change.events[1].to_status is S.NEW
    assert change.corporation_id == world.corporations["lefier"]
    unrouted = (await world.report(UNKNOWN_HOME))["reference"]
    change = only(recorder, K.REPORTED, K.UNROUTED)
    assert change.corporation_id is None

    # Routing by a coordinator.
    await api_change(world, coordinator, unrouted, "POST", "/route", {"corporation": "lefier"})
    change = only(recorder, K.ROUTED)
    assert change.events[0].data["reason"] == "manual"
    assert change.events[0].actor.user_id == coordinator.id
    assert change.corporation_id == world.corporations["lefier"]

    # Each transition of a case's life, with notes, assignment and findings on the way.
    await world.move(reference, inspector, "acknowledged")
    change = only(recorder, K.STATUS_CHANGED)
    assert (change.events[0].from_status, change.events[0].to_status) == (S.NEW, S.ACKNOWLEDGED)
    await api_change(world, manager, reference, "PUT", "/assignee", {"assignee_id": inspector.id})
    assert only(recorder, K.ASSIGNED).events[0].data["assignee_id"] == inspector.id
    await api_change(
        world, inspector, reference, "POST", "/notes", {"text": "Gebeld.", "visibility": "tenant"}
    )
    change = only(recorder, K.NOTE)
    assert (change.events[0].public, change.events[0].data["text"]) == (True, "Gebeld.")
    await world.move(reference, inspector, "inspection_planned", planned_at=soon)
    assert only(recorder, K.STATUS_CHANGED).events[0].data["planned_at"]
    await world.move(reference, inspector, "inspection_planned", planned_at=soon)
    only(recorder, K.STATUS_CHANGED)  # planned anew
    await world.move(reference, inspector, "on_hold", reason="Geen toegang.")
    assert only(recorder, K.STATUS_CHANGED).events[0].data["reason"] == "Geen toegang."
    await world.move(reference, inspector, "inspection_planned")
    assert "paused_seconds" in only(recorder, K.STATUS_CHANGED).events[0].data
    findings = {
        "items": [{"location": "woonkamer", "kind": "scheur", "damage_class": 3}],
        "acute": True,
        "earthquake_cause": "likely",
    }
    await api_change(world, inspector, reference, "POST", "/findings", findings)
    change = only(recorder, K.FINDINGS_RECORDED, K.URGENCY_CHANGED, K.STATUS_CHANGED)
    assert change.events[2].to_status is S.INSPECTED
    await world.move(
        reference, inspector, "referred", referred_to="IMG", external_reference="IMG-1"
    )
    assert only(recorder, K.STATUS_CHANGED).events[0].data["referred_to"] == "IMG"
    await world.move(reference, inspector, "repair_planned", planned_at=soon)
    only(recorder, K.STATUS_CHANGED)
    await world.move(reference, inspector, "resolved")
    only(recorder, K.STATUS_CHANGED)

    # The tenant: information, reopening, confirming.
    tenant = {"X-Tracking-Token": token}
    path = f"/api/v1/reports/{reference}"
    response = await world.client.post(f"{path}/messages", json={"text": "Nog een"}, headers=tenant)
    assert response.status_code == 201, response.text
    assert only(recorder, K.TENANT_MESSAGE).events[0].actor == TENANT
    response = await world.client.post(f"{path}/reopen", json={"reason": "Weer"}, headers=tenant)
    assert response.status_code == 200, response.text
    change = only(recorder, K.STATUS_CHANGED)
    assert (change.events[0].actor, change.events[0].to_status) == (TENANT, S.ACKNOWLEDGED)
    await world.move(reference, inspector, "inspection_planned", planned_at=soon)
    only(recorder, K.STATUS_CHANGED)
    await api_change(world, inspector, reference, "POST", "/findings", findings)
    only(recorder, K.FINDINGS_RECORDED, K.STATUS_CHANGED)  # acute already: no escalation
    await world.move(reference, inspector, "resolved")
    only(recorder, K.STATUS_CHANGED)
    response = await world.client.post(f"{path}/confirm", headers=tenant)
    assert response.status_code == 200, response.text
    assert only(recorder, K.STATUS_CHANGED).events[0].to_status is S.CLOSED

    # Region-wide moves: reopen what was closed, then reject it.
    await world.move(reference, coordinator, "acknowledged", reason="Toch niet klaar.")
    assert only(recorder, K.STATUS_CHANGED).events[0].data["reopened"] is True
    await world.move(reference, coordinator, "rejected", reason="withdrawn")
    assert only(recorder, K.STATUS_CHANGED).events[0].to_status is S.REJECTED

    # A transfer to another corporation.
    other = (await world.report())["reference"]
    only(recorder, K.REPORTED, K.ROUTED)
    body = {"corporation": "acantus", "reason": "Hoort bij Acantus."}
    await api_change(world, manager, other, "POST", "/transfer", body)
    change = only(recorder, K.TRANSFERRED)
    assert change.corporation_id == world.corporations["acantus"]

    # Nothing to change publishes nothing: assigning whom the case has already.
    await api_change(world, manager, unrouted, "PUT", "/assignee", {"assignee_id": None})
    assert recorder.new() == []

    # The worker closes a resolved case the tenant let be, at a clock 15 days on.
    await world.move(unrouted, inspector, "acknowledged")
    await world.move(unrouted, inspector, "rejected", reason="not_damage")
    assert len(recorder.new()) == 2
    third = (await world.report(OTHER_HOME))["reference"]
    acantus = world.who("inspector", "acantus")
    for target in ("acknowledged", "inspection_planned"):
        await world.move(third, acantus, target, planned_at=soon)
    await api_change(world, acantus, third, "POST", "/findings", findings)
    await world.move(third, acantus, "resolved")
    assert len(recorder.new()) == 5
    later = Pipeline(clock=lambda: datetime.now(UTC) + timedelta(days=15), subscribers=[recorder])
    assert await close_unanswered_resolutions(pool, later) == 1
    change = only(recorder, K.STATUS_CHANGED)
    assert (change.events[0].actor, change.events[0].to_status) == (SYSTEM, S.CLOSED)

    await history_is_what_was_published(conn, recorder.changes)


async def test_the_pages_change_cases_through_the_pipeline(world, conn, recorder):
    client = world.client
    created = await world.report()
    reference = created["reference"]
    unrouted = (await world.report(UNKNOWN_HOME))["reference"]
    assert len(recorder.new()) == 2

    # The staff case page: a move, a note, taking the case.
    inspector = world.who("inspector")
    await sign_in(client, conn, inspector.id)
    for form in (
        {"form": "transition", "to": "acknowledged"},
        {"form": "note", "text": "Bewoner gebeld.", "visibility": "internal"},
        {"form": "take"},
    ):
        page = await client.get(f"/cases/{reference}")
        version = (await world.case(reference, inspector))["version"]
        response = await client.post(
            f"/cases/{reference}",
            data={"_csrf_token": csrf_token(page.text), "version": str(version), **form},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    assert [c.events[0].kind for c in recorder.new()] == [K.STATUS_CHANGED, K.NOTE, K.ASSIGNED]

    # Triage: routing in one click.
    await sign_in(client, conn, world.who("coordinator").id)
    page = await client.get("/triage")
    version = (await world.case(unrouted, world.who("coordinator")))["version"]
    response = await client.post(
        "/triage",
        data={
            "_csrf_token": csrf_token(page.text),
            "reference": unrouted,
            "version": str(version),
            "corporation": "lefier",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    only(recorder, K.ROUTED)

    # The tenant's tracking page: adding information.
    tracking = f"/t/{reference}?token={created['tracking_token']}"
    page = await client.get(tracking)
    response = await client.post(
        f"/t/{reference}/message",
        data={
            "_csrf_token": csrf_token(page.text),
            "token": created["tracking_token"],
            "text": "De scheur wordt groter.",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    only(recorder, K.TENANT_MESSAGE)

    # The report form is intake like the API.
    page = await client.get("/")
    response = await client.post(
        "/report",
        data={
            "_csrf_token": csrf_token(page.text),
            "category": "crack",
            "description": "Scheur boven de deur.",
            "postcode": "9711 AB",
            "house_number": "12",
            "name": "Jan Jansen",
            "email": "jan@example.nl",
        },
    )
    assert response.status_code == 200, response.text
    assert only(recorder, K.REPORTED, K.ROUTED).created

    await history_is_what_was_published(conn, recorder.changes)


async def test_the_demo_loads_through_the_pipeline(conn, settings, recorder):
    summary = await seed_demo(conn, settings.secret_key, subscribers=[recorder])
    assert len({change.case_id for change in recorder.changes}) == summary.cases
    # Not a row of any case's history was written past the pipeline.
    await history_is_what_was_published(conn, recorder.changes)


async def test_a_failing_subscriber_rolls_the_whole_change_back(world, conn, settings, pool):
    reference = (await world.report())["reference"]
    before = await conn.fetchrow(
        "SELECT version, status, last_event_seq, updated_at FROM cases WHERE reference = $1",
        reference,
    )
    counts = """
        SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM reporters),
               (SELECT count(*) FROM case_events), (SELECT count(*) FROM idempotency_keys)
    """
    counted = await conn.fetchrow(counts)
    async with AsyncTestClient(create_app(settings, subscribers=[failing])) as broken:
        report = await broken.post(
            "/api/v1/reports", json=report_body(), headers={"Idempotency-Key": "k-1"}
        )
        assert report.status_code == 500
        moved = await broken.post(
            f"/api/v1/cases/{reference}/transitions",
            json={"to": "acknowledged"},
            headers={**world.who("inspector").headers, **if_match(before["version"])},
        )
        assert moved.status_code == 500
    # No case, reporter, event or idempotency key of the report; the case as it was.
    assert await conn.fetchrow(counts) == counted
    assert (
        await conn.fetchrow(
            "SELECT version, status, last_event_seq, updated_at FROM cases WHERE reference = $1",
            reference,
        )
        == before
    )
    # The worker's change rolls back too.
    inspector = world.who("inspector")
    await world.move(reference, inspector, "acknowledged")
    await world.move(reference, inspector, "rejected", reason="withdrawn")
    await world.move(reference, world.who("coordinator"), "acknowledged", reason="Toch wel.")
    await world.move(
        reference, inspector, "inspection_planned", planned_at=datetime.now(UTC).isoformat()
    )
    findings = {
        "items": [{"location": "keuken", "kind": "scheur", "damage_class": 1}],
        "acute": False,
        "earthquake_cause": "unknown",
    }
    await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json=findings,
        headers={
            **inspector.headers,
            **if_match((await world.case(reference, inspector))["version"]),
        },
    )
    await world.move(reference, inspector, "resolved")
    later = Pipeline(clock=lambda: datetime.now(UTC) + timedelta(days=15), subscribers=[failing])
    with pytest.raises(Broken):
        await close_unanswered_resolutions(pool, later)
    assert await conn.fetchval("SELECT status FROM cases WHERE reference = $1", reference) == (
        "resolved"
    )
