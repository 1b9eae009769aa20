"""The webhook_subscriptions table: make, list, remove, switch off and on again."""

from datetime import datetime

import asyncpg

from service.db import Connection, certain_row
from service.domain.events import EventKind

# What a subscription can ask for: every kind of case event.
EVENT_KINDS = tuple(kind.value for kind in EventKind)


class UnknownEventKind(ValueError):
    pass


def event_kinds(names: list[str]) -> list[str]:
    """The kinds asked for, each once, in EventKind's order; UnknownEventKind names a wrong one."""
    wanted = {name.strip() for name in names if name.strip()}
    unknown = sorted(wanted - set(EVENT_KINDS))
    if unknown:
        raise UnknownEventKind(
            f"unknown event kind {', '.join(unknown)}; choose from {', '.join(EVENT_KINDS)}"
        )
    if not wanted:
        raise UnknownEventKind(f"name at least one event kind: {', '.join(EVENT_KINDS)}")
    return [kind for kind in EVENT_KINDS if kind in wanted]


_COLUMNS = """
    s.id, co.code AS corporation_code, s.url, s.event_kinds, s.active, s.disabled_at,
    s.failing_since, s.created_at,
    (SELECT count(*) FROM webhook_deliveries d
     WHERE d.subscription_id = s.id AND d.status = 'queued') AS queued,
    (SELECT count(*) FROM webhook_deliveries d
     WHERE d.subscription_id = s.id AND d.status = 'failed') AS failed
"""


async def add(
    connection: Connection,
    corporation_id: int,
    url: str,
    secret: str,
    kinds: list[str],
    now: datetime,
) -> asyncpg.Record:
    row = await connection.fetchrow(
        f"""
        WITH made AS (
            INSERT INTO webhook_subscriptions (corporation_id, url, secret, event_kinds, created_at)
            VALUES ($1, $2, $3, $4, $5) RETURNING *
        )
        SELECT {_COLUMNS} FROM made s JOIN corporations co ON co.id = s.corporation_id
        """,  # noqa: S608 - constant fragments
        corporation_id,
        url,
        secret,
        kinds,
        now,
    )
    return certain_row(row, "INSERT INTO webhook_subscriptions ... RETURNING")


async def list_subscriptions(
    connection: Connection, corporation_id: int | None = None
) -> list[asyncpg.Record]:
    """Every subscription, or a corporation's; never the secret."""
    return await connection.fetch(
        f"""
        SELECT {_COLUMNS}
        FROM webhook_subscriptions s JOIN corporations co ON co.id = s.corporation_id
        WHERE $1::bigint IS NULL OR s.corporation_id = $1::bigint
        ORDER BY co.code, s.id
        """,  # noqa: S608 - constant fragments
        corporation_id,
    )


async def remove(
    connection: Connection, subscription_id: int, corporation_id: int | None = None
) -> bool:
    """Remove it with its deliveries; False when there is none (of that corporation)."""
    done = await connection.execute(
        "DELETE FROM webhook_subscriptions "
        "WHERE id = $1 AND ($2::bigint IS NULL OR corporation_id = $2::bigint)",
        subscription_id,
        corporation_id,
    )
    return done != "DELETE 0"


async def disable(connection: Connection, subscription_id: int, now: datetime) -> bool:
    done = await connection.execute(
        "UPDATE webhook_subscriptions SET active = false, disabled_at = $2 "
        "WHERE id = $1 AND active",
        subscription_id,
        now,
    )
    return done != "UPDATE 0"


async def enable(
    connection: Connection, subscription_id: int, now: datetime, corporation_id: int | None = None
) -> bool:
    """Switch it on again; what it gave up on is tried again, in order, with a fresh day of
    retries. False when there is no such subscription."""
    async with connection.transaction():
        done = await connection.execute(
            "UPDATE webhook_subscriptions SET active = true, disabled_at = NULL, "
            "failing_since = NULL "
            "WHERE id = $1 AND ($2::bigint IS NULL OR corporation_id = $2::bigint)",
            subscription_id,
            corporation_id,
        )
        if done == "UPDATE 0":
            return False
        await connection.execute(
            """
            UPDATE webhook_deliveries SET
                status = 'queued', next_attempt_at = $2,
                attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
                first_attempt_at = CASE WHEN status = 'failed' THEN NULL ELSE first_attempt_at END
            WHERE subscription_id = $1 AND status <> 'sent'
            """,
            subscription_id,
            now,
        )
    return True
