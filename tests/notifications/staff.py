"""Staff of the test world by e-mail address, and who received what."""

import dataclasses
from collections import Counter
from datetime import datetime

import asyncpg

from service.changes.pipeline import Pipeline
from service.domain.sla import Urgency, deadlines_for
from service.worker import run_once
from tests import factories
from tests.notifications.smtp import Inbox, mailer_to
from tests.world import World

# What no staff mail may show: the tenant's name, e-mail address and description
# (tests/factories.report_body).
TENANT_DATA = ("Jan Jansen", "jan@example.nl", "Diagonale scheur")


async def email_of(conn: asyncpg.Connection, user_id: int) -> str:
    email: str = await conn.fetchval("SELECT email FROM users WHERE id = $1", user_id)
    return email


async def emails(conn: asyncpg.Connection, world: World, *keys: str) -> Counter[str]:
    """The addresses of world.people[key] for each key, as a multiset."""
    return Counter([await email_of(conn, world.people[key].id) for key in keys])


def recipients(inbox: Inbox) -> Counter[str]:
    return Counter(str(message["To"]) for message in inbox.messages)


async def colleague(
    conn: asyncpg.Connection,
    role: str,
    corporation_id: int | None = None,
    *,
    muted: tuple[str, ...] = (),
    active: bool = True,
) -> str:
    """One more staff member, with kinds switched off or inactive; their e-mail address."""
    user_id = await factories.user(conn, role, corporation_id)
    await conn.execute(
        "UPDATE users SET muted_notifications = $2, active = $3, "
        "deactivated_at = CASE WHEN $3 THEN NULL ELSE now() END WHERE id = $1",
        user_id,
        list(muted),
        active,
    )
    return await email_of(conn, user_id)


# The tenant hears of their report too (tests/notifications/test_tenant_mail.py); these tests
# count and read what staff and corporations get.
TENANT_EMAIL = TENANT_DATA[1]
_SENT_TO_STAFF = "SELECT count(*) FROM outbox WHERE status = 'sent' AND recipient <> $1"


async def mail_round(pool: asyncpg.Pool, port: int, at: datetime) -> int:
    """One worker round at the moment given; the number of e-mails it sent to staff."""
    async with pool.acquire() as connection:
        before = await connection.fetchval(_SENT_TO_STAFF, TENANT_EMAIL)
    await run_once(pool, Pipeline(clock=lambda: at), mailer_to(port))
    async with pool.acquire() as connection:
        return await connection.fetchval(_SENT_TO_STAFF, TENANT_EMAIL) - before


async def set_report_time(conn: asyncpg.Connection, reference: str, at: datetime) -> None:
    """Move a fresh acute case's report, with its deadlines, to a moment of the test's."""
    deadlines = dataclasses.asdict(deadlines_for(Urgency.ACUTE, at))
    await factories.set_case_columns(conn, reference, reported_at=at, **deadlines)
