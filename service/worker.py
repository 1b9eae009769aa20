"""Background jobs: deliver the outbox's messages and the webhooks, escalate acute cases
nobody acknowledged, write the managers' daily digests, close cases the tenant did not react
to, anonymise cases closed longer ago than the retention period, forget old idempotency keys, the throttle's counters once they no longer count, sent
e-mails after a week and webhooks sent a week ago, and sweep the objects of uploads that
were never recorded.

Each job claims its rows with FOR UPDATE SKIP LOCKED, or records what it did under a unique
key (escalations, digests), so any number of workers can run side by side without doing the
same job twice. Cases change through the change pipeline, like every other change.
"""

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import asyncpg

from service.attachments.storage import ObjectStorage
from service.attachments.sweep import sweep_orphans
from service.cases import actions
from service.cases import store as cases
from service.changes.pipeline import CaseAt, Pipeline
from service.domain.permissions import TENANT_REACTION_WINDOW
from service.domain.privacy import DEFAULT_RETENTION_MONTHS
from service.notifications import outbox
from service.notifications.delivery import Delivered, Mailer, deliver_due
from service.notifications.digest import send_daily_digests
from service.notifications.escalation import escalate_unacknowledged
from service.outage import database_unavailable
from service.privacy.retention import anonymise_expired_cases
from service.reports import store as reports
from service.throttle import postgres_store as throttle_store
from service.throttle.policy import FORGET_FAILURES_AFTER
from service.webhooks import deliveries as webhook_deliveries
from service.webhooks.sender import Posted, Sender, deliver_webhooks

logger = logging.getLogger(__name__)

# A retried submission comes within minutes; a week is ample.
IDEMPOTENCY_KEEP = timedelta(days=7)
# How often the outbox is looked at: one indexed query when nothing is due.
OUTBOX_POLL_SECONDS = 1.0

T = TypeVar("T")


@dataclass(frozen=True)
class Round:
    closed: int
    keys_forgotten: int
    throttle_rows_forgotten: int
    messages_forgotten: int = 0
    escalations: int = 0  # acute cases not acknowledged, mailed to managers and coordinators
    digests: int = 0  # managers' daily digests queued
    webhooks_forgotten: int = 0
    orphan_objects_deleted: int = 0
    anonymised: int = 0  # cases past the retention period
    mail: Delivered = field(default_factory=Delivered)
    webhooks: Posted = field(default_factory=Posted)


async def close_unanswered_resolutions(pool: asyncpg.Pool, pipeline: Pipeline) -> int:
    """Close cases resolved longer ago than the tenant may react, one per transaction.

    One case per transaction keeps each transaction's counter-row locks to those of a single
    case, taken in one fixed order, so that workers side by side never deadlock.
    """
    closed = 0
    while True:
        async with pool.acquire() as connection, connection.transaction():
            reference = await cases.next_unanswered_resolution(
                connection, pipeline.clock() - TENANT_REACTION_WINDOW
            )
            if reference is None:
                return closed
            changed = await pipeline.run(
                connection, CaseAt(reference), actions.close_without_reaction()
            )
            if changed is None:  # the rule says it is not due yet: leave it for a later round
                return closed
        closed += 1


async def forget_old_idempotency_keys(pool: asyncpg.Pool, pipeline: Pipeline) -> int:
    async with pool.acquire() as connection:
        return await reports.forget_idempotency_keys(
            connection, pipeline.clock() - IDEMPOTENCY_KEEP
        )


async def forget_throttle_counts(pool: asyncpg.Pool) -> int:
    """Counter windows that ended and sign-in failures a day old (PostgreSQL store only)."""
    async with pool.acquire() as connection:
        return await throttle_store.forget_ended(connection, FORGET_FAILURES_AFTER)


async def forget_old_messages(pool: asyncpg.Pool, pipeline: Pipeline) -> int:
    async with pool.acquire() as connection:
        return await outbox.forget_old(connection, pipeline.clock())


async def forget_sent_webhooks(pool: asyncpg.Pool, pipeline: Pipeline) -> int:
    async with pool.acquire() as connection:
        return await webhook_deliveries.forget_sent(
            connection, pipeline.clock() - webhook_deliveries.KEEP_SENT
        )


