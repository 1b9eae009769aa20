"""Delivery of the outbox: claim what is due (one short statement), send without holding a
pool connection, then mark it sent, or schedule a retry, in another."""

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

import asyncpg

from service.notifications import mail, outbox, staff_mail, tenant_mail
from service.notifications.transport import Transport
from service.webhooks import deliveries as webhooks
from service.webhooks.owner_mail import webhook_disabled

logger = logging.getLogger(__name__)

BATCH = 50
# SMTP connections a worker keeps open side by side; a mail server limits them per client,
# and a few already send hundreds of messages a second.
CONNECTIONS = 4

# The e-mail each kind of outbox message becomes.
BUILDERS: dict[str, Callable[[mail.Envelope, dict[str, Any]], Message]] = {
    outbox.CASE_ROUTED: mail.case_routed,
    outbox.ERASURE_REQUESTED: mail.erasure_requested,
    outbox.ASSIGNED: staff_mail.assigned,
    outbox.TENANT_MESSAGE: staff_mail.tenant_message,
    outbox.ESCALATION: staff_mail.escalation,
    outbox.DIGEST: staff_mail.digest,
    outbox.TENANT_REPORT_RECEIVED: tenant_mail.report_received,
    outbox.TENANT_ACKNOWLEDGED: tenant_mail.acknowledged,
    outbox.TENANT_VISIT_PLANNED: tenant_mail.visit_planned,
    outbox.TENANT_NOTE: tenant_mail.note,
    outbox.TENANT_RESOLVED: tenant_mail.resolved,
    outbox.TENANT_CLOSED: tenant_mail.closed,
    outbox.TENANT_REFERRED: tenant_mail.referred,
    outbox.TENANT_LINKS: tenant_mail.links,
    webhooks.WEBHOOK_DISABLED: webhook_disabled,
}


@dataclass(frozen=True)
class Mailer:
    transport: Transport
    sender: str
    public_base_url: str
    secret_key: str
    # How long a claimed message is this worker's before another may send it (OUTBOX_LEASE).
    lease: timedelta = outbox.LEASE


@dataclass(frozen=True)
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def build_message(row: asyncpg.Record, mailer: Mailer) -> Message:
    payload = row["payload"]
    if isinstance(payload, str):  # jsonb arrives as text unless a codec is set
        payload = json.loads(payload)
    build = BUILDERS.get(row["kind"])
    if build is None:
        raise ValueError(f"unknown message kind {row['kind']!r}")
    envelope = mail.Envelope(
        row["id"], row["recipient"], mailer.sender, mailer.public_base_url, mailer.secret_key
    )
    return build(envelope, payload)


def _error_kind(error: Exception) -> str:
    """The kind of failure, never its text (an SMTP reply can quote the address)."""
    code = getattr(error, "code", None)
    return f"{type(error).__name__} {code}" if isinstance(code, int) else type(error).__name__


async def deliver_due(
    pool: asyncpg.Pool, mailer: Mailer, clock: Callable[[], datetime], batch: int = BATCH
) -> Delivered:
    """Send every message due now, batch by batch, until none is left."""
    done = Delivered()
    while True:
        async with pool.acquire() as connection:
            claimed = await outbox.claim_due(connection, clock(), batch, mailer.lease)
        if not claimed:
            return done
        # Past most of the lease another worker may claim a message again: leave it to them.
        deadline = time.monotonic() + mailer.lease.total_seconds() * 0.8
        waiting = deque(claimed)
        lanes = [
            _lane(pool, mailer, clock, waiting, deadline)
            for _ in range(min(CONNECTIONS, len(claimed)))
        ]
        for lane in await asyncio.gather(*lanes):
            done = Delivered(
                done.sent + lane.sent, done.retrying + lane.retrying, done.failed + lane.failed
            )


async def _lane(
    pool: asyncpg.Pool,
    mailer: Mailer,
    clock: Callable[[], datetime],
    waiting: deque[asyncpg.Record],
    deadline: float,
) -> Delivered:
    """Take messages from waiting and send them over one connection, each marked sent (or
    failed) as soon as it is: a worker that dies resends at most the one it was sending."""
    sent = retrying = failed = 0
    async with mailer.transport.session() as session:
        while waiting and time.monotonic() < deadline:
            row = waiting.popleft()
            try:
                await session.send(build_message(row, mailer))
            except Exception as error:
                kind = _error_kind(error)
                async with pool.acquire() as connection:
                    gave_up = await outbox.mark_attempt_failed(
                        connection, row["id"], row["attempts"], kind, clock()
                    )
                failed += gave_up
                retrying += not gave_up
                logger.warning(
                    "message %s attempt %d failed (%s)%s",
                    row["id"],
                    row["attempts"],
                    kind,
                    "; giving up" if gave_up else "",
                )
                continue
            async with pool.acquire() as connection:
                await outbox.mark_sent(connection, row["id"], clock())
            sent += 1
    return Delivered(sent, retrying, failed)
