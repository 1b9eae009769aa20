"""Erasure (article 17 AVG) through the API: the tenant asks with the tracking token; a
manager, coordinator or admin carries it out, which anonymises the case at once."""

from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from service.domain.privacy import erasure_deadline
from service.domain.work_dates import local_day
from service.settings import Settings
from tests.factories import if_match
from tests.privacy.rich_case import (
    PERSONAL,
    build_rich_case,
    objects_with,
    rows_with,
)
from tests.privacy.test_retention_anonymises import counts, dashboard
from tests.world import OTHER_HOME, World


async def ask(world: World, reference: str, token: str) -> dict:
    answer = await world.client.post(
        f"/api/v1/reports/{reference}/erasure", headers={"X-Tracking-Token": token}
    )
    assert answer.status_code == 202, answer.text
    return answer.json()


async def erase(world: World, reference: str, role: str = "manager", expect: int = 200) -> dict:
    person = world.who(role)
    version = (await world.case(reference, world.who("admin")))["version"]
    answer = await world.client.post(
        f"/api/v1/cases/{reference}/erasure", headers={**person.headers, **if_match(version)}
    )
    assert answer.status_code == expect, answer.text
    return answer.json()


async def test_the_tenant_asks_once_and_staff_see_the_task_with_its_day(
    world: World, conn: asyncpg.Connection
) -> None:
    report = await world.report()
    reference, token = report["reference"], report["tracking_token"]
    expected = erasure_deadline(local_day(datetime.now(UTC))).isoformat()

    shown = await ask(world, reference, token)
    assert shown["erase_by"] == expected
    assert "Dat gebeurt uiterlijk" in shown["timeline"][-1]["text"]
    again = await ask(world, reference, token)  # asking again changes nothing
    assert again["erase_by"] == expected
    assert (
        await conn.fetchval("SELECT count(*) FROM case_events WHERE kind = 'erasure_requested'")
        == 1
    )
    case = await world.case(reference, world.who("manager"))
    assert case["erasure"]["erase_by"] == expected
    assert "erase" in [a["action"] for a in case["allowed_actions"]]
    inspector = await world.case(reference, world.who("inspector"))
    assert "erase" not in [a["action"] for a in inspector["allowed_actions"]]


async def test_a_wrong_token_asks_nothing(world: World) -> None:
    reference = (await world.report())["reference"]
    answer = await world.client.post(
        f"/api/v1/reports/{reference}/erasure", headers={"X-Tracking-Token": "wrong"}
    )
    assert answer.status_code == 404
    assert (await world.case(reference, world.who("manager")))["erasure"] is None


async def test_who_may_carry_it_out(world: World) -> None:
    report = await world.report()
    reference = report["reference"]
    # Not asked: nothing to carry out.
    refused = await erase(world, reference, expect=409)
    assert "has not asked" in refused["detail"]
    await ask(world, reference, report["tracking_token"])
    await erase(world, reference, "inspector", expect=403)
    await erase(world, reference, "manager@acantus", expect=404)  # not their corporation's
    other = await world.report(OTHER_HOME)
    await ask(world, other["reference"], other["tracking_token"])
    await erase(world, other["reference"], "coordinator")
    await erase(world, reference, "admin")
    again = await erase(world, reference, expect=409)
    assert "anonymised already" in again["detail"]


async def test_an_open_case_ends_as_withdrawn_and_is_anonymised(world: World) -> None:
    report = await world.report()
    reference = report["reference"]
    await world.move(reference, world.who("manager"), "acknowledged")
    await ask(world, reference, report["tracking_token"])
    case = await erase(world, reference)
    assert (case["status"], case["rejection_reason"]) == ("rejected", "withdrawn")
    assert case["closed_at"] is not None
    assert case["anonymised_at"] is not None
    assert case["description"] == ""
    assert case["reporter"]["email"] is None
    events = await world.client.get(
        f"/api/v1/cases/{reference}/events", headers=world.who("manager").headers
    )
    assert [(e["kind"], e["to_status"], e["data"]) for e in events.json()[-2:]] == [
        ("status_changed", "rejected", {"reason": "withdrawn"}),
        ("anonymised", None, {"reason": "erasure"}),
    ]
    assert events.json()[-1]["actor"] == "Manager lefier (lefier)"


@pytest.mark.parametrize("role", ["manager", "coordinator"])
async def test_carrying_out_keeps_the_figures_and_leaves_nothing_personal(
    world: World, conn: asyncpg.Connection, settings: Settings, role: str
) -> None:
    rich = await build_rich_case(world, conn)  # closed by the tenant
    await ask(world, rich.reference, rich.token)
    folder = Path(str(settings.attachments_url))
    assert objects_with(folder, PERSONAL)
    figures, kept = await dashboard(world), await counts(conn)

    await erase(world, rich.reference, role)

    assert await rows_with(conn, PERSONAL) == {}
    assert objects_with(folder, PERSONAL) == []
    assert await dashboard(world) == figures
    assert await counts(conn) == kept
    gone = await world.client.get(
        f"/api/v1/reports/{rich.reference}", headers={"X-Tracking-Token": rich.token}
    )
    assert gone.status_code == 404
