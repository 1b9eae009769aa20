"""Retention: a case closed longer ago than RETENTION_MONTHS is anonymised by the worker; the
dashboard and the counts stay as they were, and nothing personal is left in any table or
stored object (issue 14)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from service.attachments.storage import open_storage
from service.changes.pipeline import Pipeline
from service.notifications import subscriber as notifications
from service.privacy.retention import anonymise_expired_cases
from service.settings import Settings
from tests.privacy.rich_case import (
    OTHER_NAME,
    PERSONAL,
    attachment_keys,
    build_rich_case,
    objects_with,
    other_tenants_case,
    rows_with,
    stored_attachments,
)
from tests.world import World

TWO_YEARS_AND_A_MONTH = timedelta(days=2 * 365 + 31)


async def dashboard(world: World) -> dict[str, Any]:
    """The coordinator's and a manager's dashboard, without the moment it was made."""
    figures = {}
    for person in (world.who("coordinator"), world.who("manager")):
        answer = await world.client.get("/api/v1/dashboard/backlog", headers=person.headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        del body["generated_at"]
        figures[person.role] = body
    return figures


async def counts(conn: asyncpg.Connection) -> dict[str, Any]:
    """What the anonymised case keeps: its rows, its moves, the findings' classes, the counters."""
    return {
        "cases": await conn.fetch(
            "SELECT reference, category, acute, urgency, status, corporation_id, municipality_code,"
            " reported_at, closed_at, acknowledge_by, inspect_by, resolve_by, rejection_reason"
            " FROM cases ORDER BY reference"
        ),
        "moves": await conn.fetch(
            "SELECT case_id, seq, at, actor, kind, from_status, to_status FROM case_events"
            " WHERE kind <> 'anonymised' ORDER BY case_id, seq"
        ),
        "findings": await conn.fetch(
            "SELECT f.acute, f.earthquake_cause, f.visited_on, d.damage_class, d.crack_width_mm,"
            " d.location, d.kind FROM case_findings f JOIN damage_items d ON d.finding_id = f.id"
            " ORDER BY f.id, d.position"
        ),
        "open": await conn.fetch(
            "SELECT corporation_key, dimension, value, sum(open_cases) FROM case_counts"
            " GROUP BY 1, 2, 3 HAVING sum(open_cases) <> 0 ORDER BY 1, 2, 3"
        ),
        "days": await conn.fetch(
            "SELECT corporation_key, day, sum(reported), sum(closed), sum(open_now)"
            " FROM case_days GROUP BY 1, 2 ORDER BY 1, 2"
        ),
    }


async def test_retention_keeps_the_figures_and_leaves_nothing_personal(
    world: World, conn: asyncpg.Connection, pool: asyncpg.Pool, settings: Settings
) -> None:
    rich = await build_rich_case(world, conn)
    await other_tenants_case(world)
    folder = Path(str(settings.attachments_url))
    # The scan finds the tenant everywhere the case reached, so it can fail.
    before = await rows_with(conn, PERSONAL)
    for table in ("reporters", "cases", "case_events", "case_findings", "damage_items"):
        assert table in before
    assert {"outbox", "webhook_deliveries", "attachments"} <= set(before)
    assert objects_with(folder, PERSONAL)
    keys = await attachment_keys(conn, rich.reference)
    assert len(keys) == 2  # the tenant's photo and the inspector's document
    figures, kept = await dashboard(world), await counts(conn)

    storage = open_storage(settings.attachments_url, settings.data_dir)
    later = datetime.now(UTC) + TWO_YEARS_AND_A_MONTH
    pipeline = Pipeline(clock=lambda: later, subscribers=(notifications.notify,))
    assert await anonymise_expired_cases(pool, pipeline, 24, storage) == 1

    assert await rows_with(conn, PERSONAL) == {}
    assert objects_with(folder, PERSONAL) == []
    assert stored_attachments(folder).isdisjoint(keys)
    assert await conn.fetchval("SELECT count(*) FROM unrecorded_objects") == 0
    assert await dashboard(world) == figures
    assert await counts(conn) == kept
    # The other tenant's report is untouched.
    assert await rows_with(conn, (OTHER_NAME,)) == {"reporters": [OTHER_NAME]}

    case = await conn.fetchrow(
        "SELECT postcode, house_number, description, anonymised_at, tracking_salt FROM cases"
        " WHERE reference = $1",
        rich.reference,
    )
    assert (case["postcode"], case["house_number"], case["description"]) == ("9712", None, "")
    assert case["anonymised_at"] == later
    assert case["tracking_salt"] is None
    last = await conn.fetchrow(
        "SELECT actor, kind, public, data FROM case_events e JOIN cases c ON c.id = e.case_id"
        " WHERE c.reference = $1 ORDER BY seq DESC LIMIT 1",
        rich.reference,
    )
    assert dict(last) == {
        "actor": "system",
        "kind": "anonymised",
        "public": False,
        "data": {"reason": "retention"},
    }
    # The tracking link no longer opens anything: the API and the page answer not found.
    api = await world.client.get(
        f"/api/v1/reports/{rich.reference}", headers={"X-Tracking-Token": rich.token}
    )
    assert api.status_code == 404
    page = await world.client.get(f"/t/{rich.reference}", params={"token": rich.token})
    assert page.status_code == 404
    # Staff still open the case: its category, dates and moves, nothing of the tenant.
    shown = await world.case(rich.reference, world.who("coordinator"))
    assert shown["description"] == ""
    assert shown["address"]["postcode"] == "9712"
    assert shown["anonymised_at"] is not None
    page = await world.client.get(
        f"/api/v1/cases/{rich.reference}/events", headers=world.who("coordinator").headers
    )
    assert [e["kind"] for e in page.json()][-1] == "anonymised"

    # Again: nothing left to do.
    assert await anonymise_expired_cases(pool, pipeline, 24, storage) == 0


async def test_a_case_closed_less_long_ago_stays(
    world: World, conn: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    rich = await build_rich_case(world, conn)
    almost = datetime.now(UTC) + timedelta(days=2 * 365 - 10)
    assert await anonymise_expired_cases(pool, Pipeline(clock=lambda: almost), 24) == 0
    assert "reporters" in await rows_with(conn, PERSONAL)
    # A shorter retention period reaches it.
    assert await anonymise_expired_cases(pool, Pipeline(clock=lambda: almost), 12) == 1
    assert await conn.fetchval(
        "SELECT anonymised_at IS NOT NULL FROM cases WHERE reference = $1", rich.reference
    )
