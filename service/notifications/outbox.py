"""The outbox table: queue a message (inside a change's transaction), claim what is due,
mark it sent or failed, and the operator's list and retry."""

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import asyncpg

from service.db import Connection
from service.retries import backoff

# A claimed message is the claiming worker's for this long; a worker that dies while sending
# leaves it to be claimed again after the lease (and sent again, with the same Message-ID).
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=2)

# Kept to answer "was it sent?" (sent) and for `outbox retry` (failed); each holds an address,
# so neither stays longer.
KEEP_SENT = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)

CASE_ROUTED = "case_routed"
ERASURE_REQUESTED = "erasure_requested"  # to the corporation: a request to carry out
# Staff mail (service/notifications/staff_mail.py); a user may switch each of these off.
ASSIGNED = "assigned"
TENANT_MESSAGE = "tenant_message"
ESCALATION = "escalation"
DIGEST = "digest"
# To the tenant, in their language (service/notifications/tenant_rules.py, tenant_mail.py).
TENANT_REPORT_RECEIVED = "tenant_report_received"
TENANT_ACKNOWLEDGED = "tenant_acknowledged"
TENANT_VISIT_PLANNED = "tenant_visit_planned"
TENANT_NOTE = "tenant_note"
TENANT_RESOLVED = "tenant_resolved"
TENANT_CLOSED = "tenant_closed"
TENANT_REFERRED = "tenant_referred"
TENANT_LINKS = "tenant_links"  # "lost your link?" (service/reports/lost_link.py)


@dataclass(frozen=True, slots=True)
class Queued:
    """Messages a change calls for, not yet written: a SELECT of outbox rows (kind, recipient,
    payload, next_attempt_at, created_at; each parameter cast to its type) and its arguments,
    $1 to $n. queue() writes the messages of all a change's rules in one statement."""

    rows_sql: str
    args: tuple[Any, ...]


_PARAMETER = re.compile(r"\$(\d+)")


def _numbered_from(sql: str, offset: int) -> str:
    """The statement with its parameters $1..$n renumbered $(offset+1)..$(offset+n)."""
    return _PARAMETER.sub(lambda n: f"${int(n.group(1)) + offset}", sql)


@lru_cache(maxsize=64)
def _insert_sql(selects: tuple[tuple[str, int], ...]) -> str:
    """One INSERT of the rows of all these SELECTs (each with its number of parameters), each
    one's parameters numbered after the ones before it. The same few combinations come again
    and again: each statement is made once."""
    numbered = []
    offset = 0
    for select, parameters in selects:
        numbered.append(f"({_numbered_from(select, offset)})")
        offset += parameters
    return "INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)\n" + (
        "\nUNION ALL\n".join(numbered)
    )


async def queue(connection: Connection, queued: Sequence[Queued]) -> None:
    """Write the messages in one INSERT: one round trip for a change, however many rules
    called for one (intake queues two: the corporation's and the tenant's)."""
    if not queued:
        return
    sql = _insert_sql(tuple((messages.rows_sql, len(messages.args)) for messages in queued))
    await connection.execute(sql, *(arg for messages in queued for arg in messages.args))


# The corporation's message about a case routed to it: the case as its case page shows it,
# without the tenant (no name, contact details or description).
_CASE_ROUTED_ROWS = """
SELECT $1::text, co.email,
       jsonb_build_object(
           'reference', c.reference, 'category', c.category, 'acute', c.acute,
           'street', c.street, 'house_number', c.house_number,
           'house_letter', c.house_letter, 'addition', c.addition,
           'postcode', c.postcode, 'city', c.city,
           'acknowledge_by', c.acknowledge_by, 'corporation_name', co.name),
       $2::timestamptz, $2::timestamptz
FROM cases c JOIN corporations co ON co.id = c.corporation_id
WHERE c.id = $3::uuid AND co.email IS NOT NULL
"""


def case_routed(case_id: uuid.UUID, now: datetime) -> Queued:
    return Queued(_CASE_ROUTED_ROWS, (CASE_ROUTED, now, case_id))


# The tenant asked for erasure: the corporation hears which case and by which day, nothing of
# the tenant (the request is a task with a deadline the law sets; a missed one is a breach).
_ERASURE_REQUESTED_ROWS = """
SELECT $1::text, co.email,
       jsonb_build_object('reference', c.reference, 'erase_by', c.erase_by,
                          'corporation_name', co.name),
       $2::timestamptz, $2::timestamptz
FROM cases c JOIN corporations co ON co.id = c.corporation_id
WHERE c.id = $3::uuid AND co.email IS NOT NULL
"""


def erasure_requested(case_id: uuid.UUID, now: datetime) -> Queued:
    return Queued(_ERASURE_REQUESTED_ROWS, (ERASURE_REQUESTED, now, case_id))


_CLAIM_SQL = """
WITH due AS (
    SELECT id FROM outbox
    WHERE status = 'queued' AND next_attempt_at <= $1
    ORDER BY next_attempt_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = $1 + $3::interval
FROM due WHERE o.id = due.id
RETURNING o.id, o.kind, o.recipient, o.payload, o.attempts
"""


async def claim_due(
    connection: Connection, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[asyncpg.Record]:
    """Claim up to limit due messages: one statement, so its own short transaction."""
    return await connection.fetch(_CLAIM_SQL, now, limit, lease)


async def mark_sent(connection: Connection, message_id: uuid.UUID, now: datetime) -> None:
    await connection.execute(
        "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL "
        "WHERE id = $1 AND status = 'queued'",
        message_id,
        now,
    )


async def mark_attempt_failed(
    connection: Connection, message_id: uuid.UUID, attempts: int, error_kind: str, now: datetime
) -> bool:
    """Try again later, or give up after MAX_ATTEMPTS; True when it is failed for good."""
    if attempts >= MAX_ATTEMPTS:
        await connection.execute(
            "UPDATE outbox SET status = 'failed', last_error = $2 "
            "WHERE id = $1 AND status = 'queued'",
            message_id,
            error_kind,
        )
        return True
    await connection.execute(
        "UPDATE outbox SET next_attempt_at = $2, last_error = $3 "
        "WHERE id = $1 AND status = 'queued'",
        message_id,
        now + backoff(attempts, FIRST_RETRY, LONGEST_RETRY),
        error_kind,
    )
    return False


async def list_messages(connection: Connection, *, failed_only: bool) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT id, kind, recipient, status, attempts, next_attempt_at, created_at, sent_at,
               last_error
        FROM outbox WHERE status <> 'sent' AND ($1 = false OR status = 'failed')
        ORDER BY created_at
        """,
        failed_only,
    )


async def retry(connection: Connection, message_id: uuid.UUID, now: datetime) -> bool:
    """Queue a failed message again with fresh attempts; False when no failed message has it."""
    done = await connection.execute(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $2 "
        "WHERE id = $1 AND status = 'failed'",
        message_id,
        now,
    )
    return done != "UPDATE 0"


async def forget_old(connection: Connection, now: datetime) -> int:
    """Delete sent messages older than KEEP_SENT and failed ones older than KEEP_FAILED."""
    done = await connection.execute(
        "DELETE FROM outbox WHERE (status = 'sent' AND sent_at < $1) "
        "OR (status = 'failed' AND created_at < $2)",
        now - KEEP_SENT,
        now - KEEP_FAILED,
    )
    return int(done.split()[-1])