async def housekeeping(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    storage: ObjectStorage | None = None,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
) -> Round:
    """The jobs that need not be quick: every --interval seconds; the sweep of orphan
    objects only with the attachments' storage."""
    swept = await sweep_orphans(pool, storage, pipeline.clock()) if storage else 0
    return Round(
        orphan_objects_deleted=swept,
        closed=await close_unanswered_resolutions(pool, pipeline),
        anonymised=await anonymise_expired_cases(pool, pipeline, retention_months, storage),
        keys_forgotten=await forget_old_idempotency_keys(pool, pipeline),
        throttle_rows_forgotten=await forget_throttle_counts(pool),
        escalations=await escalate_unacknowledged(pool, pipeline.clock()),
        digests=await send_daily_digests(pool, pipeline.clock()),
        messages_forgotten=await forget_old_messages(pool, pipeline),
        webhooks_forgotten=await forget_sent_webhooks(pool, pipeline),
    )


async def run_once(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    mailer: Mailer | None = None,
    sender: Sender | None = None,
    storage: ObjectStorage | None = None,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
) -> Round:
    """One round of every job; webhooks (only with a sender) and then the outbox (only with
    a mailer) last, so they also send what the round's own changes queued, and the outbox
    the e-mail about a webhook switched off in this round."""
    done = await housekeeping(pool, pipeline, storage, retention_months)
    if sender is not None:
        posted = await deliver_webhooks(pool, sender, pipeline.clock)
        done = dataclasses.replace(done, webhooks=posted)
    if mailer is not None:
        done = dataclasses.replace(done, mail=await deliver_due(pool, mailer, pipeline.clock))
    return done


def _log_housekeeping(done: Round) -> None:
    if done.closed or done.keys_forgotten:
        logger.info(
            "closed %d case(s), forgot %d idempotency key(s)", done.closed, done.keys_forgotten
        )
    if done.anonymised:
        logger.info("anonymised %d case(s) past the retention period", done.anonymised)
    if done.orphan_objects_deleted:
        logger.info("deleted %d object(s) of unrecorded uploads", done.orphan_objects_deleted)
    if done.escalations or done.digests:
        logger.info("escalated %d case(s), queued %d digest(s)", done.escalations, done.digests)


def _log_delivery(done: Delivered) -> None:
    if done.sent or done.failed:
        logger.info("sent %d message(s), %d failed", done.sent, done.failed)


def _log_webhooks(done: Posted) -> None:
    if done.sent or done.failed or done.disabled:
        logger.info(
            "posted %d webhook(s), %d failed, %d subscription(s) switched off",
            done.sent,
            done.failed,
            done.disabled,
        )


async def _repeat(
    job: Callable[[], Awaitable[T]],
    report: Callable[[T], None],
    every_seconds: float,
    stop: asyncio.Event,
) -> None:
    """job every every_seconds until stop is set; a job that runs is finished first."""
    while not stop.is_set():
        try:
            report(await job())
        except Exception as error:
            if not database_unavailable(error):
                raise
            # Keep going: the database may be restarting. Type only: messages can hold data.
            logger.warning("worker job failed (%s); trying again later", type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_seconds)


async def run_forever(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    interval_seconds: float,
    stop: asyncio.Event,
    mailer: Mailer | None = None,
    poll_seconds: float = OUTBOX_POLL_SECONDS,
    sender: Sender | None = None,
    storage: ObjectStorage | None = None,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
) -> None:
    """Housekeeping every interval_seconds; the outbox and the webhooks looked at every
    poll_seconds, so that an acute case's e-mail and webhooks leave within seconds."""
    jobs = [
        _repeat(
            lambda: housekeeping(pool, pipeline, storage, retention_months),
            _log_housekeeping,
            interval_seconds,
            stop,
        )
    ]
    if mailer is not None:
        jobs.append(
            _repeat(
                lambda: deliver_due(pool, mailer, pipeline.clock), _log_delivery, poll_seconds, stop
            )
        )
    if sender is not None:
        jobs.append(
            _repeat(
                lambda: deliver_webhooks(pool, sender, pipeline.clock),
                _log_webhooks,
                poll_seconds,
                stop,
            )
        )
    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(job)
