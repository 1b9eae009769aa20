"""Background jobs: close cases the tenant did not react to, forget old idempotency keys.

Each job claims its rows with FOR UPDATE SKIP LOCKED, so any number of workers can run
side by side without doing the same job twice.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from service.cases import store
from service.cases.store import Event
from service.domain.workflow import TENANT_REACTION_DAYS, Status

logger = logging.getLogger(__name__)

SYSTEM = "system"
# A retried submission comes within minutes; a week is ample.
IDEMPOTENCY_KEEP = timedelta(days=7)


@dataclass(frozen=True)
class Round:
    closed: int
    keys_forgotten: int


async def close_unanswered_resolutions(pool: asyncpg.Pool) -> int:
    """Close cases resolved over 14 days ago, one per transaction.

    One case per transaction keeps each transaction's counter-row locks to those of a single
    case, taken in one fixed order, so that workers side by side never deadlock.
    """
    closed = 0
    while True:
        async with pool.acquire() as connection, connection.transaction():
            reference = await connection.fetchval(
                """
                SELECT reference FROM cases
                WHERE status = 'resolved' AND resolved_at < now() - make_interval(days => $1)
                ORDER BY resolved_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """,
                TENANT_REACTION_DAYS,
            )
            if reference is None:
                return closed
            now = await connection.fetchval("SELECT now()")
            case = await store.case_detail(connection, reference, None)
            event = Event.status_change(
                SYSTEM, Status.RESOLVED, Status.CLOSED, {"reason": "no_reaction_in_14_days"}
            )
            await store.apply_change(
                connection, case, {"status": Status.CLOSED, "closed_at": now}, [event], now
            )
        closed += 1


async def forget_old_idempotency_keys(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as connection:
        result = await connection.execute(
            "DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval",
            IDEMPOTENCY_KEEP,
        )
    return int(result.split()[-1])


async def run_once(pool: asyncpg.Pool) -> Round:
    return Round(
        closed=await close_unanswered_resolutions(pool),
        keys_forgotten=await forget_old_idempotency_keys(pool),
    )


async def run_forever(pool: asyncpg.Pool, interval_seconds: float) -> None:
    while True:
        try:
            done = await run_once(pool)
            if done.closed or done.keys_forgotten:
                logger.info(
                    "closed %d case(s), forgot %d idempotency key(s)",
                    done.closed,
                    done.keys_forgotten,
                )
        except (OSError, asyncpg.PostgresError) as error:
            # Keep going: the database may be restarting. Type only: messages can hold data.
            logger.warning("worker round failed (%s); trying again later", type(error).__name__)
        await asyncio.sleep(interval_seconds)
