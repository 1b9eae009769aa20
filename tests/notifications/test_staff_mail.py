"""A staff member hears of a case assigned to them and of information the tenant added to
their case: once per change, in Dutch and English, to them and nobody else, unless they
switched that kind off (`users notifications`) or are no longer active."""

from collections import Counter
from datetime import UTC, datetime

import asyncpg
import pytest

from service.notifications.to_staff import SWITCHABLE
from tests.cli import run_cli, table_rows
from tests.factories import if_match
from tests.notifications.smtp import BASE_URL, smtp_server, text_of
from tests.notifications.staff import (
    TENANT_DATA,
    TENANT_EMAIL,
    colleague,
    email_of,
    mail_round,
    recipients,
)
from tests.world import Person, World


async def assign(world: World, reference: str, by: Person, to: int | None) -> None:
    version = (await world.case(reference, world.who("admin")))["version"]
    response = await world.client.put(
        f"/api/v1/cases/{reference}/assignee",
        json={"assignee_id": to},
        headers={**by.headers, **if_match(version)},
    )
    assert response.status_code == 200, response.text


async def tenant_adds(world: World, created: dict, text: str = "De scheur is groter.") -> None:
    response = await world.client.post(
        f"/api/v1/reports/{created['reference']}/messages",
        json={"text": text},
        headers={"X-Tracking-Token": created["tracking_token"]},
    )
    assert response.status_code == 201, response.text


async def staff_queued(conn: asyncpg.Connection) -> int:
    """Messages queued for anyone but the tenant (who hears of their report)."""
    return await conn.fetchval("SELECT count(*) FROM outbox WHERE recipient <> $1", TENANT_EMAIL)


async def send(pool: asyncpg.Pool, port: int) -> int:
    """A worker round now; the e-mails it sent to staff."""
    return await mail_round(pool, port, datetime.now(UTC))


async def test_a_case_assigned_to_you_mails_you_once(pool, conn, world) -> None:
    reference = (await world.report())["reference"]
    manager, inspector = world.who("manager"), world.who("inspector")
    inspector_mail = await email_of(conn, inspector.id)

    await assign(world, reference, manager, inspector.id)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await send(pool, port) == 1
        assert await send(pool, port) == 0  # once per change

    assert recipients(inbox) == Counter([inspector_mail])
    [message] = inbox.messages
    assert message["Subject"] == (
        f"Schademelding {reference} aan u toegewezen / Case {reference} assigned to you"
    )
    text = text_of(message)
    for expected in (
        f"Manager lefier (lefier) heeft schademelding {reference} aan u toegewezen.",
        f"Manager lefier (lefier) assigned case {reference} to you.",
        "Soort schade: Scheur",
        "Kind of damage: Crack",
        "Adres: Herestraat 12, 9711AB Groningen",
        "Acuut: nee",
        "Acute: no",
        f"Bekijk de melding: {BASE_URL}/cases/{reference}",
        f'<a href="{BASE_URL}/cases/{reference}">',
    ):
        assert expected in text
    for private in TENANT_DATA:
        assert private not in text


async def test_taking_a_case_yourself_or_unassigning_sends_nothing(pool, conn, world) -> None:
    reference = (await world.report())["reference"]
    inspector, manager = world.who("inspector"), world.who("manager")

    await assign(world, reference, inspector, inspector.id)  # takes it: their own action
    await assign(world, reference, manager, None)

    assert await staff_queued(conn) == 0


async def test_reassigning_mails_only_the_new_assignee(pool, conn, world) -> None:
    reference = (await world.report())["reference"]
    manager, inspector = world.who("manager"), world.who("inspector")
    second = await colleague(conn, "inspector", world.corporations["lefier"])
    second_id = await conn.fetchval("SELECT id FROM users WHERE email = $1", second)

    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        await assign(world, reference, manager, inspector.id)
        await send(pool, port)
        inbox.messages.clear()
        await assign(world, reference, manager, second_id)
        assert await send(pool, port) == 1

    assert recipients(inbox) == Counter([second])


