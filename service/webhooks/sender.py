"""Delivery of webhooks: claim what is due (one short statement), POST each without holding
a pool connection, then mark it sent, or schedule a retry, in another."""

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import httpx

from service.webhooks import deliveries
from service.webhooks.deliveries import Failed
from service.webhooks.signing import signed_headers
from service.webhooks.urls import UrlPolicy, UrlRefused, resolve

logger = logging.getLogger(__name__)
# httpx logs each request's URL at INFO; a receiver's URL may hold its own token.
logging.getLogger("httpx").setLevel(logging.WARNING)

BATCH = 50
# POSTs in flight at once per worker: one slow receiver does not hold up the others.
AT_ONCE = 10
# Seconds a receiver has to answer, and at most for an attempt as a whole (name lookup and a
# receiver that answers a byte at a time included): well within deliveries.LEASE.
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ATTEMPT_SECONDS = 30.0
USER_AGENT = "schade-tracker-webhooks/1"


@dataclass(frozen=True)
class Sender:
    policy: UrlPolicy
    # The moment in webhook-timestamp: the real time of the attempt, which the receiver
    # compares with its own clock (the pipeline's clock may be a test's or the demo's).
    wall_clock: Callable[[], float] = time.time
    # The certificate authorities receivers' certificates are checked against: the system's,
    # or (in the tests) a context that knows their own.
    tls: ssl.SSLContext | bool = True


@dataclass(frozen=True)
class Posted:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    disabled: int = 0


class ReceiverRefused(Exception):
    """The receiver answered, but not with a 2xx."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def post(client: httpx.AsyncClient, sender: Sender, row: asyncpg.Record) -> None:
    """POST one delivery to the address its URL resolves to now; raises unless 2xx."""
    target = await resolve(row["url"], sender.policy)
    body = row["body"].encode()
    headers = {
        **signed_headers(row["secret"], str(row["id"]), int(sender.wall_clock()), body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "host": target.url.netloc,
    }
    # To the checked address; TLS still checks the certificate against the host name.
    async with client.stream(
        "POST",
        target.connect_url,
        content=body,
        headers=headers,
        extensions={"sni_hostname": target.url.hostname or ""},
    ) as response:
        # Only the status counts; the reply's body is never read.
        if not 200 <= response.status_code < 300:
            raise ReceiverRefused(response.status_code)


def _error_kind(error: Exception) -> str:
    """What went wrong, never a reply's text."""
    if isinstance(error, ReceiverRefused):
        return f"HTTP {error.status}"
    if isinstance(error, UrlRefused):
        return "address refused"
    return type(error).__name__


async def _attempt(
    pool: asyncpg.Pool,
    client: httpx.AsyncClient,
    sender: Sender,
    clock: Callable[[], datetime],
    row: asyncpg.Record,
) -> tuple[bool, deliveries.Failed | None]:
    try:
        async with asyncio.timeout(ATTEMPT_SECONDS):
            await post(client, sender, row)
    except Exception as error:
        kind = _error_kind(error)
        async with pool.acquire() as connection:
            failed = await deliveries.mark_attempt_failed(connection, row, kind, clock())
        logger.warning(
            "webhook %s (subscription %d) attempt %d failed (%s)%s%s",
            row["id"],
            row["subscription_id"],
            row["attempts"],
            kind,
            "; giving up" if failed.gave_up else "",
            "; subscription switched off" if failed.disabled else "",
        )
        return False, failed
    async with pool.acquire() as connection:
        await deliveries.mark_sent(connection, row["id"], clock())
    return True, None


async def deliver_webhooks(
    pool: asyncpg.Pool, sender: Sender, clock: Callable[[], datetime], batch: int = BATCH
) -> Posted:
    """POST every delivery due now, batch by batch, until none is left."""
    sent = retrying = failed = disabled = 0
    limit = asyncio.Semaphore(AT_ONCE)

    async def one(client: httpx.AsyncClient, row: asyncpg.Record) -> tuple[bool, Failed | None]:
        async with limit:
            return await _attempt(pool, client, sender, clock, row)

    # No connection is kept for another request: connections are made to an address, and
    # two hosts at one address must not share one made with the other's name.
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(
        timeout=TIMEOUT, follow_redirects=False, limits=limits, verify=sender.tls
    ) as client:
        while True:
            async with pool.acquire() as connection:
                claimed = await deliveries.claim_due(connection, clock(), batch)
            if not claimed:
                return Posted(sent, retrying, failed, disabled)
            for ok, failure in await asyncio.gather(*(one(client, row) for row in claimed)):
                sent += ok
                if failure is not None:
                    failed += failure.gave_up
                    retrying += not failure.gave_up
                    disabled += failure.disabled
