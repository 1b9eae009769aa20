"""The managers' daily digest: from 08:00 Amsterdam time on working days, once a day, each
manager gets their own corporation's open cases past a deadline and at risk, with links."""

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import asyncpg
import pytest

from service.domain.calendar import AMSTERDAM
from service.notifications import digest
from tests import factories
from tests.notifications.smtp import BASE_URL, smtp_server, text_of
from tests.notifications.staff import (
    TENANT_DATA,
    TENANT_EMAIL,
    colleague,
    emails,
    mail_round,
    recipients,
)
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME, World

MONDAY_8 = datetime(2026, 12, 7, 8, 0, tzinfo=AMSTERDAM)


async def case_due(
    conn: asyncpg.Connection, world: World, home: dict, acknowledge_by: datetime, days: int
) -> str:
    """A new case reported `days` before Monday 08:00, to be acknowledged by acknowledge_by."""
    reference: str = (await world.report(home))["reference"]
    await factories.set_case_columns(
        conn,
        reference,
        reported_at=MONDAY_8 - timedelta(days=days),
        acknowledge_by=acknowledge_by,
        inspect_by=acknowledge_by + timedelta(days=10),
        resolve_by=acknowledge_by + timedelta(days=40),
    )
    return reference


async def breached(conn: asyncpg.Connection, world: World, home: dict = OWN_HOME) -> str:
    return await case_due(conn, world, home, MONDAY_8 - timedelta(hours=1), days=10)


async def at_risk(conn: asyncpg.Connection, world: World, home: dict = OWN_HOME) -> str:
    """Due in 12 hours of a 9.5-day window: in its last fifth."""
    return await case_due(conn, world, home, MONDAY_8 + timedelta(hours=12), days=9)


async def on_time(conn: asyncpg.Connection, world: World, home: dict = OWN_HOME) -> str:
    return await case_due(conn, world, home, MONDAY_8 + timedelta(days=2), days=0)


@pytest.fixture
async def managers(conn, world) -> Counter[str]:
    """Who gets the digest: the world's managers and one more at Lefier; besides them a Lefier
    manager who switched the digest off and one no longer active, who do not."""
    lefier = world.corporations["lefier"]
    await colleague(conn, "manager", lefier, muted=("digest",))
    await colleague(conn, "manager", lefier, active=False)
    return await emails(conn, world, "manager@lefier", "manager@acantus") + Counter(
        [await colleague(conn, "manager", lefier, muted=("escalation",))]
    )


async def test_at_eight_each_manager_gets_their_corporations_cases_once(
    pool, conn, world, managers
) -> None:
    late, near, fine = (
        await breached(conn, world),
        await at_risk(conn, world),
        await on_time(conn, world),
    )
    elsewhere = await breached(conn, world, OTHER_HOME)
    await breached(conn, world, UNKNOWN_HOME)  # unrouted: no corporation's

    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, MONDAY_8 - timedelta(minutes=1)) == 0
        assert await mail_round(pool, port, MONDAY_8) == 3
        for later in (MONDAY_8, MONDAY_8 + timedelta(hours=7)):  # once a day
            assert await mail_round(pool, port, later) == 0

    assert recipients(inbox) == managers  # no inspector, coordinator or admin
    acantus = await emails(conn, world, "manager@acantus")
    [acantus_digest] = [m for m in inbox.messages if m["To"] in acantus]
    assert elsewhere in text_of(acantus_digest)
    assert late not in text_of(acantus_digest)

    lefier_digests = [m for m in inbox.messages if m["To"] not in acantus]
    assert len({text_of(m) for m in lefier_digests}) == 1  # the same list for each manager
    message = lefier_digests[0]
    assert message["Subject"] == (
        "Termijnen Lefier 07-12-2026: 1 te laat, 1 bijna te laat / Deadlines: 1 overdue, 1 at risk"
    )
    text = text_of(message)
    for expected in (
        "Dagoverzicht van maandag 7 december 2026: de open schademeldingen van Lefier",
        "Daily digest of Monday 7 December 2026: the open cases of Lefier",
        "Te laat (1):",
        f"- {late} · Oppakken uiterlijk maandag 7 december 2026 om 07:00 uur: {BASE_URL}/cases/{late}",
        "Bijna te laat (1):",
        f"- {near} · Oppakken uiterlijk maandag 7 december 2026 om 20:00 uur: {BASE_URL}/cases/{near}",
        "Overdue (1):",
        f"- {late} · Acknowledge by Monday 7 December 2026 at 07:00: {BASE_URL}/cases/{late}",
        "At risk (1):",
        f'<a href="{BASE_URL}/cases/{near}">',
    ):
        assert expected in text
    dutch = text.split("-- English --")[0]
    assert dutch.index(late) < dutch.index("Bijna te laat") < dutch.index(near)
    for absent in (fine, elsewhere, *TENANT_DATA):
        assert absent not in text


@pytest.mark.parametrize(
    "day_off",
    [
        datetime(2026, 12, 12, 9, 0, tzinfo=AMSTERDAM),  # Saturday
        datetime(2026, 12, 13, 9, 0, tzinfo=AMSTERDAM),  # Sunday
        datetime(2026, 12, 25, 9, 0, tzinfo=AMSTERDAM),  # Christmas, a Friday
    ],
)
async def test_none_on_weekends_and_public_holidays(pool, conn, world, day_off) -> None:
    await breached(conn, world)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, day_off) == 0
    assert inbox.messages == []
    assert await conn.fetchval("SELECT count(*) FROM digests_sent") == 0


async def test_a_worker_down_at_eight_sends_it_when_back_that_day(pool, conn, world) -> None:
    await breached(conn, world)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, MONDAY_8 + timedelta(hours=2)) == 1
    assert recipients(inbox) == await emails(conn, world, "manager@lefier")


async def test_the_next_working_day_brings_the_next_digest(pool, conn, world) -> None:
    await breached(conn, world)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, MONDAY_8) == 1
        assert await mail_round(pool, port, MONDAY_8 + timedelta(days=1)) == 1
    assert [m["Subject"].split(":")[0] for m in inbox.messages] == [
        "Termijnen Lefier 07-12-2026",
        "Termijnen Lefier 08-12-2026",
    ]


async def test_nothing_past_or_near_a_deadline_sends_nothing(pool, conn, world) -> None:
    await on_time(conn, world)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, MONDAY_8) == 0
        # The day is done for every manager: a case breached later waits for tomorrow.
        await breached(conn, world)
        assert await mail_round(pool, port, MONDAY_8 + timedelta(hours=1)) == 0
    assert inbox.messages == []
    assert await conn.fetchval("SELECT count(*) FROM digests_sent") == 2


async def test_a_long_list_ends_with_a_link_to_the_rest(pool, conn, world, monkeypatch) -> None:
    monkeypatch.setattr(digest, "LISTED", 1)
    first, second = await breached(conn, world), await breached(conn, world)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        await mail_round(pool, port, MONDAY_8)
    text = text_of(inbox.messages[0])
    assert "Te laat (2):" in text
    assert f"… en nog 1: {BASE_URL}/work?deadline=breached" in text
    assert f"… and 1 more: {BASE_URL}/work?deadline=breached" in text
    assert (first in text) != (second in text)  # one of them listed


async def test_workers_side_by_side_write_each_digest_once(pool, conn, world, managers) -> None:
    await breached(conn, world)
    await breached(conn, world, OTHER_HOME)
    done = await asyncio.gather(*(digest.send_daily_digests(pool, MONDAY_8) for _ in range(3)))
    assert sum(done) == sum(managers.values())
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE kind = 'digest'") == sum(
        managers.values()
    )