async def test_tenant_information_mails_the_assignee(pool, conn, world) -> None:
    created = await world.report()
    reference = created["reference"]
    inspector = world.who("inspector")
    await assign(world, reference, inspector, inspector.id)

    await tenant_adds(world, created, "Mijn buurman Piet heeft ook een scheur.")
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await send(pool, port) == 1
        assert await send(pool, port) == 0

    assert recipients(inbox) == Counter([await email_of(conn, inspector.id)])
    [message] = inbox.messages
    assert message["Subject"] == (
        f"Nieuwe informatie van de huurder bij {reference} / "
        f"The tenant added information to {reference}"
    )
    text = text_of(message)
    for expected in (
        f"De huurder heeft informatie of een foto toegevoegd aan schademelding {reference}",
        f"The tenant added information or a photo to case {reference}",
        f"{BASE_URL}/cases/{reference}",
    ):
        assert expected in text
    # The message itself stays on the case page, with the rest of the tenant's words.
    for private in (*TENANT_DATA, "Piet"):
        assert private not in text


async def test_tenant_information_on_a_case_without_assignee_mails_nobody(
    pool, conn, world
) -> None:
    await tenant_adds(world, await world.report())
    assert await staff_queued(conn) == 0


async def test_an_assignee_no_longer_active_gets_no_tenant_news(pool, conn, world) -> None:
    created = await world.report()
    inspector = world.who("inspector")
    await assign(world, created["reference"], inspector, inspector.id)
    await conn.execute(
        "UPDATE users SET active = false, deactivated_at = now() WHERE id = $1", inspector.id
    )
    await tenant_adds(world, created)
    assert await staff_queued(conn) == 0


async def test_a_user_on_leave_switches_kinds_off_and_on(
    pool, conn, world, database_url, tmp_path
) -> None:
    async def cli(*args: str) -> tuple[int, str, str]:
        return await run_cli(*args, database_url=database_url, data_dir=tmp_path)

    created = await world.report()
    reference = created["reference"]
    manager, inspector = world.who("manager"), world.who("inspector")
    address = await email_of(conn, inspector.id)

    code, out, err = await cli(
        "users", "notifications", address.upper(), "--off", "assigned,tenant_message"
    )
    assert code == 0, err
    assert out.strip() == f"{address} gets no e-mail of kind assigned, tenant_message"
    code, out, _ = await cli("users", "list")
    [user] = [row for row in table_rows(out) if row["email"] == address]
    assert user["muted"] == "assigned,tenant_message"

    await assign(world, reference, manager, inspector.id)
    await tenant_adds(world, created)
    assert await staff_queued(conn) == 0

    code, out, err = await cli("users", "notifications", address, "--on", "tenant_message")
    assert code == 0, err
    assert out.strip() == f"{address} gets no e-mail of kind assigned"
    await tenant_adds(world, created)
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE recipient = $1", address) == 1

    code, out, _ = await cli("users", "notifications", address)  # only looks
    assert out.strip() == f"{address} gets no e-mail of kind assigned"
    code, out, _ = await cli("users", "notifications", address, "--on", "assigned")
    assert out.strip() == f"{address} gets every kind of e-mail"


async def test_switching_an_unknown_kind_or_user_is_refused(conn, world, database_url, tmp_path):
    async def cli(*args: str) -> tuple[int, str, str]:
        return await run_cli(*args, database_url=database_url, data_dir=tmp_path)

    address = await email_of(conn, world.who("manager").id)
    code, _, err = await cli("users", "notifications", address, "--off", "holiday")
    assert code == 2
    assert "holiday: give one or more of assigned, tenant_message, escalation, digest" in err
    code, _, err = await cli("users", "notifications", address, "--off", "digest", "--on", "digest")
    assert code == 1
    assert "digest both --off and --on" in err
    code, _, err = await cli("users", "notifications", "nobody@example.nl", "--off", "digest")
    assert code == 1
    assert "no user with email nobody@example.nl" in err
    assert "Traceback" not in err
    assert (
        await conn.fetchval("SELECT muted_notifications FROM users WHERE email = $1", address) == []
    )


async def test_the_database_takes_exactly_the_kinds_a_user_can_switch_off(conn, world) -> None:
    user_id = world.who("manager").id
    await conn.execute(
        "UPDATE users SET muted_notifications = $2 WHERE id = $1", user_id, list(SWITCHABLE)
    )
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute(
            "UPDATE users SET muted_notifications = '{case_routed}' WHERE id = $1", user_id
        )
