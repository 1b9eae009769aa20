"""Every allowed and every forbidden transition of the workflow table, through the API."""

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient

from service.domain.workflow import MOVES_BY_ACTION, REGION_WIDE_MOVES, Status, allowed_next
from tests.factories import if_match
from tests.world import UNKNOWN_HOME

S = Status
HOLD_CAME_FROM = S.ACKNOWLEDGED  # the on_hold cases below were paused from here
SOON = (datetime.now(UTC) + timedelta(days=3)).isoformat()


async def put_in_status(conn, world, status: Status) -> str:
    """A case in status, with the fields that status carries, and findings on record."""
    created = await world.report(UNKNOWN_HOME if status is S.UNROUTED else None)
    reference = created["reference"]
    fields = {
        S.INSPECTION_PLANNED: "planned_at = now() + interval '1 day'",
        S.REPAIR_PLANNED: "planned_at = now() + interval '1 day'",
        S.REFERRED: "referred_to = 'NCG', external_reference = 'NCG-1'",
        S.ON_HOLD: f"on_hold_since = now(), on_hold_previous_status = '{HOLD_CAME_FROM}'",
        S.RESOLVED: "resolved_at = now()",
        S.CLOSED: "resolved_at = now(), closed_at = now()",
        S.REJECTED: "rejection_reason = 'not_damage', closed_at = now()",
    }.get(status, "acknowledged_at = acknowledged_at")
    await conn.execute(
        f"UPDATE cases SET status = $2, {fields} WHERE reference = $1",  # noqa: S608 - test constants
        reference,
        status,
    )
    await conn.execute(
        """
        INSERT INTO case_findings
            (case_id, corporation_id, recorded_by, acute, earthquake_cause, visited_on)
        SELECT c.id, coalesce(c.corporation_id, $2), $3, false, 'unknown', current_date
        FROM cases c WHERE c.reference = $1
        """,
        reference,
        world.corporations["lefier"],
        world.who("admin").id,
    )
    return reference


def body_for(target: Status) -> dict:
    """Everything any move could need; the reason fits the target."""
    return {
        "planned_at": SOON,
        "referred_to": "IMG",
        "external_reference": "IMG-2026-1",
        "reason": "not_damage" if target is S.REJECTED else "De huurder is op vakantie.",
    }


PAIRS = [(current, target) for current in Status for target in Status]


def expected(current: Status, target: Status) -> int:
    if (current, target) in MOVES_BY_ACTION:
        return 409  # it has its own action
    previous = HOLD_CAME_FROM if current is S.ON_HOLD else None
    return 200 if target in allowed_next(current, previous) else 409


@pytest.fixture
def client(recording_client: AsyncTestClient) -> AsyncTestClient:
    """The app with a recording subscriber: each move must reach it once."""
    return recording_client


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{c}->{t}" for c, t in PAIRS])
async def test_every_move_as_admin(world, conn, recorder, current, target):
    reference = await put_in_status(conn, world, current)
    recorder.new()  # the report that made the case
    admin = world.who("admin")
    answer = await world.move(
        reference, admin, target, expect=expected(current, target), **body_for(target)
    )
    published = recorder.new()
    if expected(current, target) == 200:
        assert answer["status"] == target
        events = await conn.fetch(
            "SELECT e.from_status, e.to_status FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE c.reference = $1 ORDER BY e.seq DESC LIMIT 1",
            reference,
        )
        assert (events[0]["from_status"], events[0]["to_status"]) == (current, target)
        # The subscribers got this move, once, as the history has it.
        assert len(published) == 1
        (move,) = published[0].events
        assert (move.kind, move.from_status, move.to_status) == ("status_changed", current, target)
        assert (move.actor.user_id, published[0].version) == (admin.id, answer["version"])
    else:
        assert published == []
        assert (
            "allowed" in answer["detail"]
            or "can move to" in answer["detail"]
            or "route" in answer["detail"]
        )


@pytest.mark.parametrize(("current", "target"), sorted(REGION_WIDE_MOVES))
async def test_region_wide_moves_are_refused_to_corporation_staff(world, conn, current, target):
    reference = await put_in_status(conn, world, current)
    for role in ("inspector", "manager"):
        answer = await world.move(
            reference, world.who(role), target, expect=403, **body_for(target)
        )
        assert "coordinators" in answer["detail"]
    await world.move(reference, world.who("coordinator"), target, **body_for(target))


async def test_a_forbidden_move_names_the_allowed_ones(world, conn):
    reference = await put_in_status(conn, world, S.NEW)
    answer = await world.move(reference, world.who("inspector"), "resolved", expect=409)
    assert answer["detail"] == (
        "A case that is new cannot move to resolved. "
        "It can move to: acknowledged, rejected, on_hold."
    )


