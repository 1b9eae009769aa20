"""Delivery of the outbox: claim what is due (one short statement), send without holding a
pool connection, then mark it sent, or schedule a retry, in another."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import asyncpg

from service.notifications import mail, outbox
from service.notifications.transport import Transport
from service.webhooks import deliveries as webhooks
from service.webhooks.owner_mail import webhook_disabled

logger = logging.getLogger(__name__)

BATCH = 50

# The e-mail each kind of outbox message becomes.
BUILDERS: dict[str, Callable[[mail.Envelope, dict[str, Any]], EmailMessage]] = {
    outbox.CASE_ROUTED: mail.case_routed,
    webhooks.WEBHOOK_DISABLED: webhook_disabled,
}


@dataclass(frozen=True)
class Mailer:
    transport: Transport
    sender: str
    public_base_url: str
    secret_key: str


@dataclass(frozen=True)
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def build_message(row: asyncpg.Record, mailer: Mailer) -> EmailMessage:
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
    sent = retrying = failed = 0
    while True:
        async with pool.acquire() as connection:
            claimed = await outbox.claim_due(connection, clock(), batch)
        if not claimed:
            return Delivered(sent, retrying, failed)
        for row in claimed:
            try:
                await mailer.transport.send(build_message(row, mailer))
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
