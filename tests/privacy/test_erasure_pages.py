"""Erasure on the pages: the tenant asks on the tracking page (with a confirm step that says
what follows); the case page shows the task with its last day, and a manager carries it out
(with a confirm step)."""

from datetime import UTC, datetime
from typing import Any

import asyncpg

from service.domain.dates_in_words import long_date
from service.domain.privacy import erasure_deadline
from service.domain.work_dates import local_day
from service.web.pages import format_day
from tests.web.session import csrf_token, sign_in
from tests.world import World


def _due():
    return erasure_deadline(local_day(datetime.now(UTC)))


def _tracking(created: dict[str, Any], lang: str = "") -> str:
    suffix = f"&lang={lang}" if lang else ""
    return f"/t/{created['reference']}?token={created['tracking_token']}{suffix}"


async def _ask(world: World, created: dict[str, Any], **fields: str):
    page = await world.client.get(_tracking(created))
    return await world.client.post(
        f"/t/{created['reference']}/erasure",
        data={"_csrf_token": csrf_token(page.text), "token": created["tracking_token"], **fields},
        follow_redirects=False,
    )


async def _requested(conn: asyncpg.Connection, reference: str) -> bool:
    return await conn.fetchval(
        "SELECT erasure_requested_at IS NOT NULL FROM cases WHERE reference = $1", reference
    )


async def test_the_tenant_asks_after_reading_what_follows(
    world: World, conn: asyncpg.Connection
) -> None:
    created = await world.report()
    page = (await world.client.get(_tracking(created))).text
    assert "Uw gegevens laten verwijderen" in page
    assert "Vraag om verwijdering" in page

    step = await _ask(world, created)
    assert step.status_code == 200
    assert "Wilt u echt dat wij uw gegevens verwijderen?" in step.text
    assert "Dan stopt de behandeling" in step.text  # the report is still open
    assert "Deze link werkt daarna niet meer" in step.text
    assert not await _requested(conn, created["reference"])  # nothing asked yet

    done = await _ask(world, created, confirmed="yes")
    assert done.status_code == 303
    assert await _requested(conn, created["reference"])
    shown = (await world.client.get(done.headers["location"])).text
    words = long_date(_due(), "nl")
    assert f"Uw verzoek is ontvangen. Wij verwijderen uw gegevens uiterlijk {words}." in shown
    assert f"Dat gebeurt uiterlijk {words}." in shown
    assert "Vraag om verwijdering" not in shown
    english = (await world.client.get(_tracking(created, "en"))).text
    assert f"This happens by {long_date(_due(), 'en')} at the latest." in english


async def test_a_wrong_token_asks_nothing(world: World, conn: asyncpg.Connection) -> None:
    created = await world.report()
    wrong = dict(created, tracking_token="wrong")
    page = await world.client.get(_tracking(created))
    answer = await world.client.post(
        f"/t/{created['reference']}/erasure",
        data={"_csrf_token": csrf_token(page.text), "token": "wrong", "confirmed": "yes"},
    )
    assert answer.status_code == 404
    assert not await _requested(conn, wrong["reference"])


async def _case_page(world: World, conn: asyncpg.Connection, role: str, reference: str) -> str:
    await sign_in(world.client, conn, world.who(role).id)
    response = await world.client.get(f"/cases/{reference}")
    assert response.status_code == 200
    return response.text


async def test_staff_see_the_task_and_a_manager_carries_it_out(
    world: World, conn: asyncpg.Connection
) -> None:
    created = await world.report()
    reference = created["reference"]
    await _ask(world, created, confirmed="yes")
    due = f"Verzoek om verwijdering, uiterlijk {format_day(_due())}"

    inspector = await _case_page(world, conn, "inspector", reference)
    assert due in inspector
    assert "Gegevens verwijderen" not in inspector  # not theirs to do

    page = await _case_page(world, conn, "manager", reference)
    assert due in page
    version = await conn.fetchval("SELECT version FROM cases WHERE reference = $1", reference)
    form = {"_csrf_token": csrf_token(page), "form": "erase", "version": str(version)}
    step = await world.client.post(f"/cases/{reference}", data=form, follow_redirects=False)
    assert step.status_code == 200
    assert "Weet u zeker dat u de persoonsgegevens wilt verwijderen?" in step.text
    assert await conn.fetchval(
        "SELECT anonymised_at IS NULL FROM cases WHERE reference = $1", reference
    )

    done = await world.client.post(
        f"/cases/{reference}", data=form | {"confirmed": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303
    shown = (await world.client.get(done.headers["location"])).text
    assert "De persoonsgegevens zijn verwijderd." in shown
    assert f"Persoonsgegevens verwijderd op {format_day(local_day(datetime.now(UTC)))}." in shown
    row = await conn.fetchrow(
        "SELECT status, rejection_reason, description FROM cases WHERE reference = $1", reference
    )
    assert dict(row) == {"status": "rejected", "rejection_reason": "withdrawn", "description": ""}


async def test_a_stale_page_erases_nothing(world: World, conn: asyncpg.Connection) -> None:
    created = await world.report()
    reference = created["reference"]
    await _ask(world, created, confirmed="yes")
    page = await _case_page(world, conn, "manager", reference)
    form = {"_csrf_token": csrf_token(page), "form": "erase", "version": "1", "confirmed": "yes"}
    answer = await world.client.post(f"/cases/{reference}", data=form, follow_redirects=False)
    assert answer.status_code == 409
    assert await conn.fetchval(
        "SELECT anonymised_at IS NULL FROM cases WHERE reference = $1", reference
    )
