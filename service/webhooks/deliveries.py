"""The webhook_deliveries table: queue a change's messages (inside its transaction), claim
what is due, mark it sent or schedule a retry, give up, and switch off a subscription that
keeps failing (telling its corporation by e-mail, through the outbox)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from service.db import Connection
from service.retries import backoff

# A claimed delivery is the claiming worker's for this long: longer than a POST may take
# (service/webhooks/sender.py), so only a worker that died lets another send it again.
LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(hours=2)
# A delivery is tried for a day from its first attempt; a subscription whose deliveries
# have all failed for a day is switched off.
RETRY_FOR = timedelta(days=1)

# The outbox message that tells a corporation its webhook was switched off.
WEBHOOK_DISABLED = "webhook_disabled"


# Sent messages are kept a week (to look into a receiver's complaint), then forgotten: each
# holds a copy of the case.
KEEP_SENT = timedelta(days=7)


async def forget_sent(connection: Connection, before: datetime) -> int:
    done = await connection.execute(
        "DELETE FROM webhook_deliveries WHERE status = 'sent' AND sent_at < $1", before
    )
    return int(done.split()[-1])


async def anyone_listening(connection: Connection, corporation_id: int, kinds: list[str]) -> bool:
    """Does the corporation have an active subscription to any of these kinds? One indexed
    query: what every change of a routed case, intake included, costs when none does."""
    return await connection.fetchval(
        "SELECT EXISTS (SELECT 1 FROM webhook_subscriptions "
        "WHERE corporation_id = $1 AND active AND event_kinds && $2::text[])",
        corporation_id,
        kinds,
    )


async def queue(
    connection: Connection,
    corporation_id: int,
    case_id: uuid.UUID,
    now: datetime,
    events: list[tuple[int, str, str]],
) -> None:
    """One delivery per (active subscription, event of a kind it wants): one statement.
    events: (seq, kind, body) each."""
    await connection.execute(
        """
        INSERT INTO webhook_deliveries
            (subscription_id, case_id, seq, payload, next_attempt_at, created_at)
        SELECT s.id, $2, e.seq, e.body::jsonb, $3, $3
        FROM webhook_subscriptions s
        CROSS JOIN unnest($4::int[], $5::text[], $6::text[]) AS e(seq, kind, body)
        WHERE s.corporation_id = $1 AND s.active AND e.kind = ANY (s.event_kinds)
        """,
        corporation_id,
        case_id,
        now,
        [seq for seq, _, _ in events],
        [kind for _, kind, _ in events],
        [body for _, _, body in events],
    )


# Only the oldest undelivered message of each (subscription, case) may go: the next one waits
# until it is sent, so a receiver sees each case's events in order. One that is claimed stays
# queued (with its lease as next attempt) while it is sent, so it keeps the ones behind it
# waiting; SKIP LOCKED lets workers side by side claim different ones.
_CLAIM_SQL = """
WITH heads AS (
    SELECT DISTINCT ON (subscription_id, case_id) id
    FROM webhook_deliveries
    WHERE status = 'queued'
      AND subscription_id IN (SELECT id FROM webhook_subscriptions WHERE active)
    ORDER BY subscription_id, case_id, seq
),
due AS (
    SELECT d.id FROM webhook_deliveries d
    JOIN heads h ON h.id = d.id
    JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active
    WHERE d.status = 'queued' AND d.next_attempt_at <= $1
    ORDER BY d.next_attempt_at
    LIMIT $2
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries d
SET attempts = d.attempts + 1, next_attempt_at = $1 + $3::interval,
    first_attempt_at = coalesce(d.first_attempt_at, $1)
FROM due, webhook_subscriptions s
WHERE d.id = due.id AND s.id = d.subscription_id
RETURNING d.id, d.subscription_id, d.payload::text AS body, d.attempts, d.first_attempt_at,
          s.url, s.secret
"""


async def claim_due(
    connection: Connection, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[asyncpg.Record]:
    """Claim up to limit due deliveries: one statement, so its own short transaction."""
    return await connection.fetch(_CLAIM_SQL, now, limit, lease)


async def mark_sent(connection: Connection, delivery_id: uuid.UUID, now: datetime) -> None:
    """Sent; its subscription is no longer failing."""
    await connection.execute(
        """
        WITH sent AS (
            UPDATE webhook_deliveries SET status = 'sent', sent_at = $2, last_error = NULL
            WHERE id = $1 AND status = 'queued'
            RETURNING subscription_id
        )
        UPDATE webhook_subscriptions s SET failing_since = NULL
        FROM sent WHERE s.id = sent.subscription_id AND s.failing_since IS NOT NULL
        """,
        delivery_id,
        now,
    )


@dataclass(frozen=True)
class Failed:
    gave_up: bool  # the delivery is failed for good
    disabled: bool  # and/or its subscription was switched off by this failure


async def mark_attempt_failed(
    connection: Connection, delivery: asyncpg.Record, error_kind: str, now: datetime
) -> Failed:
    """Try again later, or give up when the next try would fall beyond the day of retries;
    switch the subscription off when it gave up, or when it has failed for a day."""
    retry_at = now + backoff(delivery["attempts"], FIRST_RETRY, LONGEST_RETRY)
    gave_up = retry_at >= delivery["first_attempt_at"] + RETRY_FOR
    async with connection.transaction():
        failing_since = await connection.fetchval(
            """
            WITH attempt AS (
                UPDATE webhook_deliveries
                SET status = CASE WHEN $2 THEN 'failed' ELSE 'queued' END,
                    next_attempt_at = $3, last_error = $4
                WHERE id = $1 AND status = 'queued'
                RETURNING subscription_id
            )
            UPDATE webhook_subscriptions s SET failing_since = coalesce(s.failing_since, $5)
            FROM attempt WHERE s.id = attempt.subscription_id
            RETURNING s.failing_since
            """,
            delivery["id"],
            gave_up,
            retry_at,
            error_kind,
            now,
        )
        if failing_since is None:  # marked already (a worker that took over after the lease)
            return Failed(gave_up, disabled=False)
        if not gave_up and now - failing_since < RETRY_FOR:
            return Failed(gave_up, disabled=False)
        disabled = await _disable_and_tell(connection, delivery["subscription_id"], error_kind, now)
    return Failed(gave_up, disabled)


async def _disable_and_tell(
    connection: Connection, subscription_id: int, error_kind: str, now: datetime
) -> bool:
    """Switch the subscription off and queue the e-mail that says so: to the corporation's
    address, or to its managers when it has none. False when it was off already."""
    disabled = await connection.fetchrow(
        "UPDATE webhook_subscriptions SET active = false, disabled_at = $2 "
        "WHERE id = $1 AND active RETURNING id",
        subscription_id,
        now,
    )
    if disabled is None:
        return False
    await connection.execute(
        """
        WITH sub AS (
            SELECT s.id, s.url, s.failing_since, s.corporation_id, co.name, co.email
            FROM webhook_subscriptions s JOIN corporations co ON co.id = s.corporation_id
            WHERE s.id = $1
        ),
        recipients AS (
            SELECT email FROM sub WHERE email IS NOT NULL
            UNION
            SELECT u.email FROM users u JOIN sub ON u.corporation_id = sub.corporation_id
            WHERE sub.email IS NULL AND u.role = 'manager' AND u.active
        )
        INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)
        SELECT $2, r.email,
               jsonb_build_object(
                   'subscription_id', sub.id, 'corporation_name', sub.name,
                   -- scheme and host only: a path or query may hold the receiver's token
                   'site', substring(sub.url from '^[a-z]+://[^/?#]+'),
                   'failing_since', sub.failing_since, 'disabled_at', $3::timestamptz,
                   'last_error', $4::text),
               $3, $3
        FROM sub CROSS JOIN recipients r
        """,
        subscription_id,
        WEBHOOK_DISABLED,
        now,
        error_kind,
    )
    return True