async def test_routing_by_transition_points_to_the_route_action(world, conn):
    reference = await put_in_status(conn, world, S.UNROUTED)
    answer = await world.move(reference, world.who("coordinator"), "new", expect=409)
    assert "/route" in answer["detail"]


@pytest.mark.parametrize(
    ("current", "target", "fields"),
    [
        (S.ACKNOWLEDGED, S.INSPECTION_PLANNED, ["planned_at"]),
        (S.INSPECTED, S.REPAIR_PLANNED, ["planned_at"]),
        (S.ACKNOWLEDGED, S.REFERRED, ["referred_to", "external_reference"]),
        (S.NEW, S.ON_HOLD, ["reason"]),
        (S.NEW, S.REJECTED, ["reason"]),
        (S.RESOLVED, S.ACKNOWLEDGED, ["reason"]),
    ],
)
async def test_missing_fields_are_named(world, conn, current, target, fields):
    reference = await put_in_status(conn, world, current)
    answer = await world.move(reference, world.who("admin"), target, expect=400)
    assert sorted(error["field"] for error in answer["errors"]) == sorted(fields)
    assert (await world.case(reference, world.who("admin")))["status"] == current


async def test_field_values_are_checked(world, conn):
    admin = world.who("admin")
    reference = await put_in_status(conn, world, S.ACKNOWLEDGED)
    naive = await world.move(
        reference, admin, "inspection_planned", expect=400, planned_at="2026-12-01T10:00:00"
    )
    assert naive["errors"][0]["field"] == "planned_at"
    far = await world.move(
        reference, admin, "inspection_planned", expect=400, planned_at="2031-01-01T10:00:00+01:00"
    )
    assert "two years" in far["errors"][0]["message"]
    wrong_agency = await world.move(
        reference, admin, "referred", expect=400, referred_to="UWV", external_reference="1"
    )
    assert wrong_agency["errors"][0]["field"] == "referred_to"
    reason = await world.move(reference, admin, "rejected", expect=400, reason="no idea")
    assert "not_damage" in reason["errors"][0]["message"]
    duplicate = await world.move(reference, admin, "rejected", expect=400, reason="duplicate")
    assert duplicate["errors"][0]["field"] == "duplicate_of"
    itself = await world.move(
        reference, admin, "rejected", expect=400, reason="duplicate", duplicate_of=reference
    )
    assert itself["errors"][0]["field"] == "duplicate_of"


async def test_duplicate_points_to_the_original(world, conn):
    admin = world.who("admin")
    original = await put_in_status(conn, world, S.ACKNOWLEDGED)
    repeat = await put_in_status(conn, world, S.NEW)
    answer = await world.move(
        repeat, admin, "rejected", reason="duplicate", duplicate_of=original.lower()
    )
    assert answer["rejection_reason"] == "duplicate"
    assert answer["duplicate_of"] == original
    assert answer["closed_at"] is not None
    reopened = await world.move(
        repeat, world.who("coordinator"), "acknowledged", reason="Toch geen dubbele melding."
    )
    assert reopened["rejection_reason"] is None
    assert reopened["duplicate_of"] is None
    assert reopened["closed_at"] is None


async def test_inspected_needs_findings(world, conn):
    reference = (await world.report())["reference"]
    admin = world.who("admin")
    await world.move(reference, admin, "acknowledged")
    await world.move(reference, admin, "inspection_planned", planned_at=SOON)
    answer = await world.move(reference, admin, "inspected", expect=409)
    assert "findings" in answer["detail"]


async def test_if_match_is_required_and_checked(world):
    reference = (await world.report())["reference"]
    inspector = world.who("inspector")
    url = f"/api/v1/cases/{reference}/transitions"
    missing = await world.client.post(url, json={"to": "acknowledged"}, headers=inspector.headers)
    assert missing.status_code == 428
    garbage = await world.client.post(
        url, json={"to": "acknowledged"}, headers={**inspector.headers, "If-Match": "yesterday"}
    )
    assert garbage.status_code == 428
    stale = await world.client.post(
        url, json={"to": "acknowledged"}, headers={**inspector.headers, **if_match(999)}
    )
    assert stale.status_code == 412
    assert "version 1" in stale.json()["detail"]
    case = await world.client.get(f"/api/v1/cases/{reference}", headers=inspector.headers)
    assert case.headers["etag"] == '"1"'
    done = await world.client.post(
        url,
        json={"to": "acknowledged"},
        headers={**inspector.headers, "If-Match": case.headers["etag"]},
    )
    assert done.status_code == 200
    assert done.headers["etag"] == '"2"'
    assert done.json()["version"] == 2
