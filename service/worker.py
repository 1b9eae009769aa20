"""Background jobs: deliver the outbox's messages, close cases the tenant did not react to,
forget old idempotency keys and the throttle's counters once they no longer count.

Each job claims its rows with FOR UPDATE SKIP LOCKED, so any number of workers can run
side by side without doing the same job twice. Cases change through the change pipeline,
like every other change.
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg

from service.cases import actions
from service.cases import store as cases
from service.changes.pipeline import CaseAt, Pipeline
from service.domain.permissions import TENANT_REACTION_WINDOW
from service.notifications.delivery import Delivered, Mailer, deliver_due
from service.outage import database_unavailable
from service.reports import store as reports
from service.throttle import postgres_store as throttle_store
from service.throttle.policy import FORGET_FAILURES_AFTER

logger = logging.getLogger(__name__)

# A retried submission comes within minutes; a week is ample.
IDEMPOTENCY_KEEP = timedelta(days=7)


@dataclass(frozen=True)
class Round:
    closed: int
    keys_forgotten: int
    throttle_rows_forgotten: int
    mail: Delivered = field(default_factory=Delivered)


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


async def run_once(pool: asyncpg.Pool, pipeline: Pipeline, mailer: Mailer | None = None) -> Round:
    """One round of every job; the outbox (only with a mailer) last, so it also sends what
    the round's own changes queued."""
    closed = await close_unanswered_resolutions(pool, pipeline)
    return Round(
        closed=closed,
        keys_forgotten=await forget_old_idempotency_keys(pool, pipeline),
        throttle_rows_forgotten=await forget_throttle_counts(pool),
        mail=await deliver_due(pool, mailer, pipeline.clock) if mailer else Delivered(),
    )


async def run_forever(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    interval_seconds: float,
    stop: asyncio.Event,
    mailer: Mailer | None = None,
) -> None:
    """A round every interval_seconds until stop is set; a round that runs is finished first."""
    while not stop.is_set():
        try:
            done = await run_once(pool, pipeline, mailer)
            if done.closed or done.keys_forgotten:
                logger.info(
                    "closed %d case(s), forgot %d idempotency key(s)",
                    done.closed,
                    done.keys_forgotten,
                )
            if done.mail.sent or done.mail.failed:
                logger.info("sent %d message(s), %d failed", done.mail.sent, done.mail.failed)
        except Exception as error:
            if not database_unavailable(error):
                raise
            # Keep going: the database may be restarting. Type only: messages can hold data.
            logger.warning("worker round failed (%s); trying again later", type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_seconds)
