"""An acute case nobody acknowledged: 2 hours after the report, and again at its acknowledge
deadline, the managers of its corporation and the regional coordinators hear of it, each stage
once; not when the case was acknowledged in time."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from service.notifications.escalation import escalate_unacknowledged
from tests.notifications.smtp import BASE_URL, smtp_server, text_of
from tests.notifications.staff import (
    TENANT_DATA,
    TENANT_EMAIL,
    colleague,
    emails,
    mail_round,
    recipients,
    set_report_time,
)
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME, World

# A Saturday (no daily digest), 10:00 in Amsterdam.
REPORTED = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


async def acute_report(conn: asyncpg.Connection, world: World, home: dict) -> str:
    reference: str = (await world.report(home, acute=True, category="unsafe_situation"))[
        "reference"
    ]
    await set_report_time(conn, reference, REPORTED)
    return reference


@pytest.fixture
async def lefier_managers(conn, world) -> Counter[str]:
    """Lefier's managers who hear of escalations: the world's, and one more; besides them a
    manager who switched escalations off and one no longer active, who do not."""
    lefier = world.corporations["lefier"]
    await colleague(conn, "manager", lefier, muted=("escalation",))
    await colleague(conn, "manager", lefier, active=False)
    await colleague(conn, "coordinator", muted=("escalation", "digest"))
    await colleague(conn, "inspector", lefier)
    return await emails(conn, world, "manager@lefier") + Counter(
        [await colleague(conn, "manager", lefier, muted=("assigned",))]
    )


async def test_two_hours_then_the_deadline_each_once_to_managers_and_coordinators(
    pool, conn, world, lefier_managers
) -> None:
    reference = await acute_report(conn, world, OWN_HOME)
    expected = lefier_managers + await emails(conn, world, "coordinator")

    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, REPORTED + timedelta(hours=2, seconds=-1)) == 0
        assert await mail_round(pool, port, REPORTED + timedelta(hours=2)) == len(expected)
        assert recipients(inbox) == expected
        first = list(inbox.messages)
        inbox.messages.clear()
        for hours in (2, 3, 3.99):  # once per stage
            assert await mail_round(pool, port, REPORTED + timedelta(hours=hours)) == 0
        assert await mail_round(pool, port, REPORTED + timedelta(hours=4)) == len(expected)
        assert recipients(inbox) == expected
        second = list(inbox.messages)
        assert await mail_round(pool, port, REPORTED + timedelta(hours=9)) == 0

    assert {m["Subject"] for m in first} == {
        f"ACUUT: {reference} na 2 uur nog niet opgepakt / "
        f"Acute: {reference} not acknowledged after 2 hours"
    }
    text = text_of(first[0])
    for expected_text in (
        f"Acute schademelding {reference} is 2 uur na de melding nog niet opgepakt. "
        "De termijn verstrijkt zaterdag 5 december 2026 om 14:00 uur.",
        f"Acute case {reference} is not acknowledged 2 hours after it was reported. "
        "The deadline is Saturday 5 December 2026 at 14:00.",
        "Corporatie: Lefier",
        "Corporation: Lefier",
        "Soort schade: Onveilige situatie",
        "Kind of damage: Unsafe situation",
        "Adres: Herestraat 12, 9711AB Groningen",
        "Gemeld: zaterdag 5 december 2026 om 10:00 uur",
        "Reported: Saturday 5 December 2026 at 10:00",
        f"{BASE_URL}/cases/{reference}",
    ):
        assert expected_text in text
    for private in TENANT_DATA:
        assert private not in text

    assert {m["Subject"] for m in second} == {
        f"ACUUT, termijn verstreken: {reference} nog niet opgepakt / "
        f"Acute, deadline passed: {reference} not acknowledged"
    }
    text = text_of(second[0])
    assert (
        f"De termijn om acute schademelding {reference} op te pakken is verstreken "
        "(zaterdag 5 december 2026 om 14:00 uur). De melding is nog steeds niet opgepakt."
    ) in text
    assert f"The deadline to acknowledge acute case {reference} has passed" in text


async def test_acknowledged_in_time_nobody_hears_of_it(pool, conn, world) -> None:
    reference = await acute_report(conn, world, OWN_HOME)
    await world.move(reference, world.who("inspector"), "acknowledged")

    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        for hours in (2, 4, 24):
            assert await mail_round(pool, port, REPORTED + timedelta(hours=hours)) == 0
    assert inbox.messages == []
    assert await conn.fetchval("SELECT count(*) FROM case_escalations") == 0


async def test_acknowledged_after_two_hours_stops_the_second_stage(pool, conn, world) -> None:
    reference = await acute_report(conn, world, OWN_HOME)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, REPORTED + timedelta(hours=2)) == 2
        await world.move(reference, world.who("manager"), "acknowledged")
        assert await mail_round(pool, port, REPORTED + timedelta(hours=4)) == 0
    assert len(inbox.messages) == 2


async def test_an_unrouted_case_goes_to_the_coordinators_only(pool, conn, world) -> None:
    await acute_report(conn, world, UNKNOWN_HOME)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        await mail_round(pool, port, REPORTED + timedelta(hours=2))
    assert recipients(inbox) == await emails(conn, world, "coordinator")
    assert "De melding is nog niet aan een corporatie toegewezen." in text_of(inbox.messages[0])
    assert "The case is not routed to a corporation yet." in text_of(inbox.messages[0])


async def test_another_corporations_staff_never_hear_of_it(pool, conn, world) -> None:
    await acute_report(conn, world, OTHER_HOME)
    await acute_report(conn, world, OWN_HOME)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        await mail_round(pool, port, REPORTED + timedelta(hours=2))
    by_corporation = {
        name: Counter(str(m["To"]) for m in inbox.messages if f"Corporation: {name}" in text_of(m))
        for name in ("Lefier", "Acantus")
    }
    assert by_corporation == {
        "Lefier": await emails(conn, world, "manager@lefier", "coordinator"),
        "Acantus": await emails(conn, world, "manager@acantus", "coordinator"),
    }


async def test_a_worker_back_after_the_deadline_sends_the_deadline_stage_only(
    pool, conn, world
) -> None:
    reference = await acute_report(conn, world, OWN_HOME)
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        assert await mail_round(pool, port, REPORTED + timedelta(hours=5)) == 2
        assert await mail_round(pool, port, REPORTED + timedelta(hours=6)) == 0
    assert {m["Subject"] for m in inbox.messages} == {
        f"ACUUT, termijn verstreken: {reference} nog niet opgepakt / "
        f"Acute, deadline passed: {reference} not acknowledged"
    }


async def test_workers_side_by_side_escalate_each_stage_once(pool, conn, world) -> None:
    for _ in range(5):
        await acute_report(conn, world, OWN_HOME)
    at = REPORTED + timedelta(hours=2)
    done = await asyncio.gather(*(escalate_unacknowledged(pool, at) for _ in range(3)))
    assert sum(done) == 5
    # Each case's stage once, to Lefier's manager and the coordinator.
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE kind = 'escalation'") == 10
